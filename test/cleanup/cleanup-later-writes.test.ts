/**
 * The cleanup and restore next to real `grade` runs (issue 20, bugs 3-5): a grade while a killed cleanup is down,
 * before and after its swap, and a grade after a finished cleanup followed by `restore`. Every figure is checked
 * against independent per-date SQL: row counts reconcile, no graded row is lost, backups are kept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedFigures, handDedupe, perDateSql, staleTokensSql } from './incident.ts';
import { expireLease } from '../helpers/expire-lease.ts';
import { finished, killed, said, startHarness, type Harness } from './harness.ts';

let h: Harness;
const DS = 'nba_predictions';
const LATER = ['2026-01-14', '2026-01-16']; // a date of the incident re-graded, and a new date

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterEach(() => h?.killChildren());
afterAll(async () => h?.stop());

interface DateRow {
  d: string;
  n: number;
  k: number;
  s: number;
}

function perDate(table: string): Promise<DateRow[]> {
  return h.rows<DateRow>(perDateSql(DS, table));
}
const staleTokens = () => h.rows(staleTokensSql(DS));

const tables = async () => (await h.rows<{ table_name: string }>(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY 1`)).map((r) => r.table_name);
const cleanupState = async () => (await h.firestore.collection('cleanup_state').get()).docs.map((d) => d.data())[0];
/**
 * The killed cleanup's grading lease of the incident's re-graded date runs out: written, not waited for (it is dead), so
 * its lease can be long enough (20 s) that a busy machine never takes it away before the kill.
 */
const expireKilledLeases = () => expireLease(h.firestore, 'grading', LATER[0]);
const pick = (rows: DateRow[], dates: string[], keep = true) => rows.filter((r) => dates.includes(r.d) === keep);

