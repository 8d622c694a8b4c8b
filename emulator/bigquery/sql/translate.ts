/**
 * BigQuery statement (not DDL, not scripting) → DuckDB SQL: a token pass for parameters and
 * script variables, polyglot's parser, our AST fixes, then polyglot's BigQuery→DuckDB transpiler.
 */
import { parse, generate, transpile, Dialect } from './polyglot.ts';
import { PASS_THROUGH_PREFIX } from './ast-build.ts';
import { markUntypedSubtractions } from './fix-arithmetic.ts';
import { markCorrelatableScopes } from './correlated-scopes.ts';
import { fixAst, referenceKey } from './ast-fixes.ts';
import { refuseLiteralNullOperands, refuseNullLimitParameter } from './fix-null-operands.ts';
import { aliasFromSubqueriesBeforeSetOperations } from './fix-from-set-operations.ts';
import { flattenStructValueTable, nameDerivedAnonymousColumns, nameResultColumns } from './result-names.ts';
import { orderUsingColumnsFirst } from './fix-using-star.ts';
import { dropNanKeysBeforeUsingJoins } from './fix-using-nan.ts';
import { refuseUnsupportedConstructs } from './refuse-unsupported.ts';
import { rewriteRangeSyntax } from './range-syntax.ts';
import { rewriteAggregateHaving } from './aggregate-having.ts';
import { fixAnonymousStructs } from './fix-tuples.ts';
import { hoistLikeAliases, swapNotLikeQuantifier } from './fix-like.ts';
import { checkAnalyticFunctions } from './fix-windows.ts';
import { orderNaNLikeBigQuery } from './fix-ordering.ts';
import { beyondBigNumeric, decimalDigits } from '../decimal-digits.ts';
import { coerceDecimalLiterals, coerceFloatLiteralsBeside, coerceTemporalStringLiterals, typeStringLiteralComparisons } from './fix-literal-coercion.ts';
import { fixApproxQuantiles, keepPivotAggregatesPlain } from './fix-aggregates.ts';
import { fixApproxTop } from './fix-approx-top.ts';
import { exposeUnnestedFields, spreadUnnestedStructs } from './unnest-value-tables.ts';
import { inlineNamedWindows } from './fix-named-windows.ts';
import { checkSetOperationSyntax } from './syntax-rules.ts';
import { checkLiteralConditions } from './check-conditions.ts';
import { fixPercentiles } from './fix-percentiles.ts';
import { fixGroupingSets } from './fix-grouping-sets.ts';
import { namePivotColumns } from './fix-pivot.ts';
import { groupByAliasesFirst } from './fix-group-by-aliases.ts';
import { drawEachRandApart } from './fix-math.ts';
import { guardUpdateJoin } from './fix-dml.ts';
import { bindOperandsOnce } from './bind-operands-once.ts';
import { checkTemporalComparisons } from './fix-temporal-comparisons.ts';
import { tokenize, type Token } from './tokenizer.ts';
import { bytesLiteral, fixStringEscapes } from './literals.ts';
import { BigQueryError, bigNumericTooWide, notSupported } from '../errors.ts';

export interface TranslateContext {
  /** DuckDB literal SQL for a parameter/variable key (see keyFor*). */
  literal(key: string): string | undefined;
  /** Script variables in scope (lower case). */
  variables?: Set<string>;
  /** Maps a (possibly project-qualified) table path to DuckDB names; undefined leaves it as is. */
  resolveTable(parts: string[]): { schema?: string; table: string } | undefined;
  /** Sees polyglot's BigQuery AST before our rewrites (for the bytes a statement reads). */
  onAst?(ast: unknown): void;
}

export const positionalKey = (i: number) => `__pos_${i}`;
export const variableKey = (name: string) => `__var_${name.toLowerCase()}`;
/** Whether a variable's name between `before` and `after` reads the variable: not a qualified name, a call or an alias. */
export const readsAsVariable = (before: Token | undefined, after: Token | undefined): boolean =>
  !(before?.text === '.' || after?.text === '.' || after?.text === '(' || (before?.type === 'word' && before.value === 'as'));
