/**
 * totalBytesProcessed from the columns and partitions a statement reads: a validation of one date reads one
 * partition's worth, not the table (dry runs and real jobs alike), through the real Node client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigQuery } from '@google-cloud/bigquery';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
const DAYS = 10;
const ROWS = 1_000; // 100 per day

beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.client.createDataset('b');
  await bq.rows('CREATE TABLE b.acc (game_date DATE, id STRING, n INT64, score FLOAT64) PARTITION BY game_date');
  await bq.rows(`INSERT INTO b.acc SELECT DATE_ADD(DATE '2024-01-01', INTERVAL MOD(x, ${DAYS}) DAY), FORMAT('id%06d', x), x, x / 2 FROM UNNEST(GENERATE_ARRAY(1, ${ROWS})) AS x`);
  await bq.rows('CREATE TABLE b.flat AS SELECT * FROM b.acc');
});
afterAll(() => bq?.stop());

async function dry(query: string, params?: Record<string, unknown>): Promise<number> {
  const [job] = await bq.client.createQueryJob({ query, params, dryRun: true });
  return Number(job.metadata.statistics.totalBytesProcessed);
}

async function real(query: string, params?: Record<string, unknown>): Promise<number> {
  const [job] = await bq.client.createQueryJob({ query, params });
  await job.getQueryResults();
  const [meta] = await job.getMetadata();
  return Number(meta.statistics.totalBytesProcessed);
}

// Logical sizes: DATE, INT64, FLOAT64 8 bytes a row; STRING 'id000001' 8 bytes + 2.
const perRow = { game_date: 8, id: 10, n: 8, score: 8 };

describe('bytes processed', () => {
  it('counts only the referenced columns of an unpartitioned read', async () => {
    expect(await dry('SELECT * FROM b.acc')).toBe(ROWS * (8 + 10 + 8 + 8));
    expect(await dry('SELECT n FROM b.acc')).toBe(ROWS * perRow.n);
    expect(await dry('SELECT id, SUM(score) FROM b.acc GROUP BY id')).toBe(ROWS * (perRow.id + perRow.score));
    expect(await dry('SELECT COUNT(*) FROM b.acc')).toBe(0);
  });

  it('a validation of one date reads one partition (=, parameter, IN, IN UNNEST, BETWEEN)', async () => {
    const onePartition = (ROWS / DAYS) * (perRow.n + perRow.game_date);
    expect(await dry("SELECT n FROM b.acc WHERE game_date = '2024-01-03'")).toBe(onePartition);
    expect(await dry('SELECT n FROM b.acc WHERE game_date = @d AND n > 0', { d: BigQuery.date('2024-01-03') })).toBe(onePartition);
    expect(await dry("SELECT n FROM b.acc WHERE game_date IN ('2024-01-03', '2024-01-04')")).toBe(2 * onePartition);
    expect(await dry('SELECT n FROM b.acc WHERE game_date IN UNNEST(@ds)', { ds: [BigQuery.date('2024-01-03'), BigQuery.date('2024-01-05'), BigQuery.date('2024-01-07')] })).toBe(3 * onePartition);
    expect(await dry("SELECT a.n FROM b.acc AS a WHERE a.game_date BETWEEN '2024-01-02' AND '2024-01-05'")).toBe(4 * onePartition);
    // The same filter on an unpartitioned copy prunes nothing.
    expect(await dry("SELECT n FROM b.flat WHERE game_date = '2024-01-03'")).toBe(ROWS * (perRow.n + perRow.game_date));
    // A condition that is not a constant comparison of the partitioning column prunes nothing either.
    expect(await dry("SELECT n FROM b.acc WHERE game_date = '2024-01-03' OR n = 1")).toBe(ROWS * (perRow.n + perRow.game_date));
  });

  it('duplicate-key validation of one date (GROUP BY key HAVING COUNT(*) > 1) reads one partition', async () => {
    const q = 'SELECT id, COUNT(*) AS c FROM b.acc WHERE game_date = @d GROUP BY id HAVING COUNT(*) > 1';
    expect(await dry(q, { d: BigQuery.date('2024-01-03') })).toBe((ROWS / DAYS) * (perRow.id + perRow.game_date));
  });

  it('DML scans every column of the partitions it modifies', async () => {
    expect(await dry("DELETE FROM b.acc WHERE game_date = '2024-01-09' AND n < 0")).toBe((ROWS / DAYS) * (8 + 10 + 8 + 8));
  });

  it('real jobs report the same figure, and it follows changes to the table', async () => {
    const q = "SELECT n FROM b.acc WHERE game_date = '2024-01-02'";
    const before = await real(q);
    expect(before).toBe(await dry(q));
    expect(before).toBe((ROWS / DAYS) * 16);
    await bq.rows("INSERT INTO b.acc (game_date, n) VALUES ('2024-01-02', 1), ('2024-01-08', 2)");
    expect(await real(q)).toBe(before + 16);
  });
});
