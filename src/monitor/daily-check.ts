/**
 * "Run check daily" for a monitor that runs every minute, on several machines: the last run date lives in
 * Firestore (`gradeguard_monitor/daily_check`), claimed with an update-time precondition so one monitor runs it.
 */
import type { Firestore } from '@google-cloud/firestore';

const MONITOR_COLLECTION = 'gradeguard_monitor';
const DOC = 'daily_check';

export interface DailyClaim {
  /** Records the outcome; on failure the previous date is put back so the next pass retries. */
  finish(outcome: { ok: boolean; runId?: string; clean?: boolean }): Promise<void>;
}

/** A claim when the check has not run for `today` yet; undefined when it has (or another monitor just claimed it). */
export async function claimDailyCheck(db: Firestore, today: string): Promise<DailyClaim | undefined> {
  const ref = db.collection(MONITOR_COLLECTION).doc(DOC);
  const snapshot = await ref.get();
  const previous = snapshot.exists ? (snapshot.get('last_run_date') as string | null) : null;
  if (previous !== null && previous >= today) return undefined;
  const data = { last_run_date: today, previous_run_date: previous, claimed_at: snapshot.readTime, status: 'running', run_id: null, clean: null };
  let writeTime;
  try {
    writeTime = (snapshot.exists ? await ref.update(data, { lastUpdateTime: snapshot.updateTime! }) : await ref.create(data)).writeTime;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 6 || code === 9 || code === 10) return undefined;
    throw error;
  }
  return {
    async finish(outcome) {
      if (outcome.ok) await ref.update({ status: 'done', run_id: outcome.runId ?? null, clean: outcome.clean ?? null }, { lastUpdateTime: writeTime });
      else await ref.update({ last_run_date: previous, status: 'failed' }, { lastUpdateTime: writeTime }).catch(() => undefined);
    },
  };
}

export async function lastDailyCheck(db: Firestore): Promise<Record<string, unknown> | undefined> {
  const snapshot = await db.collection(MONITOR_COLLECTION).doc(DOC).get();
  return snapshot.exists ? snapshot.data() : undefined;
}
