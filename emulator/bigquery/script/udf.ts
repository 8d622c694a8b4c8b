/** SQL UDFs (CREATE TEMP FUNCTION ... AS (expr)) as DuckDB temporary macros on the job's connection. */
import type { Session, StatementResult } from '../session.ts';
import type { ScriptNode } from './parse.ts';
import { BigQueryError, fromDuckDb, invalidQuery } from '../errors.ts';
import { bigQueryTypeToDuck } from '../types.ts';
import { UDF_BODY_ALIAS } from '../sql/correlated-scopes.ts';

/** The macro lives as long as the job's connection, like BigQuery's temporary function lives for the script. */
export async function createTempFunction(session: Session, node: Extract<ScriptNode, { kind: 'function' }>): Promise<StatementResult> {
  const params = node.params.map((p) => p.name);
  const clash = params.find((p) => session.variables.has(p));
  if (clash) throw invalidQuery(`Function parameter ${clash} has the name of a script variable, which the local emulator cannot tell apart`);
  // Aliased so that the translation names no column (see result-names.ts); the alias is cut off again.
  const query = session.translate(`SELECT (${node.body}) AS ${UDF_BODY_ALIAS}`);
  const expr = query.replace(/^\s*SELECT\s+/i, '').replace(new RegExp(`\\s+AS\\s+"?${UDF_BODY_ALIAS}"?\\s*$`, 'i'), '');
  const body = node.returns ? `CAST((${expr}) AS ${bigQueryTypeToDuck(node.returns)})` : expr;
  const conn = await session.connection();
  const name = node.name.replace(/'/g, "''");
  const exists = (await conn.runAndReadAll(`SELECT 1 FROM duckdb_functions() WHERE function_type = 'macro' AND lower(function_name) = lower('${name}') AND database_name = 'temp'`)).currentRowCount > 0;
  const result: StatementResult = { statementType: 'CREATE_FUNCTION', names: [], types: [], rows: [], referenced: [] };
  if (exists && node.ifNotExists) return result;
  if (exists && !node.orReplace) throw new BigQueryError(409, 'duplicate', `Already Exists: Function ${node.name}`);
  try {
    await conn.run(`CREATE OR REPLACE TEMP MACRO "${node.name.replace(/"/g, '""')}"(${params.map((p) => `"${p}"`).join(', ')}) AS ${body}`);
  } catch (e) {
    throw fromDuckDb(e);
  }
  return result;
}
