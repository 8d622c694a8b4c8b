/** The local `dataform` CLI as the executor: one `dataform run` per locked run, killed when the lease is lost. */
import { prestartDataform, repoRoot, runDataform } from '../../warehouse/dataform-cli.ts';
import { dataformTargetArgs, type WarehouseTarget } from '../../warehouse/target.ts';
import { varsArg, type Executor } from './executor.ts';

export interface CliExecutor extends Executor {
  /** Ends the prestarted CLI process if no run took it. */
  dispose(): Promise<void>;
}

/**
 * `prestart`: start the first run's CLI process now (dataform-cli.ts prestartDataform), while the command opens the
 * stack and takes its leases, and end it in dispose() if no run takes it. Only for an owner that calls dispose().
 */
export function cliExecutor(target: WarehouseTarget, options: { prestart?: boolean } = {}): CliExecutor {
  const prestarted = options.prestart ? prestartDataform({ projectDir: repoRoot, target }) : undefined;
  return {
    run: (request) =>
      runDataform(['run', '.', '--tags', ...request.tags, varsArg(request.vars), `--assertion-schema=${request.assertionDataset}`, ...dataformTargetArgs(target)], {
        projectDir: repoRoot,
        target,
        signal: request.signal,
        timeoutMs: request.timeoutMs,
        prestarted,
      }),
    dispose: async () => prestarted?.dispose(),
  };
}
