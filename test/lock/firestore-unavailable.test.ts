import { afterEach, expect, test } from 'vitest';
import { FirestoreEmulatorUnavailableError, startFirestoreEmulator, type FirestoreEmulator } from '../../emulator/firestore.ts';
import { createFirestoreClient, DistributedLock, LockLostError, LockUnavailableError } from '../../src/lock/index.ts';
import { terminateFirestore } from '../../src/lock/firestore-client.ts';

let emulator: FirestoreEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the emulator starts on loopback, wipes, and stops by PID', async () => {
  emulator = await startFirestoreEmulator({ projectId: 'emulator-test' });
  expect(emulator.host).toMatch(/^127\.0\.0\.1:\d+$/);
  const db = createFirestoreClient({ emulatorHost: emulator.host, projectId: 'emulator-test' });
  await db.collection('c').doc('d').set({ a: 1 });
  await emulator.wipe();
  expect((await db.collection('c').doc('d').get()).exists).toBe(false);
  await db.terminate();
  const { pid, host } = emulator;
  await emulator.stop();
  expect(isAlive(pid)).toBe(false);
  await expect(fetch(`http://${host}/`)).rejects.toThrow();
});

test('a missing emulator or Java is a clear error naming the install command', async () => {
  const saved = { jar: process.env.GRADEGUARD_FIRESTORE_EMULATOR_JAR, java: process.env.JAVA };
  try {
    process.env.GRADEGUARD_FIRESTORE_EMULATOR_JAR = '/nonexistent/cloud-firestore-emulator.jar';
    const noJar = await startFirestoreEmulator().catch((e: unknown) => e);
    expect(noJar).toBeInstanceOf(FirestoreEmulatorUnavailableError);
    expect(String(noJar)).toContain('gcloud components install cloud-firestore-emulator');

    delete process.env.GRADEGUARD_FIRESTORE_EMULATOR_JAR;
    process.env.JAVA = '/nonexistent/java';
    const noJava = await startFirestoreEmulator().catch((e: unknown) => e);
    expect(noJava).toBeInstanceOf(FirestoreEmulatorUnavailableError);
    expect(String(noJava)).toMatch(/Java was not found.*gcloud components install cloud-firestore-emulator/s);
  } finally {
    for (const [name, value] of [
      ['GRADEGUARD_FIRESTORE_EMULATOR_JAR', saved.jar],
      ['JAVA', saved.java],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

test('Firestore going away: acquire fails fast and clearly, a held lease aborts by its deadline', async () => {
  emulator = await startFirestoreEmulator({ projectId: 'unavailable-test' });
  const db = createFirestoreClient({ emulatorHost: emulator.host, projectId: 'unavailable-test' });
  await db.collection('warm_up').doc('warm_up').get(); // gRPC's first-call start-up is not what this test measures.
  const held = await new DistributedLock({ lockType: 'grading', firestore: db, leaseMs: 2_000 }).acquire('2026-01-17');
  await emulator.stop();

  // Left alone, the client retries a refused connection for about four minutes.
  const lock = new DistributedLock({ lockType: 'grading', firestore: db, operationTimeoutMs: 1_500 });
  const startedAt = Date.now();
  const error = await lock.acquire('2026-01-18').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LockUnavailableError);
  expect(String(error)).toMatch(/Firestore .*(did not answer|unavailable)/);
  expect(Date.now() - startedAt).toBeLessThan(8_000);

  // Renewals cannot get through, so the holder must be told to stop before its lease could have ended.
  if (!held.signal.aborted) await new Promise((resolve) => held.signal.addEventListener('abort', resolve, { once: true }));
  expect((held.signal.reason as LockLostError).reason).toBe('lock_expired');
  expect(Date.now()).toBeLessThanOrEqual(held.expiresAt.getTime() + 3_000); // Slack only for a loaded machine's timers.
  void terminateFirestore(db);
});
