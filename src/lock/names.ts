/**
 * Lock names. Collections and document ids are the seed's (`<lockType>_locks/<lockType>_<scope>`) so the
 * dashboards built on them keep working; the patterns keep ids valid Firestore ids and keep a scope from
 * smuggling a `/` into a document path.
 */
import { InvalidLockNameError } from './errors.ts';

export const LOCK_TYPE_PATTERN = /^[a-z][a-z0-9_]{1,62}$/;
const SCOPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export interface LockNames {
  lockType: string;
  scope: string;
  /** `<lockType>_<scope>`: the lock document's id, also used as the fence document's id. */
  lockKey: string;
  /** `<lockType>_locks`. */
  locksCollection: string;
  /** `<lockType>_lock_fences`: one never-deleted counter per lock key. */
  fencesCollection: string;
  /** `<lockType>_lock_audit`: one document per forced release. */
  auditCollection: string;
}

function validateLockType(lockType: string): string {
  if (typeof lockType !== 'string' || !LOCK_TYPE_PATTERN.test(lockType)) {
    throw new InvalidLockNameError(`Invalid lock type ${JSON.stringify(lockType)}: must match ${LOCK_TYPE_PATTERN}`);
  }
  return lockType;
}

function validateScope(scope: string): string {
  if (typeof scope !== 'string' || !SCOPE_PATTERN.test(scope)) {
    throw new InvalidLockNameError(`Invalid lock scope ${JSON.stringify(scope)}: must match ${SCOPE_PATTERN}`);
  }
  return scope;
}

export function collectionsFor(lockType: string): Omit<LockNames, 'scope' | 'lockKey'> {
  validateLockType(lockType);
  return {
    lockType,
    locksCollection: `${lockType}_locks`,
    fencesCollection: `${lockType}_lock_fences`,
    auditCollection: `${lockType}_lock_audit`,
  };
}

export function lockNames(lockType: string, scope: string): LockNames {
  validateScope(scope);
  return { ...collectionsFor(lockType), scope, lockKey: `${lockType}_${scope}` };
}
