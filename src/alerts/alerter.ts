/**
 * Every alert is a structured log line (severity ERROR/CRITICAL, stable labels) so Cloud Logging can match it,
 * and is delivered to Slack when a webhook is configured (SLACK_WEBHOOK_URL, or `webhookUrl`, or a Secret Manager
 * secret through createAlerterFromFlags). The same (kind, date, table) goes to Slack at most once an hour, across
 * processes when a Firestore is given. send() never throws: a failed alert must not fail the run.
 */
import type { Firestore } from '@google-cloud/firestore';
import { createLogger, type Logger } from '../log/logger.ts';
import { DEDUPE_WINDOW_MS, dedupeKey, firestoreDedupe, memoryDedupe, type DedupeClaim, type DedupeStore } from './dedupe.ts';
import { formatSlackMessage } from './messages.ts';
import { postWebhook, type DeliveryPolicy } from './slack.ts';
import { severityOf, type Alert, type AlertDelivery, type Alerter } from './types.ts';
import { redact, resolveWebhookUrl, validateWebhookUrl, type WebhookSource } from './webhook-url.ts';

// Firestore retries UNAVAILABLE for minutes; an alert cannot wait that long for its dedupe state.
const DEDUPE_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dedupe state did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface AlerterOptions {
  logger?: Logger;
  /** Slack incoming webhook; default SLACK_WEBHOOK_URL. `null`: log only, whatever the environment says. */
  webhookUrl?: string | null;
  /** Cross-process dedupe state (collection gradeguard_alerts); in memory when absent. */
  firestore?: Firestore;
  dedupe?: DedupeStore;
  /** Default one hour. */
  dedupeWindowMs?: number;
  /** How long an alert waits for its dedupe state before it is sent anyway; default 5 s. */
  dedupeTimeoutMs?: number;
  delivery?: DeliveryPolicy;
  env?: NodeJS.ProcessEnv;
}

export function createAlerter(options: AlerterOptions = {}): Alerter {
  const log = options.logger ?? createLogger('alerts');
  const env = options.env ?? process.env;
  let webhookUrl: string | undefined;
  let configError: string | undefined;
  if (options.webhookUrl !== null) {
    const raw = options.webhookUrl ?? env.SLACK_WEBHOOK_URL;
    if (raw !== undefined && raw.trim() !== '') {
      try {
        webhookUrl = validateWebhookUrl(raw);
      } catch (error) {
        // Commands validate up front (exit 2); a library caller that did not still gets its log lines.
        configError = (error as Error).message;
      }
    }
  }
  const dedupe = options.dedupe ?? (options.firestore ? firestoreDedupe(options.firestore) : memoryDedupe());
  const windowMs = options.dedupeWindowMs ?? DEDUPE_WINDOW_MS;
  const dedupeTimeoutMs = options.dedupeTimeoutMs ?? DEDUPE_TIMEOUT_MS;

  return {
    async send(alert: Alert): Promise<AlertDelivery> {
      try {
        return await deliver(alert);
      } catch (error) {
        log.warn('alert_delivery_failed', { event: 'alert_delivery_failed', alert_kind: alert.kind, error: redact(String((error as Error)?.message ?? error), webhookUrl) });
        return 'delivery_failed';
      }
    },
  };

  async function deliver(requested: Alert): Promise<AlertDelivery> {
    const alert = { ...requested, severity: severityOf(requested.kind, requested.severity) };
    let claim: DedupeClaim | undefined;
    let suppressed = false;
    if (webhookUrl) {
      try {
        claim = await withTimeout(dedupe.claim(alert, windowMs), dedupeTimeoutMs);
        suppressed = !claim;
      } catch (error) {
        // Dedupe state unreachable: better a repeated alert than a missed one.
        log.warn('alert_dedupe_unavailable', { event: 'alert_dedupe_unavailable', alert_kind: alert.kind, error: (error as Error).message });
      }
    }
    const slack = !webhookUrl ? 'not_configured' : suppressed ? 'suppressed_duplicate' : 'sending';
    log.log(alert.severity, alert.title, {
      event: 'alert',
      alert_kind: alert.kind,
      labels: { gradeguard_alert: alert.kind, game_date: alert.gameDate ?? '', table: alert.table ?? '', run_id: alert.runId ?? '' },
      game_date: alert.gameDate ?? null,
      table: alert.table ?? null,
      run_id: alert.runId ?? null,
      operation: alert.operation ?? null,
      next_step: alert.nextStep,
      counts: alert.counts ?? {},
      details: alert.details ?? {},
      dedupe_key: dedupeKey(alert),
      slack,
    });
    if (configError) log.warn('alert_webhook_invalid', { event: 'alert_webhook_invalid', error: configError });
    if (!webhookUrl) return 'logged_only';
    if (suppressed) return 'suppressed_duplicate';
    const result = await postWebhook(webhookUrl, formatSlackMessage(alert), options.delivery);
    if (result.ok) return 'delivered';
    await claim?.release().catch(() => undefined);
    log.warn('alert_delivery_failed', {
      event: 'alert_delivery_failed',
      alert_kind: alert.kind,
      dedupe_key: dedupeKey(alert),
      attempts: result.attempts,
      status: result.status ?? null,
      elapsed_ms: result.elapsedMs,
      error: redact(result.error ?? 'unknown', webhookUrl),
    });
    return 'delivery_failed';
  }
}

export interface AlerterFlags extends WebhookSource {
  logger?: Logger;
  firestore?: Firestore;
  delivery?: DeliveryPolicy;
}

/**
 * For commands: resolves the webhook (Secret Manager when --slack-secret is given) before any work starts, so a
 * malformed URL or secret name is bad input (UsageError, exit 2) instead of a silent alerting gap.
 */
export async function createAlerterFromFlags(flags: AlerterFlags = {}): Promise<Alerter> {
  const webhookUrl = await resolveWebhookUrl(flags);
  return createAlerter({ logger: flags.logger, firestore: flags.firestore, delivery: flags.delivery, env: flags.env, webhookUrl: webhookUrl ?? null });
}
