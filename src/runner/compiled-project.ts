/** `dataform compile --json` of the project for one run's vars: the exact SQL a `dataform run` would send. */
import { repoRoot, runDataform } from '../warehouse/dataform-cli.ts';
import { dataformTargetArgs, type WarehouseTarget } from '../warehouse/target.ts';
import { varsArg } from './executors/executor.ts';

export interface CompiledAction {
  kind: 'table' | 'view' | 'operation' | 'assertion';
  name: string;
  tags: string[];
  sql: string[];
}

export interface CompileVars {
  game_date: string;
  run_id: string;
  lock_token: number;
  operation: string;
  assertionDataset?: string;
}

export async function compileProject(target: WarehouseTarget, vars: CompileVars): Promise<CompiledAction[]> {
  const args = [
    'compile',
    '.',
    '--json',
    varsArg({ game_date: vars.game_date, lookback_days: '0', run_id: vars.run_id, lock_token: String(vars.lock_token), operation: vars.operation }),
    ...(vars.assertionDataset ? [`--assertion-schema=${vars.assertionDataset}`] : []),
    ...dataformTargetArgs(target),
  ];
  const result = await runDataform(args, { projectDir: repoRoot, target, timeoutMs: 120_000 });
  let graph: any;
  try {
    graph = JSON.parse(result.stdout);
  } catch {
    throw new Error(`dataform compile failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 1_000)}`);
  }
  if (graph.graphErrors?.compilationErrors?.length) {
    throw new Error(`dataform compile errors: ${graph.graphErrors.compilationErrors.map((e: { message: string }) => e.message).join('; ')}`);
  }
  const name = (a: any) => `${a.target.schema}.${a.target.name}`;
  return [
    ...(graph.operations ?? []).map((a: any) => ({ kind: 'operation' as const, name: name(a), tags: a.tags ?? [], sql: a.queries ?? [] })),
    ...(graph.tables ?? []).map((a: any) => ({ kind: a.type === 'view' ? ('view' as const) : ('table' as const), name: name(a), tags: a.tags ?? [], sql: [a.query] })),
    ...(graph.assertions ?? []).map((a: any) => ({ kind: 'assertion' as const, name: name(a), tags: a.tags ?? [], sql: [a.query] })),
  ];
}
