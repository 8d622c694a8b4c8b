/**
 * SAFE. calls (functions-reference#safe_prefix): BigQuery returns NULL where the function would raise an error. The
 * emulator translates them to DuckDB's TRY, which would also turn the emulator's own refusals into NULL, answering
 * where it cannot: those must still raise ("not supported by the local emulator"), and BigQuery's errors must not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
}, 60_000);
afterAll(async () => bq?.stop());

async function query(sql: string): Promise<{ cells: unknown[]; error?: string }> {
  const r = await rest(bq.emulator.url, 'POST', `/bigquery/v2/projects/${bq.emulator.projectId}/queries`, { query: sql, useLegacySql: false });
  return { cells: (r.json.rows?.[0]?.f ?? []).map((c: { v: unknown }) => c.v), error: r.json.error?.message };
}

describe('SAFE. calls', () => {
  it.each([
    ["SAFE.CONCAT(FORMAT('%t', STRUCT(1 AS a)))", "FORMAT's %t of a STRUCT value"],
    ["SAFE.ABS(CAST('123456789012345678901234' AS BIGNUMERIC))", 'The BIGNUMERIC value 123456789012345678901234'],
    // A column's text (a literal's digits are known to the translation, which casts '1e5' exactly).
    ["SAFE.ABS(CAST(v AS BIGNUMERIC)) FROM (SELECT '1e5' AS v)", 'CAST of a string with an exponent (1e5) to BIGNUMERIC'],
    // A line break inside the refusal's text (DuckDB's message then spans lines).
    ["SAFE_CAST(v AS BIGNUMERIC) FROM (SELECT '1e5\\n' AS v)", 'CAST of a string with an exponent (1e5\n) to BIGNUMERIC'],
    ["SAFE.LENGTH(CAST(RANGE(DATE '2020-01-01', DATE '2020-02-01') AS STRING))", 'A RANGE value as text'],
    ["SAFE.STRING(TIMESTAMP '2020-01-01', '+12:75')", 'The time zone +12:75 (an offset with more than 59 minutes)'],
    ["SAFE.REGEXP_EXTRACT_ALL(v, 'x*') FROM (SELECT 'ab' AS v)", 'REGEXP_EXTRACT_ALL with a pattern that matches an empty string'],
  ])('%s raises the refusal, never NULL', async (call, refusal) => {
    const r = await query(`SELECT ${call}`);
    expect(r.cells).toEqual([]);
    expect(r.error).toBe(`${refusal}${r.error?.slice(refusal.length)}`);
    expect(r.error).toContain('is not supported by the local emulator');
  });

  it("is NULL where BigQuery's function raises, also for the functions whose errors the emulator raises itself", async () => {
    const r = await query(`SELECT SAFE.MOD(7, 0), SAFE.DIV(7, 0), SAFE.REPEAT('a', -1), SAFE.REPEAT(b'a', -1), SAFE.LPAD('a', -1),
      SAFE.INSTR('abc', 'b', 0), SAFE.REGEXP_EXTRACT('abc', 'b', 0), SAFE.ARRAY_FIRST(ARRAY<INT64>[]), SAFE.SQRT(-1),
      SAFE.STRING(TIMESTAMP '2020-01-01', '+14:30')`);
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual([null, null, null, null, null, null, null, null, null, null]);
  });

  it("raises the errors of its arguments, which are not the function's own (functions-reference#safe_prefix)", async () => {
    const r = await query('SELECT SAFE.CONCAT(CAST(1 / (x - x) AS STRING)) FROM UNNEST([1]) AS x');
    expect(r.error).toBe('division by zero: 1 / 0');
    expect((await query("SELECT SAFE.REPEAT('a', x - 3), SAFE.CONCAT(CAST(1 / x AS STRING)) FROM UNNEST([2]) AS x")).cells).toEqual([null, '0.5']);
  });

  it('takes date parts as names and refuses deep nesting rather than copying arguments without end', async () => {
    const r = await query("SELECT SAFE.DATE_TRUNC(DATE '2020-02-05', WEEK(MONDAY)), SAFE.DATE_DIFF(DATE '2020-02-05', DATE '2020-01-01', WEEK(MONDAY))");
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual(['2020-02-03', '5']);
    const nested = await query("SELECT SAFE.REVERSE(SAFE.REVERSE(SAFE.REVERSE(SAFE.REVERSE(SAFE.REVERSE(CONCAT('a', 'b'))))))");
    expect(nested.error).toContain('nested in the arguments of a SAFE. call is not supported by the local emulator');
  });

  it("SAFE_ADD and its kin, which are TRY as well, raise their arguments' errors and the emulator's refusals", async () => {
    expect((await query('SELECT SAFE_ADD(x[OFFSET(5)], 1) FROM (SELECT [1] AS x)')).error).toBe('Array index 5 is out of bounds (overflow)');
    expect((await query('SELECT SAFE_ADD(9223372036854775807, 1), SAFE_NEGATE(-9223372036854775808)')).cells).toEqual([null, null]);
    const wide = await query("SELECT SAFE.CEIL(BIGNUMERIC '99999999999999999999.1')");
    expect(wide.error).toContain('past the 20 integer digits the local emulator keeps, is not supported by the local emulator');
  });

  it('keeps every argument of the function it wraps', async () => {
    // SAFE.INSTR went through the SQL parser's own INSTR, which keeps two arguments: position 0 answered 2.
    const r = await query("SELECT SAFE.INSTR('abcb', 'b', 1, 2), SAFE . INSTR('abcb', 'b', 3), SAFE.REGEXP_EXTRACT('abcabc', 'b.', 1, 2), SAFE.MOD(7, 3)");
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual(['4', '4', 'bc', '1']);
  });
});
