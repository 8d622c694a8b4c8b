/**
 * A DATE or DATETIME compared with a TIMESTAMP has no signature in BigQuery ("No matching signature for operator =
 * for argument types: TIMESTAMP, DATE"): a DATE coerces to DATETIME only (conversion_rules#comparison_chart), and no
 * type to TIMESTAMP. DuckDB casts both sides to TIMESTAMPTZ and compares, so `ts_col >= DATE '2024-01-01'` passed here
 * and failed in production. Where one side of a comparison is written as a value of a known temporal type (a literal,
 * a CAST, CURRENT_DATE(), DATE(...), ...), the comparison becomes a macro call that checks the other side's type when
 * DuckDB binds the statement (typeof is a constant) and is the comparison otherwise. The written side is not copied
 * into the check: a TIMESTAMP literal is a macro call of its own, and each copy costs binding time in every statement.
 * Applied in place, before the fixes. Comparisons of two columns are not checked (neither side is written).
 */
import { castTypeName, fn, strLit, type Node } from './ast-build.ts';

const OPERATORS: Record<string, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** Functions whose result has one temporal type, by name. */
const RESULT_TYPES: Record<string, string> = {
  current_date: 'DATE',
  date: 'DATE',
  parse_date: 'DATE',
  date_from_unix_date: 'DATE',
  current_datetime: 'DATETIME',
  datetime: 'DATETIME',
  parse_datetime: 'DATETIME',
  current_timestamp: 'TIMESTAMP',
  timestamp: 'TIMESTAMP',
  parse_timestamp: 'TIMESTAMP',
  timestamp_seconds: 'TIMESTAMP',
  timestamp_millis: 'TIMESTAMP',
  timestamp_micros: 'TIMESTAMP',
};

/** The temporal type an expression is written as, if the text alone tells. */
function writtenType(n: Node): string | undefined {
  if (n?.paren) return writtenType(n.paren.this);
  const literal = String(n?.literal?.literal_type ?? '');
  if (['date', 'datetime', 'timestamp'].includes(literal)) return literal.toUpperCase();
  if (n?.cast) {
    const t = castTypeName(n.cast.to);
    return ['DATE', 'DATETIME', 'TIMESTAMP'].includes(t) ? t : undefined;
  }
  return n?.function ? RESULT_TYPES[String(n.function.name).toLowerCase()] : undefined;
}

function checked(node: Node): Node | undefined {
  const kind = Object.keys(node)[0];
  const body = node[kind];
  const sides: Node[] = kind === 'between' ? [body.this, body.low, body.high] : [body?.left, body?.right];
  const op = kind === 'between' ? 'BETWEEN' : OPERATORS[kind];
  if (!op || sides.some((s) => s === undefined)) return undefined;
  const at = sides.findIndex((s) => writtenType(s) !== undefined);
  if (at < 0) return undefined;
  const written = writtenType(sides[at])!;
  const other = sides[at === 0 ? 1 : 0];
  const types = (otherName: string) => (at === 0 ? `${written}, ${otherName}` : `${otherName}, ${written}`);
  const message = (otherName: string) => strLit(`No matching signature for operator ${op} for argument types: ${types(otherName)}`);
  if (written === 'TIMESTAMP') return fn('__gg_beside_timestamp', [node, structuredClone(other), message('DATE'), message('DATETIME')]);
  return fn('__gg_beside_civil', [node, structuredClone(other), message('TIMESTAMP')]);
}

export function checkTemporalComparisons(node: Node): void {
  if (!node || typeof node !== 'object') return;
  // A MERGE's ON keys are read as they are written (fix-dml.ts); a PIVOT's IN list names columns.
  if (node.merge || node.pivot) return;
  for (const [k, v] of Object.entries(node as Record<string, Node>)) {
    if (!v || typeof v !== 'object') continue;
    checkTemporalComparisons(v);
    const keys = Array.isArray(v) ? [] : Object.keys(v);
    const replaced = keys.length === 1 && (keys[0] in OPERATORS || keys[0] === 'between') ? checked(v) : undefined;
    if (replaced) (node as Record<string, Node>)[k] = replaced;
  }
}
