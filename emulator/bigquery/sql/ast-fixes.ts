/**
 * Rewrites of polyglot's BigQuery AST before it is transpiled to DuckDB: name resolution,
 * parameters, and the functions whose DuckDB translation is known to differ from BigQuery
 * (see docs/local-stack.md). Anything renamed to `__gg_*` is a DuckDB macro from macros.ts.
 */
import { BigQueryError } from '../errors.ts';

type Node = any;

export interface AstContext {
  /** Values for `@name` references (parameters, script variables), as DuckDB literal SQL. */
  literalFor(name: string): string | undefined;
  /** Collects `dataset.table` references; returns the replacement DuckDB schema and table. */
  resolveTable(parts: string[]): { schema?: string; table: string } | undefined;
  placeholders: Map<string, string>;
  /** Translates a (walked) SELECT AST on its own and returns DuckDB SQL: polyglot does not transform inside MERGE. */
  translateSelect(select: Node): string;
}

const ident = (name: string, quoted = true) => ({ name, quoted, trailing_comments: [] });
const fn = (name: string, args: Node[]) => ({
  function: { name, args, distinct: false, use_bracket_syntax: false, no_parens: false, quoted: false },
});
const strLit = (value: string) => ({ literal: { literal_type: 'string', value } });
const numLit = (value: string) => ({ literal: { literal_type: 'number', value } });
const binary = (op: string, left: Node, right: Node) => ({
  [op]: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});

const renames: Record<string, string> = {
  regexp_contains: 'regexp_matches',
  json_value: 'json_extract_string',
  json_extract_scalar: 'json_extract_string',
  json_query: 'json_extract',
  format: 'printf',
  div: '__gg_intdiv',
  date_add: '__gg_date_add',
  date_sub: '__gg_date_sub',
  farm_fingerprint: '__gg_farm_fingerprint',
};

const diffFunctions = new Set(['timestamp_diff', 'datetime_diff', 'time_diff']);

export function fixAst(root: Node, ctx: AstContext): Node {
  return walk(root, ctx);
}

function walk(node: Node, ctx: AstContext): Node {
  if (Array.isArray(node)) return node.map((n) => walk(n, ctx));
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const replaced = rewrite(keys[0], node[keys[0]], ctx);
    if (replaced !== undefined) return replaced;
  }
  // INSERT/UPDATE/DELETE targets hold a table body directly, not wrapped in { table: ... }.
  if ('catalog' in node && 'schema' in node && 'name' in node && 'hints' in node) return walkObject(fixTable(node, ctx), ctx);
  const out: Node = {};
  for (const k of keys) out[k] = walk(node[k], ctx);
  return out;
}

function unitOf(arg: Node): string | undefined {
  if (arg?.var?.this) return String(arg.var.this).toUpperCase();
  if (arg?.column && !arg.column.table) return String(arg.column.name.name).toUpperCase();
  return undefined;
}

