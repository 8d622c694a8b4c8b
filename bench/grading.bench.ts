/**
 * Benchmarks one date's grading on the local stack: the real `dataform run --tags grading reporting` of the root
 * project on the BigQuery emulator with 100,000 predictions on the date (plus nine earlier graded dates, so the tables
 * hold more than the date), and the bytes the run's validation queries read for one date versus the whole table.
 * Prints a markdown section to stdout.
 *
 *   npx tsx bench/grading.bench.ts            (BENCH_QUICK=1: 20,000 predictions, 2 runs)
 */
import { dryRunBytes, machineLine, median } from './summary.ts';
import { repoRoot, runDataform, type DataformResult } from '../src/warehouse/dataform-cli.ts';
import { createLogger } from '../src/log/logger.ts';
import { generateSeason, loadSeason } from '../tools/synthetic/season.ts';
import { dateParams, duplicateKeysSql } from '../src/warehouse/duplicates.ts';
import { localTarget } from '../src/warehouse/target.ts';
import { startLocalBigQuery } from '../test/helpers/bigquery.ts';
import { deployLocal } from '../test/helpers/deploy.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const PREDICTIONS = QUICK ? 20_000 : 100_000;
const RUNS = QUICK ? 2 : 3;
const DATE = '2026-01-17';
const HISTORY_START = '2026-01-08'; // nine dates before DATE
const DATASET = 'nba_predictions';
const log = createLogger('grading-bench');

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

