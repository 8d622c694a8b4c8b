export * from './types.ts';
export { createAlerter, type AlerterOptions } from './alerter.ts';
