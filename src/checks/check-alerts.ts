/** The alerts of a check: one per finding, each naming what to run next. Severities come from ALERT_TABLE. */
import type { Alerter } from '../alerts/index.ts';
import type { CheckReport } from './run-check.ts';

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;

export async function sendCheckAlerts(alerter: Alerter, report: CheckReport): Promise<void> {
  for (const table of report.tables) {
    if (table.duplicateKeys > 0) {
      const dated = table.days.filter((d) => d.duplicateKeys > 0);
      const latest = dated[dated.length - 1].date;
      await alerter.send({
        kind: 'duplicates_detected',
        title: `check: ${table.duplicateKeys} duplicate keys (${table.extraRows} extra rows, ${pct(table.rate)}) in ${table.table} between ${report.from} and ${report.to}`,
        nextStep:
          table.table === 'prediction_accuracy'
            ? `Inspect grading_duplicate_audit (run_id ${report.runId}); then npm run remediate -- --date <date> for each date (${dated.map((d) => d.date).join(', ')}), or above 1000 duplicate rows npm run cleanup -- plan --table prediction_accuracy`
            : `Inspect grading_duplicate_audit (run_id ${report.runId}, processor check) and re-run the writer of ${table.table} for ${dated.map((d) => d.date).join(', ')}`,
        gameDate: latest,
        table: table.table,
        runId: report.runId,
        operation: 'check',
        counts: { duplicate_keys: table.duplicateKeys, extra_rows: table.extraRows, rows: table.rows, dates_affected: dated.length },
        details: { dates: dated.map((d) => `${d.date}:${d.duplicateKeys}`).join(' '), duplication_rate: pct(table.rate) },
      });
    }
    if (table.trend?.rising) {
      const { currentWeek, previousWeek, relativeChange } = table.trend;
      await alerter.send({
        kind: 'duplication_trend',
        title: `check: duplication rate of ${table.table} rose from ${pct(previousWeek.rate)} to ${pct(currentWeek.rate)} week over week`,
        nextStep: `Find the writer adding duplicates (grading_runs and lock logs for ${currentWeek.from}..${currentWeek.to}); then remediate or clean up`,
        gameDate: report.asOf,
        table: table.table,
        runId: report.runId,
        operation: 'check',
        counts: { current_extra_rows: currentWeek.extraRows, previous_extra_rows: previousWeek.extraRows, current_rows: currentWeek.rows, previous_rows: previousWeek.rows },
        details: { current_rate: pct(currentWeek.rate), previous_rate: pct(previousWeek.rate), change: relativeChange === null ? 'from zero' : pct(relativeChange) },
      });
    }
  }
  if (report.findings.ungraded > 0) {
    const dates = (report.ungraded ?? []).filter((d) => d.ungraded > 0);
    await alerter.send({
      kind: 'ungraded_predictions',
      title: `check: ${report.findings.ungraded} predictions with actuals have no grade (${dates.length} dates)`,
      nextStep: `Grade them: npm run grade -- --dates ${dates.map((d) => d.date).join(',')}`,
      gameDate: dates[dates.length - 1].date,
      table: 'prediction_accuracy',
      runId: report.runId,
      operation: 'check',
      counts: { ungraded: report.findings.ungraded, dates_affected: dates.length },
      details: { dates: dates.map((d) => `${d.date}:${d.ungraded}`).join(' ') },
    });
  }
  await sendCoverageAlerts(alerter, report);
}

/** Missing tables, an empty window, ungraded dates, dates graded into nothing: each its own alert. */
async function sendCoverageAlerts(alerter: Alerter, report: CheckReport): Promise<void> {
  const common = { gameDate: report.asOf, runId: report.runId, operation: 'check' };
  if (report.missingTables.length) {
    await alerter.send({
      ...common,
      kind: 'tables_missing',
      title: report.datasetExists
        ? `check: ${report.missingTables.length} table(s) to check do not exist in ${report.dataset}: ${report.missingTables.join(', ')}`
        : `check: the dataset ${report.dataset} does not exist: nothing was checked`,
      nextStep: `Is this the pipeline's project and dataset (--target, GOOGLE_CLOUD_PROJECT, BIGQUERY_EMULATOR_HOST)? If it is, create the tables by running the pipeline (npm run grade -- --date <date>), or check only the tables that exist with --table`,
      table: report.missingTables.join(','),
      counts: { missing_tables: report.missingTables.length },
      details: { dataset: report.dataset, dataset_exists: report.datasetExists },
    });
  }
  const empty = report.tables.filter((t) => t.emptyWindow);
  if (empty.length) {
    const latest = empty.map((t) => `${t.table}: ${t.emptyWindow!.latestDate ?? 'no rows at all'}`).join(', ');
    await alerter.send({
      ...common,
      kind: 'window_empty',
      title: `check: ${empty.length} table(s) have no row between ${report.from} and ${report.to}: ${empty.map((t) => t.table).join(', ')}`,
      nextStep: `Last dates with rows: ${latest}. A wrong dataset, an --as-of past the data (npm run check -- --as-of <last date>), or a pipeline that stopped writing (grading_runs)`,
      table: empty.map((t) => t.table).join(','),
      counts: { empty_tables: empty.length },
      details: { latest_dates: latest },
    });
  }
  const perDate = (dates: string[]) =>
    (report.coverage ?? [])
      .filter((d) => dates.includes(d.date))
      .map((d) => `${d.date}:${d.predictions}`)
      .join(' ');
  if (report.datesNotGraded.length) {
    await alerter.send({
      ...common,
      kind: 'dates_not_graded',
      gameDate: report.datesNotGraded.at(-1),
      title: `check: ${report.datesNotGraded.length} date(s) have predictions but no graded row and no successful grading run: ${report.datesNotGraded.join(', ')}`,
      nextStep: `Grade them: npm run grade -- --dates ${report.datesNotGraded.join(',')}; then find why the scheduled grading did not run (grading_runs, npm run locks -- list)`,
      table: 'prediction_accuracy',
      counts: { dates: report.datesNotGraded.length },
      details: { predictions_per_date: perDate(report.datesNotGraded) },
    });
  }
  if (report.datesGradedZeroRows.length) {
    await alerter.send({
      ...common,
      kind: 'graded_zero_rows',
      gameDate: report.datesGradedZeroRows.at(-1),
      title: `check: ${report.datesGradedZeroRows.length} date(s) were graded successfully but have 0 graded rows although they have predictions: ${report.datesGradedZeroRows.join(', ')}`,
      nextStep: `Check player_game_summary (actuals) for ${report.datesGradedZeroRows.join(', ')}; once loaded: npm run grade -- --dates ${report.datesGradedZeroRows.join(',')}`,
      table: 'prediction_accuracy',
      counts: { dates: report.datesGradedZeroRows.length },
      details: {
        predictions_per_date: perDate(report.datesGradedZeroRows),
        grading_runs: (report.coverage ?? [])
          .filter((d) => report.datesGradedZeroRows.includes(d.date))
          .map((d) => d.gradingRunId)
          .join(' '),
      },
    });
  }
}
