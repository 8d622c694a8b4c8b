/** One realistic alert of every kind, as the runner, the cleanup, check and monitor send them. */
import { ALERT_KINDS, type Alert, type AlertKind } from '../../src/alerts/index.ts';

export function sampleAlert(kind: AlertKind, overrides: Partial<Alert> = {}): Alert {
  return {
    kind,
    severity: kind === 'running_without_lock' || kind === 'lock_lost' || kind === 'duplicates_detected' ? 'CRITICAL' : 'ERROR',
    title: `test ${kind} on 2026-01-17`,
    nextStep: `npm run remediate -- --date 2026-01-17  (${kind})`,
    gameDate: '2026-01-17',
    table: 'prediction_accuracy',
    runId: `run-${kind}`,
    counts: { duplicate_keys: 1234, extra_rows: 2345 },
    details: { holder: 'host:42:abcd' },
    ...overrides,
  };
}

export const everyKind = (): Alert[] => ALERT_KINDS.map((kind) => sampleAlert(kind));
