/**
 * Copy jobs (COPY, SNAPSHOT, CLONE, RESTORE): one DuckDB transaction, so WRITE_TRUNCATE replaces the
 * destination atomically — readers see the old table or the new one, never a missing table.
 */
import { quoteIdent, tableKey, type Engine } from './engine.ts';
import { BigQueryError, invalid, notFound } from './errors.ts';
import type { TableMeta } from './catalog.ts';
import { parseDecorator } from './time-travel.ts';
import { snapshotReadOnly } from './ddl-runner.ts';

interface TableRef {
  projectId?: string;
  datasetId: string;
  tableId: string;
}

export interface CopyResult {
  statementType: string;
  affectedRows: number;
}

const refOk = (r: any): r is TableRef => r && typeof r.datasetId === 'string' && typeof r.tableId === 'string';

export async function runCopy(engine: Engine, copy: any): Promise<CopyResult> {
  const sources: TableRef[] = copy.sourceTables ?? (copy.sourceTable ? [copy.sourceTable] : []);
  const dest: TableRef = copy.destinationTable;
  if (!sources.length || !sources.every(refOk)) throw invalid('Copy job requires sourceTable or sourceTables with datasetId and tableId');
  if (!refOk(dest)) throw invalid('Copy job requires destinationTable with datasetId and tableId');
  const op = String(copy.operationType ?? 'COPY').toUpperCase();
  if (!['COPY', 'SNAPSHOT', 'CLONE', 'RESTORE'].includes(op)) throw invalid(`Unknown copy operationType: ${copy.operationType}`);
  if ((op === 'SNAPSHOT' || op === 'CLONE') && sources.length !== 1) throw invalid(`${op} copies exactly one source table`);
  const write = String(copy.writeDisposition ?? 'WRITE_EMPTY').toUpperCase();
  const create = String(copy.createDisposition ?? 'CREATE_IF_NEEDED').toUpperCase();
  if (!['WRITE_EMPTY', 'WRITE_TRUNCATE', 'WRITE_APPEND'].includes(write)) throw invalid(`Invalid writeDisposition: ${write}`);
  // `table@<epoch ms>` (or `@-<ms ago>`): the table as it was then — how `bq cp` restores a deleted table.
  const resolved: Array<{ schema: string; table: string; meta?: TableMeta }> = [];
  for (const s of sources) {
    const { tableId, at } = parseDecorator(s.tableId);
    if (at !== undefined) {
      resolved.push(await engine.tableAt(s.datasetId, tableId, at));
      continue;
    }
    if ((await engine.objectType(s.datasetId, s.tableId)) !== 'TABLE') throw notFound(`Table ${engine.projectId}:${s.datasetId}.${s.tableId}`);
    resolved.push({ schema: s.datasetId, table: s.tableId, meta: engine.catalog.table(s.datasetId, s.tableId) });
  }
  if (!(await engine.datasetExists(dest.datasetId))) throw notFound(`Dataset ${engine.projectId}:${dest.datasetId}`);
  const destKey = tableKey(dest.datasetId, dest.tableId);
  const release = await engine.tableLocks.lockAll([destKey, ...sources.map((s) => tableKey(s.datasetId, parseDecorator(s.tableId).tableId))]);
  const conn = await engine.connect();
  try {
    const existing = await engine.objectType(dest.datasetId, dest.tableId);
    const destMeta = engine.catalog.table(dest.datasetId, dest.tableId);
    if (existing === 'VIEW') throw invalid(`Cannot copy onto view ${engine.projectId}:${destKey}`);
    if (existing && destMeta?.type === 'SNAPSHOT') throw snapshotReadOnly(engine.projectId, destKey);
    if (!existing && create === 'CREATE_NEVER') throw notFound(`Table ${engine.projectId}:${destKey}`);
    const target = `${quoteIdent(dest.datasetId)}.${quoteIdent(dest.tableId)}`;
    const union = resolved.map((s) => `SELECT * FROM ${quoteIdent(s.schema)}.${quoteIdent(s.table)}`).join(' UNION ALL ');
    if (existing && write === 'WRITE_EMPTY') {
      const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${target}`)).getRows()[0][0]);
      if (n > 0) throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${engine.projectId}:${destKey}`);
    }
    const now = Date.now();
    if (existing === 'TABLE') await engine.keepVersion(dest.datasetId, dest.tableId, now);
    await conn.run('BEGIN TRANSACTION');
    try {
      if (existing && write === 'WRITE_APPEND') await conn.run(`INSERT INTO ${target} ${union}`);
      else await conn.run(`CREATE OR REPLACE TABLE ${target} AS ${union}`);
      await engine.commitMutex.run(async () => {
        await conn.run('COMMIT');
        engine.markChanged([destKey]);
      });
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e instanceof BigQueryError ? e : invalid((e as Error).message.split('\n')[0]);
    }
    const src = resolved[0].meta;
    const meta: TableMeta = {
      ...(existing && write === 'WRITE_APPEND' && destMeta ? destMeta : {}),
      datasetId: dest.datasetId,
      tableId: dest.tableId,
      type: op === 'SNAPSHOT' ? 'SNAPSHOT' : op === 'CLONE' ? 'CLONE' : 'TABLE',
      description: src?.description,
      labels: src?.labels,
      timePartitioning: src?.timePartitioning,
      clustering: src?.clustering,
      fieldDescriptions: src?.fieldDescriptions,
      primaryKey: src?.primaryKey,
      creationTime: existing ? (destMeta?.creationTime ?? now) : now,
      lastModifiedTime: now,
      ...(copy.destinationExpirationTime ? { expirationTime: Date.parse(copy.destinationExpirationTime) } : {}),
    };
    await engine.meta((c) => c.putTable(meta));
    const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${target}`)).getRows()[0][0]);
    return { statementType: op, affectedRows: rows };
  } finally {
    conn.closeSync();
    release();
  }
}
