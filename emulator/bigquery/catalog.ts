/**
 * Dataset and table metadata that DuckDB does not keep (descriptions, labels, partitioning,
 * clustering, view SQL, timestamps), persisted in the same DuckDB file as `__gg_meta.objects`.
 * Which tables exist and their columns always come from DuckDB itself.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral as q } from './sql/quote.ts';

export interface DatasetMeta {
  datasetId: string;
  projectId: string;
  location: string;
  description?: string;
  labels?: Record<string, string>;
  creationTime: number;
  lastModifiedTime: number;
}

export interface TableMeta {
  datasetId: string;
  tableId: string;
  type: 'TABLE' | 'VIEW' | 'MATERIALIZED_VIEW' | 'SNAPSHOT' | 'CLONE';
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  timePartitioning?: { type: string; field?: string; expirationMs?: string };
  rangePartitioning?: unknown;
  clustering?: { fields: string[] };
  viewQuery?: string;
  fieldDescriptions?: Record<string, string>;
  requiredFields?: string[];
  expirationTime?: number;
  primaryKey?: string[];
  creationTime: number;
  lastModifiedTime: number;
}

export class Catalog {
  private datasets = new Map<string, DatasetMeta>();
  private tables = new Map<string, TableMeta>();

  private constructor(private conn: DuckDBConnection) {}

  static async open(conn: DuckDBConnection): Promise<Catalog> {
    await conn.run('CREATE SCHEMA IF NOT EXISTS __gg_meta');
    await conn.run('CREATE TABLE IF NOT EXISTS __gg_meta.objects (key VARCHAR PRIMARY KEY, body VARCHAR)');
    const catalog = new Catalog(conn);
    const rows = (await conn.runAndReadAll('SELECT key, body FROM __gg_meta.objects')).getRowObjects();
    for (const row of rows) {
      const key = String(row.key);
      const body = JSON.parse(String(row.body));
      if (key.startsWith('d/')) catalog.datasets.set(body.datasetId, body);
      else catalog.tables.set(`${body.datasetId}.${body.tableId}`, body);
    }
    return catalog;
  }

  dataset(id: string): DatasetMeta | undefined {
    return this.datasets.get(id);
  }

  listDatasets(): DatasetMeta[] {
    return [...this.datasets.values()].sort((a, b) => a.datasetId.localeCompare(b.datasetId));
  }

  table(datasetId: string, tableId: string): TableMeta | undefined {
    return this.tables.get(`${datasetId}.${tableId}`);
  }

  all(): TableMeta[] {
    return [...this.tables.values()];
  }

  tablesOf(datasetId: string): TableMeta[] {
    return [...this.tables.values()].filter((t) => t.datasetId === datasetId);
  }

  async putDataset(meta: DatasetMeta): Promise<void> {
    this.datasets.set(meta.datasetId, meta);
    await this.write(`d/${meta.datasetId}`, meta);
  }

  async deleteDataset(id: string): Promise<void> {
    this.datasets.delete(id);
    for (const t of this.tablesOf(id)) await this.deleteTable(id, t.tableId);
    await this.conn.run(`DELETE FROM __gg_meta.objects WHERE key = ${q(`d/${id}`)}`);
  }

  async putTable(meta: TableMeta): Promise<void> {
    this.tables.set(`${meta.datasetId}.${meta.tableId}`, meta);
    await this.write(`t/${meta.datasetId}.${meta.tableId}`, meta);
  }

  async touchTable(datasetId: string, tableId: string, when = Date.now()): Promise<void> {
    const meta = this.table(datasetId, tableId);
    if (meta) await this.putTable({ ...meta, lastModifiedTime: when });
  }

  async deleteTable(datasetId: string, tableId: string): Promise<void> {
    this.tables.delete(`${datasetId}.${tableId}`);
    await this.conn.run(`DELETE FROM __gg_meta.objects WHERE key = ${q(`t/${datasetId}.${tableId}`)}`);
  }

  private async write(key: string, body: unknown): Promise<void> {
    await this.conn.run(`INSERT OR REPLACE INTO __gg_meta.objects VALUES (${q(key)}, ${q(JSON.stringify(body))})`);
  }
}
