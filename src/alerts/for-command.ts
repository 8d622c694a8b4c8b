/**
 * The alerter a command uses: webhook from --slack-secret or SLACK_WEBHOOK_URL (validated up front: bad input
 * exits 2), dedupe state in the stack's Firestore when one is reachable (real Firestore, or an emulator the stack
 * knows), in memory otherwise.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { Logger } from '../log/logger.ts';
import { createAlerter } from './alerter.ts';
import type { Alerter } from './types.ts';

export const SLACK_SECRET_OPTION = { 'slack-secret': { type: 'string' } } as const;
export const SLACK_SECRET_USAGE = `  --slack-secret NAME  Slack webhook URL from Secret Manager (projects/P/secrets/S); default SLACK_WEBHOOK_URL.
                       Alerts are always JSON log lines too.`;

/** `webhookUrl` as resolved (and validated) by resolveWebhookUrl before the command touched anything. */
export function alerterForCommand(input: { webhookUrl: string | undefined; logger: Logger; stack?: { target: { kind: string; firestoreHost?: string }; firestore: Firestore } }): Alerter {
  const stack = input.stack;
  const firestoreUsable = stack && (stack.target.kind === 'bigquery' || Boolean(stack.target.firestoreHost));
  return createAlerter({ webhookUrl: input.webhookUrl ?? null, logger: input.logger, firestore: firestoreUsable ? stack.firestore : undefined });
}
