/**
 * The Dataform API as the executor (Google's `@google-cloud/dataform` client, v1): for each date, under the held lease,
 * a compilation result with the run's vars and assertion schema, then a workflow invocation of the operation's tags,
 * polled until it ends — and cancelled the moment the lease is lost or the timeout passes. The invocation's actions
 * are reported in the CLI's result shape so the one classifier (dataform-outcome.ts) judges both executors alike.
 */
import type { v1 } from '@google-cloud/dataform';
import { authLibrary, dataformLibrary } from '../../cloud/libraries.ts';
import type { Logger } from '../../log/logger.ts';
import type { DataformResult } from '../../warehouse/dataform-cli.ts';
import { DependencyUnavailableError } from '../../warehouse/probe.ts';
import type { WarehouseTarget } from '../../warehouse/target.ts';
import { isBadVarsError, type CompileCheck, type ExecutionRequest, type Executor, type RunVars } from './executor.ts';

type Client = InstanceType<typeof v1.DataformClient>;

export interface DataformApiSettings {
  /** `projects/P/locations/L/repositories/R`. */
  repository: string;
  /** Exactly one: the git commitish to compile, or a release configuration (its id or full name) to compile from. */
  gitCommitish?: string;
  releaseConfig?: string;
  /** `http://127.0.0.1:PORT` of the local stand-in (DATAFORM_EMULATOR_HOST); undefined: Google's service. */
  emulatorUrl?: string;
  /** Between two reads of a running invocation. */
  pollMs?: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** How long a cancelled invocation may take to end before the run is reported as stopped anyway. */
const CANCEL_WAIT_MS = 120_000;

export function dataformApiClient(settings: Pick<DataformApiSettings, 'emulatorUrl'>): Client {
  const { DataformClient } = dataformLibrary().v1;
  if (!settings.emulatorUrl) return new DataformClient();
  const url = new URL(settings.emulatorUrl);
  // The REST transport with the endpoint overridden; no credentials exist locally (PassThroughClient sends none).
  return new DataformClient({
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: url.protocol.replace(':', ''),
    fallback: true,
    authClient: new (authLibrary().PassThroughClient)(),
  } as unknown as ConstructorParameters<typeof v1.DataformClient>[0]);
}

export function dataformApiExecutor(target: WarehouseTarget, settings: DataformApiSettings, log: Logger): Executor {
  const client = dataformApiClient(settings);
  const pollMs = settings.pollMs ?? 1_000;
  const releaseName = settings.releaseConfig && !settings.releaseConfig.includes('/') ? `${settings.repository}/releaseConfigs/${settings.releaseConfig}` : settings.releaseConfig;

  /** The compilation source and settings: a release configuration is read and compiled at its commitish, our vars on top. */
  async function compile(vars: RunVars, assertionDataset: string) {
    let gitCommitish = settings.gitCommitish;
    let base: { vars?: Record<string, string> | null } & Record<string, unknown> = {};
    if (releaseName) {
      const [release] = await client.getReleaseConfig({ name: releaseName });
      gitCommitish = release.gitCommitish ?? undefined;
      base = (release.codeCompilationConfig ?? {}) as typeof base;
    }
    const [compilation] = await client.createCompilationResult({
      parent: settings.repository,
      compilationResult: {
        gitCommitish,
        codeCompilationConfig: {
          ...base,
          vars: { ...(base.vars ?? {}), ...vars },
          assertionSchema: assertionDataset,
          defaultDatabase: target.projectId,
          defaultLocation: target.location,
        },
      },
    });
    return compilation;
  }

  return {
    async checkCompiles(vars, assertionDataset): Promise<CompileCheck> {
      // The first call of the command to the API, before any lock: a failure here is said plainly (no stack), exit 1.
      const compilation = await compile(vars, assertionDataset).catch((error: unknown) => {
        throw new DependencyUnavailableError(unavailable(settings, error));
      });
      const errors = (compilation.compilationErrors ?? []).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message ?? ''}`);
      return { errors, badVars: errors.length > 0 && errors.every(isBadVarsError) };
    },

    async run(request: ExecutionRequest): Promise<DataformResult> {
      const started = performance.now();
      const done = (code: number, stdout: string, stderr: string): DataformResult => ({ code, stdout, stderr, durationMs: performance.now() - started });
      const compilation = await compile(request.vars, request.assertionDataset);
      const errors = compilation.compilationErrors ?? [];
      if (errors.length) return done(1, '', `Compilation errors (${compilation.name}):\n${errors.map((e) => `  ${e.path ?? ''}: ${e.message}`).join('\n')}`);
      if (request.signal?.aborted) return done(130, '', 'aborted before the workflow invocation was created');
      const [created] = await client.createWorkflowInvocation({
        parent: settings.repository,
        workflowInvocation: { compilationResult: compilation.name, invocationConfig: { includedTags: [...request.tags] } },
      });
      const name = created.name!;
      log.info('dataform_invocation_created', { event: 'dataform_invocation_created', invocation: name, compilation_result: compilation.name });
      const deadline = Date.now() + request.timeoutMs;
      let state = String(created.state ?? 'RUNNING');
      let stopReason: string | undefined;
      while (!TERMINAL.has(state)) {
        if (!stopReason && (request.signal?.aborted || Date.now() > deadline)) {
          stopReason = request.signal?.aborted ? 'lease lost' : `timed out after ${request.timeoutMs} ms`;
          log.warn('dataform_invocation_cancel', { event: 'dataform_invocation_cancel', invocation: name, reason: stopReason });
          await idempotent(() => client.cancelWorkflowInvocation({ name }));
        }
        if (stopReason && Date.now() > deadline + CANCEL_WAIT_MS) break;
        await sleep(pollMs, stopReason ? undefined : request.signal);
        const [current] = await idempotent(() => client.getWorkflowInvocation({ name }));
        state = String(current.state);
      }
      const actions = await idempotent(async () => {
        const all: Array<{ target?: { schema?: string | null; name?: string | null } | null; state?: unknown; failureReason?: string | null }> = [];
        for await (const action of client.queryWorkflowInvocationActionsAsync({ name }, { autoPaginate: false })) all.push(action);
        return all;
      });
      log.info('dataform_invocation_finished', { event: 'dataform_invocation_finished', invocation: name, state, actions: actions.length });
      return asCliResult(state, actions, request.assertionDataset, (code, out, err) => done(code, out, err + (stopReason ? `\nworkflow invocation ${name} cancelled: ${stopReason}` : '')));
    },
  };
}

/** What is down (or refusing), where, and what to do: the transport's error code, or the API's own message. */
function unavailable(settings: DataformApiSettings, error: unknown): string {
  const e = error as { code?: unknown; message?: string };
  const where = settings.emulatorUrl ? `the local stand-in at ${settings.emulatorUrl} (DATAFORM_EMULATOR_HOST)` : `repository ${settings.repository} (Google Cloud)`;
  const what =
    typeof e.code === 'string'
      ? `The Dataform API is unavailable: ${where} gave no connection (${e.code}).`
      : `The Dataform API refused the compilation: ${where} answered ${(e.message ?? String(error)).split('\n')[0].slice(0, 300)}.`;
  return settings.emulatorUrl
    ? `${what} Start it with npm run dataform-api and export what it prints, or unset DATAFORM_EMULATOR_HOST to let the command start its own.`
    : `${what} Check the network, application default credentials (roles/dataform.editor on the repository), --dataform-repository and the release configuration or commitish.`;
}

/**
 * The invocation in the CLI's result shape: the action lines the CLI prints (`Assertion failed:  schema.name`, ...),
 * each failure followed by its reason, and the exit code the CLI would have had.
 */
function asCliResult(
  state: string,
  actions: Array<{ target?: { schema?: string | null; name?: string | null } | null; state?: unknown; failureReason?: string | null }>,
  assertionDataset: string,
  done: (code: number, out: string, err: string) => DataformResult,
): DataformResult {
  const out: string[] = [];
  const err: string[] = [];
  for (const action of actions) {
    const name = `${action.target?.schema}.${action.target?.name}`;
    const actionState = String(action.state);
    if (actionState === 'FAILED') {
      // Assertions are the actions in the run's assertion dataset (the compilation put them there).
      err.push(`${action.target?.schema === assertionDataset ? 'Assertion' : 'Operation'} failed:  ${name}`);
      const reason = action.failureReason ?? '';
      if (reason) err.push(`  ${/bigquery error:/.test(reason) ? reason : `bigquery error: ${reason}`}`);
    } else {
      out.push(`${actionState}:  ${name}`);
    }
  }
  if (!actions.length && state === 'SUCCEEDED') out.push('No actions to run.');
  const code = state === 'SUCCEEDED' ? 0 : state === 'CANCELLED' ? 130 : 1;
  return done(code, out.join('\n'), [`workflow invocation ${state}`, ...err].join('\n'));
}

/**
 * Reads and the cancel of an invocation, retried on transport failures (a dropped keep-alive connection, UNAVAILABLE,
 * DEADLINE_EXCEEDED): repeating them changes nothing. Creates are never retried (a second invocation would run twice).
 */
async function idempotent<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const transient = typeof code !== 'number' || code === 14 || code === 4;
      if (!transient || attempt >= attempts) throw error;
      await sleep(250 * attempt);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // The listener goes when the wait ends: a long poll would otherwise add one per poll to the run's signal.
    const onAbort = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
