/**
 * The stand-in's one repository: compilation results compile the working tree at `projectDir` with the real `dataform`
 * CLI; workflow invocations run the selected actions with the real CLI against the local BigQuery emulator, in the
 * background, and record each action's state from what the run printed. Cancel kills the CLI run.
 */
import { randomUUID } from 'node:crypto';
import { selectedActions, reportedStates, settleActions, type CompiledGraph, type InvocationAction, type Target } from './actions.ts';

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CodeCompilationConfig {
  defaultDatabase?: string;
  defaultSchema?: string;
  defaultLocation?: string;
  assertionSchema?: string;
  vars?: Record<string, string>;
}

export interface ReleaseConfig {
  name: string;
  gitCommitish: string;
  codeCompilationConfig?: CodeCompilationConfig;
}

interface CompilationResult {
  name: string;
  gitCommitish?: string;
  releaseConfig?: string;
  codeCompilationConfig: CodeCompilationConfig;
  dataformCoreVersion: string;
  compilationErrors: Array<{ message: string; path?: string }>;
  createTime: string;
  graph?: CompiledGraph;
  /** The CLI flags that reproduce this compilation (vars, assertion schema, defaults) for the invocation's run. */
  flags: string[];
}

type InvocationState = 'RUNNING' | 'SUCCEEDED' | 'CANCELLED' | 'FAILED' | 'CANCELING';

interface WorkflowInvocation {
  name: string;
  compilationResult: string;
  invocationConfig: { includedTags: string[]; includedTargets: Target[]; transitiveDependenciesIncluded: boolean; transitiveDependentsIncluded: boolean; fullyRefreshIncrementalTablesEnabled: boolean };
  state: InvocationState;
  invocationTiming: { startTime: string; endTime?: string };
  actions: InvocationAction[];
  abort: AbortController;
}

/** Runs the dataform CLI in projectDir against the local BigQuery emulator; code 130 when the signal aborted it. */
export type DataformCli = (args: string[], options: { projectDir: string; signal?: AbortSignal; timeoutMs?: number }) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface RepositoryOptions {
  /** `projects/P/locations/L/repositories/R`. */
  name: string;
  projectDir: string;
  /** The dataform CLI that compiles and runs the actions (against the local BigQuery emulator). */
  dataform: DataformCli;
  releaseConfigs: ReleaseConfig[];
  dataformCoreVersion: string;
  /** Delay before an invocation's CLI run starts (invocations queue in Dataform too); tests use it to cancel early. */
  runDelayMs: number;
  /**
   * Awaited before an invocation's CLI run starts, after runDelayMs (a test holds an invocation queued until it chooses,
   * e.g. until a newer run has taken the lock); a cancel meanwhile still ends it before anything runs.
   */
  beforeRun?: (invocation: string) => Promise<void>;
}

const SAFE_VAR = /^[A-Za-z0-9_.:+-]*$/;

export class Repository {
  private readonly compilations = new Map<string, CompilationResult>();
  private readonly invocations = new Map<string, WorkflowInvocation>();
  private readonly running = new Set<Promise<void>>();

  constructor(readonly options: RepositoryOptions) {}

  releaseConfig(id: string): ReleaseConfig {
    const found = this.options.releaseConfigs.find((r) => r.name === `${this.options.name}/releaseConfigs/${id}`);
    if (!found) throw new ApiError(404, 'NOT_FOUND', `Release config ${this.options.name}/releaseConfigs/${id} not found`);
    return found;
  }

