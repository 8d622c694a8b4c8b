/**
 * What runs Dataform for one date of a locked command: the local `dataform` CLI, or the Dataform API (a compilation
 * result and a workflow invocation in a Dataform repository). run-date.ts owns everything around it (lock, grading_runs,
 * retries, validation, audit, alerts); an executor only runs the selected actions with the run's vars and reports what
 * happened in the one shape the outcome classifier reads (dataform-outcome.ts).
 */
import type { DataformResult } from '../../warehouse/dataform-cli.ts';

/**
 * The run's vars (includes/run_vars.js: date_tokens or game_date, run_id, lock_token, operation), exactly as Dataform
 * compiles them; every value is validated again at compile time.
 */
export type RunVars = Readonly<Record<string, string>>;

export interface ExecutionRequest {
  vars: RunVars;
  /** `dataform run --tags ...` / invocationConfig.includedTags. */
  tags: readonly string[];
  /** The per-date assertion dataset (the run's assertion views, read back when an assertion fails). */
  assertionDataset: string;
  /** Aborted when a lease is lost: the executor stops the run (kills the CLI, cancels the invocation). */
  signal?: AbortSignal;
  timeoutMs: number;
}

/** Compilation errors found before the lock was taken: nothing ran. */
export interface CompileCheck {
  errors: string[];
  /** Every error is a vars-contract violation (includes/run_vars.js "Invalid var ..."): bad input, exit 2. */
  badVars: boolean;
}

export interface Executor {
  /**
   * Compiles the project for a date before any lock is taken, so a project that cannot compile exits without locking.
   * Undefined when the executor compiles as part of the run (the CLI: a compile error fails the run, exit 1).
   */
  checkCompiles?(vars: RunVars, assertionDataset: string): Promise<CompileCheck>;
  /** Runs the actions; `result` has the CLI's shape (exit code, the action lines, the errors) for classifyDataformRun. */
  run(request: ExecutionRequest): Promise<DataformResult>;
}

/** `--vars=k=v,...` of a run (the CLI splits on commas; the vars contract keeps every value comma-free). */
export function varsArg(vars: RunVars): string {
  return `--vars=${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** The vars contract's own wording for a bad value (includes/run_vars.js). */
export const isBadVarsError = (message: string) => /Invalid var /.test(message) && !/No run dates/.test(message);
