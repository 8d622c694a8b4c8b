/** The test stacks' deploy: `dataform run --tags deploy` (src/runner/deploy.ts) once, when a stack starts. */
import type { BigQuery } from '@google-cloud/bigquery';
import { createLogger } from '../../src/log/logger.ts';
import { deployProject, type DeployResult } from '../../src/runner/deploy.ts';
import { cliExecutor } from '../../src/runner/executors/cli-executor.ts';
import { localTarget, type WarehouseTarget } from '../../src/warehouse/target.ts';

/** Deploys the project to a local emulator; throws when the deploy fails (a stack without its views is no stack). */
export async function deployLocal(bigquery: BigQuery, target: WarehouseTarget | { projectId: string; emulatorUrl: string }): Promise<DeployResult> {
  const full = 'kind' in target ? target : localTarget(target);
  const result = await deployProject({ executor: cliExecutor(full), bigquery, target: full, log: createLogger('test-deploy', { level: 'ERROR' }), timeoutMs: 300_000 });
  if (!result.ok) throw new Error(`deploy failed: ${result.message}`);
  return result;
}
