/**
 * A call of a macro with typed overloads whose operands DuckDB binds only later: an aggregate, a window function, or a
 * name in HAVING, QUALIFY or ORDER BY that may be an aggregate's alias. DuckDB picks a macro's overload before it binds
 * such an operand ("multiple overloads match"), and refuses a macro whose body calls one on its own parameters. So the
 * operands are bound first, as the fields of a one-element list's struct, and the macro is called in a lambda over it,
 * where their types are known. (Fields are read with struct_extract: DuckDB's HAVING binder takes `o.a0` for a column.)
 */
import { eachNodeBottomUp, expressionTemplate, fn, type Node } from './ast-build.ts';
import { holdsGroupAggregate } from './fix-aggregates.ts';

const placeholder = (i: number) => `__gg_operand_${i}`;

export function typedCallOfBoundOperands(macro: string, operands: Node[], inline: (operand: Node) => boolean = () => false): Node {
  const bound = operands.map((o, i) => (inline(o) ? undefined : i)).filter((i) => i !== undefined);
  const fields = bound.map((i) => `${placeholder(i)} AS a${i}`).join(', ');
  const args = operands.map((o, i) => (inline(o) ? placeholder(i) : `struct_extract(__gg_operands, 'a${i}')`)).join(', ');
  return withOperands(`list_extract(list_apply([STRUCT(${fields})], __gg_operands -> ${macro}(${args})), 1)`, operands);
}

/** A literal (a BYTES literal is FROM_HEX('...')) or a query parameter's placeholder: DuckDB may need it constant. */
const isConstantOperand = (n: Node): boolean =>
  Boolean(n?.literal || n?.null || n?.boolean) ||
  (n?.function?.name === 'FROM_HEX' && Boolean(n.function.args?.[0]?.literal)) ||
  (Boolean(n?.column) && !n.column.table && /^__gg_p_\d+$/.test(String(n.column.name?.name)));

/** Date and time macros typed by their operands (macros-datetime.ts), and the untyped form each name stands for. */
const TYPED_DATETIME_MACROS = new Map([
  ['__gg_ts_diff', '__gg_elapsed_diff'],
  ['__gg_dt_diff', '__gg_calendar_diff'],
  ['__gg_timestamp_trunc', '__gg_ts_trunc'],
  ['__gg_datetime_trunc', '__gg_trunc'],
]);

/**
 * A call in the array of a FROM-clause UNNEST. Of a macro with a BYTES overload (macros-bytes.ts): DuckDB picks the
 * overload there before a correlated column has a type, and took the BYTES one for a STRING (`UNNEST(SPLIT(t.csv))`).
 * The operands are bound first, written out here rather than through the `_once` macro: a `_once` macro around
 * another one with a correlated column fails to bind ("Need named argument for struct pack"). Constants stay in the
 * call, where DuckDB may need them (a pattern).
 */
export function callInLateralUnnest(call: Node): Node {
  const name = String(call?.function?.name ?? '');
  const operands: Node[] = call?.function?.args ?? [];
  // The typed date and time macros stay ambiguous there even bound first: the form their name says, as before they
  // were typed (DATE_DIFF of TIMESTAMPs in a FROM-clause UNNEST counts day boundaries).
  if (name === '__gg_date_diff') return operands[3];
  if (TYPED_DATETIME_MACROS.has(name)) return fn(TYPED_DATETIME_MACROS.get(name)!, operands);
  if (!/^__gg_b_\w+$/.test(name) || name.endsWith('_once') || operands.every(isConstantOperand)) return call;
  return typedCallOfBoundOperands(name, operands, isConstantOperand);
}

/** An expression template (BigQuery SQL) with `__gg_operand_<i>` standing for operands[i]. */
export function withOperands(template: string, operands: Node[]): Node {
  return expressionTemplate(template, (n) => {
    const m = /^__gg_operand_(\d+)$/.exec(String(n.column?.name?.name ?? ''));
    return m && !n.column.table ? operands[Number(m[1])] : undefined;
  });
}

/** The plain call where DuckDB binds the operands' types first, else the bound form. */
export const typedCall = (macro: string, operands: Node[], bindFirst: boolean): Node => (bindFirst ? typedCallOfBoundOperands(macro, operands) : fn(macro, operands));

/** typedCall where DuckDB needs the literals (a date part) as constants: they stay in the call when bound first. */
export const typedCallKeepingLiterals = (macro: string, operands: Node[]): Node => (operands.some(bindsLate) ? typedCallOfBoundOperands(macro, operands, isConstantOperand) : fn(macro, operands));

/** An operand DuckDB binds after it picks a macro's overload: one that holds an aggregate or a window function. */
export function bindsLate(node: Node): boolean {
  let window = false;
  eachNodeBottomUp(node, (n) => (window ||= 'window_function' in n));
  return window || holdsGroupAggregate(node);
}
