/**
 * `check`: the seed's daily "Check 8", generalised. Over the last N days of every table with a business key it
 * counts duplicate keys and the duplication rate per date, compares the rate week over week, and counts predictions
 * that have actuals but no grade. Duplicate keys are appended to grading_duplicate_audit (processor `check`) and
 * every finding is an alert. Read-only otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Alerter } from '../alerts/index.ts';
import type { Logger } from '../log/logger.ts';
import { addDays } from '../runner/dates.ts';
import { ExitCode, mostSeriousExitCode, UsageError } from '../runner/exit-codes.ts';
import { keyedTable, keyedTableNames, recordDuplicateKeys } from '../warehouse/duplicates.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { duplicationByDate, weekOverWeek, type DateDuplication, type Trend } from './duplication.ts';
import { ungradedByDate, type UngradedByDate } from './ungraded.ts';
import { sendCheckAlerts } from './check-alerts.ts';
import { dateCoverage, latestDate, type DateCoverage } from './coverage.ts';

const CHECK_PROCESSOR = 'check';
export const DEFAULT_CHECK_DAYS = 7;
export const MAX_CHECK_DAYS = 90;
export const DEFAULT_UNGRADED_GRACE_DAYS = 1;

/** Tables the check covers: every keyed table scoped by date (grading_runs has no date; its key is a MERGE on run_id). */
function checkableTables(): string[] {
  return keyedTableNames().filter((table) => keyedTable(table).dateColumn !== null);
}

export function validateTables(tables: readonly string[] | undefined): string[] {
  const all = checkableTables();
  if (!tables || tables.length === 0) return all;
  for (const table of tables) {
    if (!all.includes(table)) throw new UsageError(`Unknown table ${JSON.stringify(table)}: expected one of ${all.join(', ')}`);
  }
  return [...new Set(tables)];
}

export interface CheckOptions {
  bigquery: BigQuery;
  target: WarehouseTarget;
  alerter: Alerter;
  logger: Logger;
  asOf: string;
  days: number;
  tables?: readonly string[];
  runId?: string;
  /**
   * Ungraded predictions are counted only on dates at least this many days before as-of (default 1): actuals of the
   * last date may be loaded before that date's grading run, which is normal, not a finding.
   */
  ungradedGraceDays?: number;
}

interface TableFindings {
  table: string;
  /** false: the table or view does not exist yet (nothing to check). */
  exists: boolean;
  days: DateDuplication[];
  duplicateKeys: number;
  extraRows: number;
  rows: number;
  rate: number;
  trend?: Trend;
  auditedKeys: number;
  /** Exists but has no row in the window: the last date it has rows for (null: none at all). */
  emptyWindow?: { latestDate: string | null };
}

/**
 * Every outcome a check can have, each with its own alert and exit code; a report lists all that hold and exits with
 * the most serious (EXIT_CODE_PRECEDENCE). `clean` only when none holds.
 */
const CHECK_STATUSES = {
  findings: ExitCode.duplicatesOrAssertion,
  tables_missing: ExitCode.tablesMissing,
  window_empty: ExitCode.windowEmpty,
  dates_not_graded: ExitCode.datesNotGraded,
  graded_zero_rows: ExitCode.zeroRows,
} as const;
type CheckStatus = keyof typeof CHECK_STATUSES | 'clean';

export interface CheckReport {
  runId: string;
  asOf: string;
  from: string;
  to: string;
  days: number;
  tables: TableFindings[];
  ungraded: UngradedByDate[] | null;
  findings: { duplicates: number; risingTrends: number; ungraded: number };
  /** `project.dataset` read, and whether it exists at all. */
  dataset: string;
  datasetExists: boolean;
  /** Tables the check was asked to read and could not find. */
  missingTables: string[];
  /** Tables with no row in the window. */
  emptyTables: string[];
  /** Gradable dates with predictions, per date; null when not checked (prediction_accuracy not selected or missing). */
  coverage: DateCoverage[] | null;
  /** Dates with predictions, no graded row and no succeeded grading run. */
  datesNotGraded: string[];
  /** Dates with predictions whose succeeded grading run left 0 graded rows. */
  datesGradedZeroRows: string[];
  statuses: CheckStatus[];
  /** The most serious status ('clean' when nothing holds) and its exit code. */
  status: CheckStatus;
  exitCode: number;
  clean: boolean;
}

