/**
 * The `time_zone` connection property is the job's default time zone (it used to be refused for any statement that
 * could depend on it). Expected values from BigQuery's documentation of the TIMESTAMP functions and conversion rules
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions): a TIMESTAMP literal or string
 * without a zone is read in the default zone, civil time and text come out in it, a DAY added to a TIMESTAMP is 24
 * hours, and UNIX_* and TIMESTAMP_MICROS are zone-free.
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
const zone = (value: string) => [{ key: 'time_zone', value }];
const la = zone('America/Los_Angeles');
const firstRow = (r: { body: { rows?: Array<{ f: Array<{ v: unknown }> }>; error?: { message: string } } }) => {
  expect(r.body.error).toBeUndefined();
  return r.body.rows?.[0]?.f.map((c) => c.v);
};

beforeAll(async () => {
  emu = await startBigQueryEmulator({ port: 0 });
  await query('CREATE SCHEMA tz');
  await query("CREATE TABLE tz.events AS SELECT 1 AS id, TIMESTAMP '2020-01-01 00:00:00+00' AS at");
});
afterAll(async () => emu?.stop());

describe('time_zone connection property', () => {
  it('reads a TIMESTAMP literal or string without a zone in the job zone, and one with a zone as written', async () => {
    const row = firstRow(await query("SELECT TIMESTAMP '2020-01-01 00:00:00', CAST('2020-07-01 12:00:00' AS TIMESTAMP), TIMESTAMP '2020-01-01 00:00:00+00', TIMESTAMP(DATE '2020-01-01')", la));
    // Midnight in Los Angeles is 08:00 UTC in winter, noon 19:00 UTC in summer (PDT).
    expect(row).toEqual(['1577865600000000', '1593630000000000', '1577836800000000', '1577865600000000']);
  });

  it('gives civil time and text in the job zone', async () => {
    const row = firstRow(await query("SELECT CAST(at AS STRING), DATE(at), EXTRACT(HOUR FROM at), FORMAT_TIMESTAMP('%F %T %Ez', at), DATETIME(at), STRING(at, 'Asia/Kolkata') FROM tz.events", la));
    expect(row).toEqual(['2019-12-31 16:00:00-08', '2019-12-31', '16', '2019-12-31 16:00:00 -08:00', '2019-12-31T16:00:00', '2020-01-01 05:30:00+05:30']);
  });

  it('casts a TIMESTAMP to TIME in the job zone, and gives CURRENT_DATETIME and CURRENT_TIME as civil time of a zone', async () => {
    // https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions: TIMESTAMP to TIME takes the
    // default time zone; CURRENT_DATETIME/CURRENT_TIME take theirs, or the default one (datetime_functions, time_functions).
    const row = firstRow(await query('SELECT CAST(at AS TIME), SAFE_CAST(at AS TIME), TIME(at) FROM tz.events', la));
    expect(row).toEqual(['16:00:00', '16:00:00', '16:00:00']);
    // DATE(), TIME() and DATETIME() of a string with an offset read it as a TIMESTAMP (ZetaSQL date_from_string_*).
    const fromText = firstRow(await query("SELECT DATE('2019-08-01 03:00:00+00'), TIME('2010-11-12 01:02:03.456+08'), DATETIME('2019-08-01 03:00:00+00'), DATE('2019-08-01 03:00:00')", la));
    expect(fromText).toEqual(['2019-07-31', '09:02:03.456', '2019-07-31T20:00:00', '2019-08-01']);
    const now = await query(
      "SELECT CURRENT_DATETIME() = DATETIME(CURRENT_TIMESTAMP()), CURRENT_TIME('+05') = TIME(CURRENT_TIMESTAMP(), '+05'), CURRENT_DATETIME('UTC') = DATETIME(CURRENT_TIMESTAMP(), 'UTC'), CURRENT_DATE('-09') = DATE(CURRENT_TIMESTAMP(), '-09'), CURRENT_TIME",
      la,
    );
    expect(now.body.schema.fields.map((f: { type: string }) => f.type)).toEqual(['BOOLEAN', 'BOOLEAN', 'BOOLEAN', 'BOOLEAN', 'TIME']);
    expect(firstRow(now)?.slice(0, 4)).toEqual(['true', 'true', 'true', 'true']);
  });

  it('reads a leap second of a TIMESTAMP string as the next minute, keeping its fraction, and builds DATETIME(date, time)', async () => {
    // ZetaSQL's civil_time case cast_from_timestamp_to_time: TIMESTAMP "2015-11-06 12:59:60.123456" is 13:00:00.123456.
    const row = firstRow(
      await query(
        "SELECT CAST(TIMESTAMP '2015-11-06 12:59:60.123456+00' AS STRING), DATETIME(DATE '2020-01-02', TIME '10:11:12'), CAST(at AS STRING FORMAT 'YYYY' AT TIME ZONE CAST(NULL AS STRING)) FROM tz.events",
      ),
    );
    expect(row).toEqual(['2015-11-06 13:00:00.123456+00', '2020-01-02T10:11:12', null]);
  });

  it('compares a TIMESTAMP with a string in the job zone', async () => {
    const r = await query("SELECT id FROM tz.events WHERE at = '2019-12-31 16:00:00'", la);
    expect(firstRow(r)).toEqual(['1']);
  });

  it('adds a DAY to a TIMESTAMP as 24 hours across a daylight-saving change, and steps GENERATE_TIMESTAMP_ARRAY the same way', async () => {
    // 2016-03-13 is 23 hours long in Los Angeles.
    const row = firstRow(
      await query(
        "SELECT TIMESTAMP_ADD(TIMESTAMP '2016-03-12 12:00:00', INTERVAL 1 DAY), ARRAY_LENGTH(GENERATE_TIMESTAMP_ARRAY('2016-03-12', '2016-03-14', INTERVAL 1 DAY)), GENERATE_TIMESTAMP_ARRAY('2016-03-12', '2016-03-14 12:00:00', INTERVAL 1 DAY)[OFFSET(2)], UNIX_SECONDS(TIMESTAMP_MICROS(0))",
        la,
      ),
    );
    // Midnight of 2016-03-14 is 07:00 UTC (PDT), so the third 24-hour step (08:00 UTC) is past it.
    expect(row).toEqual(['1457899200000000', '2', '1457942400000000', '0']);
  });

  it('adds and subtracts INTERVAL days on a TIMESTAMP as 24 hours, refuses a MONTH part as BigQuery does, and keeps DATE and DATETIME arithmetic', async () => {
    const row = firstRow(
      await query(
        "SELECT TIMESTAMP '2024-03-12 12:00:00+00' - INTERVAL 7 DAY, TIMESTAMP_SUB(TIMESTAMP '2024-03-12 12:00:00+00', INTERVAL 7 DAY), INTERVAL 1 DAY + TIMESTAMP '2016-03-12 12:00:00', DATE '2016-03-12' + INTERVAL 1 DAY, DATETIME '2016-03-12 10:00:00' - INTERVAL 1 MONTH",
        la,
      ),
    );
    expect(row).toEqual(['1709640000000000', '1709640000000000', '1457899200000000', '2016-03-13T00:00:00', '2016-02-12T10:00:00']);
    const month = await query("SELECT TIMESTAMP '2016-03-12 12:00:00' + INTERVAL 1 MONTH", la);
    expect(month.body.error?.message).toMatch(/non-zero MONTH or YEAR part/);
    // The same for a negated, multiplied or constructed INTERVAL, and a chain of sums binds each inner sum once.
    const forms = firstRow(
      await query(
        "SELECT TIMESTAMP '2024-03-10 12:00:00+00' + -INTERVAL 1 DAY, TIMESTAMP '2024-03-09 12:00:00+00' + INTERVAL 1 DAY * 2, TIMESTAMP '2024-03-09 12:00:00+00' + MAKE_INTERVAL(day => 1), TIMESTAMP '2024-03-09 12:00:00+00' + INTERVAL 1 HOUR + INTERVAL 2 HOUR + INTERVAL 3 HOUR + INTERVAL 4 HOUR + INTERVAL 5 HOUR + INTERVAL 6 HOUR + INTERVAL 7 HOUR + INTERVAL 8 HOUR + INTERVAL 9 HOUR",
        la,
      ),
    );
    expect(forms).toEqual(['1709985600000000', '1710158400000000', '1710072000000000', '1710147600000000']);
    const constructed = await query("SELECT TIMESTAMP '2024-03-09 12:00:00+00' + MAKE_INTERVAL(month => 1)");
    expect(constructed.body.error?.message).toMatch(/non-zero MONTH or YEAR part/);
    const overflow = await query("SELECT TIMESTAMP '9999-12-31 12:00:00+00' + INTERVAL 1 DAY");
    expect(overflow.body.error?.message).toMatch(/out of range/);
  });

  it("writes a TIMESTAMP in UTC for FORMAT's %t and %T, and reads a TIMESTAMP parameter without a zone as UTC", async () => {
    expect(firstRow(await query("SELECT FORMAT('%t', TIMESTAMP '2024-03-09 12:00:00+00'), FORMAT('%T', TIMESTAMP '2024-03-09 12:00:00+00')", la))).toEqual([
      '2024-03-09 12:00:00+00',
      'TIMESTAMP "2024-03-09 12:00:00+00"',
    ]);
    const res = await fetch(`${emu.url}/projects/${emu.projectId}/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'SELECT UNIX_SECONDS(@t) AS s',
        useLegacySql: false,
        parameterMode: 'NAMED',
        queryParameters: [{ name: 't', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2024-01-01 00:00:00' } }],
        connectionProperties: la,
      }),
    });
    expect(firstRow({ body: await res.json() })).toEqual(['1704067200']);
  });

  it('takes a whole-hour offset as the zone, and refuses an offset with minutes or an unknown zone with clear errors', async () => {
    expect(firstRow(await query("SELECT CAST(TIMESTAMP '2020-01-01 00:00:00+00' AS STRING)", zone('+08')))).toEqual(['2020-01-01 08:00:00+08']);
    const minutes = await query('SELECT 1', zone('+05:30'));
    expect(minutes.body.error?.message).toMatch(/offset with minutes\) is not supported by the local emulator/);
    const unknown = await query('SELECT 1', zone('Mars/Olympus_Mons'));
    expect(unknown.body.error?.message).toMatch(/Invalid time zone: Mars\/Olympus_Mons/);
  });

  it('keeps one job zone from leaking into the next job on a reused connection', async () => {
    expect(firstRow(await query("SELECT CAST(TIMESTAMP '2020-01-01 00:00:00' AS STRING)", la))).toEqual(['2020-01-01 00:00:00-08']);
    for (const props of [undefined, zone('UTC')]) {
      expect(firstRow(await query("SELECT CAST(TIMESTAMP '2020-01-01 00:00:00' AS STRING), TIMESTAMP '2020-01-01 00:00:00'", props))).toEqual(['2020-01-01 00:00:00+00', '1577836800000000']);
    }
  });

  it('refuses what the emulator cannot do in another zone instead of answering in UTC', async () => {
    const r = await query("SELECT DATE_TRUNC(TIMESTAMP '2020-01-01 12:00:00', MONTH)", la);
    expect(r.body.error?.message).toMatch(/not supported by the local emulator/);
  });

  it('writes JSON of a TIMESTAMP in UTC under another zone, inside a STRUCT or ARRAY too', async () => {
    const sql = "SELECT TO_JSON_STRING(TIMESTAMP '2020-01-01 00:00:00+00'), TO_JSON_STRING([TIMESTAMP '2020-01-01 00:00:00+00']), TO_JSON_STRING(STRUCT(TIMESTAMP '2020-01-01 00:00:00.5+00' AS t))";
    expect(firstRow(await query(sql, la))).toEqual(['"2020-01-01T00:00:00Z"', '["2020-01-01T00:00:00Z"]', '{"t":"2020-01-01T00:00:00.500Z"}']);
  });

  it('rejects a connection property given twice', async () => {
    const r = await query('SELECT 1', [...la, ...la]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/more than once/);
  });
});
