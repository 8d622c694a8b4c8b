/**
 * The moments a fault aims at, read from what the processes report rather than from a clock started at spawn (start-up
 * alone takes 5–12 s on a busy machine, so a fixed delay mostly hits processes that have not done anything yet):
 *  - lock_acquired, dataform_started: the actor's own JSON log lines;
 *  - transaction_begun, committed: the emulator's trace of the jobs that open a transaction, matched to the actor by
 *    the run id their SQL carries (the writer's process cannot see inside `dataform run`);
 *  - step_recorded: a cleanup step the cleanup logged as done (the swap, by default).
 */
import type { Actor } from '../harness/actors.ts';
import type { ProcessStack, TransactionEvent } from './process-stack.ts';

export type Anchor = 'lock_acquired' | 'dataform_started' | 'transaction_begun' | 'committed' | 'step_recorded';

export interface AnchorHit {
  anchor: Anchor;
  at: number;
  /** What was seen, for the report (the table of a transaction, the step of a cleanup). */
  detail: string;
}

/**
 * Resolves when `actor` reaches `anchor` from now on, or undefined when it exits first (the fault then missed and is
 * reported as such). `step` names the cleanup step for step_recorded.
 */
export function reach(stack: ProcessStack, actor: Actor, anchor: Anchor, step = 'swap'): Promise<AnchorHit | undefined> {
  switch (anchor) {
    case 'lock_acquired':
    case 'dataform_started':
      return actor.waitFor((line) => line.event === anchor).then((e) => e && { anchor, at: e.at, detail: String(e.line.game_date ?? e.line.lock_key ?? (e.line.dates ? `${e.line.dates} dates` : '')) });
    case 'step_recorded':
      return actor.waitFor((line) => line.step === step && /^cleanup step \S+ done$/.test(String(line.message))).then((e) => e && { anchor, at: e.at, detail: step });
    case 'transaction_begun':
    case 'committed':
      return transaction(stack, actor, anchor);
  }
}

function transaction(stack: ProcessStack, actor: Actor, anchor: 'transaction_begun' | 'committed'): Promise<AnchorHit | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (hit: AnchorHit | undefined) => {
      if (settled) return;
      settled = true;
      stop();
      resolve(hit);
    };
    const wanted = (e: TransactionEvent) =>
      e.runId !== null && actor.runIds.has(e.runId) && (anchor === 'transaction_begun' ? e.event === 'transaction_job_inserted' : e.event === 'transaction_job_done' && !e.error);
    const stop = stack.onTransactionEvent((e) => {
      if (wanted(e)) finish({ anchor, at: e.at, detail: `${e.table ?? '?'} of ${e.runId}` });
    });
    void actor.done.then(() => finish(undefined));
  });
}
