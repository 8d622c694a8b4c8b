/**
 * BigQuery refuses a DML statement whose value cannot be assigned to its column ("Value has type FLOAT64 which cannot
 * be inserted into column n, which has type NUMERIC"), before it runs, even when no row would be written. DuckDB casts
 * on assignment instead (a STRING '5' into an INT64 column, 1.7 into INT64 as 2, a FLOAT64 into NUMERIC through its
 * inexact DOUBLE cast), so without this check the emulator accepted what BigQuery rejects.
 *
 * The rules are ZetaSQL's, which BigQuery runs (zetasql/analyzer/resolver_dml.cc, zetasql/public/cast.cc and
 * coercer.cc; https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_rules#coercion):
 * - a value's type must be the column's, or coerce to it implicitly (INT64 → NUMERIC, BIGNUMERIC, FLOAT64;
 *   NUMERIC → BIGNUMERIC, FLOAT64; BIGNUMERIC → FLOAT64; DATE → DATETIME; a STRUCT field by field);
 * - an ARRAY only as the same array type (field names aside), unless written as a literal or passed as a parameter;
 * - in VALUES, UPDATE SET and MERGE's INSERT (...) VALUES, a literal also coerces: a FLOAT64 literal to NUMERIC and
 *   BIGNUMERIC, a STRING literal (or parameter) to DATE, DATETIME, TIME and TIMESTAMP; NULL and `[]` to any type;
 * - in INSERT ... SELECT and MERGE's INSERT ROW only NULL and `[]` are exempt: the query's column types decide.
 *
 * Types come from the engine: the target's columns and the values are probed (prepared, not run), so every type the
 * translation gives is seen, not only those written in the statement.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { parse, Dialect } from './polyglot.ts';
import { generated } from './set-by-name.ts';
import { bigQueryScalarTypeName, standardTypeName } from '../types.ts';
import { invalidQuery } from '../errors.ts';
import { isFloatLiteral, isNullLiteral, type Node } from './ast-build.ts';
import { anonymousFieldName } from './fix-tuples.ts';

interface ProbedColumn {
  name: string;
  type: DuckDBType;
}
/** A GoogleSQL query's columns (prepared, not run); undefined when the engine cannot prepare it on its own. */
export type ColumnProbe = (googleSql: string) => Promise<ProbedColumn[] | undefined>;

/** How a value is written decides how far it coerces (ZetaSQL's EXPLICIT_OR_LITERAL[_OR_PARAMETER] casts). */
type Written = 'expression' | 'float literal' | 'string literal' | 'parameter' | 'composite literal';

const IMPLICIT: Record<string, string[]> = {
  INT64: ['NUMERIC', 'BIGNUMERIC', 'FLOAT64'],
  NUMERIC: ['BIGNUMERIC', 'FLOAT64'],
  BIGNUMERIC: ['FLOAT64'],
  DATE: ['DATETIME'],
};
const DECIMALS = ['NUMERIC', 'BIGNUMERIC'];
/** The types a STRING literal (or parameter) coerces to (cast.cc: EXPLICIT_OR_LITERAL_OR_PARAMETER). */
const DATE_TIMES = ['DATE', 'DATETIME', 'TIME', 'TIMESTAMP'];

/** The type a string literal takes beside a value of this type (a set operation's column: set-literal-types.ts), if any. */
export function stringLiteralTarget(type: DuckDBType): string | undefined {
  const name = scalarName(type);
  return DATE_TIMES.includes(name) ? name : undefined;
}

