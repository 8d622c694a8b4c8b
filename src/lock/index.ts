export { DistributedLock, type AcquireOptions, type DistributedLockOptions } from './distributed-lock.ts';
export type { Lease } from './lease.ts';
export type { LockInfo } from './lock-document.ts';
export { InvalidLockNameError, LockAcquisitionError, LockLostError, LockUnavailableError, type HolderSummary } from './errors.ts';
export { LOCK_TYPE_PATTERN, SCOPE_PATTERN, lockNames } from './names.ts';
export { createFirestoreClient, type FirestoreClientOptions } from './firestore-client.ts';
