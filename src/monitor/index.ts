export { monitorPass, DEFAULT_RELEASE_AFTER_MS, DEFAULT_STUCK_AFTER_MS, type MonitorReport } from './monitor.ts';
export { DEFAULT_UNLEASED_RUN_AFTER_MS } from './abandoned-runs.ts';
export { lastDailyCheck } from './daily-check.ts';
export { openFirestore } from './firestore-target.ts';
export { releaseIfStill } from './release.ts';
