export { monitorPass, DEFAULT_RELEASE_AFTER_MS, DEFAULT_STUCK_AFTER_MS, type MonitorOptions, type MonitorReport } from './monitor.ts';
export { claimDailyCheck, lastDailyCheck, MONITOR_COLLECTION } from './daily-check.ts';
export { adminLock, listAllLocks, lockTypes, stuckLocks, lockRow, formatAge, textTable } from './lock-admin.ts';
export { openFirestore } from './firestore-target.ts';
export { releaseIfStill, type ConditionalRelease } from './release.ts';
