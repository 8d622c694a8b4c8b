/**
 * `--executor cli|dataform-api` and its settings (flags or environment), validated before anything is touched, and the
 * executor for the opened target. Locally the Dataform API is the stand-in named by DATAFORM_EMULATOR_HOST, or one
 * started for the life of the command (loaded only then: production never imports emulator code).
 */
import { oneOf } from '../../cli/command.ts';
import type { Logger } from '../../log/logger.ts';
import { localProjectId, type TargetKind, type WarehouseTarget } from '../../warehouse/target.ts';
import { UsageError } from '../exit-codes.ts';
import { cliExecutor } from './cli-executor.ts';
import type { DataformApiSettings } from './dataform-api-executor.ts';
import type { Executor } from './executor.ts';
import { ExitCode } from '../exit-codes.ts';
import { lockTypeOf } from '../operations.ts';
import { assertionDatasetFor } from '../run-id.ts';

type ExecutorKind = 'cli' | 'dataform-api';

export interface ExecutorChoice {
  kind: ExecutorKind;
  /** For dataform-api. */
  api?: Omit<DataformApiSettings, 'emulatorUrl'>;
}

export const executorOptions = {
  executor: { type: 'string' },
  'dataform-repository': { type: 'string' },
  'dataform-commitish': { type: 'string' },
  'dataform-release-config': { type: 'string' },
} as const;

export const executorUsage = `  --executor cli|dataform-api
                           what runs Dataform (also GRADEGUARD_EXECUTOR): the local dataform CLI (default), or the
                           Dataform API: a compilation result with the run's vars and a workflow invocation per locked
                           run, under the lock, visible in the Dataform UI
  --dataform-repository projects/P/locations/L/repositories/R
                           the Dataform repository (also GRADEGUARD_DATAFORM_REPOSITORY; needed with --target bigquery)
  --dataform-commitish REF the git commitish to compile (also GRADEGUARD_DATAFORM_COMMITISH; default main), or
  --dataform-release-config ID
                           compile at a release configuration's commitish with its settings (GRADEGUARD_DATAFORM_RELEASE_CONFIG)`;

const REPOSITORY = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z][a-z0-9-]{1,40}\/repositories\/[A-Za-z0-9_-]{1,63}$/;
const COMMITISH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const RELEASE_CONFIG = /^(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/]+\/releaseConfigs\/)?[A-Za-z0-9_-]{1,63}$/;

type ExecutorValues = { executor?: string; 'dataform-repository'?: string; 'dataform-commitish'?: string; 'dataform-release-config'?: string };

export function parseExecutor(values: ExecutorValues, targetKind: TargetKind, env: NodeJS.ProcessEnv = process.env): ExecutorChoice {
  const kind = oneOf<ExecutorKind>('--executor', values.executor ?? env.GRADEGUARD_EXECUTOR, ['cli', 'dataform-api'], 'cli');
  const repository = values['dataform-repository'] ?? env.GRADEGUARD_DATAFORM_REPOSITORY;
  const commitish = values['dataform-commitish'] ?? env.GRADEGUARD_DATAFORM_COMMITISH;
  const releaseConfig = values['dataform-release-config'] ?? env.GRADEGUARD_DATAFORM_RELEASE_CONFIG;
  if (kind === 'cli') {
    if (repository || commitish || releaseConfig) throw new UsageError('--dataform-repository, --dataform-commitish and --dataform-release-config need --executor dataform-api');
    return { kind };
  }
  if (commitish && releaseConfig) throw new UsageError('give --dataform-commitish or --dataform-release-config, not both');
  if (!repository && targetKind === 'bigquery') throw new UsageError('--executor dataform-api with --target bigquery needs --dataform-repository projects/P/locations/L/repositories/R');
  const repo = repository ?? `projects/${localProjectId()}/locations/us-central1/repositories/gradeguard`;
  if (!REPOSITORY.test(repo)) throw new UsageError(`Invalid --dataform-repository ${JSON.stringify(repo)}: expected projects/P/locations/L/repositories/R`);
  if (commitish && !COMMITISH.test(commitish)) throw new UsageError(`Invalid --dataform-commitish ${JSON.stringify(commitish)}`);
  if (releaseConfig && !RELEASE_CONFIG.test(releaseConfig)) throw new UsageError(`Invalid --dataform-release-config ${JSON.stringify(releaseConfig)}`);
  return { kind, api: { repository: repo, ...(releaseConfig ? { releaseConfig } : { gitCommitish: commitish ?? 'main' }) } };
}

