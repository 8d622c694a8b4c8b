/**
 * The cleanup end to end on the emulators, through the real command: the incident's figures reconcile exactly, the
 * backup equals the original, the reporting recomputed from the clean table equals a hand-deduplicated computation,
 * the plan writes nothing, and restore brings the original back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_COLUMNS, expectedDailyPerformance, expectedFigures, handDedupe, keyOf, staleTokensSql, type IncidentRow } from './incident.ts';
import { said, startHarness, type Harness } from './harness.ts';

let h: Harness;
let rows: IncidentRow[];
const DS = 'nba_predictions';

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterEach(() => h?.killChildren());
afterAll(async () => h?.stop());

const checksumSql = (table: string) => `SELECT COUNT(*) AS n, SUM(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(t))), 1, 12)) AS INT64)) AS s FROM ${DS}.${table} AS t`;
const contentSql = (table: string) => `SELECT COUNT(*) AS n, SUM(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(TO_JSON_STRING(STRUCT(${CONTENT_COLUMNS.join(', ')})))), 1, 12)) AS INT64)) AS s FROM ${DS}.${table}`;
const staleTokens = () => h.rows(staleTokensSql(DS));

describe('cleanup run', () => {
  it('plan writes nothing and shows the figures', async () => {
    rows = await h.reset();
    const expected = expectedFigures(rows);
    const before = await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY table_name`);
    const plan = await h.cli(['plan', '--table', 'prediction_accuracy', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout);
    expect(p.rows).toBe(expected.rows);
    expect(p.uniqueKeys).toBe(expected.keys);
    expect(p.duplicateRows).toBe(expected.rows - expected.keys);
    expect(p.dates.map((d: any) => [d.date, d.rows, d.kept, d.removed])).toEqual(expected.dates.map((d) => [d.date, d.rows, d.keys, d.removed]));
    expect(p.differingKeys).toBe(1);
    expect(p.backup).toMatch(/^prediction_accuracy_backup_\d{8}$/);
    expect(p.bytes.dedupe).toBeGreaterThan(0);
    expect(await h.rows(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES ORDER BY table_name`)).toEqual(before);
    expect(await h.rows(`SELECT COUNT(*) AS n FROM ${DS}.grading_runs`)).toEqual([{ n: 0 }]);
    expect((await h.firestore.collection('cleanup_state').get()).size).toBe(0);
  }, 300_000);

  it('removes exactly the duplicates, keeps a verified backup, recomputes reporting, and restore undoes it', async () => {
    const expected = expectedFigures(rows);
    const [original] = await h.rows(checksumSql('prediction_accuracy'));
    const [originalContent] = await h.rows(contentSql('prediction_accuracy'));
    const run = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--json']);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.status).toBe('done');
    expect(report.before.rows).toBe(expected.rows);
    expect(report.after.rows).toBe(expected.keys);
    expect(report.removed).toBe(expected.rows - expected.keys);
    expect(report.dates.map((d: any) => [d.date, d.before, d.kept, d.removed])).toEqual(expected.dates.map((d) => [d.date, d.rows, d.keys, d.removed]));
    expect(report.checks.every((c: any) => c.ok)).toBe(true);
    expect(report.checks.find((c: any) => c.name === 'removed rows are copies').detail).toContain('predicted_points');

    // Live table: the hand-deduplicated rows exactly (earliest graded_at per key).
    const live = await h.rows<{ k: string; graded_at: string }>(
      `SELECT TO_JSON_STRING([CAST(game_date AS STRING), game_id, player_lookup, system_id]) AS k, line_value, CAST(graded_at AS STRING) AS graded_at, predicted_points FROM ${DS}.prediction_accuracy`,
    );
    const hand = handDedupe(rows);
    expect(live.length).toBe(hand.length);
    const liveByKey = new Map(live.map((r: any) => [JSON.stringify([...JSON.parse(r.k), r.line_value]), r]));
    for (const r of hand) expect((liveByKey.get(keyOf(r)) as any)?.predicted_points, keyOf(r)).toBe(r.predicted_points);
    // The swap moved the fence of every date to the cleanup's token and the rows carry it (the incident's rows carry
    // tokens 0..3 and no fence): no row at an older token than its date's fence.
    expect(await staleTokens()).toEqual([]);

    // Backup equals the original (count and content checksum).
    expect(await h.rows(checksumSql(report.backup.split('.')[1]))).toEqual([original]);

    // Reporting recomputed from the clean table = the same metrics counted from the hand-deduplicated rows.
    const perf = await h.rows<{ game_date: string; system_id: string; predictions: number; decided: number; correct: number }>(
      `SELECT CAST(game_date AS STRING) AS game_date, system_id, predictions, decided, correct FROM ${DS}.system_daily_performance ORDER BY game_date, system_id`,
    );
    const affected = expected.dates.filter((d) => d.removed > 0).map((d) => d.date);
    const want = expectedDailyPerformance(rows, affected);
    expect(new Map(perf.map((p) => [`${p.game_date}|${p.system_id}`, { predictions: p.predictions, decided: p.decided, correct: p.correct }]))).toEqual(want);

    // Audit: one grading_runs row for the cleanup and one per step; the duplicate keys recorded before removal.
    const runs = await h.rows<{ operation: string; status: string }>(`SELECT operation, status FROM ${DS}.grading_runs WHERE STARTS_WITH(run_id, @id) ORDER BY operation`, { id: report.cleanupId });
    expect(runs.filter((r) => r.operation.startsWith('cleanup')).every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs.map((r) => r.operation)).toEqual(expect.arrayContaining(['cleanup', 'cleanup.backup', 'cleanup.dedupe', 'cleanup.verify', 'cleanup.swap', 'cleanup.verify_live', 'cleanup.recompute']));
    const [audited] = await h.rows(`SELECT COUNT(*) AS n, SUM(occurrence_count - 1) AS extra FROM ${DS}.grading_duplicate_audit WHERE run_id = @id AND processor = 'cleanup'`, { id: report.cleanupId });
    expect(audited.extra).toBe(expected.rows - expected.keys);

    // The deduped copy is dropped once the live table is verified (18.6), and the report says so.
    expect((await h.rows<{ table_name: string }>(`SELECT table_name FROM ${DS}.INFORMATION_SCHEMA.TABLES`)).map((t) => t.table_name).filter((t) => t.includes('_deduped_'))).toEqual([]);
    expect(report.deduped).toMatchObject({ dropped: true });

    // A second run the same day: the plan names what today's names would collide with; today's backup name is taken
    // (bad input), another backup name runs (nothing left to remove).
    const plan = await h.cli(['plan', '--table', 'prediction_accuracy', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).collisions).toEqual([expect.stringContaining(`${report.backup.split('.')[1]} exists: the backup of cleanup ${report.cleanupId}`)]);
    const again = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const second = await h.cli(['run', '--table', 'prediction_accuracy', '--confirm', '--backup', 'prediction_accuracy_backup_second', '--json']);
    expect(second.code, said(second)).toBe(0);
    expect(JSON.parse(second.stdout).removed).toBe(0);

    // Restore: the original's rows back, stamped with the restore's tokens, which the fence holds.
    const restore = await h.cli(['restore', '--backup', report.backup.split('.')[1], '--confirm', '--json']);
    expect(restore.code, said(restore)).toBe(0);
    expect(await h.rows(contentSql('prediction_accuracy'))).toEqual([originalContent]);
    expect(await staleTokens()).toEqual([]);
    const status = await h.cli(['status', '--json']);
    expect(JSON.parse(status.stdout)[0].status).toBe('restored');
  }, 300_000);
});