const isList = (t: DuckDBType) => t.typeId === DuckDBTypeId.LIST || t.typeId === DuckDBTypeId.ARRAY;
const isStruct = (t: DuckDBType) => t.typeId === DuckDBTypeId.STRUCT;
const elementOf = (t: DuckDBType): DuckDBType => (t as any).valueType;
const fieldsOf = (t: DuckDBType): DuckDBType[] => (t as any).entryTypes;
const scalarName = (t: DuckDBType) => standardTypeName({ name: '', type: bigQueryScalarTypeName(t) });
/** The type as BigQuery's messages write it: INT64, STRUCT<a INT64, STRING>, ARRAY<STRING>. */
function typeText(t: DuckDBType): string {
  if (isList(t)) return `ARRAY<${typeText(elementOf(t))}>`;
  if (!isStruct(t)) return scalarName(t);
  // An anonymous field is named by its position (fix-tuples.ts); BigQuery's messages write none.
  const names: string[] = (t as any).entryNames;
  return `STRUCT<${fieldsOf(t)
    .map((f, k) => (names[k] === anonymousFieldName(k) || names[k] === '' ? typeText(f) : `${names[k]} ${typeText(f)}`))
    .join(', ')}>`;
}

/** NULL and `[]` have no type of their own and take the column's. */
const untyped = (t: DuckDBType): boolean => t.typeId === DuckDBTypeId.SQLNULL || (isList(t) && elementOf(t).typeId === DuckDBTypeId.SQLNULL);

/**
 * Where the engine's types cannot tell BigQuery's apart, the check gives way (it only refuses what BigQuery refuses):
 * - `floatMayBeDecimal`: a FLOAT64 value with a float literal in it may be BigQuery's NUMERIC (see floatMayBeDecimal);
 * - NUMERIC and BIGNUMERIC: a BIGNUMERIC(P, S) column with S ≤ 9 is stored like a NUMERIC (types.ts), so a DECIMAL
 *   is never refused for a DECIMAL column.
 */
interface Leeway {
  floatMayBeDecimal: boolean;
}
const STRICT: Leeway = { floatMayBeDecimal: false };

function sameScalar(a: string, b: string, leeway: Leeway): boolean {
  if (a === b || (DECIMALS.includes(a) && DECIMALS.includes(b))) return true;
  return leeway.floatMayBeDecimal && a === 'FLOAT64' && DECIMALS.includes(b);
}

/** The same type, STRUCT field names aside (ZetaSQL's Type::Equivalent). */
function equivalent(a: DuckDBType, b: DuckDBType, leeway: Leeway): boolean {
  if (isList(a) || isList(b)) return isList(a) && isList(b) && equivalent(elementOf(a), elementOf(b), leeway);
  if (isStruct(a) || isStruct(b)) {
    return isStruct(a) && isStruct(b) && fieldsOf(a).length === fieldsOf(b).length && fieldsOf(a).every((f, i) => equivalent(f, fieldsOf(b)[i], leeway));
  }
  return sameScalar(scalarName(a), scalarName(b), leeway);
}

function assignable(from: DuckDBType, to: DuckDBType, written: Written, leeway = STRICT): boolean {
  if (untyped(from)) return true;
  if (isList(from) || isList(to)) {
    if (!isList(from) || !isList(to)) return false;
    if (written === 'composite literal' || written === 'parameter') return assignable(elementOf(from), elementOf(to), written, leeway);
    return equivalent(elementOf(from), elementOf(to), leeway);
  }
  if (isStruct(from) || isStruct(to)) {
    if (!isStruct(from) || !isStruct(to) || fieldsOf(from).length !== fieldsOf(to).length) return false;
    const fieldWritten = written === 'composite literal' ? written : 'expression';
    return fieldsOf(from).every((f, i) => assignable(f, fieldsOf(to)[i], fieldWritten, leeway));
  }
  return scalarAssignable(scalarName(from), scalarName(to), written, leeway);
}

function scalarAssignable(a: string, b: string, written: Written, leeway = STRICT): boolean {
  if (sameScalar(a, b, leeway) || IMPLICIT[a]?.includes(b)) return true;
  const literal = written === 'composite literal';
  if (a === 'FLOAT64' && DECIMALS.includes(b)) return literal || written === 'float literal';
  if (a === 'STRING' && DATE_TIMES.includes(b)) return literal || written === 'string literal' || written === 'parameter';
  return false;
}

