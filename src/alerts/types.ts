/** What an alert says. Every field a responder needs to act travels with it; labels are stable for log-based metrics. */
export const ALERT_KINDS = [
  'duplicates_detected',
  'assertion_failed',
  'lock_not_acquired',
  'running_without_lock',
  'lock_lost',
  'stuck_lock',
  'lock_force_released',
  'circuit_open',
  'run_failed',
  'cleanup_finished',
  'cleanup_failed',
  'duplication_trend',
  'ungraded_predictions',
  'remediation_finished',
  'remediation_refused',
  'remediation_failed',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

export type AlertSeverity = 'WARNING' | 'ERROR' | 'CRITICAL';

export interface Alert {
  kind: AlertKind;
  severity: AlertSeverity;
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
