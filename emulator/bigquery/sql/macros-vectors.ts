/**
 * COSINE_DISTANCE and EUCLIDEAN_DISTANCE (mathematical_functions#cosine_distance, #euclidean_distance) over a dense
 * vector (ARRAY<FLOAT64>, the index is the dimension) or a sparse one (ARRAY<STRUCT<dimension, magnitude>>, a dimension
 * a STRING or INT64 given at most once, a missing one zero). A NULL vector gives NULL; a NULL magnitude, dense vectors
 * of different lengths and a repeated dimension are errors, as is a zero vector for COSINE_DISTANCE. The macro's typed
 * overload takes dense vectors, the other sparse ones (fix-functions.ts calls them through typed-call.ts).
 */
import { boundOnce } from './macros-numeric.ts';

const denseChecks = (name: string) => `WHEN len(a) <> len(b) THEN __gg_raise('Array arguments to ${name} must have equal length. The given arrays have lengths of ' || len(a) || ' and ' || len(b))
     WHEN list_has_any([true], list_transform(a || b, x -> x IS NULL)) THEN __gg_raise('Cannot compute ${name} with a NULL element, since it is unclear if NULLs should be ignored, counted as a zero value, or another interpretation.')`;

const dimension = (e: string) => `struct_extract_at(${e}, 1)`;
const magnitude = (e: string) => `struct_extract_at(${e}, 2)`;
// The sparse vectors, bound once outside the lambdas that read them (a subquery cannot sit inside a lambda).
const A = `struct_extract(__gg_vectors, 'a')`;
const B = `struct_extract(__gg_vectors, 'b')`;
// The magnitude of dimension k in sparse vector v, 0 where v does not name it.
const sparseAt = (v: string) => `coalesce(${magnitude(`list_filter(${v}, e -> ${dimension('e')} = k)[1]`)}, 0)`;
const sparseChecks = (name: string) => `WHEN len(list_distinct(list_transform(${A}, e -> ${dimension('e')}))) <> len(${A}) OR len(list_distinct(list_transform(${B}, e -> ${dimension('e')}))) <> len(${B})
       THEN __gg_raise('Duplicate index found in the input array of ${name}')
     WHEN list_has_any([true], list_transform(${A}, e -> ${dimension('e')} IS NULL OR ${magnitude('e')} IS NULL) || list_transform(${B}, e -> ${dimension('e')} IS NULL OR ${magnitude('e')} IS NULL)) THEN __gg_raise('Cannot compute ${name} with a NULL element, since it is unclear if NULLs should be ignored, counted as a zero value, or another interpretation.')`;
// Sum over the dimensions of either sparse vector of f(x, y), their magnitudes. (The vectors are read apart: a || b
// would cast the second one's STRUCTs to the first one's field names, by name.)
const sparseSum = (f: string) =>
  `coalesce(list_sum(list_transform(list_distinct(list_transform(${A}, e -> ${dimension('e')}) || list_transform(${B}, e -> ${dimension('e')})), k -> ${f.replaceAll('x', sparseAt(A)).replaceAll('y', sparseAt(B))})), 0)`;
const denseSum = (f: string) => `coalesce(list_sum(list_transform(list_zip(a, b), p -> ${f.replaceAll('x', 'p[1]').replaceAll('y', 'p[2]')})), 0)`;
const sparse = (body: string) => boundOnce(`{'a': a, 'b': b}`, body, '__gg_vectors');

const cosine = (sum: (f: string) => string) => `CASE WHEN ${sum('x * x')} = 0 OR ${sum('y * y')} = 0 THEN CAST(__gg_raise('Cannot compute cosine distance against zero vector.') AS DOUBLE)
     ELSE 1 - ${sum('x * y')} / (sqrt(${sum('x * x')}) * sqrt(${sum('y * y')})) END`;

export const vectorMacros: string[] = [
  `CREATE OR REPLACE MACRO __gg_euclidean_distance(a DOUBLE[], b DOUBLE[]) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ${denseChecks('EUCLIDEAN_DISTANCE')}
     ELSE sqrt(${denseSum('(x - y) * (x - y)')}) END,
   (a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE ${sparse(`CASE ${sparseChecks('EUCLIDEAN_DISTANCE')} ELSE sqrt(${sparseSum('(x - y) * (x - y)')}) END`)} END`,
  `CREATE OR REPLACE MACRO __gg_cosine_distance(a DOUBLE[], b DOUBLE[]) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ${denseChecks('COSINE_DISTANCE')}
     ELSE ${cosine(denseSum)} END,
   (a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE ${sparse(`CASE ${sparseChecks('COSINE_DISTANCE')} ELSE ${cosine(sparseSum)} END`)} END`,
];