  async compile(body: { gitCommitish?: string; releaseConfig?: string; workspace?: string; codeCompilationConfig?: CodeCompilationConfig }): Promise<CompilationResult> {
    const sources = [body.gitCommitish, body.releaseConfig, body.workspace].filter(Boolean);
    if (sources.length !== 1) throw new ApiError(400, 'INVALID_ARGUMENT', 'exactly one of gitCommitish, releaseConfig, workspace must be set');
    if (body.workspace) throw new ApiError(501, 'UNIMPLEMENTED', 'workspace compilation is not supported by the local Dataform API stand-in');
    let config = body.codeCompilationConfig ?? {};
    if (body.releaseConfig) {
      const release = this.releaseConfig(body.releaseConfig.split('/').pop()!);
      config = { ...release.codeCompilationConfig, ...config, vars: { ...release.codeCompilationConfig?.vars, ...config.vars } };
    }
    const flags = this.compileFlags(config);
    const result = await this.options.dataform(['compile', '.', '--json', ...flags], { projectDir: this.options.projectDir, timeoutMs: 300_000 });
    const compilation: CompilationResult = {
      name: `${this.options.name}/compilationResults/${randomUUID()}`,
      gitCommitish: body.gitCommitish,
      releaseConfig: body.releaseConfig,
      codeCompilationConfig: config,
      dataformCoreVersion: this.options.dataformCoreVersion,
      compilationErrors: [],
      createTime: new Date().toISOString(),
      flags,
    };
    try {
      const graph = JSON.parse(result.stdout);
      compilation.graph = graph;
      compilation.compilationErrors = (graph.graphErrors?.compilationErrors ?? []).map((e: { message: string; fileName?: string }) => ({ message: e.message, path: e.fileName }));
    } catch {
      compilation.compilationErrors = [{ message: `dataform compile failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 2_000)}` }];
    }
    this.compilations.set(compilation.name, compilation);
    return compilation;
  }

  compilation(name: string): CompilationResult {
    const found = this.compilations.get(name);
    if (!found) throw new ApiError(404, 'NOT_FOUND', `Compilation result ${name} not found`);
    return found;
  }

  invoke(body: { compilationResult?: string; workflowConfig?: string; invocationConfig?: Partial<WorkflowInvocation['invocationConfig']> }): WorkflowInvocation {
    if (body.workflowConfig) throw new ApiError(501, 'UNIMPLEMENTED', 'workflowConfig is not supported by the local Dataform API stand-in: pass compilationResult');
    const compilation = this.compilation(body.compilationResult ?? '');
    if (compilation.compilationErrors.length) throw new ApiError(400, 'INVALID_ARGUMENT', `Compilation result ${compilation.name} has compilation errors`);
    const config = {
      includedTags: body.invocationConfig?.includedTags ?? [],
      includedTargets: body.invocationConfig?.includedTargets ?? [],
      transitiveDependenciesIncluded: Boolean(body.invocationConfig?.transitiveDependenciesIncluded),
      transitiveDependentsIncluded: Boolean(body.invocationConfig?.transitiveDependentsIncluded),
      fullyRefreshIncrementalTablesEnabled: Boolean(body.invocationConfig?.fullyRefreshIncrementalTablesEnabled),
    };
    const invocation: WorkflowInvocation = {
      name: `${this.options.name}/workflowInvocations/${randomUUID()}`,
      compilationResult: compilation.name,
      invocationConfig: config,
      state: 'RUNNING',
      invocationTiming: { startTime: new Date().toISOString() },
      actions: selectedActions(compilation.graph ?? {}, config),
      abort: new AbortController(),
    };
    this.invocations.set(invocation.name, invocation);
    const work = this.execute(invocation, compilation).finally(() => this.running.delete(work));
    this.running.add(work);
    return invocation;
  }

