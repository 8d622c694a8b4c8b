/**
 * Date and time functions whose DuckDB translation differs from BigQuery: TIMESTAMP must stay
 * TIMESTAMPTZ, DATE_TRUNC must keep DATE, weeks start on Sunday, format strings differ.
 * Each handler gets already-rewritten arguments and returns a replacement node (or undefined).
 */
import { binary, castTo, fn, isNullLiteral, numLit, passThroughFn, strLit, unitOf, stringValue, type Node } from './ast-build.ts';
import { checkParseFormat, dateFormatArg, formatMarked } from './format-strings.ts';
import { invalidQuery } from '../errors.ts';
import { typedCallKeepingLiterals } from './typed-call.ts';

type Handler = (args: Node[]) => Node | undefined;

const weekdays = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** time_bucket width and offset for a BigQuery date part (default origin 2000-01-03 is a Monday). */
function bucketFor(part: Node, fnName: string): [string, string] {
  const unit = unitOf(part);
  const simple: Record<string, string> = {
    MICROSECOND: '1 microsecond',
    MILLISECOND: '1 millisecond',
    SECOND: '1 second',
    MINUTE: '1 minute',
    HOUR: '1 hour',
    DAY: '1 day',
    MONTH: '1 month',
    QUARTER: '3 months',
    YEAR: '1 year',
    ISOWEEK: '7 days',
  };
  if (unit && simple[unit]) return [simple[unit], '0 days'];
  const week = unit === 'WEEK' ? 'SUNDAY' : /^WEEK\((\w+)\)$/.exec(unit ?? '')?.[1];
  if (week && weekdays.includes(week)) return ['7 days', `${weekdays.indexOf(week) - 1} days`];
  throw invalidQuery(`${fnName} does not support the date part ${unit ?? '(expression)'} in the local emulator`);
}

const bucketArgs = (part: Node, name: string) => bucketFor(part, name).map(strLit);

/** An omitted zone argument is the job's default time zone: its connection's TimeZone setting (time-zone.ts). */
const tzArg = (args: Node[], k: number) => args[k] ?? fn('current_setting', [strLit('TimeZone')]);
/** With a zone argument the value must be a TIMESTAMP; without one, TIMESTAMP_TRUNC of a DATETIME is a DATETIME. */
const timestampTrunc = (args: Node[], name: string) =>
  args.length === 3
    ? fn('__gg_ts_trunc', [fn('__gg_zoned_trunc_arg', [args[0], strLit(name)]), ...bucketArgs(args[1], name), args[2]])
    : typedCallKeepingLiterals('__gg_timestamp_trunc', [isNullLiteral(args[0]) ? fn('__gg_ts', [args[0]]) : args[0], ...bucketArgs(args[1], name), tzArg(args, 2)]);

/** The parts TIMESTAMP_DIFF and TIME_DIFF take (timestamp_functions#timestamp_diff, time_functions#time_diff). */
const DIFF_PARTS: Record<string, string[]> = {
  timestamp_diff: ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY'],
  time_diff: ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR'],
};

/**
 * TIMESTAMP_DIFF / TIME_DIFF (walked arguments) with a plain date part; undefined for another call. An unsupported
 * part is an error when BigQuery analyses the query, which SAFE. does not turn into NULL.
 */
export function timeDiffCall(name: string, args: Node[]): Node | undefined {
  const unit = DIFF_PARTS[name] && args.length === 3 ? (args[2]?.var?.this ?? args[2]?.column?.name?.name) : undefined;
  if (!unit) return undefined;
  const part = String(unit).toUpperCase();
  if (!DIFF_PARTS[name].includes(part)) throw invalidQuery(`${name.toUpperCase()} does not support the ${part} date part`);
  // TIME_DIFF counts the boundaries of civil time as DATETIME_DIFF does; TIMESTAMP_DIFF counts whole units elapsed.
  return name === 'time_diff' ? fn('__gg_civil_diff', [args[0], args[1], strLit(part)]) : typedCallKeepingLiterals('__gg_ts_diff', [args[0], args[1], strLit(part)]);
}

/** The date parts the *_ADD / *_SUB functions and GENERATE_*_ARRAY take (their pages in the function reference). */
const ADD_PARTS: Record<string, string[]> = {
  date: ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'],
  time: ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR'],
  timestamp: ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY'],
};

/** TIME_ADD(t, INTERVAL 1 DAY) and the like are errors in BigQuery; DuckDB added nothing or a calendar part. */
function checkIntervalPart(name: string, taken: string[], interval: Node): void {
  const unit = interval?.interval?.unit?.unit;
  if (typeof unit === 'string' && !taken.includes(unit.toUpperCase())) throw invalidQuery(`${name} does not support the ${unit.toUpperCase()} date part`);
}

