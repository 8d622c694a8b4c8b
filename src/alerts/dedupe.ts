/**
 * "Not the same alert twice within an hour": one claim per (kind, date, table). In memory for a single process;
 * in Firestore (collection `gradeguard_alerts`) when several processes alert, e.g. the runner, the monitor and a
 * backfill all seeing the same duplicates. The Firestore claim is a read then a write with a precondition (the
 * document is absent, or unchanged since the read), judged by Firestore's clock, so of two processes racing for
 * the same alert exactly one sends it.
 */
import { createHash } from 'node:crypto';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { firestoreLibrary } from '../cloud/libraries.ts';
import type { Alert } from './types.ts';

export const ALERTS_COLLECTION = 'gradeguard_alerts';
export const DEDUPE_WINDOW_MS = 60 * 60 * 1000;

export interface DedupeClaim {
  /** Undo the claim (delivery failed): the next occurrence should try again. */
  release(): Promise<void>;
}

export interface DedupeStore {
  /** A claim when this alert may be sent now; undefined when it was sent within the window. */
  claim(alert: Alert, windowMs: number): Promise<DedupeClaim | undefined>;
}

export function dedupeKey(alert: Pick<Alert, 'kind' | 'gameDate' | 'table'>): string {
  return `${alert.kind}|${alert.gameDate ?? '-'}|${alert.table ?? '-'}`;
}

export function memoryDedupe(now: () => number = Date.now): DedupeStore {
  const sent = new Map<string, number>();
  return {
    async claim(alert, windowMs) {
      const key = dedupeKey(alert);
      const last = sent.get(key);
      const at = now();
      if (last !== undefined && at - last < windowMs) return undefined;
      sent.set(key, at);
      return { release: async () => void (sent.get(key) === at && sent.delete(key)) };
    },
  };
}

export function firestoreDedupe(db: Firestore, collection = ALERTS_COLLECTION): DedupeStore {
  return {
    async claim(alert, windowMs) {
      const key = dedupeKey(alert);
      const ref = db.collection(collection).doc(createHash('sha256').update(key).digest('hex').slice(0, 40));
      const snapshot = await ref.get();
      const now = snapshot.readTime;
      const lastSent = snapshot.exists ? (snapshot.get('last_sent_at') as Timestamp | undefined) : undefined;
      if (lastSent && now.toMillis() - lastSent.toMillis() < windowMs) return undefined;
      const data = {
        key,
        kind: alert.kind,
        game_date: alert.gameDate ?? null,
        table: alert.table ?? null,
        run_id: alert.runId ?? null,
        last_sent_at: now,
        // For a Firestore TTL policy: these documents only matter for the window.
        expires_at: firestoreLibrary().Timestamp.fromMillis(now.toMillis() + windowMs),
        sent_count: ((snapshot.get('sent_count') as number | undefined) ?? 0) + 1,
      };
      try {
        const result = snapshot.exists ? await ref.update(data, { lastUpdateTime: snapshot.updateTime! }) : await ref.create(data);
        const writeTime = result.writeTime;
        return {
          async release() {
            // Only if nobody claimed it since (their claim stands).
            await ref.delete({ lastUpdateTime: writeTime }).catch(() => undefined);
          },
        };
      } catch (error) {
        // ALREADY_EXISTS / FAILED_PRECONDITION: another process claimed it between our read and write.
        const code = (error as { code?: number }).code;
        if (code === 6 || code === 9 || code === 10) return undefined;
        throw error;
      }
    },
  };
}
