/**
 * The unmodified Dataform CLI against the emulator, on a fixture project with every action type:
 * declaration, table (partitioned + clustered), view, incremental (MERGE with uniqueKey, INSERT
 * without), operations, built-in and custom assertions, and a unit test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { prepareProject, repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

let bq: LocalBigQuery;
let dir: string;
const df = (...args: string[]) => runDataform(args, { projectDir: dir, target: bq.target, timeoutMs: 120_000 });

beforeAll(async () => {
  bq = await startLocalBigQuery();
  dir = prepareProject(join(repoRoot, 'test/fixtures/dataform-basic'));
  await bq.client.createDataset('fixture_raw');
  await bq.rows('CREATE TABLE fixture_raw.scores (player STRING, game_date DATE, score INT64)');
  await bq.rows(`INSERT INTO fixture_raw.scores VALUES ('a', '2024-01-01', 10), ('b', '2024-01-01', 7), ('a', '2024-01-02', 12), ('b', '2024-01-02', NULL), ('c', '2023-12-31', 99)`);
});

afterAll(async () => {
  await bq?.stop();
});

describe('dataform CLI on the emulator', () => {
  it('compiles offline and lists every action type', async () => {
    const r = await df('compile', '.', '--json');
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout);
    const types = graph.tables.map((t: any) => t.type).sort();
    expect(types).toEqual(['incremental', 'incremental', 'table', 'table', 'view']);
    expect(graph.operations).toHaveLength(1);
    expect(graph.declarations).toHaveLength(1);
    expect(graph.assertions.length).toBeGreaterThanOrEqual(4);
  });

  it('--dry-run creates no tables', async () => {
    const r = await df('run', '.', '--dry-run', '--tags', 'daily');
    expect(r.code, r.stderr).toBe(0);
    const [tables] = await bq.client
      .dataset('fixture')
      .getTables()
      .catch(() => [[]]);
    expect(tables.map((t: any) => t.id)).toEqual([]);
  });

  it('runs the daily actions: tables, view, incrementals, operations and built-in assertions', async () => {
    const r = await df('run', '.', '--tags', 'daily');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('Assertion passed');
    const totals = await bq.rows('SELECT player, CAST(game_date AS STRING) AS d, total, missing FROM fixture.daily_totals ORDER BY player, d');
    expect(totals).toEqual([
      { player: 'a', d: '2024-01-01', total: 10, missing: 0 },
      { player: 'a', d: '2024-01-02', total: 12, missing: 0 },
      { player: 'b', d: '2024-01-01', total: 7, missing: 0 },
      { player: 'b', d: '2024-01-02', total: null, missing: 1 },
    ]);
    const [meta] = await bq.client.dataset('fixture').table('daily_totals').getMetadata();
    expect(meta.type).toBe('TABLE');
    expect(meta.timePartitioning).toEqual({ type: 'DAY', field: 'game_date' });
    expect(meta.clustering).toEqual({ fields: ['player'] });
    const [view] = await bq.client.dataset('fixture').table('player_view').getMetadata();
    expect(view.type).toBe('VIEW');
    expect(await bq.rows('SELECT player, best FROM fixture.player_view ORDER BY player')).toEqual([
      { player: 'a', best: 12 },
      { player: 'b', best: 7 },
    ]);
    const [src] = await bq.client.dataset('fixture').table('source_scores').getMetadata();
    expect(src.description).toBe('Scores from the raw feed on or after min_date');
    expect(src.schema.fields.find((f: any) => f.name === 'score').description).toBe('Points');
    expect((await bq.rows('SELECT COUNT(*) AS n FROM fixture.scores_merge'))[0].n).toBe(4);
    expect(await bq.rows('SELECT players FROM fixture.run_log')).toEqual([{ players: 2 }]);
  });

  it('a second run MERGEs by unique key and INSERTs only new rows', async () => {
    await bq.rows(`UPDATE fixture_raw.scores SET score = 13 WHERE player = 'a' AND game_date = '2024-01-02'`);
    await bq.rows(`INSERT INTO fixture_raw.scores VALUES ('c', '2024-01-02', 15), ('a', '2024-01-03', 20)`);
    const r = await df('run', '.', '--tags', 'daily');
    expect(r.code, r.stderr).toBe(0);
    const merged = await bq.rows('SELECT player, CAST(game_date AS STRING) AS d, score FROM fixture.scores_merge ORDER BY player, d');
    expect(merged).toEqual([
      { player: 'a', d: '2024-01-01', score: 10 },
      { player: 'a', d: '2024-01-02', score: 13 },
      { player: 'a', d: '2024-01-03', score: 20 },
      { player: 'b', d: '2024-01-01', score: 7 },
      { player: 'b', d: '2024-01-02', score: null },
      { player: 'c', d: '2024-01-02', score: 15 },
    ]);
    const appended = await bq.rows('SELECT CAST(game_date AS STRING) AS d, COUNT(*) AS n FROM fixture.scores_append GROUP BY d ORDER BY d');
    expect(appended).toEqual([
      { d: '2024-01-01', n: 2 },
      { d: '2024-01-02', n: 2 },
      { d: '2024-01-03', n: 1 },
    ]);
    expect((await bq.rows('SELECT COUNT(*) AS n FROM fixture.run_log'))[0].n).toBe(2);
  });

  it('--full-refresh rebuilds incremental tables from scratch', async () => {
    const r = await df('run', '.', '--actions', 'scores_append', '--full-refresh');
    expect(r.code, r.stderr).toBe(0);
    const appended = await bq.rows('SELECT COUNT(*) AS n FROM fixture.scores_append');
    expect(appended[0].n).toBe(6);
  });

  it('a passing assertion exits 0; a failing one exits 1 and names the assertion', async () => {
    const ok = await df('run', '.', '--tags', 'checks');
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await df('run', '.', '--actions', 'checks_failing', '--vars', 'fail_check=yes');
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toMatch(/Assertion failed/);
    expect(bad.stderr + bad.stdout).toMatch(/checks_failing/);
  });

  it('--vars flow into the SQL and --include-deps runs the upstream actions', async () => {
    const r = await df('run', '.', '--actions', 'daily_totals', '--include-deps', '--vars', 'min_date=2024-01-02');
    expect(r.code, r.stderr).toBe(0);
    const dates = await bq.rows('SELECT DISTINCT CAST(game_date AS STRING) AS d FROM fixture.daily_totals ORDER BY d');
    expect(dates.map((x) => x.d)).toEqual(['2024-01-02', '2024-01-03']);
  });

  it('dataform test runs the unit test', async () => {
    const r = await df('test', '.');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/daily_totals_test.*passed|passed.*daily_totals_test/is);
  });
});
