/**
 * Which actions an invocation selects (from the compiled graph) and what the `dataform run` that executed them
 * reported for each (its output lines: the CLI has no machine-readable run result).
 */

type ActionState = 'PENDING' | 'RUNNING' | 'SKIPPED' | 'DISABLED' | 'SUCCEEDED' | 'CANCELLED' | 'FAILED';

export interface Target {
  database: string;
  schema: string;
  name: string;
}

export interface InvocationAction {
  target: Target;
  canonicalTarget: Target;
  state: ActionState;
  failureReason: string;
}

interface GraphAction {
  target: Target;
  tags?: string[];
}

export interface CompiledGraph {
  tables?: GraphAction[];
  operations?: GraphAction[];
  assertions?: GraphAction[];
}

export interface Selection {
  includedTags: string[];
  includedTargets: Target[];
}

/** The graph's actions the selection names (any of the tags, or one of the targets), as PENDING actions. */
export function selectedActions(graph: CompiledGraph, selection: Selection): InvocationAction[] {
  const all = [...(graph.operations ?? []), ...(graph.tables ?? []), ...(graph.assertions ?? [])];
  const named = (t: Target) => selection.includedTargets.some((s) => s.name === t.name && (!s.schema || s.schema === t.schema));
  return all
    .filter((a) => (a.tags ?? []).some((tag) => selection.includedTags.includes(tag)) || named(a.target))
    .map((a) => ({ target: a.target, canonicalTarget: a.target, state: 'PENDING' as const, failureReason: '' }));
}

const RESULT_LINE: Array<[RegExp, ActionState]> = [
  [/^Table created:\s+(\S+)/, 'SUCCEEDED'],
  [/^Assertion passed:\s+(\S+)/, 'SUCCEEDED'],
  [/^Operation completed successfully:\s+(\S+)/, 'SUCCEEDED'],
  [/^Dataset creation failed:\s+(\S+)/, 'FAILED'],
  [/^Assertion failed:\s+(\S+)/, 'FAILED'],
  [/^Operation failed:\s+(\S+)/, 'FAILED'],
  [/^Skipping (?:dataset creation|assertion execution|operation execution):\s+(\S+)/, 'SKIPPED'],
];

interface Reported {
  state: ActionState;
  failureReason: string;
}

/**
 * `schema.name` -> the state the CLI printed, and for a failure its error lines (the SQL echo, `  > ...`, left out).
 * stdout carries the successes and skips, stderr the failures followed by their errors.
 */
export function reportedStates(stdout: string, stderr: string): Map<string, Reported> {
  const states = new Map<string, Reported>();
  for (const text of [stdout, stderr]) {
    let failing: Reported | undefined;
    for (const line of text.split('\n')) {
      const hit = RESULT_LINE.map(([re, state]) => [re.exec(line), state] as const).find(([m]) => m);
      if (hit) {
        const [match, state] = hit;
        const reported = { state, failureReason: '' };
        states.set(match![1], reported);
        failing = state === 'FAILED' ? reported : undefined;
        continue;
      }
      const detail = line.trim();
      if (failing && detail && !detail.startsWith('>') && !/^(jobId|Bytes billed):/.test(detail)) {
        failing.failureReason = failing.failureReason ? `${failing.failureReason} ${detail}` : detail;
      }
    }
  }
  return states;
}

/** The selected actions with the states the run reported; anything the run never reported gets `unreported`. */
export function settleActions(actions: InvocationAction[], reported: Map<string, Reported>, unreported: Reported): InvocationAction[] {
  const settled = actions.map((a) => ({ ...a, ...(reported.get(`${a.target.schema}.${a.target.name}`) ?? unreported) }));
  const known = new Set(actions.map((a) => `${a.target.schema}.${a.target.name}`));
  // Actions the CLI ran beyond the selection (dependencies) are reported too; their database is the run's.
  const database = actions[0]?.target.database ?? '';
  for (const [name, state] of reported) {
    if (known.has(name)) continue;
    const [schema, table] = name.split('.');
    const target = { database, schema, name: table };
    settled.push({ target, canonicalTarget: target, ...state });
  }
  return settled;
}