function windowDates(asOf: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(asOf, i - days + 1));
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { bigquery, target, logger } = options;
  const runId = options.runId ?? `check-${options.asOf}-${randomUUID().slice(0, 8)}`;
  const dates = windowDates(options.asOf, options.days);
  const trendDates = windowDates(options.asOf, 14);
  const span = [...new Set([...trendDates, ...dates])].sort();
  const existing = await existingTables(bigquery, target);
  const results: TableFindings[] = [];

  for (const table of validateTables(options.tables)) {
    if (!existing.has(table)) {
      results.push({ table, exists: false, days: [], duplicateKeys: 0, extraRows: 0, rows: 0, rate: 0, auditedKeys: 0 });
      continue;
    }
    const all = await duplicationByDate(bigquery, target, table, span);
    const byDate = new Map(all.map((d) => [d.date, d]));
    const window = dates.map((date) => byDate.get(date)!);
    const rows = window.reduce((s, d) => s + d.rows, 0);
    const extraRows = window.reduce((s, d) => s + d.extraRows, 0);
    const duplicateKeys = window.reduce((s, d) => s + d.duplicateKeys, 0);
    const trend = weekOverWeek(trendDates.map((date) => byDate.get(date)!));
    let auditedKeys = 0;
    if (duplicateKeys > 0) {
      auditedKeys = await recordDuplicateKeys(bigquery, target, {
        runId,
        processor: CHECK_PROCESSOR,
        table,
        dates: window.filter((d) => d.duplicateKeys > 0).map((d) => d.date),
      });
    }
    const emptyWindow = rows === 0 ? { latestDate: await latestDate(bigquery, target, table) } : undefined;
    results.push({ table, exists: true, days: window, duplicateKeys, extraRows, rows, rate: rows ? extraRows / rows : 0, trend, auditedKeys, emptyWindow });
  }

  const tablesChecked = validateTables(options.tables);
  const canGrade = tablesChecked.includes('prediction_accuracy') && ['player_prop_predictions', 'player_game_summary', 'prediction_accuracy'].every((t) => existing.has(t));
  const grace = options.ungradedGraceDays ?? DEFAULT_UNGRADED_GRACE_DAYS;
  const gradableDates = dates.filter((date) => date <= addDays(options.asOf, -grace));
  const ungraded = canGrade ? await ungradedByDate(bigquery, target, gradableDates) : null;
  const canCover = tablesChecked.includes('prediction_accuracy') && ['player_prop_predictions', 'prediction_accuracy'].every((t) => existing.has(t));
  const coverage = canCover ? await dateCoverage(bigquery, target, gradableDates, existing.has('grading_runs')) : null;
  const uncovered = (coverage ?? []).filter((d) => d.predictions > 0 && d.graded === 0);

  const report: CheckReport = {
    runId,
    asOf: options.asOf,
    from: dates[0],
    to: dates[dates.length - 1],
    days: options.days,
    tables: results,
    ungraded,
    findings: {
      duplicates: results.reduce((s, t) => s + t.duplicateKeys, 0),
      risingTrends: results.filter((t) => t.trend?.rising).length,
      ungraded: (ungraded ?? []).reduce((s, d) => s + d.ungraded, 0),
    },
    dataset: `${target.projectId}.${target.dataset}`,
    datasetExists: existing.datasetExists,
    missingTables: results.filter((t) => !t.exists).map((t) => t.table),
    emptyTables: results.filter((t) => t.emptyWindow).map((t) => t.table),
    coverage,
    datesNotGraded: uncovered.filter((d) => d.gradingRunId === null).map((d) => d.date),
    datesGradedZeroRows: uncovered.filter((d) => d.gradingRunId !== null).map((d) => d.date),
    statuses: [],
    status: 'clean',
    exitCode: ExitCode.ok,
    clean: false,
  };
  const holds: Record<keyof typeof CHECK_STATUSES, boolean> = {
    findings: report.findings.duplicates + report.findings.risingTrends + report.findings.ungraded > 0,
    tables_missing: report.missingTables.length > 0,
    window_empty: report.emptyTables.length > 0,
    dates_not_graded: report.datesNotGraded.length > 0,
    graded_zero_rows: report.datesGradedZeroRows.length > 0,
  };
  const found = (Object.keys(CHECK_STATUSES) as Array<keyof typeof CHECK_STATUSES>).filter((status) => holds[status]);
  report.statuses = found;
  report.exitCode = mostSeriousExitCode(found.map((status) => CHECK_STATUSES[status]));
  report.status = found.find((status) => CHECK_STATUSES[status] === report.exitCode) ?? 'clean';
  report.clean = report.statuses.length === 0;
  logger.log(report.clean ? 'INFO' : 'WARNING', 'check_finished', {
    event: 'check_finished',
    run_id: runId,
    from: report.from,
    to: report.to,
    ...report.findings,
    status: report.status,
    statuses: report.statuses,
    missing_tables: report.missingTables,
    empty_tables: report.emptyTables,
    dates_not_graded: report.datesNotGraded,
    dates_graded_zero_rows: report.datesGradedZeroRows,
    clean: report.clean,
  });
  await sendCheckAlerts(options.alerter, report);
  return report;
}

async function existingTables(bigquery: BigQuery, target: WarehouseTarget): Promise<Set<string> & { datasetExists: boolean }> {
  const dataset = bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (!exists) return Object.assign(new Set<string>(), { datasetExists: false });
  const [tables] = await dataset.getTables();
  return Object.assign(new Set(tables.map((t) => t.id ?? '')), { datasetExists: true });
}
