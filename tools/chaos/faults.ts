/**
 * The faults of one round, each aimed at a moment a process reports (tools/chaos/anchors.ts) plus a little jitter:
 * kill -9 of a writer's process group at its lock, at dataform's start, inside its fenced transaction or right after
 * the commit; a holder frozen past its lease at the same moments; a Firestore outage longer than the lease once a lock
 * is held (renewals fail, runs must stop before committing); the BigQuery emulator killed while a transaction runs;
 * the webhook down. A fault whose moment never comes (the process ended first) is reported as missed, not counted.
 */
import type { Actor } from '../harness/actors.ts';
import { reach, type Anchor } from './anchors.ts';
import type { ProcessStack } from './process-stack.ts';
import type { Random } from '../synthetic/prng.ts';

/** Most jitter after each moment: a fault lands anywhere in the phase the moment opens, not only at its edge. */
const JITTER_MS: Record<Anchor, number> = { lock_acquired: 1_500, dataform_started: 6_000, transaction_begun: 250, committed: 400, step_recorded: 100 };

export interface FaultContext {
  random: Random;
  stack: ProcessStack;
  /** Processes faults may strike (writers with a lease short enough to expire within the round). */
  victims: Actor[];
  leaseMs: number;
  /** Appended to as faults strike: "kill -9 …", "freeze …", "firestore …", "bigquery …", "webhook …", "missed: …". */
  faults: string[];
  /** BigQuery outages (run rows cannot be written meanwhile). */
  outages: Array<{ from: number; to: number }>;
  /** Arm every kind of fault in every round (the short test), instead of each with its own chance. */
  everyFault?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Arms a fault at `anchor` of `victim`; resolves once it struck or missed. */
async function aim(ctx: FaultContext, victim: Actor, anchor: Anchor, what: string, strike: (moment: string) => Promise<void> | void, step?: string): Promise<void> {
  const jitter = ctx.random.int(0, JITTER_MS[anchor]); // drawn now, so the seed replays the same faults
  const hit = await reach(ctx.stack, victim, anchor, step);
  if (!hit) {
    ctx.faults.push(`missed: ${what} ${victim.spec.name} at ${anchor} (it ended first)`);
    return;
  }
  await sleep(jitter);
  if (!victim.running) {
    ctx.faults.push(`missed: ${what} ${victim.spec.name} at ${anchor} +${jitter} ms (it ended first)`);
    return;
  }
  await strike(`${anchor} (${hit.detail}) +${jitter} ms`);
}

export function killAt(ctx: FaultContext, victim: Actor, anchor: Anchor, step?: string): Promise<void> {
  return aim(
    ctx,
    victim,
    anchor,
    'kill -9',
    (moment) => {
      ctx.faults.push(`kill -9 ${victim.spec.name} at ${moment}`);
      victim.kill9();
    },
    step,
  );
}

/** Arms this round's faults; the returned promise settles when every one has struck or missed. */
export function armFaults(ctx: FaultContext): Promise<void>[] {
  const { random, stack } = ctx;
  const tasks: Promise<void>[] = [];
  if (!ctx.victims.length) return tasks;
  const chance = (p: number) => random.chance(ctx.everyFault ? 1 : p);
  if (chance(0.7)) {
    tasks.push(killAt(ctx, random.pick(ctx.victims), random.pick<Anchor>(['lock_acquired', 'dataform_started', 'transaction_begun', 'committed'])));
  }
  if (chance(0.5)) {
    const victim = random.pick(ctx.victims);
    tasks.push(
      aim(ctx, victim, random.pick<Anchor>(['lock_acquired', 'dataform_started', 'transaction_begun']), 'freeze', async (moment) => {
        ctx.faults.push(`freeze ${victim.spec.name} at ${moment} for ${ctx.leaseMs * 2} ms (lease ${ctx.leaseMs} ms)`);
        victim.pause();
        await sleep(ctx.leaseMs * 2);
        victim.resume();
      }),
    );
  }
  if (chance(0.35)) {
    // Longer than the lease: holders cannot renew, so they must lose it and stop before writing.
    const length = random.int(Math.round(ctx.leaseMs * 1.5), ctx.leaseMs * 2);
    tasks.push(
      aim(ctx, random.pick(ctx.victims), 'lock_acquired', 'firestore outage', async (moment) => {
        ctx.faults.push(`firestore outage at ${moment} for ${length} ms`);
        stack.pauseFirestore();
        await sleep(length);
        stack.resumeFirestore();
      }),
    );
  }
  if (chance(0.3)) {
    tasks.push(
      aim(ctx, random.pick(ctx.victims), 'transaction_begun', 'bigquery emulator kill -9', async (moment) => {
        ctx.faults.push(`bigquery emulator kill -9 at ${moment}, restarted on its file`);
        const from = Date.now();
        await stack.killBigQuery();
        await sleep(500);
        await stack.startBigQuery();
        ctx.outages.push({ from, to: Date.now() });
      }),
    );
  }
  if (chance(0.3)) {
    ctx.faults.push('webhook down (503) for the round');
    stack.webhook.setFallback({ status: 503, body: 'outage' });
  }
  return tasks;
}
