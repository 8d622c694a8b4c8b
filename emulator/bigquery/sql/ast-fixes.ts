/**
 * Rewrites of polyglot's BigQuery AST before it is transpiled to DuckDB: name resolution,
 * parameters, literal types, and the constructs whose DuckDB translation is known to differ from
 * BigQuery (see docs/local-stack.md). Anything renamed to `__gg_*` is a DuckDB macro (macros*.ts);
 * function-level rewrites live in fix-functions.ts, fix-datetime.ts and fix-dml.ts.
 */
import { BigQueryError } from '../errors.ts';
import { fn, ident, nullLit, numLit, strLit, substitute, type Node } from './ast-build.ts';
import { refuseEncryptionCall, scalarFunctions } from './fix-functions.ts';
import { datetimeFunctions, fixExtract, fixLastDay, fixTimestampFunction, timeDiffCall } from './fix-datetime.ts';
import { safeCall } from './fix-safe-calls.ts';
import { fixLike } from './fix-like.ts';
import { guardAnalyticArguments, guardFrame, transpiledFrameBounds } from './fix-windows.ts';
import { fixAggregate, rewrittenAggregate, windowedArrayConcatAgg } from './fix-aggregates.ts';
import { fixStringAgg } from './fix-string-agg.ts';
import { jsonFunctions, jsonNodes, jsonQuery, jsonValue } from './fix-json.ts';
import { checkMergeClauses, checkWhere, fixMerge, translateMergeExpressions } from './fix-dml.ts';
import { matchesByName } from './set-by-name.ts';
import { stringFunctions, stringNode, typedConcat } from './fix-strings.ts';
import { inLateralUnnest } from './unnest-value-tables.ts';
import { callInLateralUnnest } from './typed-call.ts';
import { fixCast } from './fix-casts.ts';
import { arrayPath, rangeVariables } from './fix-paths.ts';
import { structFieldSets } from './fix-struct-sets.ts';
import { expressionSql, sqlPlaceholder } from './expression-sql.ts';
import { intervalLiteral, intervalValue } from './fix-intervals.ts';
import { fixArithmetic } from './fix-arithmetic.ts';
import { fixLiteral } from './fix-literals.ts';
import { inListNaN, isNanSensitiveComparison, nanSafeComparison } from './fix-nan-comparisons.ts';
import { fixMathNode, mathFunctions } from './fix-math.ts';
import { fixJsonDot, fixSubscript, fixUnpivot, unnestWithOffset } from './fix-subscripts-unnest.ts';
import { structCase, structComparison, structInList, structNullif } from './fix-struct-comparisons.ts';
import { refuseNullLimit } from './fix-null-operands.ts';

export interface AstContext {
  /** Values for `@name` references (parameters, script variables), as DuckDB literal SQL. */
  literalFor(name: string): string | undefined;
  /** Collects `dataset.table` references; returns the replacement DuckDB schema and table. */
  resolveTable(parts: string[]): { schema?: string; table: string } | undefined;
  placeholders: Map<string, string>;
  /** Which parameter/variable key each `__gg_p_*` placeholder stands for (lets translations be cached). */
  paramKeys?: Map<string, string>;
  /** The statement's range variables (fix-paths.ts), set by fixAst. */
  rangeVariables?: Set<string>;
  /** Translates a (walked) SELECT AST on its own and returns DuckDB SQL: polyglot does not transform inside MERGE. */
  translateSelect(select: Node): string;
  /** Collects the parameters the statement refuses as NULL (refuseNullLimitParameter), for translations reused from the cache. */
  nonNullParams?: Set<string>;
  /** Set while walking a MERGE: its ON equalities stay plain (fixMerge reads the keys from them). */
  keepComparisons?: boolean;
}

export function fixAst(root: Node, ctx: AstContext): Node {
  return walk(root, { ...ctx, rangeVariables: rangeVariables(root) });
}

