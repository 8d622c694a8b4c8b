export * from './types.ts';
export { createAlerter, createAlerterFromFlags, type AlerterOptions, type AlerterFlags } from './alerter.ts';
export { formatSlackMessage, alertFacts, headline, type SlackMessage } from './messages.ts';
export { postWebhook, retryAfterMs, type DeliveryPolicy, type DeliveryResult } from './slack.ts';
export { ALERTS_COLLECTION, DEDUPE_WINDOW_MS, dedupeKey, firestoreDedupe, memoryDedupe, type DedupeStore } from './dedupe.ts';
export { resolveWebhookUrl, validateWebhookUrl, redact, type WebhookSource } from './webhook-url.ts';
export { accessSecret, SECRET_NAME_PATTERN, SecretAccessError, type SecretManagerOptions } from './secret-manager.ts';
export { alerterForCommand, SLACK_SECRET_OPTION, SLACK_SECRET_USAGE } from './for-command.ts';
