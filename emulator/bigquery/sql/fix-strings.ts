/**
 * String and BYTES functions whose DuckDB translation differs from BigQuery's: negative lengths raise, NULL
 * arguments give NULL of the right type, UNICODE('') is 0, ASCII refuses non-ASCII text, BYTES arguments work on
 * bytes. https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions
 * Handlers get already-rewritten arguments; undefined keeps the translation that follows.
 */
import { BigQueryError } from '../errors.ts';
import { fn, nullLit, strLit, stringValue, type Node } from './ast-build.ts';

type Handler = (args: Node[]) => Node | undefined;

const isNull = (n: Node): boolean => (n?.paren ? isNull(n.paren.this) : n?.null !== undefined && Object.keys(n).length === 1);
/** A bare NULL literal would make DuckDB pick a BLOB overload; BigQuery types it STRING. */
const asString = (n: Node) => (isNull(n) ? { cast: { this: nullLit(), to: { data_type: 'custom', name: 'STRING' }, trailing_comments: [], double_colon_syntax: false } } : n);
const nonNegative = (n: Node, message: string) => fn('__gg_non_negative', [n, strLit(message)]);

export const stringFunctions: Record<string, Handler> = {
  left: ([s, n]) => (n ? fn('left', [asString(s), nonNegative(n, 'Second argument in LEFT() cannot be negative')]) : undefined),
  right: ([s, n]) => (n ? fn('right', [asString(s), nonNegative(n, 'Second argument in RIGHT() cannot be negative')]) : undefined),
  unicode: ([s]) => fn('__gg_unicode', [asString(s)]),
  ascii: ([s]) => fn('__gg_ascii', [asString(s)]),
  split: ([s, d]) => fn('__gg_split', [asString(s), d === undefined ? strLit(',') : asString(d)]),
  repeat: ([s, n]) => fn('__gg_repeat', [asString(s), n]),
  // COLLATE(s, 'binary') is s; other collations ('und:ci') would compare case-sensitively here: refused.
  collate: ([s, spec]) => {
    const name = stringValue(spec);
    if (name === undefined) return undefined;
    if (name === '' || name.toLowerCase() === 'binary') return asString(s);
    throw new BigQueryError(400, 'invalidQuery', `Collation '${name}' is not supported by the local emulator (only 'binary')`);
  },
  format: (args) => {
    if (isNull(args[0])) return asString(nullLit());
    if (args[0]?.literal?.literal_type === 'string') return undefined;
    // DuckDB's printf differs from FORMAT (%*d, %T, NULL, argument counts): only a literal format is expanded.
    throw new BigQueryError(400, 'invalidQuery', 'FORMAT with a format string that is not a literal is not supported by the local emulator');
  },
};

/** polyglot's own nodes for SUBSTR, STRPOS, STARTS_WITH and ENDS_WITH. */
export function stringNode(kind: string, body: Node, walk: (n: Node) => Node): Node | undefined {
  switch (kind) {
    case 'substring':
      if (!body.length || body.from_for_syntax) return undefined;
      return { substring: { ...body, this: walk(body.this), start: walk(body.start), length: nonNegative(walk(body.length), 'Third argument in SUBSTR() cannot be negative') } };
    case 'str_position':
      return body.position || body.occurrence ? undefined : fn('__gg_strpos', [walk(body.this), walk(body.substr)]);
    case 'starts_with':
    case 'ends_with':
      return fn(`__gg_${kind}`, [walk(body.this), walk(body.expression)]);
    default:
      return undefined;
  }
}