function walk(node: Node, ctx: AstContext): Node {
  if (Array.isArray(node)) return node.map((n) => walk(n, ctx));
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  // `AGG(x HAVING MAX y)`: DuckDB has no such modifier and the translation would drop it (an aggregate over every row).
  if (keys.length === 1 && node[keys[0]]?.having_max) throw new BigQueryError(400, 'invalidQuery', 'The HAVING MAX/MIN modifier of an aggregate is not supported by the local emulator');
  if (keys.length === 1) {
    const replaced = rewrite(keys[0], node[keys[0]], ctx);
    if (replaced !== undefined) return inLateralUnnest(node[keys[0]]) ? callInLateralUnnest(replaced) : replaced;
  }
  // INSERT/UPDATE/DELETE targets hold a table body directly, not wrapped in { table: ... }.
  if ('catalog' in node && 'schema' in node && 'name' in node && 'hints' in node) return walkObject(fixTable(node, ctx), ctx);
  // A window specification (inline or in a WINDOW clause): its frame offsets are checked at run time.
  if ('order_by' in node && 'frame' in node && node.frame) node = guardFrame(node);
  const out: Node = {};
  for (const k of keys) out[k] = walk(node[k], ctx);
  if ('order_by' in node && 'frame' in node && out.frame) out.frame = transpiledFrameBounds(out.frame, (e) => sqlPlaceholder(expressionSql(e, ctx.translateSelect), ctx.placeholders));
  // A window specification: BigQuery refuses FLOAT64 partitioning expressions, DuckDB would accept them.
  if (Array.isArray(out.partition_by) && 'order_by' in node && 'frame' in node) {
    out.partition_by = out.partition_by.map((e: Node) => fn('__gg_window_partition_key', [e]));
  }
  // BigQuery allows `LEFT JOIN UNNEST(...)` without ON; DuckDB needs `ON TRUE`.
  const joinsUnnest = node.this?.unnest || node.this?.alias?.this?.unnest;
  if ('nesting_group' in node && joinsUnnest && ['Left', 'Right', 'Full', 'Inner'].includes(out.kind) && !out.on && !out.using?.length) {
    out.on = { boolean: { value: true } };
  }
  return out;
}

function walkObject(body: Node, ctx: AstContext): Node {
  const out: Node = {};
  for (const k of Object.keys(body)) out[k] = k === 'name' || k === 'schema' || k === 'catalog' ? body[k] : walk(body[k], ctx);
  return out;
}

/** The key of a reference: a variable's in lower case (variables are case-insensitive), a parameter's as written. */
export const referenceKey = (key: string): string => (key.startsWith('__var_') ? key.toLowerCase() : key);