/** A script variable's reference as written (`@__var_retCode`): its case names an unaliased result column. */
const variableReference = (written: string) => `@__var_${written}`;

export const systemKey = (name: string) => `__sys_${name.toLowerCase().replace(/\./g, '_')}`;

/**
 * Replaces `?`, `@@sys.var` and script variables with `@key` references the AST pass resolves, blanks comments,
 * and fixes what polyglot's parser cannot read: `INSERT t` without INTO, 4-argument INSTR, and
 * \u/\x/octal escapes in string literals (which it keeps verbatim).
 */
function markReferences(sql: string, variables?: Set<string>, isStruct?: (name: string) => boolean): string {
  const tokens = tokenize(sql);
  let positional = 0;
  const sig = (i: number, dir: number): Token | undefined => {
    for (let j = i + dir; j >= 0 && j < tokens.length; j += dir) {
      if (tokens[j].type !== 'ws' && tokens[j].type !== 'comment') return tokens[j];
    }
    return undefined;
  };
  const sigIndex = (i: number, dir: number): number => {
    for (let j = i + dir; j >= 0 && j < tokens.length; j += dir) if (tokens[j].type !== 'ws' && tokens[j].type !== 'comment') return j;
    return -1;
  };
  const firstWord = tokens.findIndex((t) => t.type !== 'ws' && t.type !== 'comment');
  return tokens
    .map((t, i) => {
      if (t.type === 'param' && t.value === '?') return '@' + positionalKey(positional++);
      if (t.type === 'param') return '@' + t.value;
      if (t.type === 'sysvar') return '@' + systemKey(t.value);
      // GoogleSQL's comments do not nest (lexical#comments); polyglot's parser nests /* */, so `/* /* */ x` hid the
      // rest of the statement. Blank, newlines kept, so that error positions stay where they were.
      if (t.type === 'comment') return t.text.replace(/[^\n]/g, ' ');
      if (t.type === 'string') {
        const prev = sig(i, -1);
        if (prev?.type === 'word' && (prev.value === 'bignumeric' || prev.value === 'bigdecimal')) return '';
        return bytesLiteral(t) ?? fixStringEscapes(t);
      }
      if (t.type !== 'word') return t.text;
      const p1 = sigIndex(i, -1);
      const p2 = p1 >= 0 ? sigIndex(p1, -1) : -1;
      const swapped = p2 >= 0 && tokens[p1].type === 'word' && tokens[p2].type === 'word' ? swapNotLikeQuantifier(t.value, tokens[p1].value, tokens[p2].value) : undefined;
      if (swapped) return swapped;
      if (i === firstWord && t.value === 'insert') {
        const next = sig(i, 1);
        return next && !(next.type === 'word' && next.value === 'into') ? `${t.text} INTO` : t.text;
      }
      if ((t.value === 'bignumeric' || t.value === 'bigdecimal') && sig(i, 1)?.type === 'string') return bigNumericLiteral(sig(i, 1)!);
      if (t.value === 'instr' && sig(i, 1)?.text === '(' && (sig(i, -1)?.text !== '.' || sig(sigIndex(i, -1), -1)?.value === 'safe')) return '__gg_instr';
      if (t.value === 'offset' && offsetIsName(sig(i, -1), sig(i, 1), variables)) return `\`${t.text}\``;
      if (ALIAS_WORDS.has(t.value) && isImplicitAlias(sig(i, -1), sig(i, 1))) return `\`${t.text}\``;
      // KEY is not reserved in GoogleSQL (a column or alias name) but is to polyglot's parser, outside PRIMARY/FOREIGN KEY.
      if (t.value === 'key' && sig(i, 1)?.text !== '(' && !['primary', 'foreign'].includes(sig(i, -1)?.value ?? '')) return `\`${t.text}\``;
      if (variables?.has(t.value)) {
        const before = sig(i, -1);
        const after = sig(i, 1);
        // `struct_var.field` reads a field of a STRUCT variable (e.g. a FOR loop row).
        if (after?.text === '.' && before?.text !== '.' && isStruct?.(t.value)) return variableReference(t.text);
        if (readsAsVariable(before, after)) return variableReference(t.text);
      }
      return t.text;
    })
    .join('');
}

