/**
 * A lease run out now instead of waited out: the lock document's expires_at set into the past, as the clock leaves it
 * once a holder that no longer renews (killed, or frozen with SIGSTOP) has passed its lease. Tests of what happens
 * after such a lease ends use it instead of sleeping through 5-20 s leases. Only for a holder that cannot renew: the
 * document's write time changes, so the holder's next renewal finds the lease lost (as it would after a takeover).
 */
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { lockNames } from '../../src/lock/names.ts';

export async function expireLease(firestore: Firestore, lockType: string, scope: string): Promise<void> {
  const names = lockNames(lockType, scope);
  const ref = firestore.collection(names.locksCollection).doc(names.lockKey);
  // A minute back: Firestore's clock (which judges expiry) and this process's may differ by a little.
  await ref.update({ expires_at: Timestamp.fromMillis(Date.now() - 60_000) });
}