/** A parameter or script variable as a placeholder column, replaced by its literal after transpiling. */
function placeholderFor(key: string, ctx: AstContext): Node {
  const literal = ctx.literalFor(key);
  if (literal === undefined && key.startsWith('__sys_'))
    throw new BigQueryError(400, 'invalidQuery', `The system variable @@${key.slice(6).replace(/^(script|error)_/, '$1.')} is not supported by the local emulator`);
  if (literal === undefined) {
    throw new BigQueryError(400, 'invalidQuery', `Query parameter '${key.replace(/^__pos_(\d+)$/, (_m: string, n: string) => `#${Number(n) + 1}`)}' not found`);
  }
  const placeholder = `__gg_p_${ctx.placeholders.size}`;
  ctx.placeholders.set(placeholder, literal);
  ctx.paramKeys?.set(placeholder, referenceKey(key));
  return { column: { name: ident(placeholder, false), table: null, join_mark: false, trailing_comments: [] } };
}

function rewrite(kind: string, body: Node, ctx: AstContext): Node | undefined {
  switch (kind) {
    case 'union':
    case 'intersect':
    case 'except':
      // BigQuery has INTERSECT DISTINCT and EXCEPT DISTINCT only (DuckDB would run the ALL forms):
      // https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#set_operators
      if (kind !== 'union' && body?.all) throw new BigQueryError(400, 'invalidQuery', `${kind.toUpperCase()} ALL is not supported in BigQuery; use ${kind.toUpperCase()} DISTINCT`);
      // Matching by name is resolved before translation (set-by-name.ts); DuckDB's own BY NAME differs from BigQuery's.
      if (matchesByName(body)) throw new BigQueryError(400, 'invalidQuery', 'This set operation with BY NAME / CORRESPONDING is not supported by the local emulator here');
      return undefined;
    case 'table':
      return arrayPath(body, ctx.rangeVariables, (n) => walk(n, ctx)) ?? { table: walkObject(fixTable(body, ctx), ctx) };
    case 'column': {
      const name: string = body?.name?.name ?? '';
      if (!body.table && !body?.name?.quoted && name.startsWith('@')) return placeholderFor(name.slice(1), ctx);
      // `@struct_param.field` / `struct_variable.field`
      const table: string = body.table?.name ?? '';
      if (table.startsWith('@') && !body.table.quoted) {
        return { dot: { this: { paren: { this: placeholderFor(table.slice(1), ctx) } }, field: body.name } };
      }
      return undefined;
    }
    case 'literal':
      return fixLiteral(body);
    case 'concat':
      return typedConcat({ concat: { ...body, left: walk(body.left, ctx), right: walk(body.right, ctx) } });
    case 'select':
      refuseNullLimit(body, ctx);
      return undefined;
    case 'div':
    case 'mul':
    case 'add':
    case 'sub':
    case 'mod_func':
    case 'bitwise_left_shift':
    case 'bitwise_right_shift':
    case 'safe_divide': {
      const fixed = fixArithmetic(kind, body, (n) => walk(n, ctx));
      return fixed || (kind !== 'add' && kind !== 'sub') ? fixed : stringNode(kind, body, (n) => walk(n, ctx));
    }
    case 'power':
    case 'sqrt':
    case 'ln':
    case 'exp':
    case 'log':
    case 'sin':
    case 'cos':
    case 'tan':
    case 'asin':
    case 'acos':
    case 'round':
    case 'ceil':
    case 'floor':
      return fixMathNode(kind, body, (n) => walk(n, ctx));
    case 'cast':
    case 'safe_cast':
      return fixCast(
        kind === 'safe_cast',
        body,
        (n) => walk(n, ctx),
        () => nestedCast(kind, body, ctx),
      );
    case 'extract':
      return fixExtract(body, walk(body.this, ctx));
    case 'at_time_zone':
      return fn('__gg_at_time_zone', [walk(body.this, ctx), walk(body.zone, ctx)]);
    case 'timestamp':
      return fixTimestampFunction(walk(body.this, ctx), body.zone ? walk(body.zone, ctx) : undefined);
    case 'last_day':
      return fixLastDay(walk(body.this, ctx), body.unit ?? undefined);
    case 'json_value':
      return jsonValue(walk(body.this, ctx), body.path ? walk(body.path, ctx) : strLit('$'));
    case 'json_query':
      return jsonQuery(walk(body.this, ctx), body.path ? walk(body.path, ctx) : strLit('$'));
    case 'json_extract':
    case 'json_extract_scalar':
    case 'json_type':
    case 'to_json':
    case 'json_keys':
    case 'json_object':
    case 'j_s_o_n_array':
    case 'parse_json':
      return jsonNodes[kind](body, (n) => walk(n, ctx));
    case 'count_if': {
      // DuckDB's COUNT_IF is NULL over empty or all-NULL input; BigQuery's COUNTIF is 0. COUNT ignores NULLs and is 0.
      // COUNTIF(DISTINCT c) counts the distinct TRUE values: 0 or 1.
      const call = fn('count', [fn('if', [walk(body.this, ctx), numLit('1'), nullLit()])]);
      call.function.distinct = Boolean(body.distinct);
      return call;
    }
    case 'in': {
      const expanded = structInList(body);
      if (expanded) return walk(expanded, ctx);
      if (!body.unnest) return inListNaN(body, (n) => walk(n, ctx));
      const call = fn('__gg_in_unnest', [walk(body.this, ctx), walk(body.unnest, ctx)]);
      return body.not ? { not: { this: call } } : call;
    }
    case 'array_agg': {
      if (!body.limit) return undefined;
      const inner = walk({ array_agg: { ...body, limit: null } }, ctx);
      return fn('__gg_array_agg_limit', [inner, walk(body.limit, ctx)]);
    }
    case 'string_agg':
      return fixStringAgg(body, undefined, (n) => walk(n, ctx));
    case 'subscript':
      return fixSubscript(body, (n) => walk(n, ctx));
    case 'dot':
      return fixJsonDot(body, (n) => walk(n, ctx));
    case 'interval':
      return intervalLiteral(body) ?? { interval: { ...body, this: intervalValue(walk(body.this, ctx)) } };
    case 'window_function': {
      const guarded = guardAnalyticArguments(body);
      if (rewrittenAggregate(guarded.this)) return fixAggregate(guarded.this, walk(guarded.over, ctx), (n) => walk(n, ctx));
      if (guarded.this?.string_agg) return fixStringAgg(guarded.this.string_agg, walk(guarded.over, ctx), (n) => walk(n, ctx));
      if (guarded.this?.array_concat_agg) return windowedArrayConcatAgg(guarded.this.array_concat_agg, walk(guarded.over, ctx), (n) => walk(n, ctx));
      // DuckDB's COUNT(*) over a RANGE frame that starts after it ends goes negative where keys lie between the offsets
      // (BigQuery: 0, the frame is empty); COUNT(x) is right.
      if (guarded.this?.count?.star) return fn('__gg_frame_count', [{ window_function: walkFields(guarded, ctx) }]);
      return { window_function: walkFields(guarded, ctx) };
    }
    case 'avg':
    case 'sum':
    case 'min':
    case 'var_pop':
    case 'var_samp':
    case 'variance':
    case 'stddev':
    case 'stddev_pop':
    case 'stddev_samp':
    case 'bitwise_xor_agg':
    case 'aggregate_function': {
      const node = { [kind]: body };
      return rewrittenAggregate(node) ? fixAggregate(node, undefined, (n) => walk(n, ctx)) : undefined;
    }
    case 'array_func':
      return typedStructTuples(body, ctx);
    case 'typeof':
      return fn('__gg_typeof', [walk(body.this, ctx)]);
    case 'like':
      return fixLike(walk(body.left, ctx), walk(body.right, ctx), body.quantifier);
    case 'approx_count_distinct': {
      // BigQuery's HLL++ is exact for small inputs (DuckDB's HyperLogLog is not): an exact count is always within its bounds.
      const exact = fn('count', [walk(body.this, ctx)]);
      exact.function.distinct = true;
      return exact;
    }
    case 'next_day':
      return fn('__gg_next_day', [walk(body.this, ctx), walk(body.expression, ctx)]);
    case 'initcap':
      return fn('__gg_initcap', [walk(body.this, ctx)]);

    case 'unpivot':
      return fixUnpivot(body, (n) => walk(n, ctx));
    case 'pivot': // `FOR x IN (...)` lists the pivot columns: its `in` is no test (inListNaN), only its parts are walked.
      return { pivot: { ...walkObject({ ...body, fields: [] }, ctx), fields: (body.fields ?? []).map((f: Node) => (f?.in ? { in: walkObject(f.in, ctx) } : walk(f, ctx))) } };
    case 'unnest':
      return body.offset_alias || body.with_ordinality ? unnestWithOffset(body, (n) => walk(n, ctx)) : undefined;
    case 'update': {
      checkWhere(kind, body);
      // `SET x = DEFAULT` is the column's default, and no column has one here (ddl.ts refuses them): NULL.
      if (Array.isArray(body.set)) body.set = body.set.map(([target, value]: Node[]) => [target, isDefaultKeyword(value) ? { null: null } : value]);
      // SET s.field = ... (fix-struct-sets.ts); `target.col` names the column.
      const qualifiers = new Set([body.table?.name?.name, body.table?.alias?.name].filter((n) => typeof n === 'string').map((n) => n.toLowerCase()));
      const walked = walkFields(body, ctx);
      return {
        update:
          structFieldSets(
            walked,
            qualifiers,
            (e) => expressionSql(e, ctx.translateSelect),
            (sql) => sqlPlaceholder(sql, ctx.placeholders),
          ) ?? walked,
      };
    }
    case 'delete':
      checkWhere(kind, body);
      return undefined;
    case 'merge': {
      const keep = ctx.keepComparisons;
      ctx.keepComparisons = true;
      let out: Node;
      try {
        out = walkFields(body, ctx);
      } finally {
        ctx.keepComparisons = keep;
      }
      const sub = out.using?.subquery;
      if (sub?.this) {
        const placeholder = `__gg_src_${ctx.placeholders.size}`;
        ctx.placeholders.set(placeholder, `(${ctx.translateSelect(sub.this)})`);
        out.using = {
          table: {
            name: ident(placeholder, false),
            schema: null,
            catalog: null,
            alias: sub.alias,
            alias_explicit_as: true,
            column_aliases: [],
            when: null,
            only: false,
            final_: false,
            hints: [],
            trailing_comments: [],
          },
        };
      }
      checkMergeClauses(out);
      return { merge: fixMerge(translateMergeExpressions(out, ctx)) };
    }
    case 'function':
      return rewriteFunction(body, ctx);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
    case 'eq':
    case 'neq':
    case 'between':
    case 'null_safe_eq':
    case 'null_safe_neq': {
      const expanded = ctx.keepComparisons ? undefined : structComparison(kind, body);
      if (expanded) return walk(expanded, ctx);
      return ctx.keepComparisons || !isNanSensitiveComparison(kind) ? undefined : nanSafeComparison(kind, body, (n) => walk(n, ctx));
    }
    case 'case': {
      const searched = structCase(body);
      return searched ? walk(searched, ctx) : undefined;
    }
    case 'method_call':
      return refuseEncryptionCall(body);
    default:
      return stringNode(kind, body, (n) => walk(n, ctx));
  }
}

/** Walks each field of a multi-field body (what `walk` does for a node that is not rewritten). */
function walkFields(body: Node, ctx: AstContext): Node {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, walk(v, ctx)]));
}