/**
 * `offset` is a keyword in `WITH OFFSET`, `[OFFSET(i)]` and `LIMIT n OFFSET m`, and otherwise a column name (the
 * default name of `WITH OFFSET`'s column), which polyglot's parser cannot read unquoted.
 */
function offsetIsName(prev: Token | undefined, next: Token | undefined, variables?: Set<string>): boolean {
  if (next?.text === '(' || prev?.text === ')') return false;
  if (prev && ['number', 'param', 'sysvar'].includes(prev.type)) return false;
  return !(prev?.type === 'word' && (prev.value === 'with' || variables?.has(prev.value)));
}

/** Words GoogleSQL does not reserve that polyglot's parser cannot read as an alias without AS (`FROM UNNEST(x) input`). */
const ALIAS_WORDS = new Set(['input', 'output', 'type', 'language', 'view', 'function', 'temp', 'first', 'last', 'row', 'returns', 'filter']);
/** What may follow an alias without AS. */
const AFTER_ALIAS = new Set([
  ',',
  ')',
  ';',
  'from',
  'join',
  'left',
  'right',
  'inner',
  'cross',
  'full',
  'where',
  'group',
  'order',
  'limit',
  'on',
  'using',
  'with',
  'window',
  'qualify',
  'having',
  'union',
  'except',
  'intersect',
  'tablesample',
  'pivot',
  'unpivot',
]);
/** Keywords after which such a word is a keyword itself (`NULLS FIRST`, `CURRENT ROW`, `CREATE TEMP FUNCTION`, ...). */
const BEFORE_KEYWORD = new Set([
  'as',
  'insert',
  'nulls',
  'current',
  'by',
  'select',
  'from',
  'join',
  'and',
  'or',
  'not',
  'create',
  'replace',
  'temp',
  'temporary',
  'returns',
  'language',
  'distinct',
  'all',
  'when',
  'then',
  'else',
  'in',
  'is',
  'on',
  'where',
  'between',
  'unbounded',
  'preceding',
  'following',
]);

/** Whether a word between `prev` and `next` is an alias written without AS: after an expression or a FROM item, before a clause. */
function isImplicitAlias(prev: Token | undefined, next: Token | undefined): boolean {
  const afterItem = prev?.text === ')' || ['qident', 'string', 'number'].includes(prev?.type ?? '') || (prev?.type === 'word' && !BEFORE_KEYWORD.has(prev.value));
  return afterItem && (next === undefined || AFTER_ALIAS.has(next.type === 'word' ? next.value : next.text));
}

/**
 * `BIGNUMERIC '1.5'` → a CAST polyglot keeps (its parser reads the literal as plain DECIMAL).
 * BIGNUMERIC is DECIMAL(38,18) here, so literals needing more digits fail rather than round.
 */
function bigNumericLiteral(str: Token): string {
  const digits = decimalDigits(str.value);
  if (digits && beyondBigNumeric(digits)) throw bigNumericTooWide(`The BIGNUMERIC literal ${str.text}`);
  return digits ? `CAST('${digits.plain}' AS BIGNUMERIC)` : `CAST(${str.text} AS BIGNUMERIC)`;
}

/**
 * Translations of recent statements, before parameter values are put in: jobs repeat statements (scripts loop,
 * clients poll), and translating costs about half a millisecond. A hit replays the table resolutions and is used
 * only if they resolve the same way (the default dataset and temp tables can differ between jobs).
 */
