/** REST representations of datasets and tables. */
import type { Engine } from '../engine.ts';
import type { FieldSchema } from '../types.ts';

export function datasetResource(engine: Engine, projectId: string, datasetId: string) {
  const meta = engine.catalog.dataset(datasetId);
  const now = Date.now();
  return {
    kind: 'bigquery#dataset',
    id: `${projectId}:${datasetId}`,
    etag: String(meta?.lastModifiedTime ?? now),
    datasetReference: { projectId, datasetId },
    location: meta?.location ?? 'US',
    creationTime: String(meta?.creationTime ?? now),
    lastModifiedTime: String(meta?.lastModifiedTime ?? now),
    ...(meta?.description ? { description: meta.description } : {}),
    ...(meta?.labels ? { labels: meta.labels } : {}),
  };
}

export async function tableResource(engine: Engine, projectId: string, datasetId: string, tableId: string, type: 'TABLE' | 'VIEW') {
  const meta = engine.catalog.table(datasetId, tableId);
  const fields: FieldSchema[] = await engine.tableSchema(datasetId, tableId);
  const now = Date.now();
  const kind = type === 'VIEW' ? (meta?.type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED_VIEW' : 'VIEW') : meta?.type === 'SNAPSHOT' ? 'SNAPSHOT' : 'TABLE';
  const base = {
    kind: 'bigquery#table',
    id: `${projectId}:${datasetId}.${tableId}`,
    etag: String(meta?.lastModifiedTime ?? now),
    tableReference: { projectId, datasetId, tableId },
    type: kind,
    schema: { fields },
    location: 'US',
    creationTime: String(meta?.creationTime ?? now),
    lastModifiedTime: String(meta?.lastModifiedTime ?? now),
    ...(meta?.description ? { description: meta.description } : {}),
    ...(meta?.friendlyName ? { friendlyName: meta.friendlyName } : {}),
    ...(meta?.labels ? { labels: meta.labels } : {}),
    ...(meta?.expirationTime ? { expirationTime: String(meta.expirationTime) } : {}),
  };
  if (type === 'VIEW') return { ...base, view: { query: meta?.viewQuery ?? '', useLegacySql: false } };
  const numRows = await engine.numRows(datasetId, tableId);
  return {
    ...base,
    numRows: String(numRows),
    numBytes: '0',
    ...(meta?.timePartitioning ? { timePartitioning: meta.timePartitioning } : {}),
    ...(meta?.clustering ? { clustering: meta.clustering } : {}),
    ...(meta?.primaryKey ? { tableConstraints: { primaryKey: { columns: meta.primaryKey } } } : {}),
  };
}
