/**
 * totalBytesProcessed: BigQuery's logical bytes (8 per INT64/FLOAT64/DATE/TIMESTAMP, 16 per NUMERIC, 1 per BOOL,
 * UTF-8 length + 2 per STRING/BYTES, ...) of the columns a statement references, in the partitions it reads.
 * A partitioned table is pruned when every read of it has a WHERE / JOIN ON / MERGE ON conjunct comparing its
 * partitioning column with constants or parameters (=, IN (...), IN UNNEST(@p), BETWEEN, <, >...). Views count
 * 0 (their base tables are not followed), as do temporary tables and INFORMATION_SCHEMA.
 */
import { quoteIdent, tableKey, type Engine } from './engine.ts';
import { expressionSql, type ScanPlan } from './sql/scan-plan.ts';

export interface BytesContext {
  engine: Engine;
  defaultDataset?: string;
  /** GoogleSQL → DuckDB in the job's context (its parameters and script variables). */
  translate(sql: string): string;
}

interface Use {
  columns: Set<string> | 'all';
  filter?: string;
}

// Per table: the committed change sequence seen and the bytes of each (columns, filter) asked for.
const cache = new WeakMap<Engine, Map<string, { seq: number; bytes: Map<string, number> }>>();

export async function estimateBytes(ctx: BytesContext, plans: ScanPlan[]): Promise<number> {
  const { engine } = ctx;
  const uses = new Map<string, Use[]>();
  for (const plan of plans) {
    for (const scan of plan.scans) {
      if (scan.parts.some((p) => p.toLowerCase() === 'information_schema')) continue;
      const ds = scan.parts.length >= 2 ? scan.parts[scan.parts.length - 2] : ctx.defaultDataset;
      const t = scan.parts[scan.parts.length - 1];
      if (!ds || !t) continue;
      const key = tableKey(ds, t);
      const field = engine.catalog.table(ds, t)?.timePartitioning?.field?.toLowerCase();
      const conjuncts = field ? scan.filters.get(field) : undefined;
      const sqls = conjuncts?.map(expressionSql);
      const filter = sqls?.length && sqls.every(Boolean) ? sqls.map((s) => `(${s})`).join(' AND ') : undefined;
      uses.set(key, [...(uses.get(key) ?? []), { columns: scan.columns, filter }]);
    }
  }
  let total = 0;
  for (const [key, list] of uses) {
    const [ds, t] = key.split('.');
    const all = list.some((u) => u.columns === 'all');
    const names = new Set<string>();
    if (!all) for (const u of list) for (const n of u.columns as Set<string>) names.add(n);
    // Pruned only when every read of the table is pruned; the partitions read are the union.
    const filter = list.every((u) => u.filter) ? list.map((u) => `(${u.filter})`).join(' OR ') : undefined;
    total += await tableBytes(ctx, ds, t, all ? 'all' : names, filter);
  }
  return total;
}

async function tableBytes(ctx: BytesContext, ds: string, t: string, columns: Set<string> | 'all', filter?: string): Promise<number> {
  const { engine } = ctx;
  const key = tableKey(ds, t);
  const cacheKey = `${columns === 'all' ? '*' : [...columns].sort().join(',')}|${filter ?? ''}`;
  let perEngine = cache.get(engine);
  if (!perEngine) cache.set(engine, (perEngine = new Map()));
  let entry = perEngine.get(key);
  if (!entry || engine.changedSince(key, entry.seq)) perEngine.set(key, (entry = { seq: engine.currentSeq(), bytes: new Map() }));
  const hit = entry.bytes.get(cacheKey);
  if (hit !== undefined) return hit;
  const from = `${quoteIdent(ds)}.${quoteIdent(t)}`;
  // Views, temp tables, CTE names and missing tables count 0 (remembered until the name changes).
  if ((await engine.objectType(ds, t)) !== 'TABLE') {
    entry.bytes.set(cacheKey, 0);
    return 0;
  }
  const conn = await engine.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT * FROM ${from} LIMIT 0`);
    const parts: string[] = [];
    r.columnNames().forEach((n, k) => {
      if (columns !== 'all' && !columns.has(n.toLowerCase())) return;
      parts.push(columnBytes(quoteIdent(n), r.columnType(k).toString()));
    });
    let bytes = 0;
    if (parts.length) {
      const source = filter ? `(${ctx.translate(`SELECT * FROM \`${ds}.${t}\` WHERE ${filter}`)}) AS __gg_scan` : from;
      const s = await conn.runAndReadAll(`SELECT ${parts.join(' + ')} FROM ${source}`);
      bytes = Number(s.getRows()[0][0] ?? 0);
    }
    entry.bytes.set(cacheKey, bytes);
    return bytes;
  } catch {
    // An estimate must never fail the job: fall back to the unpruned size.
    return filter ? tableBytes(ctx, ds, t, columns) : 0;
  } finally {
    conn.closeSync();
  }
}

function columnBytes(col: string, type: string): string {
  if (/VARCHAR|BLOB|JSON/.test(type) && !type.includes('[') && !type.startsWith('STRUCT')) return `coalesce(sum(octet_length(CAST(${col} AS BLOB))) + 2 * count(${col}), 0)`;
  if (type === 'BOOLEAN') return 'count(*)';
  if (type === 'DATE') return '8 * count(*)';
  if (/DECIMAL/.test(type)) return '16 * count(*)';
  if (/^(BIGINT|INTEGER|DOUBLE|FLOAT|TIMESTAMP|TIME|SMALLINT|TINYINT|HUGEINT)/.test(type) && !type.includes('[')) return '8 * count(*)';
  return `coalesce(sum(octet_length(CAST(CAST(${col} AS VARCHAR) AS BLOB))), 0)`;
}
