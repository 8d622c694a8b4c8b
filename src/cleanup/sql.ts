/**
 * The cleanup's SQL. Identifiers come from includes/business_keys.js and the table's own schema, each validated;
 * user values never reach the text. Checksums are order-independent: per row MD5 of the row's JSON (every column but
 * lock_token, see rowHash), split into two 28-bit integers that are summed. Sums (not XOR) so that two identical duplicate rows do not cancel out, and so the
 * checksum is additive: original = kept + removed, per date. FARM_FINGERPRINT would be cheaper on BigQuery but the
 * local emulator has no FarmHash (docs/conformance.md); MD5, TO_HEX and CAST('0x..' AS INT64) behave the same on both.
 */
import { windowPartitionColumns } from '../warehouse/duplicates.ts';
import { assertIdentifier } from '../warehouse/target.ts';
import type { BusinessKey, KeepRule } from './types.ts';

/**
 * A 28-bit slice of an MD5 hex as INT64. Each row's slices are computed once, in a SELECT of their own, and the sums
 * run over plain columns: on the local emulator a slice nested inside SUM and CAST(... AS STRING) is expanded by every
 * macro it passes through, which cost seconds of planning per checksum query (BigQuery is indifferent to the shape).
 * Sums are cast to STRING and read back as BigInt: no precision loss in JavaScript.
 */
const slice = (hex: string, start: number) => `CAST(CONCAT('0x', SUBSTR(${hex}, ${start}, 7)) AS INT64)`;

function dateExpr(key: BusinessKey): string {
  return key.dateColumn ? `CAST(${assertIdentifier('column', key.dateColumn)} AS STRING)` : 'CAST(NULL AS STRING)';
}

function partitionColumns(key: BusinessKey): string[] {
  return [...(key.dateColumn ? [key.dateColumn] : []), ...key.keyColumns].map((c) => assertIdentifier('column', c));
}

function keyJson(key: BusinessKey): string {
  return `TO_JSON_STRING(STRUCT(${key.keyColumns.map((c) => assertIdentifier('column', c)).join(', ')}))`;
}

/** PARTITION BY of the dedupe's window: the pipeline's own (float key columns as text; BigQuery refuses FLOAT64 there). */
function windowPartition(table: string): string {
  return windowPartitionColumns(table).join(', ');
}

/** Columns written per run (when and by which run): expected to differ between copies of one graded row. */
function runColumns(key: BusinessKey, columns: readonly string[]): string[] {
  return [key.writtenAtColumn, 'run_id', 'lock_token'].filter((c) => columns.includes(c));
}

/** The fencing token column: the cleanup's swap and restore restamp it (see rowHash). */
export const TOKEN_COLUMN = 'lock_token';

/**
 * The hash every checksum sums: the whole row except lock_token. The swap and a restore write rows stamped with the
 * token of the lease they hold, as every fenced write does (the rows of a date carry their date's fence token), so the
 * token is the one column they change on purpose; it is checked on its own after each of them (every row of a date
 * carries the writer's token, which the fence holds). Everything else is compared exactly: original = kept + removed,
 * backup = original, live = deduped. A grade that rewrites a date changes graded_at and run_id, so later writes still
 * show up in the checksums.
 */
function rowHash(columns: readonly string[]): string {
  const kept = columns.filter((c) => c !== TOKEN_COLUMN).map((c) => assertIdentifier('column', c));
  return `TO_HEX(MD5(TO_JSON_STRING(STRUCT(${kept.join(', ')}))))`;
}

/** Content of a row without its run columns, as a hash (two copies of a row written by two runs hash the same). */
function contentHash(key: BusinessKey, columns: readonly string[]): string {
  const excluded = new Set(runColumns(key, columns));
  const kept = columns.filter((c) => !excluded.has(c)).map((c) => assertIdentifier('column', c));
  return `TO_HEX(MD5(TO_JSON_STRING(STRUCT(${kept.join(', ')}))))`;
}

/**
 * One scan of a table: per date the rows, unique keys, duplicated keys, keys whose copies differ beyond the run
 * columns, the content checksum (two sums) and the key-set checksum (over distinct keys). `contents: false` leaves out
 * the differing keys (NULL): a second hash of every row that only the original's profile needs (the plan's figure and
 * the verify step's report); the checks of the backup, the deduped copy and the live table compare the rest.
 */
export function profileSql(ref: string, key: BusinessKey, columns: readonly string[], options: { contents?: boolean } = {}): string {
  const contents = options.contents !== false;
  return `WITH hashed AS (
  SELECT ${dateExpr(key)} AS d, ${keyJson(key)} AS k, ${rowHash(columns)} AS h${contents ? `, ${contentHash(key, columns)} AS c` : ''}
  FROM ${ref} AS t
), sliced AS (
  SELECT d, k, ${slice('h', 1)} AS h1, ${slice('h', 8)} AS h2${contents ? ', c' : ''}
  FROM hashed
), per_key AS (
  SELECT d, k, COUNT(*) AS n,${contents ? ' COUNT(DISTINCT c) AS contents,' : ''} SUM(h1) AS row_hash_sum1, SUM(h2) AS row_hash_sum2
  FROM sliced
  GROUP BY d, k
), keyed AS (
  SELECT *, ${slice('TO_HEX(MD5(k))', 1)} AS k1, ${slice('TO_HEX(MD5(k))', 8)} AS k2
  FROM per_key
)
SELECT d AS date, CAST(SUM(n) AS STRING) AS row_count, CAST(COUNT(*) AS STRING) AS unique_keys,
  CAST(COUNTIF(n > 1) AS STRING) AS duplicate_keys, ${contents ? 'CAST(COUNTIF(contents > 1) AS STRING)' : 'CAST(NULL AS STRING)'} AS differing_keys,
  CAST(SUM(row_hash_sum1) AS STRING) AS row_hash_sum1, CAST(SUM(row_hash_sum2) AS STRING) AS row_hash_sum2,
  CAST(SUM(k1) AS STRING) AS key_hash_sum1, CAST(SUM(k2) AS STRING) AS key_hash_sum2
FROM keyed
GROUP BY d
ORDER BY d`;
}

