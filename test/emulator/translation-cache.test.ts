/**
 * Repeated statements reuse their translation: parameter values, the default dataset and script variables must
 * still take effect on every job (the cache keys on the text and replays table resolutions).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { translateStatement } from '@gradeguard/bigquery-emulator/testing';
import { rest, startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
beforeAll(async () => {
  bq = await startLocalBigQuery();
  for (const ds of ['tc_a', 'tc_b']) {
    await bq.client.createDataset(ds);
    await bq.rows(`CREATE TABLE ${ds}.t AS SELECT '${ds}' AS src, n FROM UNNEST([1, 2, 3]) AS n`);
  }
});
afterAll(() => bq?.stop());

const query = async (body: Record<string, unknown>) => {
  const r = await rest(bq.emulator.url, 'POST', `/projects/${bq.emulator.projectId}/queries`, { useLegacySql: false, ...body });
  if (r.json.error) throw new Error(r.json.error.message);
  return (r.json.rows ?? []).map((row: any) => row.f.map((c: any) => c.v));
};

it('the same text with other parameter values, another default dataset or other variable values', async () => {
  const sql = 'SELECT src, n FROM t WHERE n >= @min ORDER BY n';
  const p = (min: number) => ({ parameterMode: 'NAMED', queryParameters: [{ name: 'min', parameterType: { type: 'INT64' }, parameterValue: { value: String(min) } }] });
  expect(await query({ query: sql, defaultDataset: { datasetId: 'tc_a' }, ...p(3) })).toEqual([['tc_a', '3']]);
  expect(await query({ query: sql, defaultDataset: { datasetId: 'tc_a' }, ...p(2) })).toEqual([
    ['tc_a', '2'],
    ['tc_a', '3'],
  ]);
  expect(await query({ query: sql, defaultDataset: { datasetId: 'tc_b' }, ...p(3) })).toEqual([['tc_b', '3']]);
  await expect(query({ query: sql, defaultDataset: { datasetId: 'tc_b' } })).rejects.toThrow(/Query parameter 'min' not found/);
  const script = (v: number) => `DECLARE x INT64 DEFAULT ${v};\nSELECT n FROM tc_a.t WHERE n > x ORDER BY n`;
  expect(await query({ query: script(1) })).toEqual([['2'], ['3']]);
  expect(await query({ query: script(2) })).toEqual([['3']]);
});

it('a repeated statement is parsed and translated once: the second job gets the cached translation', () => {
  // onAst sees the statement's parsed AST: the cache hands back the very object the first translation parsed.
  const seen: unknown[] = [];
  const ctx = { literal: (key: string) => (key === 'min' ? 'CAST(2 AS BIGINT)' : undefined), resolveTable: () => undefined, onAst: (ast: unknown) => seen.push(ast) };
  const sql = 'SELECT n FROM tc_cache_probe.t WHERE n >= @min';
  const first = translateStatement(sql, ctx);
  const second = translateStatement(sql, { ...ctx, literal: (key: string) => (key === 'min' ? 'CAST(3 AS BIGINT)' : undefined) });
  expect(seen).toHaveLength(2);
  expect(seen[1]).toBe(seen[0]);
  expect(first).toContain('CAST(2 AS BIGINT)');
  expect(second).toBe(first.replace('CAST(2 AS BIGINT)', 'CAST(3 AS BIGINT)'));
});
