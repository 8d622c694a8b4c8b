/** The lock document as stored in Firestore, and the read-only view handed to callers. */
import type { DocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import { firestoreLibrary } from '../cloud/libraries.ts';

export interface LockDocument {
  lock_key: string;
  lock_type: string;
  scope: string;
  holder_id: string;
  operation_id: string;
  token: number;
  acquired_at: Timestamp;
  /** Decides expiry (compared with Firestore's own read time); also the field for a TTL policy. */
  expires_at: Timestamp;
  renewed_at: Timestamp | null;
  renewals: number;
  host: string;
  pid: number;
}

export interface FenceDocument {
  lock_key: string;
  last_token: number;
  updated_at: Timestamp;
}

export interface LockInfo {
  lockKey: string;
  lockType: string;
  scope: string;
  holderId: string;
  operationId: string;
  token: number;
  acquiredAt: Date;
  expiresAt: Date;
  renewedAt: Date | null;
  renewals: number;
  host: string;
  pid: number;
  /** Judged against Firestore's read time, not this machine's clock. */
  expired: boolean;
}

export function toLockInfo(doc: LockDocument, serverNow: Timestamp): LockInfo {
  return {
    lockKey: doc.lock_key,
    lockType: doc.lock_type,
    scope: doc.scope,
    holderId: doc.holder_id,
    operationId: doc.operation_id,
    token: doc.token,
    acquiredAt: doc.acquired_at.toDate(),
    expiresAt: doc.expires_at.toDate(),
    renewedAt: doc.renewed_at ? doc.renewed_at.toDate() : null,
    renewals: doc.renewals ?? 0,
    host: doc.host,
    pid: doc.pid,
    expired: doc.expires_at.toMillis() <= serverNow.toMillis(),
  };
}

export function readLock(snapshot: DocumentSnapshot): LockDocument | undefined {
  return snapshot.exists ? (snapshot.data() as LockDocument) : undefined;
}

export function isLive(doc: LockDocument | undefined, serverNow: Timestamp): boolean {
  return !!doc && doc.expires_at.toMillis() > serverNow.toMillis();
}

export function plus(time: Timestamp, ms: number): Timestamp {
  return firestoreLibrary().Timestamp.fromMillis(time.toMillis() + ms);
}
