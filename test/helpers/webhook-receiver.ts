/** The Slack stand-in shared with `npm start` and the chaos suite (tools/harness/webhook-receiver.ts). */
export * from '../../tools/harness/webhook-receiver.ts';
