/**
 * Every alert kind, who sends it and its severity: the one table the alerter, the Slack message and
 * docs/alerting.md's table come from (a test compares the doc with `alertKindsMarkdown()`). A sender does not
 * choose a severity; a kind with an `escalated` severity is raised to it only in the case named by `when`.
 */
export type AlertSeverity = 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

interface KindSpec {
  sentBy: string;
  severity: AlertSeverity;
  escalated?: { severity: AlertSeverity; when: string };
}

const ALERT_TABLE = {
  duplicates_detected: { sentBy: 'runner, `check`', severity: 'CRITICAL' },
  assertion_failed: { sentBy: 'runner (Dataform assertion)', severity: 'ERROR' },
  lock_not_acquired: { sentBy: 'runner, `remediate`', severity: 'ERROR', escalated: { severity: 'CRITICAL', when: 'Firestore (the lock) is unavailable' } },
  running_without_lock: { sentBy: 'runner (when it proceeds without a lock)', severity: 'WARNING', escalated: { severity: 'CRITICAL', when: 'Firestore is unavailable (`--on-lock-error proceed`)' } },
  lock_lost: { sentBy: 'runner (lease lost mid-run)', severity: 'CRITICAL' },
  stuck_lock: { sentBy: '`monitor`', severity: 'ERROR' },
  lock_force_released: { sentBy: '`monitor`', severity: 'CRITICAL' },
  circuit_open: { sentBy: 'runner, `monitor`', severity: 'CRITICAL' },
  run_failed: { sentBy: 'runner', severity: 'ERROR' },
  graded_zero_rows: { sentBy: 'runner, `check`', severity: 'ERROR' },
  cleanup_finished: { sentBy: 'cleanup (run, resume, restore succeeded)', severity: 'NOTICE' },
  cleanup_failed: { sentBy: 'cleanup', severity: 'CRITICAL' },
  duplication_trend: { sentBy: '`check`', severity: 'ERROR' },
  ungraded_predictions: { sentBy: '`check`', severity: 'ERROR' },
  tables_missing: { sentBy: '`check`', severity: 'ERROR' },
  window_empty: { sentBy: '`check`', severity: 'ERROR' },
  dates_not_graded: { sentBy: '`check`', severity: 'ERROR' },
  remediation_finished: { sentBy: '`remediate`', severity: 'ERROR' },
  remediation_refused: { sentBy: '`remediate`', severity: 'CRITICAL' },
  remediation_failed: { sentBy: '`remediate`', severity: 'CRITICAL' },
} as const satisfies Record<string, KindSpec>;

export type AlertKind = keyof typeof ALERT_TABLE;
export const ALERT_KINDS = Object.keys(ALERT_TABLE) as AlertKind[];

/**
 * The severity an alert is sent with: the table's, or its escalated one when the sender asks for exactly that. Any
 * other requested severity is ignored, so code and documentation cannot drift apart.
 */
export function severityOf(kind: AlertKind, requested?: AlertSeverity): AlertSeverity {
  const spec: KindSpec = ALERT_TABLE[kind];
  return spec.escalated && requested === spec.escalated.severity ? spec.escalated.severity : spec.severity;
}

/** The table of docs/alerting.md, generated. */
export function alertKindsMarkdown(): string {
  const rows = ALERT_KINDS.map((kind) => {
    const spec: KindSpec = ALERT_TABLE[kind];
    const severity = spec.escalated ? `${spec.severity}; ${spec.escalated.severity} when ${spec.escalated.when}` : spec.severity;
    return `| \`${kind}\` | ${spec.sentBy} | ${severity} |`;
  });
  return ['| kind | sent by | severity |', '|---|---|---|', ...rows].join('\n');
}
