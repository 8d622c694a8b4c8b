/**
 * The `time_zone` connection property: the emulator computes in UTC, so under another zone it answers only
 * statements that cannot depend on the zone and refuses the rest (it used to ignore the property and answer in UTC).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

let emu: BigQueryEmulator;
const query = async (sql: string, connectionProperties?: unknown) => {
  const res = await fetch(`${emu.url}/projects/${emu.projectId}/queries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: sql, useLegacySql: false, formatOptions: { useInt64Timestamp: true }, ...(connectionProperties ? { connectionProperties } : {}) }),
  });
  return { status: res.status, body: await res.json() };
};
const la = [{ key: 'time_zone', value: 'America/Los_Angeles' }];

beforeAll(async () => {
  emu = await startBigQueryEmulator({ port: 0 });
  await query('CREATE SCHEMA tz');
  await query("CREATE TABLE tz.events AS SELECT 1 AS id, TIMESTAMP '2020-01-01 00:00:00+00' AS at");
  await query('CREATE TABLE tz.plain AS SELECT 1 AS id');
});
afterAll(async () => emu?.stop());

describe('time_zone connection property', () => {
  it('answers zone-independent statements under another zone', async () => {
    const r = await query('SELECT id + 1 AS n FROM tz.plain', la);
    expect(r.body.rows?.[0]?.f?.[0]?.v).toBe('2');
  });

  it('refuses TIMESTAMP literals, zone-dependent functions and tables with TIMESTAMP columns under another zone', async () => {
    for (const sql of ["SELECT TIMESTAMP '2020-01-01 00:00:00'", 'SELECT CURRENT_DATE()', 'SELECT CAST(at AS STRING) FROM tz.events']) {
      const r = await query(sql, la);
      expect(r.body.error?.message, sql).toMatch(/time_zone .* not supported by the local emulator/);
    }
  });

  it('answers everything under UTC, given or not', async () => {
    for (const props of [undefined, [{ key: 'time_zone', value: 'UTC' }]]) {
      const r = await query("SELECT TIMESTAMP '2020-01-01 00:00:00'", props);
      expect(r.body.rows?.[0]?.f?.[0]?.v).toBe('1577836800000000');
    }
  });

  it('rejects a connection property given twice', async () => {
    const r = await query('SELECT 1', [...la, ...la]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/more than once/);
  });
});
