/**
 * A condition (WHERE, HAVING, QUALIFY, ON, MERGE's WHEN ... AND) and an operand of AND, OR and NOT are BOOL in
 * BigQuery ("WHERE clause should return type BOOL, but returns INT64"); DuckDB casts a number or a string to BOOLEAN, so
 * `DELETE FROM t WHERE 1` deleted every row. A literal only, decided before the statement runs: a non-BOOL column or
 * expression is cast as DuckDB casts it.
 */
import { invalidQuery } from '../errors.ts';
import { isFloatLiteral, type Node } from './ast-build.ts';

/** The BigQuery type of a number or string literal (in parentheses too), or undefined for anything else. */
function literalType(node: Node): string | undefined {
  if (node?.paren) return literalType(node.paren.this);
  const kind = node?.literal?.literal_type;
  if (kind === 'string') return 'STRING';
  if (kind === 'number') return isFloatLiteral(node) ? 'FLOAT64' : 'INT64';
  return undefined;
}

function checkCondition(clause: string, condition: Node): void {
  const type = literalType(condition);
  if (type) throw invalidQuery(`${clause} should return type BOOL, but returns ${type}`);
}

const LOGICAL: Record<string, string> = { and: 'AND', or: 'OR', not: 'NOT' };

/** Throws BigQuery's error for a literal that is not a BOOL where a condition stands (walks the whole statement). */
export function checkLiteralConditions(node: Node): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(checkLiteralConditions);
  const select = node.select;
  if (select) {
    checkCondition('WHERE clause', select.where_clause?.this);
    checkCondition('HAVING clause', select.having?.this);
    checkCondition('QUALIFY clause', select.qualify?.this);
    for (const j of select.joins ?? []) checkCondition('JOIN ON clause', j?.on);
  }
  for (const kind of ['update', 'delete'] as const) checkCondition('WHERE clause', node[kind]?.where_clause?.this);
  if (node.merge) checkCondition('MERGE ON clause', node.merge.on);
  if (node.when) checkCondition('WHEN clause', node.when.condition);
  for (const [kind, op] of Object.entries(LOGICAL)) {
    const body = node[kind];
    if (!body || typeof body !== 'object') continue;
    for (const operand of [body.left, body.right, body.this]) {
      const type = literalType(operand);
      if (type) throw invalidQuery(`No matching signature for operator ${op} for argument types: ${type}`);
    }
  }
  for (const v of Object.values(node)) if (v && typeof v === 'object') checkLiteralConditions(v);
}