/**
 * `[STRUCT<id INT64, ts TIMESTAMP>(1, ...), (2, ...)]`: BigQuery gives the later `(...)` elements the first element's
 * STRUCT type. Written as `ARRAY<STRUCT<...>>[(1, ...), (2, ...)]`, which DuckDB reads as one typed list (and UNNEST
 * expands into the STRUCT's columns, as BigQuery's does).
 */
function typedStructTuples(body: Node, ctx: AstContext): Node | undefined {
  const elements: Node[] = body.expressions ?? [];
  const typed = elements[0]?.cast?.to?.data_type === 'struct' && elements[0].cast.this?.struct ? elements[0].cast : undefined;
  if (!typed || elements.length < 2) return undefined;
  const sameType = JSON.stringify(typed.to);
  const rows: Node[] = [];
  for (const e of elements) {
    const values: Node[] | undefined = e?.tuple
      ? e.tuple.expressions
      : e?.cast?.this?.struct && JSON.stringify(e.cast.to) === sameType && e.cast.this.struct.fields.every((f: Node) => f[0] === null)
        ? e.cast.this.struct.fields.map((f: Node) => f[1])
        : undefined;
    if (!values || values.length !== typed.to.fields.length) return undefined;
    rows.push(values.length === 1 ? { paren: { this: values[0] } } : { tuple: { expressions: values } });
  }
  const to = { data_type: 'array', element_type: typed.to };
  return walk({ cast: { ...typed, this: { array: { expressions: rows } }, to } }, ctx);
}

