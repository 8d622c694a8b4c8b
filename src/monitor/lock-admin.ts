/**
 * What `locks` and `monitor` need from the lock: every lock of every type (types are discovered from the
 * `<type>_locks` collections, so a new lock type shows up without a code change), and the circuit breakers.
 */
import type { Firestore } from '@google-cloud/firestore';
import { DistributedLock, LOCK_TYPE_PATTERN, type LockInfo } from '../lock/index.ts';
import type { Logger } from '../log/logger.ts';
import { listCircuits } from '../runner/circuit-breaker.ts';

export type { LockInfo };

async function lockTypes(firestore: Firestore): Promise<string[]> {
  const collections = await firestore.listCollections();
  return collections
    .map((c) => c.id)
    .filter((id) => id.endsWith('_locks'))
    .map((id) => id.slice(0, -'_locks'.length))
    .filter((type) => LOCK_TYPE_PATTERN.test(type))
    .sort();
}

export function adminLock(firestore: Firestore, lockType: string, logger?: Logger): DistributedLock {
  // Admin handles never acquire; the holder id names the operator's process in audit documents.
  return new DistributedLock({ lockType, firestore, logger, autoRenew: false, holderId: `admin:${process.env.USER ?? 'unknown'}:${process.pid}` });
}

export async function listAllLocks(firestore: Firestore, types?: readonly string[]): Promise<LockInfo[]> {
  const all: LockInfo[] = [];
  for (const type of types ?? (await lockTypes(firestore))) all.push(...(await adminLock(firestore, type).list()));
  return all.sort((a, b) => a.lockType.localeCompare(b.lockType) || a.scope.localeCompare(b.scope));
}

export async function stuckLocks(firestore: Firestore, olderThanMs: number, types?: readonly string[]): Promise<LockInfo[]> {
  const all: LockInfo[] = [];
  for (const type of types ?? (await lockTypes(firestore))) all.push(...(await adminLock(firestore, type).stuck({ olderThanMs })));
  return all.sort((a, b) => a.acquiredAt.getTime() - b.acquiredAt.getTime());
}

export { listCircuits };

export function lockRow(lock: LockInfo, nowMs = Date.now()) {
  return {
    type: lock.lockType,
    scope: lock.scope,
    state: lock.expired ? 'expired' : 'held',
    holder: lock.holderId,
    operation: lock.operationId,
    token: lock.token,
    since: lock.acquiredAt.toISOString(),
    held_for: formatAge(nowMs - lock.acquiredAt.getTime()),
    expires: lock.expiresAt.toISOString(),
    renewals: lock.renewals,
    host: lock.host,
    pid: lock.pid,
  };
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function textTable(rows: Array<Record<string, unknown>>, empty: string): string {
  if (rows.length === 0) return empty + '\n';
  const header = Object.keys(rows[0]);
  const cells = rows.map((r) => header.map((h) => String(r[h] ?? '')));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}
