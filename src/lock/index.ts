export { DistributedLock } from './distributed-lock.ts';
export type { Lease } from './lease.ts';
export type { LockInfo } from './lock-document.ts';
export { InvalidLockNameError, LockAcquisitionError, LockLostError, LockUnavailableError } from './errors.ts';
export { LOCK_TYPE_PATTERN } from './names.ts';
export { createFirestoreClient } from './firestore-client.ts';
