/** The Slack stand-in shared with `npm start` and the chaos suite (src/demo/webhook-receiver.ts). */
export * from '../../src/demo/webhook-receiver.ts';
