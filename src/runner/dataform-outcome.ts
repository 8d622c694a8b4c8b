/**
 * What a `dataform run` really did. The CLI's exit code is not enough: it exits 0 for "No actions
 * to run." and for `run --json` without `--dry-run`, and a real run has no machine-readable result,
 * so stderr/stdout are read for assertion failures, fence rejections and the transient errors worth a rerun.
 */
import { createRequire } from 'node:module';
import type { DataformResult } from '../warehouse/dataform-cli.ts';
import { retryableReason, type RetryableReason } from './retryable.ts';

type DataformOutcomeKind = 'success' | 'assertion_failed' | 'fence_rejected' | 'retryable' | 'no_actions' | 'failed';

export interface DataformOutcome {
  kind: DataformOutcomeKind;
  /** Assertion names (schema.name) that failed. */
  failedAssertions: string[];
  /** Actions that failed other than assertions. */
  failedActions: string[];
  message: string;
  /** For `retryable`: which of Google's transient errors (retryable.ts). */
  retryReason?: RetryableReason;
}

/** The one prefix every fence rejection raises with, Dataform's and the toolkit's own transactions alike. */
export const FENCE_ERROR_PREFIX: string = (createRequire(import.meta.url)('../../includes/constants.js') as { FENCE_ERROR_PREFIX: string }).FENCE_ERROR_PREFIX;

export function classifyDataformRun(r: DataformResult): DataformOutcome {
  const text = `${r.stdout}\n${r.stderr}`;
  const failedAssertions = [...text.matchAll(/^Assertion failed:\s+(\S+)/gm)].map((m) => m[1]);
  const failedActions = [...text.matchAll(/^(?:Table|View|Operation|Incremental table) failed:\s+(\S+)/gim)].map((m) => m[1]);
  const errors = [...text.matchAll(/bigquery error:\s*(.*)/g)].map((m) => m[1].trim());
  const firstError = errors.find((e) => !/^Assertion failed/.test(e)) ?? errors[0] ?? '';
  if (/No actions to run\./.test(text)) {
    return { kind: 'no_actions', failedAssertions, failedActions, message: 'dataform selected no actions (check --tags/--actions)' };
  }
  if (text.includes(FENCE_ERROR_PREFIX)) {
    return { kind: 'fence_rejected', failedAssertions, failedActions, message: errors.find((e) => e.includes(FENCE_ERROR_PREFIX)) ?? 'fence rejected the write' };
  }
  const retry = retryableReason(text);
  if (retry) return { kind: 'retryable', failedAssertions, failedActions, message: retry.message, retryReason: retry.reason };
  if (r.code === 0 && !failedActions.length && !failedAssertions.length) {
    return { kind: 'success', failedAssertions, failedActions, message: 'ok' };
  }
  if (failedAssertions.length && !failedActions.length) {
    return { kind: 'assertion_failed', failedAssertions, failedActions, message: `assertion failed: ${failedAssertions.join(', ')}` };
  }
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' ');
  return { kind: 'failed', failedAssertions, failedActions, message: firstError || tail || `dataform exited with ${r.code}` };
}
