export { monitorPass, DEFAULT_RELEASE_AFTER_MS, DEFAULT_STUCK_AFTER_MS, type MonitorReport } from './monitor.ts';
export { lastDailyCheck } from './daily-check.ts';
export { openFirestore } from './firestore-target.ts';
export { releaseIfStill } from './release.ts';