function check(r: DataformResult, what: string): void {
  if (r.code !== 0) throw new Error(`${what}: dataform exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
}

async function main(): Promise<void> {
  const bq = await startLocalBigQuery();
  const target = localTarget(bq.target);
  const dataform = (args: string[]) => runDataform(args, { projectDir: repoRoot, target: bq.target, timeoutMs: 600_000 });
  try {
    // The bench date: every team plays, enough players for PREDICTIONS rows (cut to exactly that many).
    const day = generateSeason({ seed: 17, dates: 1, players: Math.ceil(PREDICTIONS / 7.5), systems: 8, startDate: DATE, gamesPerDate: 15 });
    if (day.predictions.length < PREDICTIONS) throw new Error(`generated only ${day.predictions.length} predictions`);
    const benchDay = { ...day, predictions: day.predictions.slice(0, PREDICTIONS) };
    const history = generateSeason({ seed: 8, dates: 9, players: 800, systems: 8, startDate: HISTORY_START });
    const load = await loadSeason(bq.client, DATASET, benchDay);
    await deployLocal(bq.client, bq.target); // the tables and views, once (npm run deploy): runs never recreate them
    await loadSeason(bq.client, DATASET, history);
    // Grade the history once (one run, lookback 8), so prediction_accuracy and the aggregates hold ten dates.
    check(await dataform(['run', '.', '--tags', 'grading', 'reporting', `--vars=game_date=2026-01-16,lookback_days=8,run_id=bench-history`]), 'history');

    const runs: { wallMs: number; actionsMs: number }[] = [];
    let rowsWritten = 0;
    for (let i = 1; i <= RUNS; i++) {
      const runId = `bench-${i}`;
      const r = await dataform(['run', '.', '--tags', 'grading', 'reporting', `--vars=game_date=${DATE},run_id=${runId},lock_token=${i}`]);
      check(r, runId);
      const [span] = await bq.rows(`SELECT TIMESTAMP_DIFF(finished_at, started_at, MILLISECOND) AS ms, rows_written FROM ${DATASET}.grading_runs WHERE run_id = '${runId}'`);
      rowsWritten = Number(span.rows_written);
      if (span.rows_written !== new Set(benchDay.predictions.map((p) => `${p.game_id}|${p.player_lookup}|${p.system_id}|${p.current_points_line}`)).size) {
        throw new Error(`${runId} wrote ${span.rows_written} rows`);
      }
      runs.push({ wallMs: r.durationMs, actionsMs: Number(span.ms) });
      log.info('run finished', { runId, wallMs: Math.round(r.durationMs), actionsMs: span.ms });
    }

    // The validation queries exactly as the run sends them (compiled for the bench date), then without the date scope.
    const compiled = await dataform(['compile', '.', '--json', `--vars=game_date=${DATE}`]);
    check(compiled, 'compile');
    const assertions: { target: { name: string }; query: string }[] = JSON.parse(compiled.stdout).assertions;
    const scope = new RegExp(`game_date IN \\(DATE\\('${DATE}'\\)\\)`);
    const bytes = [];
    for (const name of ['assert_prediction_accuracy_unique_key', 'assert_prediction_accuracy_row_conditions']) {
      const query = assertions.find((a) => a.target.name === name)!.query;
      if (!scope.test(query)) throw new Error(`${name} is not scoped to ${DATE}`);
      bytes.push({ name, scoped: await dryRunBytes(bq.client, query), whole: await dryRunBytes(bq.client, query.replace(scope, 'TRUE')) });
    }
    // The runner's own check inside the lock (src/runner/validate.ts): duplicate keys of the date, as a parameter.
    const dupSql = duplicateKeysSql(target, 'prediction_accuracy', { dated: true });
    bytes.push({
      name: 'runner duplicate-key check',
      scoped: await dryRunBytes(bq.client, dupSql, { dates: dateParams([DATE]) }),
      whole: await dryRunBytes(bq.client, duplicateKeysSql(target, 'prediction_accuracy', { dated: false })),
    });
    // One partition's worth: every column of the date's rows, and the whole table.
    const partitionBytes = await dryRunBytes(bq.client, `SELECT * FROM ${DATASET}.prediction_accuracy WHERE game_date = DATE '${DATE}'`);
    const tableBytes = await dryRunBytes(bq.client, `SELECT * FROM ${DATASET}.prediction_accuracy`);
    const overPartition = bytes.filter((b) => b.scoped > partitionBytes);
    if (overPartition.length) throw new Error(`validation reads more than the date's partition: ${overPartition.map((b) => b.name).join(', ')}`);

    const wall = median(runs.map((r) => r.wallMs));
    const lines = [
      '## Grading one date (dataform run on the emulator)',
      '',
      `What a scheduled grading run costs: \`dataform run --tags grading reporting\` of the root project for one date with`,
      `${PREDICTIONS.toLocaleString('en-US')} predictions (8 systems, synthetic season from \`tools/synthetic/season.ts\`), on the`,
      'in-memory BigQuery emulator. Each run compiles the project, opens its `grading_runs` row, grades the date in one',
      'fenced transaction, computes both aggregates in their own fenced transactions, records duplicates and runs every',
      `assertion. The same date is rerun ${RUNS} times (each replaces the date: the idempotent path); the tables also hold nine`,
      `earlier graded dates (${history.predictions.length.toLocaleString('en-US')} predictions). Each run writes ${rowsWritten.toLocaleString('en-US')} rows (one per business key: revised`,
      'predictions collapse to their latest version). Target: under 10 s.',
      '',
      '| run | dataform run (wall, incl. compile) | actions (grading_runs started → finished) |',
      '|---|---|---|',
      ...runs.map((r, i) => `| ${i + 1} | ${s(r.wallMs)} | ${s(r.actionsMs)} |`),
      `| **median** | **${s(wall)}** | **${s(median(runs.map((r) => r.actionsMs)))}** |`,
      '',
      `Loading the date's ${PREDICTIONS.toLocaleString('en-US')} predictions and ${benchDay.actuals.length.toLocaleString('en-US')} actuals (\`loadSeason\`, INSERT … FROM UNNEST(JSON_QUERY_ARRAY(@rows))): ${s(load.ms)}.`,
      '',
      'Bytes the validation reads: dry-run `totalBytesProcessed` of the compiled assertion query for the bench date,',
      'versus the same query with its date filter removed (the whole table):',
      '',
      "| query | scoped to one date | unscoped | scoped / table | scoped / the date's partition |",
      '|---|---|---|---|---|',
      ...bytes.map((b) => `| \`${b.name}\` | ${mb(b.scoped)} | ${mb(b.whole)} | ${(b.scoped / tableBytes).toFixed(3)} | ${(b.scoped / partitionBytes).toFixed(2)} |`),
      `| _reference: \`SELECT *\` of the date / of the table_ | ${mb(partitionBytes)} | ${mb(tableBytes)} | ${(partitionBytes / tableBytes).toFixed(3)} | 1.00 |`,
      '',
      `The emulator estimates bytes as BigQuery bills them: only the columns a query reads, only the partitions its`,
      `filter on \`game_date\` selects (\`=\`, \`IN\`, \`IN UNNEST(@dates)\`). Every validation query reads at most one partition's`,
      `worth (the bench fails otherwise); the date holds ${((100 * partitionBytes) / tableBytes).toFixed(0)} % of this ten-date table, about 1 % of a 100-date season.`,
      '',
      machineLine(),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await bq.stop();
  }
}

await main();