/** DATE_ADD(d, INTERVAL 1 HOUR): an error on a DATE (DuckDB added nothing), DATE_ADD of a DATETIME otherwise. */
function dateTimePart(name: string, d: Node, i: Node, macro: string): Node | undefined {
  const unit = i?.interval?.unit?.unit;
  const part = typeof unit === 'string' ? unit.toUpperCase() : undefined;
  if (!part || !ADD_PARTS.time.includes(part)) return undefined;
  return fn('__gg_date_time_part', [structuredClone(d), fn(macro, [d, i]), strLit(name), strLit(part)]);
}

/** FORMAT_TIMESTAMP/PARSE_TIMESTAMP with %z/%Z carry their own zone. */
const hasZoneElement = (f: Node) => /%E?[zZ]/.test(stringValue(f) ?? '');

export const datetimeFunctions: Record<string, Handler> = {
  // With a time zone, DATE_TRUNC and DATETIME_TRUNC take a TIMESTAMP only and are TIMESTAMP_TRUNC.
  date_trunc: (args) => (args.length === 3 ? timestampTrunc(args, 'DATE_TRUNC') : fn('__gg_trunc', [args[0], ...bucketArgs(args[1], 'DATE_TRUNC')])),
  // DATETIME_TRUNC and TIMESTAMP_TRUNC of a DATE truncate the DATETIME it coerces to (conversion_rules: DATE coerces to
  // DATETIME only), and return that type.
  datetime_trunc: (args) => (args.length === 3 ? timestampTrunc(args, 'DATETIME_TRUNC') : typedCallKeepingLiterals('__gg_datetime_trunc', [args[0], ...bucketArgs(args[1], 'DATETIME_TRUNC')])),
  timestamp_trunc: (args) => timestampTrunc(args, 'TIMESTAMP_TRUNC'),
  time_trunc: ([t, part]) => {
    const unit = unitOf(part);
    // A TIME truncates to an hour at most (time_functions#time_trunc); DuckDB truncated TIME_TRUNC(t, DAY) to midnight.
    if (unit && !ADD_PARTS.time.includes(unit)) throw invalidQuery(`TIME_TRUNC does not support the ${unit} date part`);
    return fn('__gg_time_trunc', [t, strLit(bucketFor(part, 'TIME_TRUNC')[0])]);
  },
  last_day: (args) => lastDay(args[0], args[1]),
  timestamp_add: ([ts, i]) => (checkIntervalPart('TIMESTAMP_ADD', ADD_PARTS.timestamp, i), fn('__gg_ts_add', [ts, i])),
  timestamp_sub: ([ts, i]) => (checkIntervalPart('TIMESTAMP_SUB', ADD_PARTS.timestamp, i), fn('__gg_ts_sub', [ts, i])),
  time_add: ([, i]) => checkIntervalPart('TIME_ADD', ADD_PARTS.time, i),
  time_sub: ([, i]) => checkIntervalPart('TIME_SUB', ADD_PARTS.time, i),
  timestamp_seconds: ([s]) => fn('__gg_ts_micros', [fn('__gg_times', [s, strLit('1000000')])]),
  timestamp_millis: ([s]) => fn('__gg_ts_micros', [fn('__gg_times', [s, strLit('1000')])]),
  timestamp_micros: ([s]) => fn('__gg_ts_micros', [s]),
  date_from_unix_date: ([n]) => fn('__gg_date_from_unix_date', [n]),
  // DATE_DIFF of TIMESTAMPs is TIMESTAMP_DIFF (__gg_date_diff); of DATEs and DATETIMEs polyglot's translation.
  date_diff: ([a, b, part]) => {
    const unit = unitOf(part);
    return unit ? typedCallKeepingLiterals('__gg_date_diff', [a, b, strLit(unit), fn('DATE_DIFF', [structuredClone(a), structuredClone(b), part])]) : undefined;
  },
  datetime_diff: ([a, b, part]) => {
    const unit = unitOf(part);
    return unit ? typedCallKeepingLiterals('__gg_dt_diff', [a, b, strLit(unit)]) : undefined;
  },
  date: (args) => {
    if (args.length === 3) return fn('__gg_date_from_parts', args);
    if (args.length === 2) return fn('__gg_date_in_zone', args);
    return args.length === 1 ? fn('__gg_date_of', args) : undefined;
  },
  datetime: (args) => {
    if (args.length === 6) return fn('__gg_datetime_from_parts', args);
    if (args.length === 2) return fn(stringValue(args[1]) !== undefined ? '__gg_datetime_in_zone' : '__gg_datetime_2', args);
    return args.length === 1 ? fn('__gg_datetime_of', args) : undefined;
  },
  time: (args) => {
    if (args.length === 3) return fn('__gg_time_from_parts', args);
    if (args.length === 2) return fn('__gg_time_in_zone', args);
    return args.length === 1 ? fn('__gg_time_of', args) : undefined;
  },
  // The civil date and time now in a zone (the default time zone when omitted); DuckDB's CURRENT_TIME is a TIMETZ.
  // Without a zone, DuckDB's own call (in the job's time zone, the connection's TimeZone) written with parentheses:
  // `CURRENT_DATE AS current_date` read the bare keyword as the alias (a binder error).
  current_date: (args) => (args.length === 1 ? fn('__gg_date_in_zone', [fn('get_current_timestamp', []), args[0]]) : args.length === 0 ? passThroughFn('current_date', []) : undefined),
  current_timestamp: (args) => (args.length === 0 ? passThroughFn('get_current_timestamp', []) : undefined),
  current_datetime: (args) => (args.length <= 1 ? fn('__gg_datetime_in_zone', [fn('get_current_timestamp', []), tzArg(args, 0)]) : undefined),
  current_time: (args) => (args.length <= 1 ? fn('__gg_time_in_zone', [fn('get_current_timestamp', []), tzArg(args, 0)]) : undefined),
  // UNIX_SECONDS / UNIX_MILLIS round down to the unit (DuckDB's EPOCH cast rounds, EPOCH_MS truncates toward zero).
  unix_seconds: (args) => (args.length === 1 ? fn('__gg_unix_floor', [args[0], numLit('1000000')]) : undefined),
  unix_millis: (args) => (args.length === 1 ? fn('__gg_unix_floor', [args[0], numLit('1000')]) : undefined),
  format_timestamp: (args) => formatMarked(fn('__gg_format_ts', [dateFormatArg(args[0], true, true), args[1], tzArg(args, 2)]), args[0]),
  // FORMAT_DATETIME(format, timestamp, zone) formats the TIMESTAMP's civil time in the zone, as FORMAT_TIMESTAMP does.
  format_datetime: ([f, d, tz]) => formatMarked(tz ? fn('__gg_format_ts', [dateFormatArg(f, true, true), d, tz]) : fn('strftime', [fn('__gg_cast_datetime', [d]), dateFormatArg(f, false, true)]), f),
  format_date: ([f, d]) => formatMarked(fn('__gg_format_date', [dateFormatArg(f, false, true), d]), f),
  format_time: ([f, t]) => formatMarked(fn('__gg_format_time', [dateFormatArg(f, false, true), t]), f),
  date_add: ([d, i]) => dateTimePart('DATE_ADD', d, i, '__gg_date_add'),
  date_sub: ([d, i]) => dateTimePart('DATE_SUB', d, i, '__gg_date_sub'),
  parse_date: (args) => checkParseFormat(args[0], 'DATE'),
  parse_datetime: (args) => checkParseFormat(args[0], 'DATETIME'),
  // PARSE_TIME is the time of day of the DATETIME its format and text give (with no date element, 1970-01-01's).
  parse_time: (args) => (args.length === 2 ? (checkParseFormat(args[0], 'TIME'), castTo(fn('PARSE_DATETIME', args), 'TIME')) : undefined),
  parse_timestamp: (args) => (hasZoneElement(args[0]) ? fn('__gg_parse_ts_offset', [dateFormatArg(args[0]), args[1]]) : fn('__gg_parse_ts', [dateFormatArg(args[0]), args[1], tzArg(args, 2)])),
  date_bucket: (args) => bucket(args, '__gg_cast_date'),
  datetime_bucket: (args) => bucket(args, '__gg_cast_datetime'),
  timestamp_bucket: (args) => bucket(args, '__gg_ts'),
  datetime_add: ([d, i]) => (i ? fn('__gg_datetime_add', [d, i]) : undefined),
  datetime_sub: ([d, i]) => (i ? fn('__gg_datetime_add', [d, { neg: { this: i } }]) : undefined),
  generate_timestamp_array: ([a, b, step]) => (step ? (checkIntervalPart('GENERATE_TIMESTAMP_ARRAY', ADD_PARTS.timestamp, step), fn('__gg_generate_ts_array', [a, b, step])) : undefined),
  generate_date_array: (args) => {
    checkIntervalPart('GENERATE_DATE_ARRAY', ADD_PARTS.date, args[2]);
    return fn('__gg_generate_date_array', [args[0], args[1], args[2] ?? { interval: { this: strLit('1'), unit: { type: 'simple', unit: 'Day', use_plural: false } } }]);
  },
};

