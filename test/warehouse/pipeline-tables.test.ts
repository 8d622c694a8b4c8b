/**
 * ensureTables remembers what it created per client, not per process: a second warehouse under the same project and
 * dataset names (a restarted emulator; the next test file in a shared vitest worker) gets its tables too.
 */
import { expect, test } from 'vitest';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef } from '../../src/warehouse/target.ts';
import { startLocalBigQuery } from '../helpers/bigquery.ts';
import { targetOf } from '../checks/seed.ts';

test('a second warehouse with the same names gets its tables: the memo is per client', async () => {
  for (const attempt of ['first', 'second']) {
    const bq = await startLocalBigQuery();
    try {
      const target = targetOf(bq);
      await ensureTables(bq.client, target, ['grading_runs']);
      const [row] = await bq.rows(`SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_run_events')}`);
      expect(row, `${attempt} warehouse`).toEqual({ n: 0 });
      // The same client again: remembered, nothing re-created (a dropped table stays dropped until a new client).
      await bq.rows(`DROP TABLE ${tableRef(target, 'grading_run_events')}`);
      await ensureTables(bq.client, target, ['grading_runs']);
      await expect(bq.rows(`SELECT COUNT(*) AS n FROM ${tableRef(target, 'grading_run_events')}`)).rejects.toThrow(/Not found: Table/);
    } finally {
      await bq.stop();
    }
  }
}, 60_000);
