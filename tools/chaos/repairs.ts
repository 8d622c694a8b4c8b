/**
 * The repair paths as chaos actors: `remediate` of a date given a few duplicate rows (inserted the way the incident
 * left them), and once per chaos run the one-time cleanup of prediction_accuracy — killed at a recorded step and
 * resumed — followed by `cleanup restore` of its backup after the round's later grading. They run alongside the
 * graders and under the same faults; the invariants then say whether they kept their promises.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import type { ActorSpec } from '../harness/actors.ts';

/** Copies of this many rows of the date are inserted (below remediate's --max-duplicates). */
const INJECTED_DUPLICATES = 3;

/** Whether this checkout's remediate takes --lease (a killed remediate otherwise holds its date for 5 minutes). */
export function remediateTakesLease(): boolean {
  const help = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/remediate.ts'), '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return /--lease\b/.test(help.stdout ?? '');
}

/** The incident's damage on one date: a few rows of prediction_accuracy twice (same token, as a double write left them). */
export async function injectDuplicates(bigquery: BigQuery, target: WarehouseTarget, date: string): Promise<number> {
  const table = tableRef(target, 'prediction_accuracy');
  const [job] = await bigquery.createQueryJob({
    query: `INSERT INTO ${table} SELECT * FROM ${table} WHERE game_date = @date ORDER BY player_lookup, system_id LIMIT ${INJECTED_DUPLICATES}`,
    params: { date: bigquery.date(date) },
    location: target.location,
  });
  await job.getQueryResults();
  const [meta] = await job.getMetadata();
  return Number(meta.statistics?.query?.numDmlAffectedRows ?? 0);
}

export function remediateSpec(round: number, date: string, leaseMs: number | undefined): ActorSpec {
  return {
    name: `r${round}-remediate`,
    kind: 'remediate',
    script: 'scripts/remediate.ts',
    args: ['--date', date, '--lock-wait', '120s', '--json', ...(leaseMs ? ['--lease', `${leaseMs}ms`] : [])],
  };
}

const cleanupBackup = (round: number) => `prediction_accuracy_backup_chaos_r${round}`;

export function cleanupSpec(round: number, leaseMs: number, sub: 'run' | 'resume'): ActorSpec {
  const lease = ['--lease', `${Math.max(leaseMs, 3_000)}ms`, '--wait', '180s'];
  return {
    name: `r${round}-cleanup-${sub}`,
    kind: 'cleanup',
    script: 'scripts/cleanup.ts',
    args:
      sub === 'run'
        ? ['run', '--table', 'prediction_accuracy', '--confirm', '--backup', cleanupBackup(round), ...lease, '--json']
        : ['resume', '--table', 'prediction_accuracy', '--confirm', ...lease, '--json'],
  };
}

export function restoreSpec(round: number): ActorSpec {
  return {
    name: `r${round}-restore`,
    kind: 'restore',
    script: 'scripts/cleanup.ts',
    args: ['restore', '--backup', cleanupBackup(round), '--table', 'prediction_accuracy', '--confirm', '--json'],
  };
}
