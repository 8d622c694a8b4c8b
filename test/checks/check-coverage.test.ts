/**
 * A check that read nothing did not pass (issue 18): missing tables, a window without rows, dates with predictions
 * that were never graded, and dates graded into nothing each give their own status, alert and exit code, as real
 * `check` processes against the emulator. A second, empty emulator plays "the wrong dataset".
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays } from '../../src/runner/dates.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import { nodeCommand } from '../helpers/processes.ts';
import { targetOf } from './seed.ts';

let bq: LocalBigQuery;
let empty: LocalBigQuery;
let target: WarehouseTarget;

/**
 * predictions 02-01..02-08 (2 a day); grades (1 a day) and succeeded grading runs on 02-01..02-05 and 02-08;
 * 02-06: predictions, no grade, no run (not graded); 02-07: predictions, a succeeded run, no grade (graded into nothing).
 */
beforeAll(async () => {
  [bq, empty] = await Promise.all([startLocalBigQuery(), startLocalBigQuery()]);
  target = targetOf(bq);
  await ensureTables(bq.client, target, ['prediction_accuracy', 'player_prop_predictions', 'player_game_summary', 'grading_runs', 'grading_duplicate_audit']);
  const dates = Array.from({ length: 8 }, (_, i) => addDays('2026-02-01', i));
  const graded = [...dates.slice(0, 5), '2026-02-08'];
  const predictions = dates.flatMap((d) => ['p1', 'p2'].map((p) => `('id-${d}-${p}', 'g-${d}', DATE '${d}', '${p}', 's1', 10.5, 20.0, 0.7, 'OVER', TIMESTAMP '${d} 01:00:00', 1)`));
  await bq.rows(`INSERT INTO ${tableRef(target, 'player_prop_predictions')}
    (prediction_id, game_id, game_date, player_lookup, system_id, current_points_line, predicted_points, confidence_score, recommendation, created_at, prediction_version)
    VALUES ${predictions.join(',')}`);
  await bq.rows(`INSERT INTO ${tableRef(target, 'prediction_accuracy')} (game_id, game_date, player_lookup, system_id, line_value, graded_at, run_id, lock_token)
    VALUES ${graded.map((d) => `('g-${d}', DATE '${d}', 'p1', 's1', 10.5, TIMESTAMP '${d} 10:00:00', 'grade-${d}', 1)`).join(',')}`);
  await bq.rows(`INSERT INTO ${tableRef(target, 'grading_run_events')} (run_id, operation, game_dates, lock_token, started_at, finished_at, rows_written, status, event, recorded_at)
    VALUES ${[...graded, '2026-02-07'].map((d) => `('grade-${d}', 'grading', [DATE '${d}'], 1, TIMESTAMP '${d} 09:00:00', TIMESTAMP '${d} 10:00:00', ${d === '2026-02-07' ? 0 : 1}, 'succeeded', 'finished', TIMESTAMP '${d} 10:00:00')`).join(',')}`);
}, 60_000);
afterAll(async () => {
  await bq?.stop();
  await empty?.stop();
});

function check(args: string[], emulator = () => bq): Promise<{ code: number | null; stdout: string; stderr: string; alerts: Array<Record<string, any>> }> {
  const [cmd, argv] = nodeCommand('scripts/check.ts', args);
  const child = spawn(cmd, argv, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BIGQUERY_EMULATOR_HOST: emulator().emulator.url, GOOGLE_CLOUD_PROJECT: emulator().target.projectId, FIRESTORE_EMULATOR_HOST: '', SLACK_WEBHOOK_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const alerts = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((l) => l.event === 'alert');
      resolve({ code, stdout, stderr, alerts });
    }),
  );
}

test('the wrong dataset (nothing there): tables_missing, exit 5, and the check creates nothing', async () => {
  const r = await check(['--as-of', '2026-02-08'], () => empty);
  expect(r.code, r.stderr).toBe(5);
  expect(r.stdout).toContain(`the dataset ${empty.target.projectId}.nba_predictions does not exist`);
  expect(r.stdout).toMatch(/TABLES_MISSING \(exit 5; statuses: tables_missing\)/);
  expect(r.stdout).not.toMatch(/^clean$/m);
  expect(r.alerts.map((a) => [a.alert_kind, a.severity])).toEqual([['tables_missing', 'ERROR']]);
  expect(r.alerts[0].message).toContain('does not exist: nothing was checked');
  const [datasets] = await empty.client.getDatasets();
  expect(datasets).toEqual([]);
});

test('a table that is not there among those that are: exit 5, named', async () => {
  const r = await check(['--as-of', '2026-02-08', '--table', 'prediction_accuracy', '--table', 'performance_summary', '--json']);
  expect(r.code, r.stderr).toBe(5);
  const report = JSON.parse(r.stdout);
  expect({ status: report.status, missing: report.missingTables, exitCode: report.exitCode }).toEqual({ status: 'tables_missing', missing: ['performance_summary'], exitCode: 5 });
});

test('the default window past the data (the week ending today): window_empty, exit 6, with the last date that has rows', async () => {
  const r = await check(['--table', 'prediction_accuracy']);
  expect(r.code, r.stderr).toBe(6);
  expect(r.stdout).toMatch(/prediction_accuracy\s+0 .*EMPTY \(last 2026-02-08\)/);
  expect(r.stdout).toMatch(/WINDOW_EMPTY \(exit 6; statuses: window_empty\)/);
  expect(r.alerts.map((a) => a.alert_kind)).toEqual(['window_empty']);
  expect(r.alerts[0].next_step).toContain('prediction_accuracy: 2026-02-08');
});

test('a date graded successfully into 0 rows: graded_zero_rows, exit 8', async () => {
  const r = await check(['--as-of', '2026-02-08', '--days', '2', '--table', 'prediction_accuracy', '--json']);
  expect(r.code, r.stderr).toBe(8);
  const report = JSON.parse(r.stdout);
  expect({ statuses: report.statuses, zero: report.datesGradedZeroRows, notGraded: report.datesNotGraded }).toEqual({ statuses: ['graded_zero_rows'], zero: ['2026-02-07'], notGraded: [] });
  expect(r.alerts.map((a) => [a.alert_kind, a.game_date])).toEqual([['graded_zero_rows', '2026-02-07']]);
  expect(r.alerts[0].details.grading_runs).toBe('grade-2026-02-07');
});

test('a date with predictions never graded: dates_not_graded, exit 7 (outranks the zero-row date, both reported)', async () => {
  const r = await check(['--as-of', '2026-02-08', '--days', '8', '--table', 'prediction_accuracy']);
  expect(r.code, r.stderr).toBe(7);
  expect(r.stdout).toContain('dates with predictions, no graded row, no successful grading run: 2026-02-06');
  expect(r.stdout).toContain('dates graded successfully with 0 rows although they have predictions: 2026-02-07');
  expect(r.stdout).toMatch(/DATES_NOT_GRADED \(exit 7; statuses: dates_not_graded, graded_zero_rows\)/);
  expect(r.alerts.map((a) => a.alert_kind)).toEqual(['dates_not_graded', 'graded_zero_rows']);
  expect(r.alerts[0].next_step).toContain('npm run grade -- --dates 2026-02-06');
});

test('every date graded, every table there: clean, exit 0', async () => {
  const r = await check(['--as-of', '2026-02-05', '--days', '5', '--table', 'prediction_accuracy']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^clean$/m);
  expect(r.alerts).toEqual([]);
});
