/** The circuit breaker on the real Firestore emulator: opens after 3 failures, refuses, half-opens with exactly one trial. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker, listCircuits } from '../../src/runner/circuit-breaker.ts';
import { testFirestore, type TestFirestore } from '../lock/helpers.ts';

let fs: TestFirestore;
beforeAll(async () => {
  fs = await testFirestore();
}, 60_000);
afterAll(async () => fs?.stop());
beforeEach(async () => fs.wipe());

describe('CircuitBreaker', () => {
  it('opens after 3 consecutive failures, refuses for the cool-down, then lets exactly one trial through', async () => {
    let clock = 1_000_000;
    const make = () => new CircuitBreaker({ firestore: fs.client(), operation: 'grading', coolDownMs: 300_000, now: () => clock });
    const a = make();
    const b = make();
    expect(await a.check()).toMatchObject({ allowed: true, state: 'closed', consecutiveFailures: 0 });
    await a.recordFailure('boom 1');
    await b.recordFailure('boom 2');
    expect(await a.check()).toMatchObject({ allowed: true, state: 'closed', consecutiveFailures: 2 });
    await a.recordFailure('boom 3');
    const refused = await b.check();
    expect(refused).toMatchObject({ allowed: false, state: 'open', consecutiveFailures: 3 });
    expect(refused.reopensAt).toBe(new Date(1_000_000 + 300_000).toISOString());
    const [listed] = await listCircuits(fs.client(), { now: () => clock });
    expect(listed).toMatchObject({ operation: 'grading', state: 'open', consecutiveFailures: 3, lastError: 'boom 3' });

    clock += 299_999;
    expect((await a.check()).allowed).toBe(false);
    clock += 1;
    // Many processes ask at once: exactly one becomes the trial.
    const checks = await Promise.all(Array.from({ length: 6 }, () => make().check()));
    expect(checks.filter((c) => c.allowed)).toHaveLength(1);
    expect(checks.every((c) => c.state === 'half_open')).toBe(true);

    // The trial fails: open again for a full cool-down.
    await a.recordFailure('trial failed');
    expect(await b.check()).toMatchObject({ allowed: false, state: 'open' });
    clock += 300_000;
    expect(await b.check()).toMatchObject({ allowed: true, state: 'half_open' });
    await b.recordSuccess();
    expect(await a.check()).toMatchObject({ allowed: true, state: 'closed', consecutiveFailures: 0 });
    expect((await listCircuits(fs.client(), { now: () => clock }))[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a success resets the count; circuits are per operation', async () => {
    const clock = 5_000;
    const grading = new CircuitBreaker({ firestore: fs.client(), operation: 'grading', now: () => clock });
    const consolidation = new CircuitBreaker({ firestore: fs.client(), operation: 'consolidation', now: () => clock });
    await grading.recordFailure('x');
    await grading.recordFailure('x');
    await grading.recordSuccess();
    await grading.recordFailure('x');
    await grading.recordFailure('x');
    expect(await grading.check()).toMatchObject({ allowed: true, consecutiveFailures: 2 });
    for (let i = 0; i < 3; i++) await consolidation.recordFailure('y');
    expect((await consolidation.check()).allowed).toBe(false);
    expect((await grading.check()).allowed).toBe(true);
    expect((await listCircuits(fs.client(), { now: () => clock })).map((c) => [c.operation, c.state])).toEqual([
      ['consolidation', 'open'],
      ['grading', 'closed'],
    ]);
  });

  it('a trial that never reports is replaced after another cool-down', async () => {
    let clock = 0;
    const breaker = new CircuitBreaker({ firestore: fs.client(), operation: 'grading', threshold: 1, coolDownMs: 1_000, now: () => clock });
    await breaker.recordFailure('x');
    clock = 1_000;
    expect((await breaker.check()).allowed).toBe(true);
    clock = 1_500;
    expect((await breaker.check()).allowed).toBe(false);
    clock = 2_000;
    expect((await breaker.check()).allowed).toBe(true);
  });
});