interface Cached {
  ast: unknown;
  out: string;
  /** `__gg_p_*` placeholder → parameter/variable key; other placeholders → their SQL. */
  params: Map<string, string>;
  texts: Map<string, string>;
  resolutions: Array<[string[], string]>;
  /** Parameters the statement refuses as NULL (LIMIT/OFFSET): checked on every use, the value not being in the key. */
  nonNullParams: Set<string>;
}
const cache = new Map<string, Cached>();
const CACHE_SIZE = 1000;

const isStructLiteral = (ctx: Pick<TranslateContext, 'literal'>, name: string) => /^(CAST\()?\{/.test(ctx.literal(variableKey(name)) ?? '');

/** markReferences with the context's script variables (those holding a STRUCT read fields with `var.field`). */
export const markStatement = (sql: string, ctx: Pick<TranslateContext, 'literal' | 'variables'>): string => markReferences(sql, ctx.variables, (name) => isStructLiteral(ctx, name));

export function translateStatement(sql: string, ctx: TranslateContext): string {
  const vars = ctx.variables?.size
    ? [...ctx.variables]
        .sort()
        .map((v) => (isStructLiteral(ctx, v) ? `${v}*` : v))
        .join(',')
    : '';
  const key = `${sql}\u0000${vars}`;
  const hit = cache.get(key);
  if (hit && hit.resolutions.every(([parts, r]) => JSON.stringify(ctx.resolveTable(parts) ?? null) === r)) {
    cache.delete(key);
    cache.set(key, hit);
    ctx.onAst?.(hit.ast);
    for (const k of hit.nonNullParams) refuseNullLimitParameter(ctx.literal(k));
    const placeholders = new Map(hit.texts);
    for (const [name, k] of hit.params) {
      const literal = ctx.literal(k);
      if (literal === undefined) throw missingParameter(k);
      placeholders.set(name, literal);
    }
    return substitutePlaceholders(hit.out, placeholders);
  }
  const resolutions: Cached['resolutions'] = [];
  const resolveTable = (parts: string[]) => {
    const r = ctx.resolveTable(parts);
    resolutions.push([parts, JSON.stringify(r ?? null)]);
    return r;
  };
  sql = rewriteAggregateHaving(sql);
  refuseUnsupportedConstructs(sql);
  checkSetOperationSyntax(sql);
  sql = rewriteRangeSyntax(sql);
  const marked = aliasFromSubqueriesBeforeSetOperations(markStatement(sql, ctx));
  const parsed = parse(marked, Dialect.BigQuery);
  if (!parsed.success) throw new BigQueryError(400, 'invalidQuery', `Syntax error: ${parsed.error}`);
  ctx.onAst?.(parsed.ast);
  hoistLikeAliases(parsed.ast);
  inlineNamedWindows(parsed.ast);
  markCorrelatableScopes(parsed.ast);
  markUntypedSubtractions(parsed.ast);
  checkAnalyticFunctions(parsed.ast);
  refuseLiteralNullOperands(parsed.ast);
  checkLiteralConditions(parsed.ast);
  orderUsingColumnsFirst(parsed.ast);
  dropNanKeysBeforeUsingJoins(parsed.ast);
  // The statement's own SELECT AS STRUCT first: its fields become the result's columns (named as columns are), where
  // a nested one's unnamed fields are _field_N (fixAnonymousStructs).
  flattenStructValueTable((parsed.ast as unknown[])[0]);
  fixAnonymousStructs(parsed.ast);
  nameResultColumns((parsed.ast as unknown[])[0]);
  exposeUnnestedFields(parsed.ast);
  nameDerivedAnonymousColumns((parsed.ast as unknown[])[0]);
  groupByAliasesFirst(parsed.ast);
  fixGroupingSets(parsed.ast);
  orderNaNLikeBigQuery(parsed.ast);
  coerceDecimalLiterals(parsed.ast);
  coerceFloatLiteralsBeside(parsed.ast);
  coerceTemporalStringLiterals(parsed.ast);
  typeStringLiteralComparisons(parsed.ast);
  checkTemporalComparisons(parsed.ast);
  namePivotColumns(parsed.ast);
  drawEachRandApart(parsed.ast);
  guardUpdateJoin((parsed.ast as unknown[])[0]);
  keepPivotAggregatesPlain(parsed.ast);
  fixApproxQuantiles(parsed.ast);
  fixApproxTop(parsed.ast);
  fixPercentiles(parsed.ast);
  const placeholders = new Map<string, string>();
  const paramKeys = new Map<string, string>();
  const nonNullParams = new Set<string>();
  const fixed = fixAst(parsed.ast, {
    nonNullParams,
    literalFor: (key) => ctx.literal(referenceKey(key)),
    resolveTable,
    placeholders,
    paramKeys,
    translateSelect: (select) => {
      const sql = generate([select], Dialect.BigQuery);
      const duck = sql.success && sql.sql ? transpile(sql.sql.join(''), Dialect.BigQuery, Dialect.DuckDB) : undefined;
      if (!duck?.success || !duck.sql) throw new BigQueryError(400, 'invalidQuery', `Unsupported MERGE source: ${duck?.error ?? sql.error}`);
      return passThroughNames(duck.sql.join(''));
    },
  });
  spreadUnnestedStructs(fixed, placeholders);
  bindOperandsOnce(fixed);
  const regenerated = generate(fixed, Dialect.BigQuery);
  if (!regenerated.success || !regenerated.sql) {
    throw new BigQueryError(400, 'invalidQuery', `Unsupported statement: ${regenerated.error ?? 'cannot generate'}`);
  }
  const duck = transpile(regenerated.sql.join(';\n'), Dialect.BigQuery, Dialect.DuckDB);
  if (!duck.success || !duck.sql) throw new BigQueryError(400, 'invalidQuery', `Unsupported statement: ${duck.error}`);
  const out = passThroughNames(duck.sql.join(';\n'));
  const texts = new Map([...placeholders].filter(([name]) => !paramKeys.has(name)));
  cache.set(key, { ast: parsed.ast, out, params: paramKeys, texts, resolutions, nonNullParams });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return substitutePlaceholders(out, placeholders);
}

/**
 * DuckDB's own functions, called through PASS_THROUGH_PREFIX where polyglot would rename them. A construct polyglot
 * cannot write in DuckDB it leaves out, with a comment in its place (MATCH_RECOGNIZE): the input rows came back
 * unchanged; refused.
 */
function passThroughNames(sql: string): string {
  const dropped = /\/\* (.+?) not supported in this dialect \*\//.exec(sql);
  if (dropped) throw notSupported(dropped[1]);
  return sql.replace(new RegExp(`\\b${PASS_THROUGH_PREFIX}(\\w+)\\(`, 'gi'), (_m, name: string) => `${name.toLowerCase()}(`);
}

function substitutePlaceholders(sql: string, placeholders: Map<string, string>): string {
  if (!placeholders.size) return sql;
  let out = sql.replace(/"?\b(__gg_src_\d+)\b"?/gi, (m, name: string) => placeholders.get(name.toLowerCase()) ?? m);
  out = out.replace(/"?\b(__gg_x_\d+)\b"?/gi, (m, name: string) => placeholders.get(name.toLowerCase()) ?? m);
  return out.replace(/"?\b(__gg_p_\d+)\b"?/gi, (m, name: string) => placeholders.get(name.toLowerCase()) ?? m);
}

function missingParameter(key: string): BigQueryError {
  return new BigQueryError(400, 'invalidQuery', `Query parameter '${key.replace(/^__pos_(\d+)$/, (_m: string, n: string) => `#${Number(n) + 1}`)}' not found`);
}
