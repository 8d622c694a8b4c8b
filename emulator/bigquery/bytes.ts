/**
 * totalBytesProcessed: an estimate from the sizes of the tables a statement reads (BigQuery's
 * logical bytes: 8 per INT64/FLOAT64/TIMESTAMP, string length + 2, ...). Column and partition
 * pruning are not modelled yet, so this is an upper bound.
 */
import { quoteIdent, type Engine } from './engine.ts';

export async function estimateBytes(engine: Engine, tables: string[]): Promise<number> {
  let total = 0;
  for (const key of new Set(tables)) {
    const [ds, t] = key.split('.');
    if ((await engine.objectType(ds, t)) !== 'TABLE') continue;
    total += await tableBytes(engine, ds, t);
  }
  return total;
}

export async function tableBytes(engine: Engine, ds: string, t: string): Promise<number> {
  const conn = await engine.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT * FROM ${quoteIdent(ds)}.${quoteIdent(t)} LIMIT 0`);
    const parts = r.columnNames().map((n, k) => {
      const type = r.columnType(k).toString();
      const col = quoteIdent(n);
      if (/VARCHAR|BLOB|JSON/.test(type) && !type.includes('[') && !type.startsWith('STRUCT')) return `coalesce(sum(octet_length(CAST(${col} AS BLOB))) + 2 * count(${col}), 0)`;
      if (type === 'BOOLEAN') return 'count(*)';
      if (type === 'DATE') return '8 * count(*)';
      if (/DECIMAL/.test(type)) return '16 * count(*)';
      if (/^(BIGINT|INTEGER|DOUBLE|FLOAT|TIMESTAMP|TIME|SMALLINT|TINYINT|HUGEINT)/.test(type) && !type.includes('[')) return '8 * count(*)';
      return `coalesce(sum(octet_length(CAST(CAST(${col} AS VARCHAR) AS BLOB))), 0)`;
    });
    if (!parts.length) return 0;
    const s = await conn.runAndReadAll(`SELECT ${parts.join(' + ')} FROM ${quoteIdent(ds)}.${quoteIdent(t)}`);
    return Number(s.getRows()[0][0] ?? 0);
  } finally {
    conn.closeSync();
  }
}
