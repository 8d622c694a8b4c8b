/** Table metadata the cleanup must carry over unchanged: schema (with descriptions), partitioning, clustering, description. */
import type { BigQuery } from '@google-cloud/bigquery';
import type { WarehouseTarget } from '../warehouse/target.ts';
import type { Check } from './types.ts';

export interface TableShape {
  type: string;
  columns: string[];
  fields: unknown;
  timePartitioning: unknown;
  clustering: unknown;
  description: string | null;
  numBytes: number;
}

export async function tableShape(bigquery: BigQuery, target: WarehouseTarget, table: string): Promise<TableShape | undefined> {
  const ref = bigquery.dataset(target.dataset).table(table);
  const [exists] = await ref.exists();
  if (!exists) return undefined;
  const [meta] = await ref.getMetadata();
  const fields = (meta.schema?.fields ?? []) as Array<{ name: string; type: string; mode?: string; description?: string; fields?: unknown }>;
  return {
    type: String(meta.type ?? 'TABLE'),
    columns: fields.map((f) => f.name),
    fields: fields.map((f) => ({ name: f.name, type: f.type, mode: f.mode ?? 'NULLABLE', description: f.description ?? null, fields: f.fields ?? null })),
    timePartitioning: meta.timePartitioning ? { type: meta.timePartitioning.type, field: meta.timePartitioning.field ?? null } : null,
    clustering: meta.clustering?.fields ?? null,
    description: meta.description ?? null,
    numBytes: Number(meta.numBytes ?? 0),
  };
}

/** Schema, partitioning, clustering and description equal (a snapshot's clustering is not compared: snapshots have none). */
export function sameShape(name: string, expected: TableShape, actual: TableShape, options: { clustering?: boolean } = {}): Check {
  const parts: Array<[string, unknown, unknown]> = [
    ['schema', expected.fields, actual.fields],
    ['partitioning', expected.timePartitioning, actual.timePartitioning],
    ['description', expected.description, actual.description],
  ];
  if (options.clustering !== false) parts.push(['clustering', expected.clustering, actual.clustering]);
  const differing = parts.filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b)).map(([part]) => part);
  return { name, ok: differing.length === 0, detail: differing.length === 0 ? 'schema, partitioning, clustering and description equal' : `differs in ${differing.join(', ')}` };
}
