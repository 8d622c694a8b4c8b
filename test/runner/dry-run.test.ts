/**
 * `--dry-run` as a real process pointed at real emulators holding a loadable season: the plan and the SQL Dataform
 * would run for the first date (text, or one JSON document with --json), exit 0, and nothing touched: the dataset
 * still holds only the loaded source tables (no grading_runs, no prediction_accuracy, no assertion dataset) and
 * Firestore has no lock, fence or circuit document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestSeason, logEvents, runCommandProcess, startRunnerStack, type Finished, type RunnerStack } from './stack.ts';

const [D1, D2] = ['2026-01-20', '2026-01-21'];
let stack: RunnerStack;

const explain = (r: Finished) => `exit ${r.code}\n${r.stdout.slice(0, 2_000)}\n${r.stderr.slice(-3_000)}`;

async function warehouseState() {
  const [datasets] = await stack.bq.client.getDatasets();
  const [tables] = await stack.bq.client.dataset(stack.target.dataset).getTables();
  return { datasets: datasets.map((d) => d.id).sort(), tables: tables.map((t) => t.id).sort() };
}

beforeAll(async () => {
  // Not deployed: a dry run needs no deployed table or view, and the dataset shows it wrote none.
  stack = await startRunnerStack({ deploy: false });
  await loadTestSeason(stack, { seed: 3, dates: 2, players: 20, systems: 2, teams: 4, gamesPerDate: 2, startDate: D1 });
}, 180_000);
afterAll(async () => stack?.stop());

describe('--dry-run', () => {
  it('prints the plan and the SQL, exits 0, and writes nothing (text, --json, consolidate)', async () => {
    const before = await warehouseState();
    expect(before).toEqual({ datasets: [stack.target.dataset], tables: ['player_game_summary', 'player_prop_predictions'] });

    const [text, json, consolidate] = await Promise.all([
      runCommandProcess('grade', ['--dates', `${D1},${D2}`, '--dry-run', '--if-locked', 'skip'], stack.env),
      runCommandProcess('grade', ['--dates', `${D1},${D2}`, '--dry-run', '--if-locked', 'skip', '--json'], stack.env),
      runCommandProcess('consolidate', ['--date', D1, '--dry-run', '--json'], stack.env),
    ]);

    expect(text.code, explain(text)).toBe(0);
    expect(text.stdout).toMatch(/^DRY RUN: grading of 2 date\(s\) on --target local; nothing is written and no lock is taken\./);
    expect(text.stdout).toContain(`dates: ${D1}, ${D2}`);
    expect(text.stdout).toContain('per date: lock grading_<date> (if busy: skip;');
    expect(text.stdout).toContain('dataform run . --tags grading reporting');
    // The SQL of the first date: the fenced replace of prediction_accuracy, with the date and token 0 compiled in.
    const accuracy = text.stdout.slice(text.stdout.indexOf('-- operation nba_predictions.prediction_accuracy\n'));
    expect(accuracy).toMatch(/DELETE FROM `[^`]+\.nba_predictions\.prediction_accuracy`\s+WHERE game_date IN \(DATE\('2026-01-20'\)\)/);
    expect(accuracy).toMatch(/INSERT INTO `[^`]+\.nba_predictions\.prediction_accuracy`/);
    expect(text.stdout).toMatch(/-- assertion nba_predictions_assertions_d20260120\.assert_prediction_accuracy_unique_key/);
    expect(text.stdout).not.toContain(D2.replace(/-/g, '')); // only the first date's SQL

    expect(json.code, explain(json)).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan).toMatchObject({ dryRun: true, operation: 'grading', dates: [D1, D2], exitCode: 0, lock: { type: 'grading', scope: 'date', useLock: true, ifLocked: 'skip' } });
    expect(plan.text).toBe(text.stdout);
    const names = plan.actions.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['nba_predictions.prediction_accuracy', 'nba_predictions.system_daily_performance', 'nba_predictions.performance_summary']));
    expect(names.some((n: string) => n.includes('consolidate'))).toBe(false);
    const accuracySql: string = plan.actions.find((a: { name: string }) => a.name === 'nba_predictions.prediction_accuracy').sql.join('\n');
    expect(accuracySql).toMatch(/BEGIN TRANSACTION[\s\S]+DELETE FROM[\s\S]+INSERT INTO[\s\S]+COMMIT TRANSACTION/);

    expect(consolidate.code, explain(consolidate)).toBe(0);
    const consolidation = JSON.parse(consolidate.stdout);
    expect(consolidation).toMatchObject({ dryRun: true, operation: 'consolidation', dates: [D1], lock: { type: 'consolidation' } });
    const merge: string = consolidation.actions.find((a: { name: string }) => a.name === 'nba_predictions.consolidate_player_prop_predictions').sql.join('\n');
    expect(merge).toMatch(/MERGE `[^`]+\.nba_predictions\.player_prop_predictions` AS target/);
    expect(merge).toContain("DATE('2026-01-20')");

    for (const r of [text, json, consolidate]) expect(logEvents(r.stderr).filter((e) => ['lock_acquired', 'dataform_started'].includes(e.event))).toEqual([]);
    expect(await warehouseState()).toEqual(before);
    expect((await stack.firestoreClient().listCollections()).map((c) => c.id)).toEqual([]);
  }, 120_000);
});
