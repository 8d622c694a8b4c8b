/**
 * Reading a member of a JSON value, and a field of an ARRAY, as BigQuery does
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#field_access_operator and
 * #json_subscript_operator): a JSON member by any key, an empty one or one with quotes included (ZetaSQL's json_queries
 * cases); a string subscript of a JSON array is NULL (an array has no members; DuckDB read a digit key as an index);
 * and an ARRAY has no fields: an array of STRUCTs is flattened with UNNEST, and FLATTEN is not a BigQuery function.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

let emu: BigQueryEmulator;
const query = async (sql: string) => {
  const res = await fetch(`${emu.url}/projects/${emu.projectId}/queries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: sql, useLegacySql: false }),
  });
  const body = await res.json();
  return { error: body.error?.message as string | undefined, row: body.rows?.[0]?.f.map((c: { v: unknown }) => c.v) };
};

beforeAll(async () => {
  emu = await startBigQueryEmulator({ port: 0 });
});
afterAll(async () => emu?.stop());

describe('member and field access', () => {
  it('reads a JSON member by an empty key, or one with a quote, a backslash or a slash', async () => {
    const r = await query(`SELECT j[''], j['a"b'], j['c\\\\d'], j['e/f'], j['e/f'].\`x"y\`, j.a FROM (SELECT JSON '{"": 1, "a\\\\"b": 2, "c\\\\\\\\d": 3, "e/f": {"x\\\\"y": 4}, "a": null}' AS j)`);
    expect(r.error).toBeUndefined();
    expect(r.row).toEqual(['1', '2', '3', '{"x\\"y":4}', '4', 'null']);
  });

  it('gives NULL for a string subscript of a JSON array, the member of an object whose key is digits or a wildcard character, and an error for a STRUCT', async () => {
    const r = await query(`SELECT (JSON '[1, 2]')['0'], (JSON '{"0": 5}')['0'], (JSON '[{"x": 3}]')[0]['x'], (JSON '{"a": 1}')['b'], (JSON '{"*": 6, "a[0]": 7}')['*'], (JSON '{"*": 6, "a[0]": 7}')['a[0]']`);
    expect(r.error).toBeUndefined();
    expect(r.row).toEqual([null, '5', '3', null, '6', '7']);
    // A STRUCT or ARRAY has no members by name in BigQuery (a struct subscript takes a position).
    for (const sql of ["SELECT STRUCT(1 AS a)['a']", "SELECT [1, 2]['a']"]) expect((await query(sql)).error, sql).toMatch(/^A subscript with a STRING key reads a member of a JSON value only/);
  });

  it('gives NULL from JSON_VALUE_ARRAY where the value is no array of scalars, as documented', async () => {
    // https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_value_array (its examples).
    const r = await query(`SELECT JSON_VALUE_ARRAY('{"a": "foo"}', '$') IS NULL, JSON_VALUE_ARRAY('{"a": [{"b": "foo"}], "d": "baz"}', '$.a') IS NULL,
      JSON_VALUE_ARRAY('}}', '$') IS NULL, JSON_VALUE_ARRAY('{"a": ["foo"]}', '$.b') IS NULL, JSON_EXTRACT_STRING_ARRAY('{"foo": "bar"}') IS NULL,
      ARRAY_TO_STRING(JSON_VALUE_ARRAY('{"fruits": ["apples", "oranges"]}', '$.fruits'), ',')`);
    expect(r.error).toBeUndefined();
    expect(r.row).toEqual(['true', 'true', 'true', 'true', 'true', 'apples,oranges']);
  });

  it('refuses a field of an ARRAY, and FLATTEN, as errors', async () => {
    const field = await query('SELECT [STRUCT(1 AS x), STRUCT(2 AS x)].x');
    expect(field.error).toMatch(/^Cannot access field x: the local emulator holds the value as a type without fields/);
    const flatten = await query('SELECT FLATTEN([STRUCT([1] AS a)].a)');
    expect(flatten.error).toBe('Function not found: FLATTEN');
    const unnest = await query('SELECT ARRAY(SELECT s.x FROM UNNEST([STRUCT(1 AS x), STRUCT(2 AS x)]) AS s)');
    expect(unnest.row).toEqual([[{ v: '1' }, { v: '2' }]]);
  });
});
