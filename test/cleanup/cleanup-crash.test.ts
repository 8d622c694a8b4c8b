/**
 * kill -9 of the real cleanup process at several points (the GRADEGUARD_CLEANUP_PAUSE hook holds it exactly there),
 * then `cleanup resume` finishes with the same figures as an uninterrupted run: nothing lost, nothing kept twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedFigures, handDedupe, keyOf } from './incident.ts';
import { killed, startHarness, type Harness } from './harness.ts';

let h: Harness;
const DS = 'nba_predictions';

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterEach(() => h?.killChildren());
afterAll(async () => h?.stop());

const stored = async (collection: string) => JSON.stringify((await h.firestore.collection(collection).get()).docs.map((d) => d.data()));

/** The state and backup documents rewritten as the code before the rename wrote them: every date's figures under s1, s2, k1, k2. */
async function writeOldChecksumNames(): Promise<void> {
  const OLD: Record<string, string> = { rowHashSum1: 's1', rowHashSum2: 's2', keyHashSum1: 'k1', keyHashSum2: 'k2' };
  const oldNames = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(oldNames) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => ['rows' in value && k in OLD ? OLD[k] : k, oldNames(v)])) : value;
  for (const collection of ['cleanup_state', 'cleanup_backups']) {
    const docs = (await h.firestore.collection(collection).get()).docs;
    expect(docs.length, collection).toBeGreaterThan(0);
    for (const doc of docs) await doc.ref.set(oldNames(doc.data()) as Record<string, unknown>);
  }
  expect(await stored('cleanup_state')).toContain('"s1"');
}

describe('cleanup resume after kill -9', () => {
  // backup:done — the snapshot exists but is not recorded as verified; dedupe:done — the deduped copy is filled but
  // not recorded (resume must rebuild it, not keep rows twice); swap:start — recorded as started, copy job not run;
  // swap:done — the copy job replaced the live table but the swap is not recorded (resume must see its own swap, not a
  // foreign write, and keep the backup); recompute:start — swapped, reporting not recomputed. (verify:start is
  // exercised by the tamper test.)
  // One cleanup killed at each point in turn: the run at the first, then a resume at each next one, so every resume but
  // the last starts from a kill and must get as far as the next point; the last finishes and its figures must be exact.
  // A cycle per point (a reset and a whole cleanup each, ~48 CPU-s measured, most of it the in-process emulator) proved
  // the same five resumes, once each. The state at swap:start is rewritten under the checksums' old names (s1, s2, k1,
  // k2), as the code before their rename wrote them: the resumes after it read and rewrite them.
  it('killed at backup:done, then each resume killed at the next point (dedupe:done, swap:start with the old checksum names, swap:done, recompute:start): the last resume completes with the exact figures, rewrites the names, and its backup restores', async () => {
    const rows = await h.reset();
    const expected = expectedFigures(rows);
    await killed(await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], 'backup:done'));

    const [state] = (await h.firestore.collection('cleanup_state').get()).docs.map((d) => d.data());
    expect(state.status).toBe('running');
    const refused = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('half-done');

    for (const point of ['dedupe:done', 'swap:start', 'swap:done', 'recompute:start']) {
      await killed(await h.pausedAt(['resume', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], point));
      const [now] = (await h.firestore.collection('cleanup_state').get()).docs.map((d) => d.data());
      expect([now.cleanupId, now.status], point).toEqual([state.cleanupId, 'running']);
      if (point === 'swap:start') await writeOldChecksumNames();
    }

    const resume = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(resume.code, resume.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(resume.stdout);
    expect(report.status).toBe('done');
    expect(report.cleanupId).toBe(state.cleanupId);
    expect([report.before.rows, report.after.rows, report.removed]).toEqual([expected.rows, expected.keys, expected.rows - expected.keys]);
    expect(report.dates.map((d: any) => [d.date, d.before, d.kept, d.removed])).toEqual(expected.dates.map((d) => [d.date, d.rows, d.keys, d.removed]));

    const live = await h.rows(`SELECT game_date, game_id, player_lookup, system_id, line_value, CAST(graded_at AS STRING) AS graded_at FROM ${DS}.prediction_accuracy`);
    const keys = live.map((r: any) => keyOf({ ...r, game_date: String(r.game_date) } as never));
    expect(new Set(keys).size).toBe(live.length);
    expect(new Set(keys)).toEqual(new Set(handDedupe(rows).map(keyOf)));
    const [backup] = await h.rows(`SELECT COUNT(*) AS n FROM ${DS}.${report.backup.split('.')[1]}`);
    expect(backup.n).toBe(expected.rows);
    expect(await h.rows(`SELECT COUNT(DISTINCT game_date) AS n FROM ${DS}.system_daily_performance`)).toEqual([{ n: expected.dates.filter((d) => d.removed > 0).length }]);

    const stateNow = await stored('cleanup_state');
    expect(stateNow).not.toMatch(/"(s1|s2|k1|k2)"/);
    expect(stateNow).toContain('"rowHashSum1"');
    // The backup's record still holds the old names: restore reads them as the current ones.
    expect(await stored('cleanup_backups')).toContain('"k2"');
    const restore = await h.cli(['restore', '--backup', report.backup.split('.')[1], '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(restore.code, restore.stderr.slice(-3000)).toBe(0);
    expect(await h.rows(`SELECT COUNT(*) AS n FROM ${DS}.prediction_accuracy`)).toEqual([{ n: expected.rows }]);
  }, 600_000);

  it('killed after the swap, then the live table changed by someone else: resume stops and drops nothing', async () => {
    const rows = await h.reset();
    const expected = expectedFigures(rows);
    const child = await h.pausedAt(['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '20s'], 'swap:done');
    await killed(child);
    const before = await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY 1`);
    await h.rows(`DELETE FROM ${DS}.prediction_accuracy WHERE player_lookup = 'player_5' AND game_date = DATE '2026-01-10'`);

    const resume = await h.cli(['resume', '--table', 'prediction_accuracy', '--confirm']);
    expect(resume.code, resume.stderr.slice(-2000)).toBe(1);
    expect(resume.stderr).toContain('neither the original nor the verified deduped copy');
    expect(await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY 1`)).toEqual(before);
    const backup = (before as Array<{ table_name: string }>).find((t) => t.table_name.startsWith('prediction_accuracy_backup_'))!.table_name;
    expect(await h.rows(`SELECT COUNT(*) AS n FROM ${DS}.${backup}`)).toEqual([{ n: expected.rows }]);
    const [state] = (await h.firestore.collection('cleanup_state').get()).docs.map((d) => d.data());
    expect([state.status, state.steps.swap.status, Object.keys(state.steps).sort()]).toEqual(['failed', 'started', ['audit_duplicates', 'backup', 'dedupe', 'swap', 'verify']]);
  }, 420_000);
});
