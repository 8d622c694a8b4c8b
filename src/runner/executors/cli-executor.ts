/** The local `dataform` CLI as the executor: one `dataform run` per date, killed when the lease is lost. */
import { loadDataformRunner, repoRoot, runDataform } from '../../warehouse/dataform-cli.ts';
import { dataformTargetArgs, type WarehouseTarget } from '../../warehouse/target.ts';
import { varsArg, type Executor } from './executor.ts';

export function cliExecutor(target: WarehouseTarget): Executor {
  // Loaded now, while the run checks the stack and takes its leases (mostly waiting on round trips), not after.
  loadDataformRunner().catch(() => undefined);
  return {
    run: (request) =>
      runDataform(['run', '.', '--tags', ...request.tags, varsArg(request.vars), `--assertion-schema=${request.assertionDataset}`, ...dataformTargetArgs(target)], {
        projectDir: repoRoot,
        target,
        signal: request.signal,
        timeoutMs: request.timeoutMs,
      }),
  };
}
