/**
 * A local stand-in for the Dataform API v1 — NOT an emulator of Google's service, the smallest truthful subset the
 * toolkit's Dataform API executor calls, served over REST on 127.0.0.1 so Google's unmodified `@google-cloud/dataform`
 * client talks to it (fallback REST transport, `apiEndpoint`/`port`/`protocol: 'http'`). The work is real: a
 * compilation result is a `dataform compile` of the working tree, a workflow invocation a `dataform run` of the
 * selected actions against the local BigQuery emulator, each action's state what that run reported.
 *
 * Implemented (everything else answers 501 "not supported by the local Dataform API stand-in"):
 *   POST compilationResults            gitCommitish (recorded; the working tree is compiled) | releaseConfig,
 *                                      codeCompilationConfig.{vars, assertionSchema, defaultDatabase, defaultSchema,
 *                                      defaultLocation} (any other field set: 501); returns name, compilationErrors[].{message, path},
 *                                      dataformCoreVersion, createTime
 *   GET  compilationResults/{id}
 *   GET  releaseConfigs/{id}           the release configurations given at start-up (gitCommitish, codeCompilationConfig)
 *   POST workflowInvocations           compilationResult, invocationConfig.{includedTags, includedTargets,
 *                                      transitiveDependenciesIncluded, transitiveDependentsIncluded,
 *                                      fullyRefreshIncrementalTablesEnabled}; returns name, state, invocationTiming
 *   GET  workflowInvocations           every invocation in name order, one page (pageSize/pageToken ignored; filter and
 *                                      orderBy other than "name" answer 501)
 *   GET  workflowInvocations/{id}
 *   POST workflowInvocations/{id}:cancel   kills the CLI run, so no further action runs; actions it had not reported
 *                                      end CANCELLED, the invocation CANCELLED (a no-op on an invocation that ended)
 *   GET  workflowInvocations/{id}:query    actions[].{target, canonicalTarget, state, failureReason}, one page
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, compilationView, invocationView, Repository, type DataformCli, type ReleaseConfig } from './repository.ts';

export interface DataformApiOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** `projects/P/locations/L/repositories/R`, the one repository served. */
  repository?: string;
  /** The Dataform project compiled and run (default: this repository's root). */
  projectDir?: string;
  /**
   * The dataform CLI, already pointed at the BigQuery emulator the runs use. Injected by whoever starts the stand-in
   * (the toolkit's: src/runner/executors/local-dataform-api.ts), so the stand-in imports nothing of the toolkit.
   */
  dataform: DataformCli;
  /** Release configurations served by GET releaseConfigs/{id}: id -> settings. */
  releaseConfigs?: Record<string, Omit<ReleaseConfig, 'name'>>;
  runDelayMs?: number;
  /** Awaited before each invocation's run starts (tests: hold an invocation queued until a newer run has the lock). */
  beforeRun?: (invocation: string) => Promise<void>;
}

export interface DataformApi {
  url: string;
  host: string;
  port: number;
  repository: string;
  /** What it is, for the line that announces it (STAND_IN_NOTICE). */
  notice: string;
  /** The in-process state, for tests that look behind the API (an invocation's state after a cancel). */
  state: Repository;
  stop(): Promise<void>;
}

export const DEFAULT_REPOSITORY = 'projects/gradeguard-local/locations/us-central1/repositories/gradeguard';
const REPOSITORY = /^projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+$/;
const require = createRequire(import.meta.url);

export const STAND_IN_NOTICE =
  "local Dataform API stand-in (not Google's service): compilationResults create/get, releaseConfigs get, workflowInvocations create/get/list/cancel/query, run by the real dataform CLI against the local BigQuery emulator";