describe('cleanup and restore with grading in between', () => {
  it('20.4: killed at dedupe:start, a grade changes the original (and adds a date), resume starts over and finishes', async () => {
    await h.reset();
    await h.loadGradingInputs(LATER);
    const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], 'dedupe:start');
    await killed(child);
    const first = await cleanupState();
    await expireKilledLeases();
    const graded = await h.grade(LATER);
    expect(graded.code, graded.stderr.slice(-3000)).toBe(0);
    const original = await perDate('prediction_accuracy');
    expect(original.map((r) => r.d)).toContain('2026-01-16');

    const resume = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(resume.code, resume.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(resume.stdout);
    expect([report.cleanupId, report.status]).toEqual([first.cleanupId, 'done']);
    const rows = original.reduce((a, r) => a + r.n, 0);
    const keys = original.reduce((a, r) => a + r.k, 0);
    expect([report.before.rows, report.after.rows, report.removed]).toEqual([rows, keys, rows - keys]);
    expect(report.checks.find((c: { name: string }) => c.name === 'duplicate keys audited')).toMatchObject({ ok: true });
    // Live: one row per key of the changed original, on every date; the backup is the changed original exactly.
    const live = await perDate('prediction_accuracy');
    expect(live.map((r) => [r.d, r.n, r.k])).toEqual(original.map((r) => [r.d, r.k, r.k]));
    expect(await perDate(report.backup.split('.')[1])).toEqual(original);
    expect((await cleanupState()).status).toBe('done');
    expect(await staleTokens()).toEqual([]);
  }, 420_000);

  it('20.5 + 18.6: killed after the swap is recorded, a grade re-writes a date and adds one, resume reconciles them and drops the deduped copy', async () => {
    const incident = await h.reset();
    await h.loadGradingInputs(LATER);
    const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], 'verify_live:start');
    await killed(child);
    await expireKilledLeases();
    const graded = await h.grade(LATER);
    expect(graded.code, graded.stderr.slice(-3000)).toBe(0);
    const afterGrade = await perDate('prediction_accuracy');

    const resume = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(resume.code, resume.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(resume.stdout);
    expect(report.status).toBe('done');
    expect(report.checks.find((c: { name: string }) => c.name === 'live table equals deduped')?.detail).toContain('2026-01-16');

    // The later grade is kept as it was; every other date is the hand-deduplicated incident.
    const live = await perDate('prediction_accuracy');
    expect(pick(live, LATER)).toEqual(pick(afterGrade, LATER));
    const hand = expectedFigures(handDedupe(incident)).dates.filter((d) => !LATER.includes(d.date));
    expect(pick(live, LATER, false).map((r) => [r.d, r.n, r.k])).toEqual(hand.map((d) => [d.date, d.rows, d.keys]));
    expect(live.every((r) => r.n === r.k)).toBe(true);
    // The backup is the untouched incident; the deduped copy is gone once the swap is verified (18.6).
    expect((await perDate(report.backup.split('.')[1])).reduce((a, r) => a + r.n, 0)).toBe(incident.length);
    expect((await tables()).filter((t) => t.startsWith('prediction_accuracy_deduped_'))).toEqual([]);
    expect(await staleTokens()).toEqual([]);
  }, 420_000);

  it("a grade between the cleanup's first read and its locks (a date re-graded, a date added): the cleanup reads again under its locks and finishes", async () => {
    await h.reset();
    await h.loadGradingInputs(LATER);
    const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--json'], 'planned:done');
    const graded = await h.grade(LATER);
    expect(graded.code, graded.stderr.slice(-3000)).toBe(0);
    const afterGrade = await perDate('prediction_accuracy');
    const result = finished(child);
    child.kill('SIGUSR2');
    const run = await result;
    expect(run.code, said(run)).toBe(0);
    const report = JSON.parse(run.stdout);
    // The figures are those of the table under the locks (with the grade), not of the first read.
    const rows = afterGrade.reduce((a, r) => a + r.n, 0);
    const keys = afterGrade.reduce((a, r) => a + r.k, 0);
    expect([report.status, report.before.rows, report.after.rows]).toEqual(['done', rows, keys]);
    const live = await perDate('prediction_accuracy');
    expect(live.map((r) => [r.d, r.n])).toEqual(afterGrade.map((r) => [r.d, r.k]));
    expect(await perDate(report.backup.split('.')[1])).toEqual(afterGrade);
    expect(await staleTokens()).toEqual([]);
  }, 420_000);

  it('20.3: restore after later grading refuses and names what would be lost; --keep-newer keeps those dates; --discard-newer keeps a snapshot of them', async () => {
    await h.reset();
    await h.loadGradingInputs(LATER);
    const run = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const backup = JSON.parse(run.stdout).backup.split('.')[1];
    const graded = await h.grade(LATER);
    expect(graded.code, graded.stderr.slice(-3000)).toBe(0);
    const live = await perDate('prediction_accuracy');
    const original = await perDate(backup);

    const refused = await h.cli(['restore', '--backup', backup, '--confirm']);
    expect(refused.code, refused.stderr.slice(-3000)).toBe(3);
    for (const text of ['2026-01-14', '2026-01-16', '--discard-newer', '--keep-newer']) expect(refused.stderr).toContain(text);
    expect(await perDate('prediction_accuracy')).toEqual(live);

    const merged = await h.cli(['restore', '--backup', backup, '--confirm', '--keep-newer', '--json']);
    expect(merged.code, merged.stderr.slice(-3000)).toBe(0);
    const afterMerge = await perDate('prediction_accuracy');
    expect(pick(afterMerge, LATER)).toEqual(pick(live, LATER));
    expect(pick(afterMerge, LATER, false)).toEqual(pick(original, LATER, false));
    expect(await staleTokens()).toEqual([]);

    const discarded = await h.cli(['restore', '--backup', backup, '--confirm', '--discard-newer', '--json']);
    expect(discarded.code, discarded.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(discarded.stdout);
    expect(await perDate('prediction_accuracy')).toEqual(original);
    // What was discarded is kept: the live table as it was before this restore, verified.
    expect(report.keptLive).toMatch(/^prediction_accuracy_before_restore_\d{8}T\d{6}$/);
    expect(await perDate(report.keptLive)).toEqual(afterMerge);
    expect(await perDate(backup)).toEqual(original);
    expect(await staleTokens()).toEqual([]);
  }, 480_000);
});
