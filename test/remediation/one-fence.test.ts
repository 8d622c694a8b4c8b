/**
 * One fenced-write mechanism (issue 19/20): the Dataform definitions and the remediation build their fence from the
 * same functions of includes/fence.js. The frame of every fenced write (seed, fence check, fence move, commit and
 * error handling) is generated with a placeholder body and must surround the compiled Dataform writes and the
 * remediation's transaction and restore exactly; and no other source file opens a transaction or moves the fence.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import fence from '../../includes/fence.js';
import { remediationScript, restoreScript, seedFenceSql } from '../../src/remediation/sql.ts';
import type { WarehouseTarget } from '../../src/warehouse/target.ts';
import { compileProject, operation, PROJECT_DIR, type CompiledGraph } from '../dataform/compiled-graph.ts';

const FENCE = '`gradeguard-local.nba_predictions.grading_write_fence`';
const FENCED_WRITES = ['consolidate_player_prop_predictions', 'prediction_accuracy', 'system_daily_performance', 'performance_summary'];
const BODY = '<the write statements>';
const target: WarehouseTarget = { kind: 'local', projectId: 'gradeguard-local', location: 'US', emulatorUrl: '', dataset: 'nba_predictions', assertionDataset: 'nba_predictions_assertions' };
const RUN = { dates: ['2026-01-15', '2026-01-16'], tokenByDate: { '2026-01-15': '42', '2026-01-16': '42' }, runId: 'run-1' };

let graph: CompiledGraph;
beforeAll(async () => {
  const compiled = await compileProject({ game_date: '2026-01-16', lookback_days: '1', lock_token: '42', run_id: 'run-1' });
  expect(compiled.exitCode, compiled.stderr).toBe(0);
  graph = compiled.graph;
}, 240_000); // a CLI compile (unless cached) while other files compile too: minutes on a busy machine

/** The fence frame of a table and scope: the text before and after the (indented) write statements. */
function frame(table: string, scope: ReturnType<typeof fence.parameterScope>): { head: string; tail: string } {
  const text = fence.fencedTransaction(FENCE, table, scope, [BODY]);
  const [head, tail] = text.split(`  ${BODY};`);
  expect(tail, 'the placeholder appears once').toBeDefined();
  return { head, tail };
}

/** The statement without the comment lines the .sqlx puts before it. */
const withoutLeadingComments = (sql: string) => sql.replace(/^(\s*--[^\n]*\n|\s*\n)*/, '').trim();

function expectFramed(sql: string, table: string, scope: ReturnType<typeof fence.parameterScope>, what: string): void {
  const { head, tail } = frame(table, scope);
  const start = sql.indexOf(head);
  expect(start, `${what}: the fence frame's head`).toBeGreaterThanOrEqual(0);
  expect(sql.trimEnd().endsWith(tail.trimEnd()), `${what}: the fence frame's tail`).toBe(true);
  // Nothing but a header comment before the frame: no statement outside the transaction.
  expect(
    sql
      .slice(0, start)
      .split('\n')
      .filter((line) => line.trim() && !line.trim().startsWith('--')),
    what,
  ).toEqual([]);
  expect(sql.match(/BEGIN TRANSACTION;/g), what).toHaveLength(1);
}

test('the Dataform fenced writes are the fence module with the run scope (literal dates and token)', () => {
  for (const name of FENCED_WRITES) {
    const [seed, write] = operation(graph, name).queries;
    const table = name === 'consolidate_player_prop_predictions' ? 'player_prop_predictions' : name;
    expect(withoutLeadingComments(seed), name).toBe(fence.seedFenceStatement(FENCE, table, fence.literalScope(RUN)).trim());
    expectFramed(write, table, fence.literalScope(RUN), name);
  }
});

test('the remediation and its restore are the fence module with the parameter scope (@dates, @lock_token, @run_id)', () => {
  expect(seedFenceSql(target)).toBe(fence.seedFenceStatement(FENCE, 'prediction_accuracy', fence.parameterScope()));
  expectFramed(remediationScript(target, 'earliest'), 'prediction_accuracy', fence.parameterScope(), 'remediation');
  expectFramed(restoreScript(target, 'prediction_accuracy_remediation_backup_20260115_x'), 'prediction_accuracy', fence.parameterScope(), 'restore');
});

test('the rule, in both scopes: refused only when a committed token is greater (equal passes); the fence moves over the whole scope', () => {
  for (const [scope, token, dates] of [
    [fence.literalScope(RUN), '42', "game_date IN (DATE('2026-01-15'), DATE('2026-01-16'))"],
    [fence.parameterScope(), '@lock_token', 'game_date IN UNNEST(@dates)'],
  ] as const) {
    const { head, tail } = frame('prediction_accuracy', scope);
    expect(head).toContain(`WHERE table_name = 'prediction_accuracy' AND ${dates}\n      AND max_lock_token > ${token}\n  );\n  IF committed_token IS NOT NULL THEN`);
    expect(tail).toContain(`SET max_lock_token = ${token}, run_id = ${scope.runId}, updated_at = CURRENT_TIMESTAMP()\n  WHERE table_name = 'prediction_accuracy' AND ${dates};`);
  }
});

test('no other source file opens a transaction or moves the fence', () => {
  const offenders: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) visit(file);
      else if (/\.(ts|js|sqlx)$/.test(entry) && !entry.endsWith('.d.ts')) {
        const text = readFileSync(file, 'utf8');
        if (/BEGIN TRANSACTION|SET\s+max_lock_token\s*=/.test(text)) offenders.push(path.relative(PROJECT_DIR, file));
      }
    }
  };
  for (const dir of ['src', 'includes', 'definitions', 'scripts']) visit(path.join(PROJECT_DIR, dir));
  expect(offenders).toEqual(['includes/fence.js']);
});
