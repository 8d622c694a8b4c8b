export { remediate, backupTableName, DEFAULT_MAX_DUPLICATES, REMEDIATE_PROCESSOR, type RemediateOptions, type RemediationResult, type RemediationStatus } from './remediate.ts';
export { keepOrder, REMEDIATED_TABLE, type Keep } from './sql.ts';