function rewrite(kind: string, body: Node, ctx: AstContext): Node | undefined {
  switch (kind) {
    case 'table':
      return { table: walkObject(fixTable(body, ctx), ctx) };
    case 'column': {
      const name: string = body?.name?.name ?? '';
      if (!body.table && !body?.name?.quoted && name.startsWith('@')) {
        const key = name.slice(1);
        const literal = ctx.literalFor(key);
        if (literal === undefined) throw new BigQueryError(400, 'invalidQuery', `Query parameter '${key.replace(/^__pos_(\d+)$/, (_m: string, n: string) => `#${Number(n) + 1}`)}' not found`);
        const placeholder = `__gg_p_${ctx.placeholders.size}`;
        ctx.placeholders.set(placeholder, literal);
        return { column: { ...body, name: ident(placeholder, false) } };
      }
      return undefined;
    }
    case 'div':
      return fn('__gg_div', [walk(body.left, ctx), walk(body.right, ctx)]);
    case 'cast': {
      const to = body.to;
      const t = String(to?.name ?? to?.data_type ?? '').toLowerCase();
      if (t === 'int64' || t === 'bigint') return fn('__gg_to_int64', [walk(body.this, ctx)]);
      if (t === 'string' || t === 'varchar' || t === 'text') return fn('__gg_to_string', [walk(body.this, ctx)]);
      return undefined;
    }
    case 'extract': {
      const field = String(body.field).toLowerCase();
      if (field === 'dayofweek') return fn('__gg_dayofweek', [walk(body.this, ctx)]);
      if (field === 'week') return fn('__gg_week', [walk(body.this, ctx)]);
      return undefined;
    }
    case 'in': {
      if (!body.unnest) return undefined;
      const call = fn('__gg_in_unnest', [walk(body.this, ctx), walk(body.unnest, ctx)]);
      return body.not ? { not: { this: call } } : call;
    }
    case 'array_agg': {
      if (!body.limit) return undefined;
      const inner = walk({ array_agg: { ...body, limit: null } }, ctx);
      return fn('list_slice', [inner, numLit('1'), walk(body.limit, ctx)]);
    }
    case 'subscript': {
      const idx = body.index;
      const name = String(idx?.function?.name ?? '').toLowerCase();
      const arg = idx?.function?.args?.[0];
      if (!arg) return undefined;
      const base = walk(body.this, ctx);
      if (name === 'offset' || name === 'safe_offset') {
        return { subscript: { ...body, this: base, index: binary('add', walk(arg, ctx), numLit('1')) } };
      }
      if (name === 'ordinal' || name === 'safe_ordinal') {
        return { subscript: { ...body, this: base, index: walk(arg, ctx) } };
      }
      return undefined;
    }
    case 'function':
      return rewriteFunction(body, ctx);
    case 'merge': {
      const out: Node = {};
      for (const k of Object.keys(body)) out[k] = walk(body[k], ctx);
      const sub = out.using?.subquery;
      if (sub?.this) {
        const placeholder = `__gg_src_${ctx.placeholders.size}`;
        ctx.placeholders.set(placeholder, `(${ctx.translateSelect(sub.this)})`);
        out.using = {
          table: {
            name: ident(placeholder, false), schema: null, catalog: null, alias: sub.alias, alias_explicit_as: true,
            column_aliases: [], when: null, only: false, final_: false, hints: [], trailing_comments: [],
          },
        };
      }
      return { merge: out };
    }
    default:
      return undefined;
  }
}

function walkObject(body: Node, ctx: AstContext): Node {
  const out: Node = {};
  for (const k of Object.keys(body)) out[k] = k === 'name' || k === 'schema' || k === 'catalog' ? body[k] : walk(body[k], ctx);
  return out;
}

function rewriteFunction(body: Node, ctx: AstContext): Node | undefined {
  const name = String(body.name).toLowerCase();
  const args: Node[] = body.args ?? [];
  if (diffFunctions.has(name) && args.length === 3) {
    const unit = unitOf(args[2]);
    if (unit) return fn('__gg_ts_diff', [walk(args[0], ctx), walk(args[1], ctx), strLit(unit)]);
  }
  if (name === 'date_trunc' && args.length === 2 && unitOf(args[1])?.startsWith('WEEK')) {
    return fn('__gg_date_trunc_week', [walk(args[0], ctx)]);
  }
  if (name === 'regexp_extract' && args.length === 2) {
    const pattern = args[1]?.literal?.value;
    const group = typeof pattern === 'string' && /\((?!\?)/.test(pattern.replace(/\\\(/g, '')) ? '1' : '0';
    return fn('__gg_regexp_extract', [walk(args[0], ctx), walk(args[1], ctx), numLit(group)]);
  }
  if (name === 'regexp_replace' && args.length === 3) {
    return fn('regexp_replace', [...args.map((a) => walk(a, ctx)), strLit('g')]);
  }
  const renamed = renames[name];
  if (renamed) return fn(renamed, args.map((a) => walk(a, ctx)));
  return undefined;
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