/** Parentheses around a value do not change what it is (`VALUES ((1.5))` holds a literal). */
const bare = (n: Node): Node => (n?.paren ? bare(n.paren.this) : n);
/** The literal node of a value written as a literal, possibly negated (`-1.5`), else the value itself. */
const literalNode = (n: Node): Node => (bare(n)?.neg ? bare(bare(n).neg.this) : bare(n));
const isParameter = (node: Node) => {
  const n = bare(node);
  return typeof n?.column?.name?.name === 'string' && n.column.name.name.startsWith('@') && !n.column.table;
};
const isNull = (node: Node) => isNullLiteral(bare(node));
const isEmptyArray = (node: Node) => {
  const n = bare(node);
  return Boolean(n?.array_func?.bracket_notation) && !n.array_func.expressions?.length;
};
const isDefault = (n: Node) => typeof n?.var?.this === 'string' && n.var.this.toUpperCase() === 'DEFAULT';

/** An array, STRUCT or tuple constructor of literals only: each element coerces as a literal. */
function isCompositeLiteral(n: Node): boolean {
  const parts = constructorParts(bare(n));
  return Boolean(parts?.every((p) => isLiteral(p?.alias ? p.alias.this : p)));
}

/** The elements of an array, STRUCT or tuple constructor (undefined for any other value). */
function constructorParts(n: Node): Node[] | undefined {
  return n?.array_func?.bracket_notation ? n.array_func.expressions : n?.tuple ? n.tuple.expressions : n?.function && String(n.function.name).toUpperCase() === 'STRUCT' ? n.function.args : undefined;
}

/** The fields of a STRUCT or tuple constructor, each as written (its alias aside). */
function structFields(node: Node): Node[] | undefined {
  const n = bare(node);
  if (n?.array_func) return undefined;
  return constructorParts(n)?.map((p) => (p?.alias ? p.alias.this : p));
}

/**
 * Whether a float literal takes part in the value beside something it reads (a column, a parameter, a subquery).
 * DuckDB types `numeric_col * 1.5` or `IF(c, numeric_col, 0.5)` FLOAT64 where BigQuery coerces the literal and gives
 * NUMERIC (the emulator's translation does not see column types), so the FLOAT64 such a value is given here may be
 * BigQuery's NUMERIC: it is not refused on that ground. Literals alone (`0.1 + 0.2`) are FLOAT64 to BigQuery too.
 */
const floatMayBeDecimal = (n: Node): boolean => contains(n, isFloatLiteral) && contains(n, (x) => Boolean(x.column || x.select));

function contains(n: Node, found: (n: Node) => boolean): boolean {
  if (!n || typeof n !== 'object') return false;
  if (!Array.isArray(n) && found(n)) return true;
  return Object.values(n).some((v) => v && typeof v === 'object' && contains(v, found));
}

const isLiteral = (n: Node): boolean => isNull(n) || literalNode(n)?.literal !== undefined || bare(n)?.boolean !== undefined || isCompositeLiteral(n);

/** The type of a plain literal, known without asking the engine (a large VALUES list is mostly these). */
function literalType(n: Node): string | undefined {
  const num = literalNode(n)?.literal;
  if (num?.literal_type === 'hex_number') return 'INT64';
  if (num?.literal_type === 'number') return isFloatLiteral(literalNode(n)) ? 'FLOAT64' : 'INT64';
  if (bare(n)?.literal?.literal_type === 'string') return 'STRING';
  return typeof bare(n)?.boolean?.value === 'boolean' ? 'BOOL' : undefined;
}

function writtenAs(n: Node): Written {
  if (isFloatLiteral(literalNode(n))) return 'float literal';
  if (bare(n)?.literal?.literal_type === 'string') return 'string literal';
  if (isParameter(n)) return 'parameter';
  return isCompositeLiteral(n) ? 'composite literal' : 'expression';
}

