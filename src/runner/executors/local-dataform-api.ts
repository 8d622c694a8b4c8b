/**
 * The local Dataform API stand-in (emulator/dataform-api) running this toolkit's dataform CLI against a BigQuery
 * emulator: the one place that wires the two together. The stand-in is local-only tooling that imports nothing of
 * the toolkit (test/layers.test.ts); it is loaded here by a dynamic import, only when a local run asks for it.
 */
import type { DataformApi, DataformApiOptions } from '../../../emulator/dataform-api/index.ts';
import { runDataform, type DataformTarget } from '../../warehouse/dataform-cli.ts';

export async function startLocalDataformApi(options: Omit<DataformApiOptions, 'dataform'> & { bigquery: DataformTarget }): Promise<DataformApi> {
  const { bigquery, ...standIn } = options;
  const { startDataformApi } = await import('../../../emulator/dataform-api/index.ts');
  return startDataformApi({ ...standIn, dataform: (args, run) => runDataform(args, { ...run, target: bigquery }) });
}
