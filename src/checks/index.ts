export { runCheck, checkableTables, validateTables, windowDates, CHECK_PROCESSOR, DEFAULT_CHECK_DAYS, DEFAULT_UNGRADED_GRACE_DAYS, MAX_CHECK_DAYS, type CheckReport, type TableFindings } from './run-check.ts';
export { duplicationByDate, weekOverWeek, TREND_RISE_THRESHOLD, type DateDuplication, type Trend } from './duplication.ts';
export { ungradedByDate, type UngradedByDate } from './ungraded.ts';
export { formatCheckReport } from './format.ts';