const text = (n: Node): string => generated(n, 'This DML statement');

interface Value {
  node: Node;
  /** The column it is written to, as named in the statement (a path for UPDATE SET). */
  column: string;
}
type Message = (from: string, column: string, to: string, position: number) => string;
const insertValue: Message = (from, column, to) => `Value has type ${from} which cannot be inserted into column ${column}, which has type ${to}`;
const queryColumn: Message = (from, column, to, i) => `Query column ${i + 1} has type ${from} which cannot be inserted into column ${column}, which has type ${to}`;
const assignedValue: Message = (from, column, to) => `Value of type ${from} cannot be assigned to ${column}, which has type ${to}`;

/** A value, or a field of a STRUCT written out field by field, and the type it goes into. */
interface Part {
  node: Node;
  to: DuckDBType;
  value: Value;
}
const MAX_PROBED_VALUES = 256;

/**
 * The parts of a value BigQuery types one by one: a STRUCT constructor's fields each on its own (a NULL field is
 * untyped, a literal coerces as a literal), down to values that are not constructors; none for DEFAULT, NULL, `[]`.
 */
function valueParts(node: Node, to: DuckDBType, value: Value): Part[] {
  if (isDefault(node) || isNull(node) || isEmptyArray(node)) return [];
  const fields = isStruct(to) ? structFields(node) : undefined;
  if (fields && fields.length === fieldsOf(to).length) return fields.flatMap((f, i) => valueParts(f, fieldsOf(to)[i], value));
  return [{ node, to, value }];
}

function textOrUndefined(n: Node): string | undefined {
  try {
    return text(n);
  } catch {
    return undefined; // polyglot cannot write it back: the statement runs unchecked, as it would have
  }
}

class Checker {
  constructor(private readonly probe: ColumnProbe) {}

  /** The target's columns by name, in table order; undefined when it cannot be read (the statement then fails as it would). */
  async tableColumns(table: string): Promise<ProbedColumn[] | undefined> {
    return this.probe(`SELECT * FROM ${table}`);
  }

  /** The named columns of the target (all of them when none are named); undefined if one is not in it. */
  async insertColumns(table: string, named: string[]): Promise<ProbedColumn[] | undefined> {
    const all = await this.tableColumns(table);
    if (!all || !named.length) return all;
    const picked = named.map((n) => all.find((c) => c.name.toLowerCase() === n.toLowerCase()));
    return picked.every((c) => c) ? (picked as ProbedColumn[]) : undefined;
  }

  /** Values written as expressions, typed together in one probe (`from`: what they may read). */
  async check(values: Value[], targets: Map<string, DuckDBType>, from: string, message: Message): Promise<void> {
    const parts: Part[] = [];
    for (const v of values) {
      const to = targets.get(v.column);
      if (to) parts.push(...valueParts(v.node, to, v));
    }
    const typed = new Map<string, Part[]>();
    for (const part of parts) {
      const known = literalType(part.node);
      if (known) {
        if (isList(part.to) || isStruct(part.to) || !scalarAssignable(known, scalarName(part.to), writtenAs(part.node)))
          await this.refuse(part.value, targets, from, message, part.node === part.value.node ? known : undefined);
        continue;
      }
      const sql = textOrUndefined(part.node);
      if (sql === undefined) return;
      // Repeated expressions (a long VALUES list) are typed once, and only so many distinct ones: the rest run unchecked.
      if (!typed.has(sql) && typed.size >= MAX_PROBED_VALUES) continue;
      const group = typed.get(sql);
      if (group) group.push(part);
      else typed.set(sql, [part]);
    }
    if (!typed.size) return;
    const probed = await this.probe(`SELECT ${[...typed.keys()].join(', ')}${from ? ` FROM ${from}` : ''}`);
    if (!probed || probed.length !== typed.size) return;
    let k = 0;
    for (const group of typed.values()) {
      const type = probed[k++].type;
      for (const part of group) {
        const leeway = { floatMayBeDecimal: floatMayBeDecimal(part.node) };
        if (!assignable(type, part.to, writtenAs(part.node), leeway)) await this.refuse(part.value, targets, from, message, part.node === part.value.node ? typeText(type) : undefined);
      }
    }
  }