  /** Every invocation of the repository, in name order (Google's list may order by name only). */
  invocationList(): WorkflowInvocation[] {
    return [...this.invocations.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  invocation(name: string): WorkflowInvocation {
    const found = this.invocations.get(name);
    if (!found) throw new ApiError(404, 'NOT_FOUND', `Workflow invocation ${name} not found`);
    return found;
  }

  cancel(name: string): void {
    const invocation = this.invocation(name);
    if (invocation.state !== 'RUNNING') return;
    invocation.state = 'CANCELING';
    invocation.abort.abort();
  }

  /** Cancels whatever still runs and waits for it (server shutdown). */
  async stop(): Promise<void> {
    for (const invocation of this.invocations.values()) if (invocation.state === 'RUNNING') this.cancel(invocation.name);
    await Promise.all([...this.running]);
  }

  private async execute(invocation: WorkflowInvocation, compilation: CompilationResult): Promise<void> {
    const signal = invocation.abort.signal;
    if (this.options.runDelayMs > 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.runDelayMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    if (this.options.beforeRun && !signal.aborted)
      await Promise.race([this.options.beforeRun(invocation.name), new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    const config = invocation.invocationConfig;
    let output = { code: 130, stdout: '', stderr: 'cancelled before the run started' };
    if (!signal.aborted) {
      invocation.actions = invocation.actions.map((a) => ({ ...a, state: 'RUNNING' }));
      const selection = [
        ...(config.includedTags.length ? ['--tags', ...config.includedTags] : []),
        ...(config.includedTargets.length ? ['--actions', ...config.includedTargets.map((t) => [t.database, t.schema, t.name].filter(Boolean).join('.'))] : []),
        ...(config.transitiveDependenciesIncluded ? ['--include-deps'] : []),
        ...(config.transitiveDependentsIncluded ? ['--include-dependents'] : []),
        ...(config.fullyRefreshIncrementalTablesEnabled ? ['--full-refresh'] : []),
      ];
      output = await this.options.dataform(['run', '.', ...selection, ...compilation.flags], { projectDir: this.options.projectDir, signal });
    }
    const cancelled = signal.aborted;
    const unreported = cancelled
      ? { state: 'CANCELLED' as const, failureReason: '' }
      : { state: 'FAILED' as const, failureReason: `the dataform CLI exited with ${output.code} without reporting this action: ${(output.stderr || output.stdout).trim().split('\n').slice(-3).join(' ')}` };
    invocation.actions = settleActions(invocation.actions, reportedStates(output.stdout, output.stderr), unreported);
    invocation.state = cancelled ? 'CANCELLED' : output.code === 0 && invocation.actions.every((a) => a.state !== 'FAILED') ? 'SUCCEEDED' : 'FAILED';
    invocation.invocationTiming.endTime = new Date().toISOString();
  }

  /** codeCompilationConfig as CLI flags; what the CLI cannot express is refused, not ignored. */
  private compileFlags(config: CodeCompilationConfig): string[] {
    // Unset fields arrive as '' or null (proto3 defaults: Google's client sends a release configuration's settings back
    // with every field present); only a field that is set and not implemented is refused.
    const unsupported = Object.entries(config)
      .filter(([k, v]) => v !== '' && v !== null && v !== undefined && !['defaultDatabase', 'defaultSchema', 'defaultLocation', 'assertionSchema', 'vars'].includes(k))
      .map(([k]) => k);
    if (unsupported.length) throw new ApiError(501, 'UNIMPLEMENTED', `codeCompilationConfig.${unsupported[0]} is not supported by the local Dataform API stand-in`);
    const vars = Object.entries(config.vars ?? {});
    for (const [key, value] of vars) {
      // The CLI splits --vars on ',' and '=': such values cannot be passed through it.
      if (!/^[A-Za-z0-9_]+$/.test(key) || !SAFE_VAR.test(String(value)))
        throw new ApiError(400, 'INVALID_ARGUMENT', `var ${JSON.stringify(key)}: the local Dataform API stand-in passes vars to the dataform CLI, which cannot carry ${JSON.stringify(value)}`);
    }
    return [
      ...(vars.length ? [`--vars=${vars.map(([k, v]) => `${k}=${v}`).join(',')}`] : []),
      ...(config.assertionSchema ? [`--assertion-schema=${config.assertionSchema}`] : []),
      ...(config.defaultDatabase ? [`--default-database=${config.defaultDatabase}`] : []),
      ...(config.defaultSchema ? [`--default-schema=${config.defaultSchema}`] : []),
      ...(config.defaultLocation ? [`--default-location=${config.defaultLocation}`] : []),
    ];
  }
}

/** The resource as the API returns it (internal fields left out). */
export function compilationView(c: CompilationResult): Record<string, unknown> {
  const { graph: _graph, flags: _flags, ...view } = c;
  return view;
}

export function invocationView(i: WorkflowInvocation): Record<string, unknown> {
  const { actions: _actions, abort: _abort, ...view } = i;
  return view;
}
