/**
 * INTERVAL literals and arithmetic DuckDB reads differently: `INTERVAL '1-2 3 4:5:6' YEAR TO SECOND` (DuckDB has no
 * ranged INTERVAL literal), sub-microsecond parts, and INTERVAL / n (DuckDB rounds the microseconds, BigQuery truncates).
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#interval_type
 */
import { BigQueryError, invalidQuery, notSupported } from '../errors.ts';
import { expressionTemplate, fn, numLit, strLit, type Node } from './ast-build.ts';
import { splitArguments } from './named-arguments.ts';

const invalid = (text: string, range: string) => new BigQueryError(400, 'invalidQuery', `Invalid interval literal '${text}' for ${range}`);

const INTERVAL_FUNCTIONS = new Set(['MAKE_INTERVAL', 'JUSTIFY_DAYS', 'JUSTIFY_HOURS', 'JUSTIFY_INTERVAL']);

/**
 * Whether a node is an INTERVAL for sure: an INTERVAL literal, MAKE_INTERVAL/JUSTIFY_*, a CAST to INTERVAL, or one
 * of these negated, in parentheses, added up, or multiplied or divided by a number.
 */
export function isIntervalValued(n: Node): boolean {
  if (n?.paren) return isIntervalValued(n.paren.this);
  if (n?.neg) return isIntervalValued(n.neg.this);
  if (n?.add || n?.sub) return isIntervalValued((n.add ?? n.sub).left) && isIntervalValued((n.add ?? n.sub).right);
  if (n?.mul) return isIntervalValued(n.mul.left) !== isIntervalValued(n.mul.right);
  if (n?.div) return isIntervalValued(n.div.left) && !isIntervalValued(n.div.right);
  if (n?.function) return INTERVAL_FUNCTIONS.has(String(n.function.name).toUpperCase());
  if (n?.cast || n?.safe_cast) return (n.cast ?? n.safe_cast).to?.data_type === 'interval';
  return n?.interval !== undefined;
}

const PARTS = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'];
// Each part's pattern in a ranged literal; a sign may lead the year-month, day and hour-minute-second groups.
const PATTERN: Record<string, string> = { YEAR: '(-?\\d+)', MONTH: '(-?\\d+)', DAY: '(-?\\d+)', HOUR: '(-?\\d+)', MINUTE: '(-?\\d+)', SECOND: '(-?\\d+(?:\\.\\d{1,6})?)' };
const SEPARATOR: Record<string, string> = { MONTH: '-', DAY: ' ', HOUR: ' ', MINUTE: ':', SECOND: ':' };
const GROUP: Record<string, number> = { YEAR: 0, MONTH: 0, DAY: 1, HOUR: 2, MINUTE: 2, SECOND: 2 };

/**
 * The interval node: `INTERVAL 'text' A TO B` becomes months + days + microseconds; a sub-microsecond literal is
 * refused (DuckDB keeps microseconds and would round). Returns undefined to keep the node.
 */
/** An INTERVAL's range: 10000 years, or as many of a smaller part (ZetaSQL's IntervalValue kMaxYears, kMaxDays, ...). */
const MAX_OF_PART: Record<string, bigint> = {
  YEAR: 10000n,
  QUARTER: 40000n,
  MONTH: 120000n,
  WEEK: 522857n,
  DAY: 3660000n,
  HOUR: 87840000n,
  MINUTE: 5270400000n,
  SECOND: 316224000000n,
  MILLISECOND: 316224000000000n,
  MICROSECOND: 316224000000000000n,
};

/** INTERVAL n part past the range is an error (DuckDB kept INTERVAL 10001 YEAR). */
function checkRange(text: string, part: string): void {
  const max = MAX_OF_PART[part];
  if (max === undefined || !/^\s*[-+]?\d+\s*$/.test(text)) return;
  const n = BigInt(text.trim());
  if (n > max || n < -max) throw invalidQuery(`Interval field ${part} value ${text.trim()} is out of range`);
}