  /** Throws the value's error; `type`: its type as the message writes it, when known (else it is probed). */
  private async refuse(value: Value, targets: Map<string, DuckDBType>, from: string, message: Message, type?: string): Promise<never> {
    const sql = type === undefined ? textOrUndefined(value.node) : undefined;
    const probed = sql === undefined ? undefined : await this.probe(`SELECT ${sql}${from ? ` FROM ${from}` : ''}`);
    const to = targets.get(value.column)!;
    throw invalidQuery(message(type ?? (probed?.[0] ? typeText(probed[0].type) : 'STRUCT'), value.column, typeText(to), 0));
  }

  /**
   * A query's columns, positionally, into the target's. `query`: the query's AST when known; a plain SELECT's columns
   * written as NULL or `[]` are exempt, and one with a float literal in it may be BigQuery's NUMERIC (Leeway).
   */
  checkColumns(source: ProbedColumn[], targets: ProbedColumn[], message: Message, query?: Node): void {
    if (source.length !== targets.length) throw invalidQuery(`Inserted row has wrong column count; Has ${source.length}, expected ${targets.length}`);
    const items: Node[] | undefined = query?.select?.expressions;
    const plain = items?.length === source.length && !items.some((e) => e?.star);
    source.forEach((c, i) => {
      const item = plain ? (items![i]?.alias ? items![i].alias.this : items![i]) : undefined;
      if (item && (isNull(item) || isEmptyArray(item))) return;
      const leeway = { floatMayBeDecimal: floatMayBeDecimal(item ?? query) };
      if (!assignable(c.type, targets[i].type, 'expression', leeway)) throw invalidQuery(message(typeText(c.type), targets[i].name, typeText(targets[i].type), i));
    });
  }

  async insert(stmt: Node): Promise<void> {
    const table = textOrUndefined({ table: stmt.table });
    if (table === undefined) return;
    const targets = await this.insertColumns(
      table,
      (stmt.columns ?? []).map((c: Node) => c.name),
    );
    if (!targets) return;
    if (stmt.query) {
      const query = textOrUndefined(stmt.query);
      const source = query === undefined ? undefined : await this.probe(query);
      if (source) this.checkColumns(source, targets, queryColumn, stmt.query);
      return;
    }
    const rows: Node[][] = stmt.values ?? [];
    const byName = new Map(targets.map((c) => [c.name, c.type]));
    const values: Value[] = [];
    for (const row of rows) {
      if (row.length !== targets.length) throw invalidQuery(`Inserted row has wrong column count; Has ${row.length}, expected ${targets.length}`);
      row.forEach((node, i) => values.push({ node, column: targets[i].name }));
    }
    await this.check(values, byName, '', insertValue);
  }

  async update(stmt: Node): Promise<void> {
    const table = textOrUndefined({ table: stmt.table });
    const fromItems: Array<string | undefined> = (stmt.from_clause?.expressions ?? []).map(textOrUndefined);
    if (table === undefined || fromItems.includes(undefined)) return;
    const set: Array<[Node, Node]> = stmt.set ?? [];
    const paths = set.map(([target]) => String(target.name));
    const quoted = paths.map((p) =>
      p
        .split('.')
        .map((part) => `\`${part}\``)
        .join('.'),
    );
    // A nested path (`s.f = ...`) is read through the table's alias if it has one, else through the table's name.
    const targets = await this.probe(`SELECT ${quoted.join(', ')} FROM ${table}`);
    if (!targets || targets.length !== paths.length) return;
    const from = [table, ...fromItems].join(', ');
    const types = new Map(paths.map((p, i) => [p, targets[i].type]));
    await this.check(
      set.map(([, node], i) => ({ node, column: paths[i] })),
      types,
      from,
      assignedValue,
    );
  }

