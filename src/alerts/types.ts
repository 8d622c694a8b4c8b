/** What an alert says. Every field a responder needs to act travels with it; labels are stable for log-based metrics. */
import type { AlertKind, AlertSeverity } from './kinds.ts';

export { ALERT_KINDS, alertKindsMarkdown, severityOf, type AlertKind, type AlertSeverity } from './kinds.ts';

export interface Alert {
  kind: AlertKind;
  /** Optional: the severity comes from ALERT_TABLE; a kind's escalated severity is used only when asked for here. */
  severity?: AlertSeverity;
  /** One line: what happened. */
  title: string;
  /** What to do next (a command to run, a doc to read). */
  nextStep: string;
  gameDate?: string;
  table?: string;
  runId?: string;
  operation?: string;
  /** Figures (duplicate keys, rows, minutes held, ...). */
  counts?: Record<string, number>;
  /** Anything else worth showing (holder, token, error). Never secrets. */
  details?: Record<string, string | number | boolean | null>;
}

export interface Alerter {
  /** Logs the alert and delivers it; never throws (a failed alert must not fail the run). */
  send(alert: Alert): Promise<AlertDelivery>;
}

export type AlertDelivery = 'delivered' | 'logged_only' | 'suppressed_duplicate' | 'delivery_failed';
