/**
 * UNSAFE, for tests and the incident demo only: the seed's original write path, reproduced so a test can show the
 * incident happen. A DELETE job, then (after `pauseBetweenMs`) a separate INSERT job, no lock, no fence, no
 * transaction: two of these overlapping on one date (the scheduled run and a backfill) both delete, then both insert,
 * and every key of the date ends up twice. The grading SQL is the project's own (the compiled graded_predictions
 * view), so its rows are comparable with the locked runner's.
 *
 * Not reachable from any command: it lives in tools/, which the library never imports (test/layers.test.ts).
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryLibrary } from '../../src/cloud/libraries.ts';
import schemas from '../../includes/schemas.js';
import { ensureTables } from '../../src/warehouse/pipeline-tables.ts';
import { tableRef, type WarehouseTarget } from '../../src/warehouse/target.ts';
import { compileProject } from '../../src/runner/compiled-project.ts';

export interface UnsafeGradeOptions {
  runId: string;
  /** Time between the DELETE job and the INSERT job (the window the incident needed). */
  pauseBetweenMs?: number;
  /** Grade every date from `date` through this one with one DELETE job and one INSERT job (the legacy nightly run). */
  through?: string;
  /**
   * Called before each job; the job starts when it resolves and the returned function is called when it finished.
   * `npm start` orders the two writers' jobs with it (tools/demo/turns.ts), so the interleaving is the seed's, not the
   * machine's.
   */
  turn?: (job: 'delete' | 'insert') => Promise<() => Promise<void>>;
}

export interface UnsafeJob {
  job: 'delete' | 'insert';
  rows: number;
  startedAt: number;
  endedAt: number;
}

const viewsReady = new Set<string>();

/** The project's grading views, created the way Dataform creates them if a locked run never did. */
export async function ensureGradingViews(bigquery: BigQuery, target: WarehouseTarget): Promise<void> {
  const key = `${target.emulatorUrl ?? 'bigquery'}|${target.projectId}.${target.dataset}`;
  if (viewsReady.has(key)) return;
  await ensureTables(bigquery, target, ['player_prop_predictions', 'player_game_summary', 'prediction_accuracy']);
  const views = ['player_prop_predictions_latest', 'graded_predictions'];
  // Compiling the project is a `dataform compile` process: not needed when an earlier run created the views.
  const present = await Promise.all(views.map(async (name) => (await bigquery.dataset(target.dataset).table(name).exists())[0]));
  if (present.every(Boolean)) {
    viewsReady.add(key);
    return;
  }
  const compiled = await compileProject(target, { game_date: '2000-01-01', run_id: 'unsafe', lock_token: 0, operation: 'unsafe' });
  for (const name of views) {
    const view = compiled.find((a) => a.kind === 'view' && a.name === `${target.dataset}.${name}`);
    if (!view) throw new Error(`the compiled project has no view ${name}`);
    await bigquery.query({ query: `CREATE VIEW IF NOT EXISTS ${tableRef(target, name)} AS ${view.sql[0]}`, location: target.location });
  }
  viewsReady.add(key);
}

/** UNSAFE: the seed's DELETE job + INSERT job for one date (see the module comment). */
export async function gradeDateUnsafe(bigquery: BigQuery, target: WarehouseTarget, date: string, options: UnsafeGradeOptions): Promise<{ deleted: number; inserted: number; jobs: UnsafeJob[] }> {
  await ensureGradingViews(bigquery, target);
  const accuracy = tableRef(target, 'prediction_accuracy');
  const params = { date: bigQueryLibrary().BigQuery.date(date), through: bigQueryLibrary().BigQuery.date(options.through ?? date), run_id: options.runId };
  const jobs: UnsafeJob[] = [];
  const dml = async (name: UnsafeJob['job'], query: string) => {
    const finished = await options.turn?.(name);
    const startedAt = Date.now();
    const [job] = await bigquery.createQueryJob({ query, params, location: target.location });
    await job.getQueryResults();
    const [metadata] = await job.getMetadata();
    const rows = Number(metadata.statistics?.query?.numDmlAffectedRows ?? 0);
    jobs.push({ job: name, rows, startedAt, endedAt: Date.now() });
    await finished?.();
    return rows;
  };
  const deleted = await dml('delete', `DELETE FROM ${accuracy} WHERE game_date BETWEEN @date AND @through`);
  if (options.pauseBetweenMs) await new Promise((r) => setTimeout(r, options.pauseBetweenMs));
  const columns = schemas.columnNames('prediction_accuracy').join(', ');
  const inserted = await dml(
    'insert',
    `INSERT INTO ${accuracy} (${columns})
SELECT ${columns} FROM (
  SELECT *, CURRENT_TIMESTAMP() AS graded_at, @run_id AS run_id, 0 AS lock_token
  FROM ${tableRef(target, 'graded_predictions')}
  WHERE game_date BETWEEN @date AND @through
) AS graded`,
  );
  return { deleted, inserted, jobs };
}
