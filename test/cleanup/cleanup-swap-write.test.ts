/**
 * A cleanup frozen past its lease right before its swap's write must not overwrite a newer grade (issue 20: every write
 * of a fenced table is a fenced write), with real processes on real emulators. The real `cleanup run --lease 20s` talks to
 * BigQuery through a gated proxy; the request that writes the live table in its swap is held there and the process is
 * frozen (SIGSTOP) right then, after its fence move and re-check. A real `grade` of a date of the incident, once the frozen
 * lease has run out (written, not waited for), commits with a higher token. Then the held write reaches the storage (the process still frozen, as a
 * stale write in flight does) and the cleanup resumes. The swap used to be a copy job (`WRITE_TRUNCATE`) that replaced
 * the newer grade with the cleanup's copy; it must be refused by the storage, leave the live table as the grade left it,
 * keep the backup, say so, and `cleanup resume` must then finish with the grade kept. Checked in independent SQL.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { expireLease } from '../helpers/expire-lease.ts';
import { startGatedProxy, type GatedProxy } from '../remediation/gated-proxy.ts';
import { beforeExit } from '../remediation/gated-stack.ts';
import { finished, said, startHarness, type CliResult, type Harness } from './harness.ts';
import { expectedFigures, handDedupe, perDateSql, staleTokensSql } from './incident.ts';

const DS = 'nba_predictions';
/** A date of the incident (with duplicates), graded again while the cleanup is frozen. */
const D = '2026-01-14';

let h: Harness;
let proxy: GatedProxy;

beforeAll(async () => {
  h = await startHarness();
  proxy = await startGatedProxy(h.env.BIGQUERY_EMULATOR_HOST!);
}, 120_000);
afterEach(() => h?.killChildren());
afterAll(async () => {
  await proxy?.stop();
  await h?.stop();
});

interface DateRow {
  d: string;
  n: number;
  k: number;
  s: number;
}

const perDate = (table: string) => h.rows<DateRow>(perDateSql(DS, table));
const pick = (rows: DateRow[], keep: boolean) => rows.filter((r) => (r.d === D) === keep);
const fenceOfD = async () =>
  (await h.rows<{ token: number; run_id: string }>(`SELECT max_lock_token AS token, run_id FROM ${DS}.grading_write_fence WHERE table_name = 'prediction_accuracy' AND game_date = @d`, { d: D }))[0];

/** The request of the swap that writes the live table: the copy job it used to be, or a transaction that deletes rows. */
const isSwapWrite = (body: string) => body.includes('WRITE_TRUNCATE') || (body.includes('BEGIN TRANSACTION') && body.includes('DELETE FROM'));