/**
 * DATE_BUCKET/DATETIME_BUCKET/TIMESTAMP_BUCKET keep their input's type (time_bucket does too); a string or NULL literal
 * input or origin takes the function's own type, and a NULL width is an INTERVAL.
 */
function bucket(args: Node[], cast: string): Node {
  const typed = (n: Node) => (n && (stringValue(n) !== undefined || isNullLiteral(n)) ? fn(cast, [n]) : n);
  const width = isNullLiteral(args[1]) ? castTo(args[1], 'INTERVAL') : args[1];
  return fn('__gg_bucket', [typed(args[0]), width, ...(args.length > 2 ? [typed(args[2])] : [])]);
}

function lastDay(d: Node, part: Node | undefined): Node {
  const unit = part ? unitOf(part) : 'MONTH';
  if (unit && /^(DAY|HOUR|MINUTE|SECOND|MILLISECOND|MICROSECOND)$/.test(unit)) throw invalidQuery(`LAST_DAY does not support the date part ${unit}`);
  const [w, o] = part ? bucketFor(part, 'LAST_DAY') : ['1 month', '0 days'];
  return fn('__gg_last_day', [d, strLit(w), strLit(o)]);
}

/** polyglot's own `last_day` node: its unit 'Week', { WeekWithModifier: 'SUNDAY' } or { Custom: 'ISOWEEK' }. */
export function fixLastDay(d: Node, unit: unknown): Node {
  if (unit === undefined || unit === null) return lastDay(d, undefined);
  if (typeof unit === 'string') return lastDay(d, { var: { this: unit.toUpperCase() } });
  const [kind, value] = Object.entries(unit as Record<string, unknown>)[0] ?? [];
  if (kind === 'WeekWithModifier') return lastDay(d, fn('WEEK', [{ var: { this: String(value).toUpperCase() } }]));
  return lastDay(d, { var: { this: String(value).toUpperCase() } });
}

