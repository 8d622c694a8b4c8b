/**
 * The deploy-once contract, with real processes on real emulators (every BigQuery limit on, the stack deployed once
 * by `npm run deploy`'s code at start-up):
 *  - locked `grade` runs back to back and at once, with every deployed view's metadata update window kept full all
 *    along (BigQuery's 5 updates per 10 s), replace no deployed view, patch none and run no DDL on the project dataset
 *    (the emulator's job list and the views' lastModifiedTime say so), and are never refused or rerun for the rate
 *    limit. Before the views were deployed once, every run recreated them and met "Exceeded rate limits" here;
 *  - a run on a dataset missing a deployed object exits 1 with what to run before any lock or write, and runs again
 *    after `npm run deploy`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import constants from '../../includes/constants.js';
import { addDays } from '../../src/runner/dates.ts';
import { fillMetadataWindow } from '../helpers/metadata-window.ts';
import { logEvents, runCommandProcess, startRunnerStack, loadTestSeason, type Finished, type RunnerStack, explainWarnings, STACK_SETUP_TIMEOUT_MS } from './stack.ts';

const START = '2026-02-01';
const date = (i: number) => addDays(START, i);
let stack: RunnerStack;
// A generous probe timeout: three processes at once against the in-process emulator on a busy machine outwait 5 s.
const env = () => ({ ...stack.env, GRADEGUARD_RETRY_BACKOFF: '500ms', GRADEGUARD_PROBE_TIMEOUT: '60s' });
const explain = explainWarnings;

beforeAll(async () => {
  stack = await startRunnerStack();
  await loadTestSeason(stack, { seed: 21, dates: 4, players: 8, systems: 1, teams: 4, gamesPerDate: 2, startDate: START, revisionRate: 0 });
}, STACK_SETUP_TIMEOUT_MS);
afterAll(async () => stack?.stop());

/** lastModifiedTime of each deployed view: a `create or replace view` or a metadata patch moves it. */
async function viewStamps(): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (const view of constants.DEPLOYED_VIEWS) {
    const [meta] = await stack.bq.client.dataset(stack.target.dataset).table(view).getMetadata();
    expect(meta.type, view).toBe('VIEW');
    stamps[view] = String(meta.lastModifiedTime);
  }
  return stamps;
}

describe('views deployed once', () => {
  // One set of runs for both claims (each run is a process with its own dataform compile): the runs that meet the full
  // metadata windows are the ones whose jobs and view stamps show they touched no deployed view.
  it("runs back to back and at once, every view's metadata window kept full: no view replaced or patched, no DDL, none refused or rerun for the rate limit", async () => {
    const limits = stack.bq.emulator.engine.limits;
    const before = await viewStamps();
    const since = Date.now();
    // Other updates keep each deployed view's 10-second window full the whole time (BigQuery allows 5 in 10 s).
    const fill = () => {
      for (const view of constants.DEPLOYED_VIEWS) fillMetadataWindow(limits, `${stack.target.dataset}.${view}`);
    };
    fill();
    const timer = setInterval(fill, 250);
    let runs: Finished[];
    try {
      const sequence = [await runCommandProcess('grade', ['--date', date(0), '--json'], env()), await runCommandProcess('grade', ['--date', date(0), '--json'], env())];
      const together = await Promise.all([1, 2].map((i) => runCommandProcess('grade', ['--date', date(i), '--json'], env())));
      runs = [...sequence, ...together];
    } finally {
      clearInterval(timer);
    }
    // The windows were full: one more update of a view is refused with BigQuery's error.
    expect(() => limits.recordUpdate(`${stack.target.dataset}.prediction_accuracy_deduped`, 'metadata')).toThrow(/Exceeded rate limits: too many table update operations for this table/);
    for (const run of runs) {
      expect(run.code, explain(run)).toBe(0);
      const [result] = JSON.parse(run.stdout).dates;
      expect(result.status).toBe('succeeded');
      expect(result.retryReasons).not.toContain('rate_limited');
      expect(run.stderr).not.toMatch(/Exceeded rate limits/);
      expect(logEvents(run.stderr).filter((e) => e.reason === 'rate_limited')).toEqual([]);
    }

    expect(await viewStamps()).toEqual(before);
    const [jobs] = await stack.bq.client.getJobs({ allUsers: true, autoPaginate: true });
    const ofRuns = jobs.map((j) => j.metadata).filter((j) => Number(j.statistics?.creationTime) >= since);
    // The listing saw the runs' own jobs (a check that read nothing would pass anything).
    expect(ofRuns.filter((j) => j.statistics?.query?.statementType === 'SCRIPT' || /BEGIN TRANSACTION/i.test(j.configuration?.query?.query ?? '')).length).toBeGreaterThan(0);
    const ddl = ofRuns.filter(
      (j) =>
        (j.statistics?.query?.ddlTargetTable?.datasetId === stack.target.dataset && j.statistics?.query?.ddlOperationPerformed !== 'SKIP') ||
        new RegExp(`create\\s+or\\s+replace\\s+view\\s+\`[^\`]*\\.${stack.target.dataset}\\.`, 'i').test(j.configuration?.query?.query ?? ''),
    );
    expect(ddl.map((j) => j.configuration?.query?.query)).toEqual([]);
  }, 600_000);

  it('a dataset missing a deployed view: exit 1 naming it and npm run deploy, before any lock or write; runs after the deploy', async () => {
    await stack.bq.client.query(`DROP VIEW \`${stack.target.dataset}.graded_predictions\``);
    const [before] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('grading_runs')}`);
    const refused = await runCommandProcess('grade', ['--date', date(2), '--json'], env());
    expect(refused.code, explain(refused)).toBe(1);
    expect(refused.stderr).toMatch(/is not deployed: graded_predictions is missing\. Run `npm run deploy` once/);
    expect(refused.stderr).not.toMatch(/Not found: Table/);
    expect(logEvents(refused.stderr).some((e) => e.event === 'lock_acquired' || e.event === 'dataform_started')).toBe(false);
    const [after] = await stack.rows(`SELECT COUNT(*) AS n FROM ${stack.table('grading_runs')}`);
    expect(after.n).toBe(before.n);

    const deploy = await runCommandProcess('deploy', ['--json'], env());
    expect(deploy.code, explain(deploy)).toBe(0);
    const deployed = JSON.parse(deploy.stdout) as { ok: boolean; attempts: number };
    expect(deployed.ok).toBe(true);
    // The previous test leaves the views' metadata windows full: a rerun is allowed, only for BigQuery's rate limit.
    const retries = logEvents(deploy.stderr).filter((e) => e.event === 'deploy_retry');
    expect(retries.length).toBe(deployed.attempts - 1);
    expect(retries.every((e) => e.reason === 'rate_limited')).toBe(true);
    const again = await runCommandProcess('grade', ['--date', date(2), '--json'], env());
    expect(again.code, explain(again)).toBe(0);
  }, 300_000);
});
