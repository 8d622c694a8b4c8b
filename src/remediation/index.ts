export { remediate, DEFAULT_MAX_DUPLICATES, type RemediateOptions } from './remediate.ts';
export { type Keep } from './sql.ts';