export async function startDataformApi(options: DataformApiOptions): Promise<DataformApi> {
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  if (!REPOSITORY.test(repository)) throw new Error(`invalid repository ${JSON.stringify(repository)}: expected projects/P/locations/L/repositories/R`);
  const state = new Repository({
    name: repository,
    projectDir: options.projectDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
    dataform: options.dataform,
    releaseConfigs: Object.entries(options.releaseConfigs ?? {}).map(([id, r]) => ({ ...r, name: `${repository}/releaseConfigs/${id}` })),
    dataformCoreVersion: (require(join(dirname(require.resolve('@dataform/core/package.json')), 'package.json')) as { version: string }).version,
    runDelayMs: options.runDelayMs ?? 0,
    beforeRun: options.beforeRun,
  });
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error) => send(res, req, error instanceof ApiError ? error : new ApiError(500, 'INTERNAL', (error as Error).message)));
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(options.port ?? 0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    repository,
    notice: STAND_IN_NOTICE,
    state,
    async stop() {
      await state.stop();
      await closeServer(server);
    },
  };
}

async function handle(repo: Repository, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const prefix = `/v1/${repo.options.name}/`;
  if (!url.pathname.startsWith(prefix)) throw new ApiError(404, 'NOT_FOUND', `${url.pathname}: only ${repo.options.name} is served by the local Dataform API stand-in`);
  const [collection, id, extra] = url.pathname.slice(prefix.length).split('/');
  if (extra !== undefined) throw unsupported(req, url);
  const [resourceId, verb] = (id ?? '').split(':');
  const name = `${repo.options.name}/${collection}/${resourceId}`;
  const route = `${req.method} ${collection}${id === undefined ? '' : verb ? `/{id}:${verb}` : '/{id}'}`;
  switch (route) {
    case 'POST compilationResults':
      return send(res, req, compilationView(await repo.compile((await body(req)) as Parameters<Repository['compile']>[0])));
    case 'GET compilationResults/{id}':
      return send(res, req, compilationView(repo.compilation(name)));
    case 'GET releaseConfigs/{id}':
      return send(res, req, repo.releaseConfig(resourceId));
    case 'POST workflowInvocations':
      return send(res, req, invocationView(repo.invoke((await body(req)) as Parameters<Repository['invoke']>[0])), 'invocation');
    case 'GET workflowInvocations': {
      const unsupportedParam = ['filter', 'orderBy'].find((p) => url.searchParams.get(p) && !(p === 'orderBy' && url.searchParams.get(p) === 'name'));
      if (unsupportedParam) throw new ApiError(501, 'UNIMPLEMENTED', `workflowInvocations list ${unsupportedParam} is not supported by the local Dataform API stand-in`);
      return send(res, req, { workflowInvocations: repo.invocationList().map(invocationView), nextPageToken: '', unreachable: [] }, 'invocation');
    }
    case 'GET workflowInvocations/{id}':
      return send(res, req, invocationView(repo.invocation(name)), 'invocation');
    case 'POST workflowInvocations/{id}:cancel':
      await body(req);
      repo.cancel(name);
      return send(res, req, {});
    case 'GET workflowInvocations/{id}:query':
      return send(res, req, { workflowInvocationActions: repo.invocation(name).actions, nextPageToken: '' }, 'action');
    default:
      throw unsupported(req, url);
  }
}

const unsupported = (req: IncomingMessage, url: URL) => new ApiError(501, 'UNIMPLEMENTED', `${req.method} ${url.pathname} is not supported by the local Dataform API stand-in`);

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'request body is not JSON');
  }
}

const ENUM_NUMBERS: Record<string, Record<string, number>> = {
  invocation: { STATE_UNSPECIFIED: 0, RUNNING: 1, SUCCEEDED: 2, CANCELLED: 3, FAILED: 4, CANCELING: 5 },
  action: { PENDING: 0, RUNNING: 1, SKIPPED: 2, DISABLED: 3, SUCCEEDED: 4, CANCELLED: 5, FAILED: 6 },
};

/** JSON out; enums as numbers when the client asks with `$alt=json;enum-encoding=int` (Google's REST convention). */
function send(res: ServerResponse, req: IncomingMessage, payload: unknown, states?: keyof typeof ENUM_NUMBERS): void {
  let status = 200;
  if (payload instanceof ApiError) {
    status = payload.httpStatus;
    payload = { error: { code: payload.httpStatus, message: payload.message, status: payload.status } };
  } else if (states && /enum-encoding=int/.test(decodeURIComponent(req.url ?? ''))) {
    payload = JSON.parse(JSON.stringify(payload), (key, value) => (key === 'state' && typeof value === 'string' ? (ENUM_NUMBERS[states][value] ?? value) : value));
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}
