/**
 * What each locked command runs: its lock, the Dataform tags it selects and the tables it validates afterwards; and
 * what the deploy selects. The one definition of the tag selections every executor uses (`dataform run --tags`, the
 * Dataform API's invocationConfig.includedTags); the tag names themselves are includes/constants.js's.
 */
import constants from '../../includes/constants.js';

const { TAGS } = constants;

/** `npm run deploy`: the var-independent tables and views, created once; no run selects them. */
export const DEPLOY_TAGS: readonly string[] = constants.DEPLOY_TAGS;

export type OperationName = 'grading' | 'consolidation' | 'reporting';

export interface OperationSpec {
  name: OperationName;
  /** DistributedLock lockType; the scope is the date. */
  lockType: string;
  /** `dataform run --tags ...`. */
  tags: readonly string[];
  /** Prefix of run ids (`grade-20260117-...`). */
  runIdPrefix: string;
  /** Keyed tables checked for duplicate keys on the run's date after the run (inside the lock). */
  validatedTables: readonly string[];
  /** Table whose rows written by the run are reported as "rows". */
  rowsTable: string;
}

/** What the cleanup's recompute (and a restore's) selects: the reporting rows built from prediction_accuracy. */
export const RECOMPUTE_TAGS: readonly string[] = [TAGS.reporting];

export const OPERATIONS: Record<OperationName, OperationSpec> = {
  grading: {
    name: 'grading',
    lockType: 'grading',
    tags: [TAGS.grading, TAGS.reporting],
    runIdPrefix: 'grade',
    validatedTables: ['prediction_accuracy', 'system_daily_performance', 'performance_summary'],
    rowsTable: 'prediction_accuracy',
  },
  // Not a command of its own: what a grading command runs afterwards over the later dates whose summary windows
  // cover a date it graded (summary-refresh.ts), under the grading lock of each of them.
  reporting: {
    name: 'reporting',
    lockType: 'grading',
    tags: [TAGS.reporting],
    runIdPrefix: 'reporting',
    validatedTables: ['system_daily_performance', 'performance_summary'],
    rowsTable: 'performance_summary',
  },
  consolidation: {
    name: 'consolidation',
    lockType: 'consolidation',
    tags: [TAGS.consolidation],
    runIdPrefix: 'consolidate',
    validatedTables: ['player_prop_predictions'],
    rowsTable: 'player_prop_predictions',
  },
};

/**
 * The lock type a run of `operation` (grading_runs.operation) holds on each of its dates while it runs; undefined:
 * nothing to judge it by. The runner's operations by their spec; the repairs (`remediate`, the cleanup and its
 * `cleanup.<step>` rows, `cleanup.restore`) hold the grading lock of every date they touch.
 */
export function lockTypeOf(operation: string): string | undefined {
  const spec = OPERATIONS[operation as OperationName];
  if (spec) return spec.lockType;
  if (operation === 'remediate' || operation === 'cleanup' || operation.startsWith('cleanup.')) return 'grading';
  return undefined;
}