const TIME_PARTS = ['HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND'];

/**
 * EXTRACT(part FROM x) (polyglot's `extract` node, x walked); a time part of a DATE is an error when DuckDB binds it
 * (DuckDB gave 0).
 */
export function fixExtract(body: Node, x: Node): Node {
  const field: unknown = body.field;
  const [kind, name] = typeof field === 'string' ? ['', field] : (Object.entries(field as object)[0] as [string, string]);
  const f = (kind === 'WeekWithModifier' ? `WEEK(${name})` : name).toUpperCase();
  const value = extractValue(f, x) ?? { extract: { ...body, this: x } };
  return TIME_PARTS.includes(f) ? fn('__gg_extract_time_part', [structuredClone(x), value, strLit(f)]) : value;
}

/** EXTRACT(part FROM x) where DuckDB's part differs; undefined keeps polyglot's translation. */
function extractValue(f: string, x: Node): Node | undefined {
  switch (f) {
    case 'DAYOFWEEK':
      return fn('__gg_dayofweek', [x]);
    case 'WEEK':
      return fn('__gg_week', [x]);
    case 'ISOWEEK':
      return fn('weekofyear', [x]);
    case 'ISOYEAR':
      return fn('isoyear', [x]);
    case 'DATE':
      return fn('__gg_cast_date', [x]);
    case 'TIME':
      return fn('__gg_cast_time', [x]);
    case 'DATETIME':
      return fn('__gg_cast_datetime', [x]);
    // DuckDB's millisecond/microsecond count the seconds too.
    case 'MILLISECOND':
      return binary('mod', fn('millisecond', [x]), numLit('1000'));
    case 'MICROSECOND':
      return binary('mod', fn('microsecond', [x]), numLit('1000000'));
    default: {
      const day = /^WEEK\((\w+)\)$/.exec(f)?.[1];
      if (day && weekdays.includes(day)) return fn('__gg_week_from', [x, numLit(String(weekdays.indexOf(day)))]);
      if (/^WEEK\(/.test(f)) throw invalidQuery(`EXTRACT(${f}) is not supported by the local emulator`);
      return undefined;
    }
  }
}

/** The `timestamp` node: TIMESTAMP(x[, zone]). */
export function fixTimestampFunction(x: Node, zone: Node | undefined): Node {
  return zone ? fn('__gg_ts_in_zone', [x, zone]) : fn('__gg_ts', [x]);
}