/**
 * A TIMESTAMP inside a STRUCT or ARRAY type is TIMESTAMPTZ here, as at the top level (DuckDB's TIMESTAMP is DATETIME), and NUMERIC/BIGNUMERIC DECIMAL(38,9)/(38,18);
 * polyglot would write any zoned timestamp type as TIMESTAMP, so the name goes in as a placeholder.
 */
function zonedTimestamps(type: Node, ctx: AstContext): Node {
  return substitute(type, (n) => {
    // NUMERIC/BIGNUMERIC inside are DECIMAL(38,9)/(38,18) as at the top level (polyglot's bare DECIMAL is DuckDB's (18,3)).
    const name = n?.data_type === 'decimal' && n.precision == null ? 'NUMERIC' : n?.data_type === 'custom' ? String(n.name).toUpperCase() : '';
    const duck = n?.data_type === 'timestamp' ? 'TIMESTAMPTZ' : { NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,18)', BIGDECIMAL: 'DECIMAL(38,18)' }[name];
    if (!duck) return undefined;
    const placeholder = `__gg_x_${ctx.placeholders.size}`;
    ctx.placeholders.set(placeholder, duck);
    return { data_type: 'custom', name: placeholder };
  });
}

/**
 * CAST to a STRUCT or ARRAY type (also what `STRUCT<a INT64, b ...>(x, y)` parses to): TIMESTAMP fields stay TIMESTAMP,
 * and the unnamed fields of a typed STRUCT constructor get the type's field names (DuckDB casts STRUCTs by name).
 */
