/**
 * A big operand of a repeating macro is bound once (emulator/bigquery/sql/bind-operands-once.ts). The cleanup's and the
 * tests' row fingerprints, CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(...))), 1, 12)) AS INT64), expanded to
 * tens of thousands of nodes through the macros' repeated operands: DuckDB took 0.85 s to bind them for a single row.
 * Here: the catalog reads the repetition from the macros' text, the fingerprint takes the `_once` forms, and its value
 * is the one computed independently in Node (md5 of BigQuery's JSON text); a constant operand keeps the plain call.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { macroCatalog, translateStatement } from '@gradeguard/bigquery-emulator/testing';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
  await bq.rows('CREATE SCHEMA ds');
  await bq.rows("CREATE TABLE ds.t AS SELECT i AS id, CONCAT('p', CAST(i AS STRING)) AS player, DATE_ADD(DATE '2026-01-01', INTERVAL MOD(i, 3) DAY) AS d FROM UNNEST(GENERATE_ARRAY(1, 30)) AS i");
}, 60_000);
afterAll(async () => bq?.stop());

const FINGERPRINT = "CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(STRUCT(id, player)))), 1, 12)) AS INT64)";
const ctx = { literal: () => undefined, resolveTable: () => undefined };

describe('repeated macro operands', () => {
  it('the catalog counts the copies a macro makes of each operand, through the macros it calls', () => {
    expect(macroCatalog.form('__gg_to_int64', 1)!.repeats[0]).toBeGreaterThan(1);
    expect(macroCatalog.form('__gg_format_t', 1)!.repeats[0]).toBeGreaterThan(macroCatalog.form('__gg_to_string', 1)!.repeats[0]);
    expect(macroCatalog.form('__gg_md5', 1)!.repeats).toEqual([1]);
    expect(macroCatalog.form('__gg_no_such_macro', 1)).toBeUndefined();
  });

  it('a row fingerprint binds its big operand once and sums to the value computed in Node', async () => {
    const sql = translateStatement(`SELECT d, SUM(${FINGERPRINT}) AS s FROM ds.t GROUP BY d`, ctx);
    expect(sql).toMatch(/__GG_TO_INT64_ONCE\(/i);
    const rows = await bq.rows(`SELECT CAST(d AS STRING) AS d, COUNT(*) AS n, SUM(${FINGERPRINT}) AS s FROM ds.t GROUP BY d ORDER BY d`);
    const expected = new Map<string, bigint>();
    for (let i = 1; i <= 30; i++) {
      const day = `2026-01-0${1 + (i % 3)}`;
      const hex = createHash('md5')
        .update(JSON.stringify({ id: i, player: `p${i}` }))
        .digest('hex')
        .slice(0, 12);
      expected.set(day, (expected.get(day) ?? 0n) + BigInt(`0x${hex}`));
    }
    expect(rows.map((r) => [r.d, r.n, String(r.s)])).toEqual([...expected].sort().map(([day, s]) => [day, 10, String(s)]));
  });

  it('a correlated column in a bound operand: the operand is bound outside the lambda, where the outer row is in scope', async () => {
    const inner = "SUM(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(STRUCT(x, t.id)))), 1, 12)) AS INT64))";
    const sql = `SELECT t.id, (SELECT ${inner} FROM UNNEST([1, 2]) AS x) AS s FROM ds.t AS t WHERE t.id <= 3 ORDER BY t.id`;
    expect(translateStatement(sql, ctx)).toMatch(/__GG_TO_INT64_ONCE\(/i);
    const rows = await bq.rows(sql);
    const part = (x: number, id: number) => BigInt(`0x${createHash('md5').update(JSON.stringify({ x, id })).digest('hex').slice(0, 12)}`);
    expect(rows.map((r) => [r.id, String(r.s)])).toEqual([1, 2, 3].map((id) => [id, String(part(1, id) + part(2, id))]));
  });

  it('a constant operand in a repeated position keeps the plain call: a format stays a constant', async () => {
    const big = "TIMESTAMP_ADD(TIMESTAMP(CONCAT(CAST(DATE_ADD(d, INTERVAL 1 DAY) AS STRING), ' 10:00:00')), INTERVAL id MINUTE)";
    const [row] = await bq.rows(`SELECT FORMAT_TIMESTAMP('%Y-%m-%d %H:%M', ${big}, 'UTC') AS f FROM ds.t WHERE id = 1`);
    expect(row.f).toBe('2026-01-03 10:01');
  });
});
