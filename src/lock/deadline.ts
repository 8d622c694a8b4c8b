import { LockUnavailableError } from './errors.ts';

/**
 * Bounds one Firestore call. When Firestore is unreachable the client keeps retrying UNAVAILABLE for
 * minutes; a lock caller needs a clear answer in seconds. `onLate` sees a result that arrives after we
 * gave up, so a late acquisition can be undone instead of sitting there until its lease runs out.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new LockUnavailableError(`Firestore did not answer ${what} within ${ms} ms; is it reachable` + `${process.env.FIRESTORE_EMULATOR_HOST ? ` (emulator at ${process.env.FIRESTORE_EMULATOR_HOST})` : ''}?`),
      );
    }, ms);
  });
  promise.then(
    (value) => {
      if (timedOut) onLate?.(value);
    },
    () => {},
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
