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

  it('answers statements that only read, compare and return TIMESTAMP instants under another zone', async () => {
    for (const sql of [
      "SELECT id FROM tz.events WHERE at >= TIMESTAMP '2019-12-31 16:00:00 America/Los_Angeles' ORDER BY at",
      "SELECT TIMESTAMP_ADD(at, INTERVAL 1 DAY) > TIMESTAMP '2020-01-01T00:00:00Z' AS later FROM tz.events",
      "CREATE TABLE tz.more AS SELECT 2 AS id, CAST(NULL AS TIMESTAMP) AS at, TIMESTAMP '2020-01-01 00:00:00+01:00' AS at2, DATE '2020-01-01' AS d, CAST('2020-01-01' AS DATE) AS d2",
    ]) {
      const r = await query(sql, la);
      expect(r.body.error, sql).toBeUndefined();
    }
    const r = await query('SELECT at FROM tz.events', la);
    expect(r.body.rows?.[0]?.f?.[0]?.v).toBe('1577836800000000');
  });

  it('refuses what turns a TIMESTAMP into civil time or text, or text into a TIMESTAMP, under another zone', async () => {
    for (const sql of [
      "SELECT TIMESTAMP '2020-01-01'",
      'SELECT DATE(at) FROM tz.events',
      'SELECT EXTRACT(HOUR FROM at) FROM tz.events',
      "SELECT id FROM tz.events WHERE at > '2020-01-01 00:00:00'",
      "SELECT CAST('2020-01-01 00:00:00' AS TIMESTAMP)",
    ]) {
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
