export * from './types.ts';
export { createAlerter, createAlerterFromFlags } from './alerter.ts';
export { headline } from './messages.ts';
export { ALERTS_COLLECTION, memoryDedupe } from './dedupe.ts';
export { resolveWebhookUrl, validateWebhookUrl } from './webhook-url.ts';
export { alerterForCommand } from './for-command.ts';