it("a cleanup frozen past its lease before its swap's write cannot overwrite a newer grade; resume then finishes and keeps it", async () => {
  const incident = await h.reset();
  await h.loadGradingInputs([D]);
  const swapWrite = proxy.gate(isSwapWrite);
  const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s', '--json'], 'swap:start', { BIGQUERY_EMULATOR_HOST: proxy.url });
  const run = finished(child);
  child.kill('SIGUSR2');
  await beforeExit(swapWrite.arrived, run, "the cleanup sent its swap's write");
  process.kill(child.pid!, 'SIGSTOP');
  let graded: CliResult;
  let afterGrade: DateRow[];
  const fences: number[] = [];
  try {
    fences.push((await fenceOfD()).token); // the cleanup's token: its swap moved the fence before re-checking
    // The frozen cleanup's lease of D runs out (written, not waited for: it cannot renew while frozen).
    await expireLease(h.firestore, 'grading', D);
    graded = await h.grade([D]);
    afterGrade = await perDate('prediction_accuracy');
    fences.push((await fenceOfD()).token);
    swapWrite.release(); // the stale write reaches the storage while the cleanup is still frozen
  } finally {
    swapWrite.release();
    process.kill(child.pid!, 'SIGCONT');
  }
  expect(graded.code, said(graded)).toBe(0);
  expect(fences[1], 'the grade committed with a higher token').toBeGreaterThan(fences[0]);
  const stale = await run;

  const live = await perDate('prediction_accuracy');
  // Only D's: the incident's other dates were never graded (their rows carry no fence token until the cleanup swaps).
  const stamps = (await h.rows<{ d: string }>(staleTokensSql(DS))).filter((r) => r.d === D);
  const dOf = (rows: DateRow[]) => JSON.stringify(pick(rows, true)[0]);
  console.log(
    `stale swap: cleanup exit ${stale.code}; ${D} after the grade ${dOf(afterGrade)}, after the cleanup ${dOf(live)}; fence ${fences.join(' -> ')}; ${D}'s rows off its fence: ${JSON.stringify(stamps)}`,
  );
  expect(pick(live, true), `${D}: the newer grade kept`).toEqual(pick(afterGrade, true));
  expect(stamps, `${D}'s rows whose token is not its fence`).toEqual([]);
  expect(live, 'the live table untouched by the refused swap').toEqual(afterGrade);
  expect(stale.code, said(stale)).toBe(1);
  expect(stale.stderr).toContain('refused by the write fence');
  const [state] = (await h.firestore.collection('cleanup_state').get()).docs.map((doc) => doc.data());
  expect([state.status, state.steps.swap.status]).toEqual(['failed', 'started']);
  expect(
    (await perDate(state.backup)).reduce((a, r) => a + r.n, 0),
    'the verified backup is kept',
  ).toBe(incident.length);

  const resume = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm', '--json']);
  expect(resume.code, said(resume)).toBe(0);
  expect(JSON.parse(resume.stdout).status).toBe('done');
  const done = await perDate('prediction_accuracy');
  expect(pick(done, true), `${D}: the newer grade kept`).toEqual(pick(afterGrade, true));
  const hand = expectedFigures(handDedupe(incident)).dates.filter((d) => d.date !== D);
  expect(pick(done, false).map((r) => [r.d, r.n, r.k])).toEqual(hand.map((d) => [d.date, d.rows, d.keys]));
  expect(await h.rows(staleTokensSql(DS))).toEqual([]);
}, 600_000);

it('a table the grading leases do not fence (no lock_token: player_prop_predictions) is swapped in one unfenced transaction, its fence untouched', async () => {
  await h.reset();
  const dates = ['2026-01-20', '2026-01-21'];
  await h.loadGradingInputs(dates);
  // Exact copies of 5 predictions of the first date: duplicated keys, as a worker that staged twice would leave them.
  await h.rows(`INSERT INTO ${DS}.player_prop_predictions SELECT * FROM ${DS}.player_prop_predictions WHERE game_date = @d ORDER BY prediction_id LIMIT 5`, { d: dates[0] });
  const key = 'TO_JSON_STRING([game_id, player_lookup, system_id, COALESCE(CAST(current_points_line AS STRING), "null"), CAST(prediction_version AS STRING)])';
  const figures = () => h.rows<{ d: string; n: number; k: number }>(`SELECT CAST(game_date AS STRING) AS d, COUNT(*) AS n, COUNT(DISTINCT ${key}) AS k FROM ${DS}.player_prop_predictions GROUP BY d ORDER BY d`);
  const before = await figures();
  expect(before.map((r) => r.n - r.k)).toEqual([5, 0]);

  const run = await h.cli(['run', '--table', 'player_prop_predictions', '--confirm', '--json']);
  expect(run.code, said(run)).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.status).toBe('done');
  expect(report.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
  expect(report.checks.find((c: { name: string }) => c.name === 'live schema')).toMatchObject({ ok: true });
  expect(await figures()).toEqual(before.map((r) => ({ ...r, n: r.k })));
  // Its writers (consolidation) hold another lock with its own tokens: the cleanup's grading tokens never reach its fence.
  expect(await h.rows(`SELECT game_date FROM ${DS}.grading_write_fence WHERE table_name = 'player_prop_predictions'`)).toEqual([]);
}, 300_000);