  async merge(stmt: Node): Promise<void> {
    const target = textOrUndefined(stmt.this);
    const source = textOrUndefined(stmt.using);
    if (target === undefined || source === undefined) return;
    const columns = await this.tableColumns(target);
    if (!columns) return;
    const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
    for (const clause of stmt.whens?.whens?.expressions ?? []) {
      const then = clause?.when?.then?.tuple?.expressions as Node[] | undefined;
      const action = then?.[0]?.var?.this?.toUpperCase();
      if (action === 'UPDATE') {
        const pairs: Node[] = then![1]?.tuple?.expressions ?? [];
        const values: Value[] = [];
        const types = new Map<string, DuckDBType>();
        for (const p of pairs) {
          const name = p?.eq?.left?.identifier?.name ?? p?.eq?.left?.column?.name?.name;
          const column = typeof name === 'string' ? byName.get(name.toLowerCase()) : undefined;
          if (!column || p.eq.left.column?.table) continue; // a qualified or nested target: not checked here
          // The message names the column as the statement writes it (ZetaSQL prints the path as written).
          types.set(name, column.type);
          values.push({ node: p.eq.right, column: name });
        }
        await this.check(values, types, `${target}, ${source}`, assignedValue);
      } else if (action === 'INSERT' && isRow(then![then!.length - 1])) {
        // INSERT ROW, or INSERT (columns) ROW: the source's columns in order.
        const named: Node[] = then!.length > 2 ? (then![1]?.tuple?.expressions ?? []) : [];
        const targets = named.length ? named.map((n) => byName.get(String(n?.identifier?.name ?? n?.column?.name?.name).toLowerCase())) : columns;
        const row = await this.probe(`SELECT * FROM ${source}`);
        if (row && targets.every((c) => c)) this.checkColumns(row, targets as ProbedColumn[], insertValue, stmt.using?.subquery?.this);
      } else if (action === 'INSERT') {
        const named: Node[] = then!.length > 2 ? (then![1]?.tuple?.expressions ?? []) : [];
        const nodes: Node[] = (then!.length > 2 ? then![2] : then![1])?.tuple?.expressions ?? [];
        const targets = named.length ? named.map((n) => byName.get(String(n?.identifier?.name ?? n?.column?.name?.name).toLowerCase())) : columns;
        if (targets.some((c) => !c)) continue;
        if (nodes.length !== targets.length) throw invalidQuery(`Inserted row has wrong column count; Has ${nodes.length}, expected ${targets.length}`);
        const types = new Map(targets.map((c) => [c!.name, c!.type]));
        await this.check(
          nodes.map((node, i) => ({ node, column: targets[i]!.name })),
          types,
          source,
          insertValue,
        );
      }
    }
  }
}

const isRow = (n: Node) => typeof n?.var?.this === 'string' && n.var.this.toUpperCase() === 'ROW';

/** A cheap test on the statement type: only these write values into columns. */
export const writesValues = (type: string): boolean => type === 'INSERT' || type === 'UPDATE' || type === 'MERGE';

/**
 * `marked` is the statement after markReferences (parameters as `@key`). Throws BigQuery's error for a value that
 * cannot be assigned to its column; a statement the check cannot read is left to run (and fail) as it would.
 */
export async function checkAssignments(marked: string, probe: ColumnProbe): Promise<void> {
  const parsed = parse(marked, Dialect.BigQuery);
  if (!parsed.success) return;
  const stmt = (parsed.ast as Node[])[0];
  const checker = new Checker(probe);
  if (stmt?.insert) await checker.insert(stmt.insert);
  else if (stmt?.update) await checker.update(stmt.update);
  else if (stmt?.merge) await checker.merge(stmt.merge);
}
