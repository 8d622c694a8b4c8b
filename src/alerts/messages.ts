/**
 * What Slack shows for an alert: one message per kind, each naming the date, table, counts, run id and the next
 * step, so whoever reads it on a phone can act without opening the logs first.
 */
import { severityOf, type Alert, type AlertKind, type AlertSeverity } from './types.ts';

const HEADLINE: Record<AlertKind, string> = {
  duplicates_detected: 'Duplicate business keys detected',
  assertion_failed: 'Dataform assertion failed',
  lock_not_acquired: 'Lock not acquired: run did not start',
  running_without_lock: 'Run is proceeding WITHOUT a lock',
  lock_lost: 'Lock lost mid-run: run stopped before committing',
  stuck_lock: 'Stuck lock',
  lock_force_released: 'Stuck lock force-released',
  circuit_open: 'Circuit breaker open: runs are being refused',
  run_failed: 'Run failed',
  graded_zero_rows: 'A date was graded with zero rows',
  cleanup_finished: 'Cleanup finished',
  cleanup_failed: 'Cleanup failed',
  duplication_trend: 'Duplication rate is rising week over week',
  ungraded_predictions: 'Predictions with actuals are not graded',
  tables_missing: 'Checked tables are missing',
  window_empty: 'No rows in the checked window',
  dates_not_graded: 'Dates with predictions have no grades',
  remediation_finished: 'Remediation removed duplicate rows',
  remediation_refused: 'Remediation refused: too many duplicates for an in-place fix',
  remediation_failed: 'Remediation failed',
};

const ICON: Record<AlertSeverity, string> = { NOTICE: ':white_check_mark:', WARNING: ':warning:', ERROR: ':red_circle:', CRITICAL: ':rotating_light:' };

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function headline(kind: AlertKind): string {
  return HEADLINE[kind];
}

/** The facts of an alert as label/value lines, in a fixed order. */
function alertFacts(alert: Alert): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  facts.push(['date', alert.gameDate ?? 'n/a']);
  facts.push(['table', alert.table ?? 'n/a']);
  facts.push(['run_id', alert.runId ?? 'n/a']);
  if (alert.operation) facts.push(['operation', alert.operation]);
  for (const [name, value] of Object.entries(alert.counts ?? {})) facts.push([name, formatNumber(value)]);
  for (const [name, value] of Object.entries(alert.details ?? {})) facts.push([name, value === null ? 'null' : String(value)]);
  return facts;
}

export function formatSlackMessage(alert: Alert): SlackMessage {
  const severity = severityOf(alert.kind, alert.severity);
  const head = `${ICON[severity]} *${severity}: ${HEADLINE[alert.kind]}*`;
  const facts = alertFacts(alert);
  const factLines = facts.map(([name, value]) => `• *${name}*: ${escape(value)}`);
  const next = `*Next step:* ${escape(alert.nextStep)}`;
  const text = [head, escape(alert.title), ...factLines, next, `_kind: ${alert.kind}_`].join('\n');
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${head}\n${escape(alert.title)}` } },
      { type: 'section', fields: facts.slice(0, 10).map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${escape(value)}` })) },
      ...(facts.length > 10 ? [{ type: 'section', text: { type: 'mrkdwn', text: factLines.slice(10).join('\n') } }] : []),
      { type: 'section', text: { type: 'mrkdwn', text: next } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `gradeguard · kind \`${alert.kind}\`` }] },
    ],
  };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Math.round(value * 10_000) / 10_000);
}

/** Slack's mrkdwn control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