/** The startup line's Dataform part, before anything is opened. */
export function describeExecutor(choice: ExecutorChoice, env: NodeJS.ProcessEnv = process.env): string {
  if (choice.kind === 'cli') return 'the dataform CLI (this checkout)';
  const source = choice.api!.releaseConfig ? `release configuration ${choice.api!.releaseConfig}` : `git commitish ${choice.api!.gitCommitish}`;
  const where = env.DATAFORM_EMULATOR_HOST ? ` on the local stand-in ${env.DATAFORM_EMULATOR_HOST}` : '';
  return `the Dataform API, repository ${choice.api!.repository} at ${source}${where}`;
}

export interface OpenedExecutor {
  executor: Executor;
  close(): Promise<void>;
}

/**
 * The CLI executor, by default with its first run's process started now (cli-executor.ts): close() ends it if unused.
 * `prestart: false` for a command whose Dataform run comes last, after work of its own (cleanup): started now, the
 * process would only wait loaded, and a command stopping before its run (refused, failed, killed) would have paid for
 * loading it (about 0.9 CPU-s) for nothing.
 */
export function openCliExecutor(target: WarehouseTarget, options: { prestart?: boolean } = {}): OpenedExecutor {
  const executor = cliExecutor(target, { prestart: options.prestart ?? true });
  return { executor, close: () => executor.dispose() };
}

export async function openExecutor(choice: ExecutorChoice, target: WarehouseTarget, log: Logger, options: { prestart?: boolean } = {}): Promise<OpenedExecutor> {
  const env = process.env;
  if (choice.kind === 'cli') return openCliExecutor(target, { prestart: options.prestart });
  // Loaded only for this executor: Google's Dataform client takes about a second to load, which a CLI run never needs.
  const { dataformApiExecutor } = await import('./dataform-api-executor.ts');
  if (target.kind === 'bigquery') return { executor: dataformApiExecutor(target, choice.api!, log), close: async () => undefined };
  if (env.DATAFORM_EMULATOR_HOST) return { executor: dataformApiExecutor(target, { ...choice.api!, emulatorUrl: env.DATAFORM_EMULATOR_HOST }, log), close: async () => undefined };
  const { startLocalDataformApi } = await import('./local-dataform-api.ts');
  const standIn = await startLocalDataformApi({ repository: choice.api!.repository, bigquery: target });
  log.log('NOTICE', `Started the ${standIn.notice} at ${standIn.url} for this command (share one with DATAFORM_EMULATOR_HOST)`, { event: 'dataform_stand_in_started', url: standIn.url });
  return { executor: dataformApiExecutor(target, { ...choice.api!, emulatorUrl: standIn.url }, log), close: () => standIn.stop() };
}

/**
 * Compiles the project for `date` (token 0) before any lock, where the executor can (the Dataform API; the CLI compiles
 * as part of its run): a project that does not compile stops the command before it locks or writes anything. Returns
 * the exit code to stop with (2 when every error is a vars-contract violation, else 1), or undefined to go on.
 */
export async function refuseUncompilable(command: string, executor: Executor, input: { date: string; operation: string; target: WarehouseTarget; log: Logger }): Promise<number | undefined> {
  const check = await executor.checkCompiles?.(
    { date_tokens: `${input.date}:0`, run_id: 'compile-check', operation: input.operation },
    assertionDatasetFor(input.target.assertionDataset, input.date, lockTypeOf(input.operation) ?? input.operation),
  );
  if (!check?.errors.length) return undefined;
  for (const error of check.errors) input.log.error('dataform_compilation_error', { event: 'dataform_compilation_error', error });
  process.stderr.write(`${command}: the project does not compile; no lock was taken and nothing was written:\n${check.errors.map((e) => `  ${e}`).join('\n')}\n`);
  return check.badVars ? ExitCode.badInput : ExitCode.runFailed;
}
