export { runCheck, validateTables, DEFAULT_CHECK_DAYS, DEFAULT_UNGRADED_GRACE_DAYS, MAX_CHECK_DAYS } from './run-check.ts';
export { weekOverWeek, type DateDuplication } from './duplication.ts';
export { formatCheckReport } from './format.ts';
