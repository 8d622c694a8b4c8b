/**
 * --dry-run: the plan (dates, locks, run settings) and the SQL Dataform would run, from `dataform compile` (offline:
 * no warehouse call, no dataset created, no lock taken, nothing written).
 */
import { plannedTarget } from '../warehouse/stack.ts';
import { projectConfig } from '../warehouse/target.ts';
import { compileProject } from './compiled-project.ts';
import { ExitCode } from './exit-codes.ts';
import type { ParsedLockedCommand } from './locked-command.ts';
import { OPERATIONS, type OperationName } from './operations.ts';
import { assertionDatasetFor } from './run-id.ts';

export interface DryRunPlan {
  dryRun: true;
  operation: OperationName;
  dates: string[];
  lock: { type: string; scope: 'date'; useLock: boolean; ifLocked: string; lockTimeoutMs: number; leaseMs: number; onLockError: string };
  batchSize: number;
  parallel: number;
  actions: Array<{ kind: string; name: string; sql: string[] }>;
  text: string;
  exitCode: number;
}

export async function dryRunPlan(operation: OperationName, parsed: ParsedLockedCommand): Promise<DryRunPlan> {
  const spec = OPERATIONS[operation];
  const config = projectConfig();
  const target = plannedTarget(parsed.targetKind);
  const first = parsed.dates[0];
  const compiled = await compileProject(target, {
    game_date: first,
    run_id: 'dry-run',
    lock_token: 0,
    operation,
    assertionDataset: assertionDatasetFor(config.assertionSchema, first, spec.lockType),
  });
  const actions = compiled.filter((a) => a.tags.some((t) => spec.tags.includes(t))).map(({ kind, name, sql }) => ({ kind, name, sql }));
  const lock = {
    type: spec.lockType,
    scope: 'date' as const,
    useLock: parsed.policy.useLock,
    ifLocked: parsed.policy.ifLocked,
    lockTimeoutMs: parsed.policy.lockTimeoutMs,
    leaseMs: parsed.leaseMs,
    onLockError: parsed.policy.onLockError,
  };
  const lines = [
    `DRY RUN: ${operation} of ${parsed.dates.length} date(s) on --target ${parsed.targetKind}; nothing is written and no lock is taken.`,
    `dates: ${parsed.dates.length > 12 ? `${parsed.dates.slice(0, 6).join(', ')}, ... , ${parsed.dates.slice(-3).join(', ')}` : parsed.dates.join(', ')}`,
    parsed.policy.useLock
      ? `per date: lock ${spec.lockType}_<date> (if busy: ${parsed.policy.ifLocked}${parsed.policy.ifLocked === 'wait' ? ` up to ${parsed.policy.lockTimeoutMs / 1000}s` : ''}; lease ${parsed.leaseMs / 1000}s; Firestore down: ${parsed.policy.onLockError})`
      : 'per date: NO LOCK (lock_token 0): only the atomic write protects the dates',
    `${Math.ceil(parsed.dates.length / parsed.batchSize)} locked run(s) of up to ${parsed.batchSize} dates (leases taken in date order), ${parsed.parallel} at a time; each:`,
    `  dataform run . --tags ${spec.tags.join(' ')} --vars=date_tokens=<date>:<lease token>+...,run_id=<new>,operation=${operation} --assertion-schema=${config.assertionSchema}_d<first date>`,
    `then: duplicate-key validation of ${spec.validatedTables.join(', ')} on the run's dates, audit, release`,
    '',
    `SQL of ${first} (run_id dry-run, lock_token 0; other dates differ only in the date, run id and token):`,
  ];
  for (const action of actions) {
    lines.push('', `-- ${action.kind} ${action.name}`);
    for (const sql of action.sql) lines.push(sql.trim() + ';');
  }
  return { dryRun: true, operation, dates: parsed.dates, lock, batchSize: parsed.batchSize, parallel: parsed.parallel, actions, text: lines.join('\n') + '\n', exitCode: ExitCode.ok };
}