export function intervalLiteral(body: Node): Node | undefined {
  const text = body?.this?.literal?.literal_type === 'string' ? String(body.this.literal.value) : undefined;
  if (text === undefined) return undefined;
  if (/\.\d{7,}/.test(text)) throw notSupported(`INTERVAL '${text}' (the local emulator keeps microseconds, not nanoseconds)`);
  if (body.unit?.type === 'simple') checkRange(text, String(body.unit.unit).toUpperCase());
  if (body.unit?.type !== 'span') return undefined;
  const from = PARTS.indexOf(String(body.unit.this).toUpperCase());
  const to = PARTS.indexOf(String(body.unit.expression).toUpperCase());
  const range = `${PARTS[from]} TO ${PARTS[to]}`;
  if (from < 0 || to <= from) throw invalid(text, range);
  const parts = PARTS.slice(from, to + 1);
  const re = new RegExp('^\\s*' + parts.map((p, k) => (k ? (SEPARATOR[p] === ' ' ? '\\s+' : SEPARATOR[p]) : '') + PATTERN[p]).join('') + '\\s*$');
  const m = re.exec(text);
  if (!m) throw invalid(text, range);
  // A sign on a group's first part applies to the whole group (-1-2 is minus 1 year 2 months).
  const signs = new Map<number, number>();
  const values: Record<string, number> = {};
  parts.forEach((p, k) => {
    let v = m[k + 1];
    const group = GROUP[p];
    if (!signs.has(group)) signs.set(group, v.startsWith('-') ? -1 : 1);
    else if (v.startsWith('-')) throw invalid(text, range);
    v = v.replace(/^-/, '');
    values[p] = Number(v) * signs.get(group)!;
  });
  const months = (values.YEAR ?? 0) * 12 + (values.MONTH ?? 0);
  const seconds = parts.includes('SECOND') ? m[parts.indexOf('SECOND') + 1].replace(/^-/, '') : undefined;
  const micros = BigInt(values.HOUR ?? 0) * 3_600_000_000n + BigInt(values.MINUTE ?? 0) * 60_000_000n + (seconds === undefined ? 0n : BigInt(signs.get(2)!) * BigInt(Math.round(Number(seconds) * 1e6)));
  return fn('__gg_interval_of', [numLit(String(months)), numLit(String(values.DAY ?? 0)), numLit(micros.toString())]);
}

/** DuckDB reads `INTERVAL '-3' DAY` and `INTERVAL (x) DAY`, not `INTERVAL -3 DAY` or `INTERVAL x DAY`. */
export function intervalValue(v: Node): Node {
  if (v?.literal?.literal_type === 'number') return strLit(v.literal.value);
  if (v?.neg?.this?.literal?.literal_type === 'number') return strLit(`-${v.neg.this.literal.value}`);
  if (v?.literal?.literal_type === 'string' || v?.paren) return v;
  return { paren: { this: v } };
}

const MAKE_INTERVAL_PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/**
 * MAKE_INTERVAL([year][, month][, day][, hour][, minute][, second]), positional or named (`day => 3`): months, days and
 * microseconds kept apart as BigQuery's INTERVAL does (the transpiler's own reading kept only the year and month of
 * positional arguments).
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/interval_functions#make_interval
 */
export function makeInterval(args: Node[]): Node {
  if (args.length > MAKE_INTERVAL_PARTS.length) throw new BigQueryError(400, 'invalidQuery', `MAKE_INTERVAL takes at most 6 arguments, got ${args.length}`);
  const { positional, named } = splitArguments('MAKE_INTERVAL', args, MAKE_INTERVAL_PARTS);
  const given = new Map<string, Node>([...positional.map((arg, k): [string, Node] => [MAKE_INTERVAL_PARTS[k], arg]), ...named]);
  // The parts as BigQuery's INTERVAL keeps them (months, days, microseconds), each checked against its range:
  // MAKE_INTERVAL(year => 10000, month => 1) is an error (months '120001' out of range), as an INTERVAL literal is.
  return expressionTemplate(MAKE_INTERVAL_SQL, (n) => {
    const part = /^__gg_part_(\w+)$/.exec(String(n?.column?.name?.name ?? ''))?.[1];
    return part ? structuredClone(given.get(part) ?? numLit('0')) : undefined;
  });
}

const part = (name: (typeof MAKE_INTERVAL_PARTS)[number]): string => `__gg_interval_part(__gg_part_${name})`;
const MAKE_INTERVAL_SQL = `__gg_interval_of(${part('year')} * 12 + ${part('month')}, ${part('day')},
  ${part('hour')} * 3600000000 + ${part('minute')} * 60000000 + ${part('second')} * 1000000)`;
