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
import { UsageError } from '../runner/exit-codes.ts';
import { keyedTable, keyedTableNames, recordDuplicateKeys } from '../warehouse/duplicates.ts';
import type { WarehouseTarget } from '../warehouse/target.ts';
import { duplicationByDate, weekOverWeek, type DateDuplication, type Trend } from './duplication.ts';
import { ungradedByDate, type UngradedByDate } from './ungraded.ts';

export const CHECK_PROCESSOR = 'check';
export const DEFAULT_CHECK_DAYS = 7;
export const MAX_CHECK_DAYS = 90;
export const DEFAULT_UNGRADED_GRACE_DAYS = 1;

/** Tables the check covers: every keyed table scoped by date (grading_runs has no date; its key is a MERGE on run_id). */
export function checkableTables(): string[] {
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

export interface TableFindings {
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
}

export interface CheckReport {
  runId: string;
  asOf: string;
  from: string;
  to: string;
  days: number;
  tables: TableFindings[];
  ungraded: UngradedByDate[] | null;
  findings: { duplicates: number; risingTrends: number; ungraded: number };
  clean: boolean;
}

export function windowDates(asOf: string, days: number): string[] {
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
    results.push({ table, exists: true, days: window, duplicateKeys, extraRows, rows, rate: rows ? extraRows / rows : 0, trend, auditedKeys });
  }

  const tablesChecked = validateTables(options.tables);
  const canGrade = tablesChecked.includes('prediction_accuracy') && ['player_prop_predictions', 'player_game_summary', 'prediction_accuracy'].every((t) => existing.has(t));
  const grace = options.ungradedGraceDays ?? DEFAULT_UNGRADED_GRACE_DAYS;
  const gradableDates = dates.filter((date) => date <= addDays(options.asOf, -grace));
  const ungraded = canGrade ? await ungradedByDate(bigquery, target, gradableDates) : null;

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
    clean: false,
  };
  report.clean = report.findings.duplicates === 0 && report.findings.risingTrends === 0 && report.findings.ungraded === 0;
  logger.info('check_finished', { event: 'check_finished', run_id: runId, from: report.from, to: report.to, ...report.findings, clean: report.clean });
  await sendAlerts(options.alerter, report);
  return report;
}

async function existingTables(bigquery: BigQuery, target: WarehouseTarget): Promise<Set<string>> {
  const dataset = bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (!exists) return new Set();
  const [tables] = await dataset.getTables();
  return new Set(tables.map((t) => t.id ?? ''));
}

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;

async function sendAlerts(alerter: Alerter, report: CheckReport): Promise<void> {
  for (const table of report.tables) {
    if (table.duplicateKeys > 0) {
      const dated = table.days.filter((d) => d.duplicateKeys > 0);
      const latest = dated[dated.length - 1].date;
      await alerter.send({
        kind: 'duplicates_detected',
        severity: 'CRITICAL',
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
        severity: 'ERROR',
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
      severity: 'ERROR',
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
}