/** ORDER BY of the row to keep first: the seed's earliest write, or the declared latest-first order; the whole row breaks ties. */
function keepOrder(key: BusinessKey, keep: KeepRule): string {
  const terms = key.latestFirst.map((term) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(ASC|DESC))?$/i.exec(term.trim());
    if (!match) throw new Error(`Unsupported latestFirst term ${JSON.stringify(term)}`);
    return { column: assertIdentifier('column', match[1]), desc: (match[2] ?? 'ASC').toUpperCase() === 'DESC' };
  });
  if (keep === 'latest') {
    return [...terms.map((t) => `${t.column} ${t.desc ? 'DESC' : 'ASC'}`), 'TO_JSON_STRING(t) DESC'].join(', ');
  }
  const written = assertIdentifier('column', key.writtenAtColumn);
  const rest = terms.filter((t) => t.column !== written).map((t) => `${t.column} ${t.desc ? 'ASC' : 'DESC'}`);
  return [`${written} ASC NULLS LAST`, ...rest, 'TO_JSON_STRING(t) ASC'].join(', ');
}

/** Kept rows of the original, written into the (empty) deduped table. */
export function dedupeInsertSql(dedupedRef: string, ref: string, table: string, key: BusinessKey, keep: KeepRule, columns: readonly string[]): string {
  const list = columns.map((c) => assertIdentifier('column', c)).join(', ');
  return `INSERT INTO ${dedupedRef} (${list})
SELECT ${list}
FROM ${ref} AS t
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY ${windowPartition(table)} ORDER BY ${keepOrder(key, keep)}) = 1`;
}

/** Per date, the rows the dedupe removes (rank > 1) and their checksum: original = kept + removed must hold exactly. */
export function removedSql(ref: string, table: string, key: BusinessKey, keep: KeepRule, columns: readonly string[]): string {
  return `WITH ranked AS (
  SELECT ${dateExpr(key)} AS d, ${rowHash(columns)} AS h,
    ROW_NUMBER() OVER (PARTITION BY ${windowPartition(table)} ORDER BY ${keepOrder(key, keep)}) AS rn
  FROM ${ref} AS t
), removed AS (
  SELECT d, ${slice('h', 1)} AS h1, ${slice('h', 8)} AS h2
  FROM ranked
  WHERE rn > 1
)
SELECT d AS date, CAST(COUNT(*) AS STRING) AS row_count, CAST(SUM(h1) AS STRING) AS row_hash_sum1, CAST(SUM(h2) AS STRING) AS row_hash_sum2
FROM removed
GROUP BY d
ORDER BY d`;
}

/** Keys of one table missing from the other, both ways (exact, not a checksum). */
export function keySetDiffSql(leftRef: string, rightRef: string, key: BusinessKey): string {
  const k = `TO_JSON_STRING(STRUCT(${partitionColumns(key).join(', ')}))`;
  return `SELECT
  (SELECT COUNT(*) FROM (SELECT ${k} FROM ${leftRef} EXCEPT DISTINCT SELECT ${k} FROM ${rightRef})) AS missing,
  (SELECT COUNT(*) FROM (SELECT ${k} FROM ${rightRef} EXCEPT DISTINCT SELECT ${k} FROM ${leftRef})) AS extra`;
}

/** Per column, how many duplicated keys have copies that differ in it (run only when some copies differ). */
export function columnDifferencesSql(ref: string, key: BusinessKey, columns: readonly string[]): string {
  const excluded = new Set([...runColumns(key, columns), ...partitionColumns(key)]);
  const compared = columns.filter((c) => !excluded.has(c)).map((c) => assertIdentifier('column', c));
  // COALESCE: the emulator's TO_JSON_STRING(NULL) is NULL where BigQuery's is 'null'; COUNT(DISTINCT) skips NULLs.
  const perKey = compared.map((c) => `COUNT(DISTINCT COALESCE(TO_JSON_STRING(${c}), 'null')) > 1 AS ${c}`).join(',\n    ');
  const totals = compared.map((c) => `COUNTIF(${c}) AS ${c}`).join(', ');
  return `SELECT ${totals || 'COUNT(*) AS none'}
FROM (
  SELECT ${perKey || 'TRUE AS none'}
  FROM ${ref}
  GROUP BY ${partitionColumns(key).join(', ')}
  HAVING COUNT(*) > 1
)`;
}
