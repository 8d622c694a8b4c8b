/**
 * BigQuery's concurrency rules on the emulator: the production incident (DELETE and INSERT as
 * separate jobs) reproduces; DML on one table queues (within BigQuery's limits, limits.ts); transactions have
 * snapshot isolation and abort at COMMIT on a concurrent update.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runScript, Session } from '@gradeguard/bigquery-emulator/testing';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;

beforeAll(async () => {
  // Each test starts from its own CREATE OR REPLACE of race.graded: with the metadata rate limit on (5 per table in 10 s,
  // DML counting towards it), every few tests were refused 403 rateLimitExceeded and the client backed off ~15 s. This
  // file is about DML and transaction concurrency, which stay on (dml_queue, dml_conflicts).
  bq = await startLocalBigQuery(':memory:', ['metadata_rate']);
  await bq.client.createDataset('race');
});
afterAll(() => bq?.stop());
beforeEach(async () => {
  await bq.rows('CREATE OR REPLACE TABLE race.graded (game_date DATE, player STRING, points INT64)');
});

const insertDate = (points: number) => `INSERT INTO race.graded SELECT DATE '2026-01-10', p, ${points} FROM UNNEST(['a', 'b', 'c']) AS p`;
const dupes = async () => (await bq.rows('SELECT COUNT(*) AS n FROM (SELECT player FROM race.graded GROUP BY player HAVING COUNT(*) > 1)'))[0].n;

describe('the grading incident', () => {
  it('DELETE then INSERT as separate jobs, interleaved by two runs, duplicates every key', async () => {
    await bq.rows(insertDate(1));
    // scheduled run and backfill, each: DELETE the date, then INSERT it
    await bq.rows("DELETE FROM race.graded WHERE game_date = '2026-01-10'");
    await bq.rows("DELETE FROM race.graded WHERE game_date = '2026-01-10'");
    await bq.rows(insertDate(2));
    await bq.rows(insertDate(3));
    expect(await dupes()).toBe(3);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM race.graded'))[0].n).toBe(6);
  });

  it('the same runs as one transaction each never duplicate, under 8 concurrent jobs', async () => {
    const script = (points: number) => `BEGIN TRANSACTION;
      DELETE FROM race.graded WHERE game_date = '2026-01-10';
      ${insertDate(points)};
      COMMIT TRANSACTION;`;
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, k) => bq.rows(script(k))));
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    for (const f of failures) expect(String(f.reason.message)).toMatch(/Transaction is aborted due to concurrent update against table gradeguard-local:race\.graded/);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(await dupes()).toBe(0);
    expect((await bq.rows('SELECT COUNT(*) AS n, COUNT(DISTINCT points) AS v FROM race.graded'))[0]).toEqual({ n: 3, v: 1 });
  });
});

describe('transactions', () => {
  it('a transaction whose table changed after it began aborts at COMMIT and leaves no trace', async () => {
    const engine = bq.emulator.engine;
    const t1 = new Session(engine);
    const other = new Session(engine);
    try {
      await t1.begin();
      await t1.execute("DELETE FROM race.graded WHERE game_date = '2026-01-10'");
      await t1.execute(insertDate(1));
      // snapshot isolation: another job does not see the uncommitted rows
      expect((await other.execute('SELECT COUNT(*) FROM race.graded')).rows[0][0]).toBe(0n);
      await other.execute(insertDate(2));
      await expect(t1.commit()).rejects.toThrow(/Transaction is aborted due to concurrent update against table gradeguard-local:race\.graded/);
      const rows = await bq.rows('SELECT points, COUNT(*) AS n FROM race.graded GROUP BY points');
      expect(rows).toEqual([{ points: 2, n: 3 }]);
    } finally {
      await t1.close();
      await other.close();
    }
  });

  it('ROLLBACK TRANSACTION undoes the changes; a script ending inside a transaction fails and rolls back', async () => {
    await bq.rows(`BEGIN TRANSACTION; ${insertDate(1)}; ROLLBACK TRANSACTION;`);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM race.graded'))[0].n).toBe(0);
    await expect(bq.rows(`BEGIN TRANSACTION; ${insertDate(1)};`)).rejects.toThrow(/not committed/);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM race.graded'))[0].n).toBe(0);
  });

  it('an error inside BEGIN..EXCEPTION rolls back when the handler says so', async () => {
    const session = new Session(bq.emulator.engine);
    try {
      const r = await runScript(
        session,
        `
        BEGIN
          BEGIN TRANSACTION;
          ${insertDate(1)};
          SELECT ERROR('boom');
          COMMIT TRANSACTION;
        EXCEPTION WHEN ERROR THEN
          ROLLBACK TRANSACTION;
          SELECT @@error.message AS message;
        END;`,
      );
      expect(String(r.last?.rows[0][0])).toMatch(/boom/);
    } finally {
      await session.close();
    }
    expect((await bq.rows('SELECT COUNT(*) AS n FROM race.graded'))[0].n).toBe(0);
  });
});

describe('DML and job concurrency', () => {
  it('20 concurrent UPDATE jobs on one table: none refused by the queue (2 run, 18 wait), each applies once or loses its conflict reruns', async () => {
    await bq.rows("INSERT INTO race.graded VALUES ('2026-01-10', 'a', 0)");
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => bq.rows("UPDATE race.graded SET points = points + 1 WHERE player = 'a'")));
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    for (const f of failures) expect(String(f.reason.message)).toMatch(/^Could not serialize access to table gradeguard-local:race\.graded due to concurrent update$/);
    expect(await bq.rows('SELECT points FROM race.graded')).toEqual([{ points: 20 - failures.length }]);
  });

  it('50 concurrent query jobs all succeed', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, k) => bq.rows('SELECT @k * 2 AS v', { k })));
    expect(results.map((r) => r[0].v)).toEqual(Array.from({ length: 50 }, (_, k) => k * 2));
  });

  it('a single statement is atomic: an INSERT that fails on one row writes nothing', async () => {
    await expect(bq.rows("INSERT INTO race.graded SELECT DATE '2026-01-10', CAST(x AS STRING), DIV(10, x) FROM UNNEST([5, 2, 0, 1]) AS x")).rejects.toThrow(/division by zero/);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM race.graded'))[0].n).toBe(0);
  });
});