function nestedCast(k: string, body: Node, ctx: AstContext): Node {
  const to = zonedTimestamps(body.to, ctx);
  let value = body.this;
  const names: Node[] = to.fields ?? [];
  const fields: Node[] | undefined = value?.struct?.fields;
  if (to.data_type === 'struct' && fields?.length === names.length && fields.every((f) => f[0] === null)) {
    value = { struct: { ...value.struct, fields: fields.map((f, i) => [names[i].name, f[1]?.alias ? f[1].alias.this : f[1]]) } };
  }
  const element = to.data_type === 'array' && to.element_type?.data_type === 'struct' ? to.element_type : undefined;
  if (element?.fields?.length === 1 && Array.isArray(value?.array?.expressions)) {
    // `ARRAY<STRUCT<x T>>[(v)]`: a one-field row is written `(v)`, which DuckDB would read as the bare value.
    const field = element.fields[0].name;
    value = { array: { ...value.array, expressions: value.array.expressions.map((e: Node) => (e?.paren ? { struct: { fields: [[field, e.paren.this]] } } : e)) } };
  }
  return { [k]: { ...body, this: walk(value, ctx), to } };
}

function rewriteFunction(body: Node, ctx: AstContext): Node | undefined {
  const name = String(body.name).toLowerCase();
  if (name.startsWith('safe.')) return safeCall(body, (n) => walk(n, ctx));
  if (name === 'nullif') {
    const compared = structNullif(body.args ?? []);
    if (compared) return walk(compared, ctx);
  }
  const args: Node[] = (body.args ?? []).map((a: Node) => walk(a, ctx));
  const diff = timeDiffCall(name, args);
  if (diff) return diff;
  // The first handler that rewrites the call wins (fix-strings' checks run before the generic string handlers).
  for (const handlers of [datetimeFunctions, stringFunctions, scalarFunctions, mathFunctions, jsonFunctions]) {
    const replaced = handlers[name]?.(args);
    if (replaced === undefined) continue;
    return replaced;
  }
  return { function: { ...body, args } };
}

function fixTable(body: Node, ctx: AstContext): Node {
  const parts: string[] = [];
  for (const k of ['catalog', 'schema', 'name']) {
    const id = body[k];
    if (!id) continue;
    const text: string = id.name ?? '';
    parts.push(...(id.quoted ? text.split('.') : [text]));
  }
  const resolved = ctx.resolveTable(parts);
  if (!resolved) return body;
  return {
    ...body,
    catalog: null,
    schema: resolved.schema ? ident(resolved.schema) : null,
    name: ident(resolved.table),
  };
}

const isDefaultKeyword = (n: Node): boolean => n?.column && !n.column.table && n.column.name?.quoted === false && String(n.column.name.name).toUpperCase() === 'DEFAULT';
