/**
 * BigQuery's per-table limits on the emulator (emulator/bigquery/limits.ts), and each switched off:
 *  - 25 concurrent UPDATEs of one table: the ones past 2 running + 20 queued fail with BigQuery's outstanding-DML
 *    error; the others each apply exactly once (or lose their conflict reruns with "Could not serialize access");
 *  - an UPDATE conflicting with another running one past BigQuery's three reruns: "Could not serialize access";
 *  - a burst of view replacements: the sixth within 10 seconds fails with 403 rateLimitExceeded;
 *  - with the limits off, every one of those jobs succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator, type LimitName } from '@gradeguard/bigquery-emulator';
import { parseLimitsOff } from '@gradeguard/bigquery-emulator/testing';
import { rest } from '../helpers/bigquery.ts';

const OUTSTANDING = /^Resources exceeded during query execution: Too many DML statements outstanding against table gradeguard-local:lim\.counter, limit is 20\.$/;
const SERIALIZE = /^Could not serialize access to table gradeguard-local:lim\.counter due to concurrent update$/;
const RATE = /^Exceeded rate limits: too many table update operations for this table/;

async function emulator(off: LimitName[] = []) {
  const e = await startBigQueryEmulator({ port: 0, limitsOff: off });
  const query = (sql: string) => rest(e.url, 'POST', `/projects/${e.projectId}/queries`, { query: sql, useLegacySql: false, timeoutMs: 120_000 });
  await query('CREATE SCHEMA lim');
  await query('CREATE TABLE lim.counter AS SELECT x AS id, 0 AS n FROM UNNEST(GENERATE_ARRAY(1, 20000)) AS x');
  return { e, query };
}

async function concurrentUpdates(query: (sql: string) => Promise<{ status: number; json: any }>, count: number) {
  const results = await Promise.all(Array.from({ length: count }, () => query('UPDATE lim.counter SET n = n + 1 WHERE TRUE')));
  const errors = results.filter((r) => r.json.error).map((r) => String(r.json.error.message));
  const [{ f }] = (await query('SELECT MIN(n), MAX(n) FROM lim.counter')).json.rows;
  return { errors, succeeded: count - errors.length, min: Number(f[0].v), max: Number(f[1].v) };
}

describe('limits on (the default)', () => {
  let e: BigQueryEmulator;
  let query: (sql: string) => Promise<{ status: number; json: any }>;
  beforeAll(async () => ({ e, query } = await emulator()), 60_000);
  afterAll(() => e?.stop());

  it('25 concurrent UPDATEs on one table: some fail with the outstanding-DML error, each success applied once', async () => {
    const r = await concurrentUpdates(query, 25);
    expect(
      r.errors.some((m) => OUTSTANDING.test(m)),
      JSON.stringify(r.errors),
    ).toBe(true);
    for (const m of r.errors) expect(m).toMatch(new RegExp(`${OUTSTANDING.source}|${SERIALIZE.source}`));
    expect(r.errors.filter((m) => OUTSTANDING.test(m)).length).toBeLessThanOrEqual(3);
    expect(r).toMatchObject({ min: r.succeeded, max: r.succeeded });
  }, 120_000);

  it('an UPDATE that keeps conflicting with another running UPDATE of the same rows fails after three reruns', async () => {
    // Another mutating statement holds a running slot of the table and has changed every row, uncommitted.
    const releaseSlot = await e.engine.limits.admitMutatingDml(e.projectId, 'lim.counter');
    const other = await e.engine.connect();
    try {
      await other.run('BEGIN TRANSACTION');
      await other.run('UPDATE lim.counter SET n = n + 100');
      const r = await query('UPDATE lim.counter SET n = n + 1 WHERE TRUE');
      expect(r.json.error?.message).toMatch(SERIALIZE);
    } finally {
      await other.run('ROLLBACK');
      other.closeSync();
      releaseSlot();
    }
    // Alone, the same statement applies.
    const before = Number((await query('SELECT MAX(n) FROM lim.counter')).json.rows[0].f[0].v);
    expect((await query('UPDATE lim.counter SET n = n + 1 WHERE TRUE')).json.error).toBeUndefined();
    expect(Number((await query('SELECT MIN(n) FROM lim.counter')).json.rows[0].f[0].v)).toBe(before + 1);
  }, 60_000);

  it('a burst of view replacements: the sixth within 10 s fails with 403 rateLimitExceeded, other tables unaffected', async () => {
    const results = [];
    for (let k = 0; k < 7; k++) results.push(await query(`CREATE OR REPLACE VIEW lim.v AS SELECT ${k} AS x`));
    expect(results.slice(0, 5).map((r) => r.json.error?.message ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(results[5].json.error.message).toMatch(RATE);
    expect(results[5].json.error.errors[0].reason).toBe('rateLimitExceeded');
    expect((await query('SELECT x FROM lim.v')).json.rows[0].f[0].v).toBe('4');
    expect((await query('CREATE OR REPLACE VIEW lim.other AS SELECT 1 AS x')).json.error).toBeUndefined();
    // tables.patch is a metadata update too
    const patch = await rest(e.url, 'PATCH', `/projects/${e.projectId}/datasets/lim/tables/v`, { description: 'x' });
    expect(patch.status).toBe(403);
    expect(patch.json.error.message).toMatch(RATE);
  }, 60_000);
});

describe('limits off', () => {
  let e: BigQueryEmulator;
  let query: (sql: string) => Promise<{ status: number; json: any }>;
  beforeAll(async () => ({ e, query } = await emulator(['dml_queue', 'dml_conflicts', 'metadata_rate'])), 60_000);
  afterAll(() => e?.stop());

  it('25 concurrent UPDATEs all apply (queued one at a time) and view replacements are never refused', async () => {
    const r = await concurrentUpdates(query, 25);
    expect(r).toEqual({ errors: [], succeeded: 25, min: 25, max: 25 });
    for (let k = 0; k < 7; k++) expect((await query(`CREATE OR REPLACE VIEW lim.v AS SELECT ${k} AS x`)).json.error).toBeUndefined();
  }, 120_000);

  it('GRADEGUARD_EMULATOR_LIMITS_OFF: all, a list, or an error naming an unknown limit', () => {
    expect([...parseLimitsOff('all')].sort()).toEqual(['dml_conflicts', 'dml_queue', 'metadata_rate']);
    expect([...parseLimitsOff(' metadata_rate ,dml_queue')]).toEqual(['metadata_rate', 'dml_queue']);
    expect([...parseLimitsOff(undefined)]).toEqual([]);
    expect(() => parseLimitsOff('metadata')).toThrow(/unknown limit "metadata"/);
  });
});
