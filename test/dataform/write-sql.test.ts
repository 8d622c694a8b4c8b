// The SQL of the writes: atomic per-date replace in one transaction job, the storage-side fence, DDL outside the
// transaction, partitioning/clustering, append-only audit, and only constructs the emulator is built to run.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import businessKeys from '../../includes/business_keys.js';
import { PROJECT_DIR, actionsByName, compileProject, operation, table, tableDdl, type CompiledGraph } from './compiled-graph.ts';

const FENCED_WRITES = ['consolidate_player_prop_predictions', 'prediction_accuracy', 'system_daily_performance', 'performance_summary'];
const REPLACED_PER_DATE: Record<string, string> = {
  prediction_accuracy: 'game_date',
  system_daily_performance: 'game_date',
  performance_summary: 'summary_date',
};
const FENCE = '`gradeguard-local.nba_predictions.grading_write_fence`';
const target = (name: string) => `\`gradeguard-local.nba_predictions.${name}\``;

let graph: CompiledGraph;

beforeAll(async () => {
  const result = await compileProject({ game_date: '2026-01-17' });
  expect(result.exitCode, result.stderr).toBe(0);
  graph = result.graph;
}, 240_000); // a CLI compile (unless cached) while other files compile too: minutes on a busy machine

/** Every SQL text of the graph (operations' jobs, tables/views, assertions, unit tests) with the action's name. */
function allSql(): [string, string][] {
  const texts: [string, string][] = [];
  for (const op of graph.operations ?? []) op.queries.forEach((query, index) => texts.push([`${op.target.name}#${index}`, query]));
  for (const relation of graph.tables ?? []) texts.push([relation.target.name, relation.query]);
  for (const check of graph.assertions ?? []) texts.push([check.target.name, check.query]);
  for (const test of graph.tests ?? []) texts.push([test.name, `${test.testQuery}\n${test.expectedOutputQuery}`]);
  return texts;
}

function positionOf(sql: string, fragment: string): number {
  const position = sql.indexOf(fragment);
  expect(position, `missing: ${fragment}`).toBeGreaterThanOrEqual(0);
  return position;
}

describe('fenced atomic writes', () => {
  it('run as two jobs: fence seeding, then ONE transaction script (tables come from create_pipeline_tables)', () => {
    for (const name of FENCED_WRITES) {
      const [seed, write] = operation(graph, name).queries;
      expect(operation(graph, name).queries, name).toHaveLength(2);
      expect(seed, name).toContain(`MERGE ${FENCE} AS fence`);
      expect(seed, name).toMatch(/WHEN NOT MATCHED THEN\s+INSERT/);
      expect(seed, name).not.toMatch(/WHEN MATCHED/);
      expect(write.match(/BEGIN TRANSACTION;/g), name).toHaveLength(1);
      expect(write.match(/COMMIT TRANSACTION;/g), name).toHaveLength(1);
      expect(write, name).toMatch(
        /EXCEPTION WHEN ERROR THEN\s+SET failure_message = @@error\.message;[\s\S]*BEGIN\s+ROLLBACK TRANSACTION;\s+EXCEPTION WHEN ERROR THEN[\s\S]*END;\s+RAISE USING MESSAGE = failure_message;\s+END\s*$/,
      );
      // Declared at the top of the script, so the exception handler sees them.
      expect(write, name).toMatch(/^\s*(--[^\n]*\n)*\s*DECLARE committed_token INT64;\s+DECLARE failure_message STRING;\s+BEGIN\s+BEGIN TRANSACTION;/);
    }
  });

  it('keeps DDL out of the transaction (BigQuery rejects DDL inside one)', () => {
    for (const name of FENCED_WRITES) {
      const write = operation(graph, name).queries[1];
      expect(write, name).not.toMatch(/\b(CREATE|DROP|ALTER|TRUNCATE)\b/i);
    }
  });

  it('checks the fence, replaces the dates and moves the fence in that order, inside the transaction', () => {
    for (const [name, dateColumn] of Object.entries(REPLACED_PER_DATE)) {
      const write = operation(graph, name).queries[1];
      const begin = positionOf(write, 'BEGIN TRANSACTION;');
      const check = positionOf(write, `SET committed_token = (\n    SELECT MAX(max_lock_token) FROM ${FENCE}`);
      const raise = positionOf(write, "RAISE USING MESSAGE = CONCAT('gradeguard_fence_rejected:");
      const remove = positionOf(write, `DELETE FROM ${target(name)}\n  WHERE ${dateColumn} IN (DATE('2026-01-17'));`);
      const insert = positionOf(write, `INSERT INTO ${target(name)} (`);
      const fence = positionOf(write, `UPDATE ${FENCE}\n  SET max_lock_token = 0, run_id = 'manual'`);
      const commit = positionOf(write, 'COMMIT TRANSACTION;');
      expect([begin, check, raise, remove, insert, fence, commit], name).toEqual([begin, check, raise, remove, insert, fence, commit].sort((a, b) => a - b));
      expect(write, name).toContain(`WHERE table_name = '${name}' AND game_date IN (DATE('2026-01-17'))`);
      expect(write, name).toContain(`WHERE table_name = '${name}' AND game_date IN (DATE('2026-01-17'))\n      AND max_lock_token > 0\n  );\n  IF committed_token IS NOT NULL THEN`);
    }
  });

  it('refuses only lower tokens: the check is strictly greater, so an equal token (same holder retrying) passes', () => {
    const write = operation(graph, 'prediction_accuracy').queries[1];
    expect(write).toMatch(/AND max_lock_token > 0\n/);
    expect(write).not.toMatch(/max_lock_token >= /);
  });

  it('seeds fence rows with -1 so a token-0 run can write a date no lock ever wrote', () => {
    const seed = operation(graph, 'prediction_accuracy').queries[0];
    expect(seed).toContain("SELECT game_date, 'prediction_accuracy' AS table_name, -1 AS max_lock_token, CAST(NULL AS STRING) AS run_id, CURRENT_TIMESTAMP() AS updated_at");
    expect(seed).toContain('ON fence.game_date = seed.game_date AND fence.table_name = seed.table_name');
  });

  it('grades from the grading view and stamps run_id, lock_token and graded_at', () => {
    const write = operation(graph, 'prediction_accuracy').queries[1];
    expect(write).toContain(`FROM ${target('graded_predictions')}\n    WHERE game_date IN (DATE('2026-01-17'))`);
    expect(write).toContain("CURRENT_TIMESTAMP() AS graded_at,\n      'manual' AS run_id,\n      0 AS lock_token");
  });

  it('reads only prediction_accuracy_deduped in the aggregates', () => {
    for (const name of ['system_daily_performance', 'performance_summary']) {
      const write = operation(graph, name).queries[1];
      expect(write, name).toContain(target('prediction_accuracy_deduped'));
      expect(write, name).not.toContain(target('prediction_accuracy'));
    }
  });

  it('consolidates with one MERGE that dedupes its source and matches NULL lines', () => {
    const write = operation(graph, 'consolidate_player_prop_predictions').queries[1];
    expect(write.match(/\bMERGE\b/g)).toHaveLength(1);
    expect(write).toContain(`FROM ${target('player_prop_predictions_staging')}`);
    expect(write).toMatch(
      /QUALIFY ROW_NUMBER\(\) OVER \(\s+PARTITION BY game_date, game_id, player_lookup, system_id, CAST\(current_points_line AS STRING\), prediction_version\s+ORDER BY created_at DESC, staged_at DESC, prediction_id DESC\s+\) = 1/,
    );
    expect(write).toContain('(target.current_points_line = source.current_points_line OR (target.current_points_line IS NULL AND source.current_points_line IS NULL))');
    expect(write).not.toContain(`IFNULL(target.current_points_line`);
    expect(write).toMatch(/WHEN NOT MATCHED THEN\s+INSERT \(prediction_id, game_id/);
  });
});

describe('tables', () => {
  const ddlOf = (name: string) => tableDdl(graph, name);

  it('creates every owned table in ONE job of CREATE TABLE IF NOT EXISTS only, outside any transaction', () => {
    const jobs = operation(graph, 'create_pipeline_tables').queries;
    expect(jobs).toHaveLength(1);
    const statements = jobs[0]
      .replace(/--[^\n]*/g, '')
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements).toHaveLength(7);
    for (const statement of statements) expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS `gradeguard-local\.nba_predictions\.[a-z_]+` \(/);
    expect(jobs[0]).not.toMatch(/TRANSACTION|CREATE OR REPLACE|DROP/);
  });

  it('partitions and clusters every owned table', () => {
    expect(ddlOf('prediction_accuracy')).toMatch(/\)\nPARTITION BY game_date\nCLUSTER BY system_id, player_lookup\nOPTIONS/);
    expect(ddlOf('system_daily_performance')).toMatch(/\)\nPARTITION BY game_date\nCLUSTER BY system_id\nOPTIONS/);
    expect(ddlOf('performance_summary')).toMatch(/\)\nPARTITION BY summary_date\nCLUSTER BY system_id\nOPTIONS/);
    expect(ddlOf('grading_duplicate_audit')).toMatch(/\)\nPARTITION BY DATE\(detected_at\)\nCLUSTER BY game_date, processor\nOPTIONS/);
    expect(ddlOf('grading_write_fence')).toMatch(/\)\nPARTITION BY game_date\nCLUSTER BY table_name\nOPTIONS/);
    expect(ddlOf('player_prop_predictions')).toMatch(/\)\nPARTITION BY game_date\nCLUSTER BY system_id, player_lookup\nOPTIONS/);
  });

  it('types the grading columns', () => {
    const ddl = ddlOf('prediction_accuracy');
    for (const column of [
      'line_value FLOAT64',
      'actual_points INT64',
      'absolute_error FLOAT64',
      'signed_error FLOAT64',
      'prediction_correct BOOL',
      'within_3_points BOOL',
      'within_5_points BOOL',
      'confidence_score FLOAT64',
      'graded_at TIMESTAMP',
      'run_id STRING',
      'lock_token INT64',
    ]) {
      expect(ddl).toContain(`  ${column},`.replace(/,$/, ''));
    }
  });

  it('keeps the latest row per business key in both views', () => {
    expect(table(graph, 'prediction_accuracy_deduped').query).toMatch(
      /QUALIFY ROW_NUMBER\(\) OVER \(\s+PARTITION BY game_date, game_id, player_lookup, system_id, CAST\(line_value AS STRING\)\s+ORDER BY lock_token DESC, graded_at DESC, run_id DESC, prediction_id DESC\s+\) = 1/,
    );
    expect(table(graph, 'player_prop_predictions_latest').query).toMatch(
      /QUALIFY ROW_NUMBER\(\) OVER \(\s+PARTITION BY game_date, game_id, player_lookup, system_id, CAST\(current_points_line AS STRING\)\s+ORDER BY prediction_version DESC, created_at DESC, prediction_id DESC\s+\) = 1/,
    );
  });
});

describe('audit', () => {
  it('only ever INSERTs into grading_duplicate_audit (append-only)', () => {
    const audit = target('grading_duplicate_audit');
    for (const [name, sql] of allSql()) {
      if (!sql.includes(audit)) continue;
      const mutations = [...sql.matchAll(new RegExp(`\\b(DELETE FROM|UPDATE|MERGE|INSERT INTO|TRUNCATE TABLE|CREATE OR REPLACE TABLE|CREATE TABLE|DROP TABLE)\\s+${audit.replace(/[.`-]/g, '\\$&')}`, 'g'))].map(
        (match) => match[1],
      );
      for (const mutation of mutations) expect(['INSERT INTO'], name).toContain(mutation);
      // Creating it is allowed only as CREATE TABLE IF NOT EXISTS (which never replaces data).
      expect(sql.replace(`CREATE TABLE IF NOT EXISTS ${audit}`, ''), name).not.toContain(`TABLE ${audit}`);
    }
  });

  it('records the duplicate keys with counts and first/last write times, for the run', () => {
    const record = operation(graph, 'record_duplicates_prediction_accuracy').queries[0];
    expect(record).toContain(
      `INSERT INTO ${target('grading_duplicate_audit')} (detected_at, run_id, game_date, processor, game_id, player_lookup, system_id, line_value, occurrence_count, first_graded_at, last_graded_at)`,
    );
    expect(record).toContain("'manual',\n  game_date,\n  'prediction_accuracy'");
    expect(record).toContain('MIN(graded_at) AS first_graded_at');
    expect(record).toContain("WHERE game_date IN (DATE('2026-01-17'))\nGROUP BY game_date, game_id, player_lookup, system_id, line_value\nHAVING COUNT(*) > 1");
  });

  it('maps the consolidated line column to the audit line_value', () => {
    const record = operation(graph, 'record_duplicates_player_prop_predictions').queries[0];
    expect(record).toMatch(/INSERT INTO [^(]+\(detected_at, run_id, game_date, processor, game_id, player_lookup, system_id, line_value, prediction_version,/);
    expect(record).toContain('  current_points_line,\n  prediction_version,');
  });

  it('records the run as appended events: one INSERT opens it, one INSERT closes it with the duplicate count (no MERGE, UPDATE or DELETE)', () => {
    const open = operation(graph, 'grading_run_started').queries[0];
    expect(open).toContain(`INSERT INTO ${target('grading_run_events')} (run_id, operation, game_dates, lock_token, started_at, finished_at, rows_written, duplicate_count, status, error, event, recorded_at)`);
    expect(open).toContain("'running' AS status");
    const close = operation(graph, 'grading_run_finished').queries[0];
    expect(close).toContain(`INSERT INTO ${target('grading_run_events')} (`);
    expect(close).toContain("IF(duplicate_keys > 0, 'duplicates_detected', 'succeeded') AS status");
    expect(close).toContain("WHERE run_id = 'manual' AND event = 'started'");
    // BigQuery limits mutating DML per table (2 running, 20 queued): nothing a run does mutates the run bookkeeping.
    for (const sql of [open, close]) expect(sql).not.toMatch(/\b(MERGE|UPDATE|DELETE)\b/);
    const view = table(graph, 'grading_runs');
    expect(view.type).toBe('view');
    expect(view.query).toContain(`FROM ${target('grading_run_events')}`);
  });
});

describe('scoping to the run', () => {
  it('scopes every check of a date-partitioned table to the run dates', () => {
    for (const check of graph.assertions ?? []) {
      const checked = check.target.name.replace(/^assert_/, '').replace(/_(unique_key|row_conditions)$/, '') as keyof typeof businessKeys.tables;
      const key = businessKeys.tables[checked];
      expect(key, check.target.name).toBeDefined();
      if (key.dateColumn) expect(check.query, check.target.name).toContain(`WHERE ${key.dateColumn} IN (DATE('2026-01-17'))`);
    }
    for (const op of graph.operations ?? []) {
      if (!op.target.name.startsWith('record_duplicates_') || op.target.name === 'record_duplicates_grading_runs') continue;
      expect(op.queries[0], op.target.name).toMatch(/WHERE (game_date|summary_date) IN \(DATE\('2026-01-17'\)\)/);
    }
  });

  it('prunes performance_summary reads with constant bounds covering the season window', () => {
    const write = operation(graph, 'performance_summary').queries[1];
    expect(write).toContain("WHERE accuracy.game_date BETWEEN DATE('2025-10-01') AND DATE('2026-01-17')");
    expect(write).toContain("SELECT DATE('2026-01-17') AS summary_date, '7d' AS window_name, DATE('2026-01-11') AS window_start");
    expect(write).toContain("'30d' AS window_name, DATE('2025-12-19') AS window_start");
  });
});

describe('portability (what the emulator is built to run)', () => {
  it('never partitions a window by a FLOAT64 line (BigQuery refuses it; the lines go in as text)', () => {
    let windows = 0;
    for (const [name, sql] of allSql()) {
      for (const [, list] of sql.matchAll(/OVER\s*\(\s*PARTITION BY\s+([\s\S]*?)\s+ORDER BY/gi)) {
        windows++;
        const bare = list
          .split(',')
          .map((e) => e.trim())
          .filter((e) => /^(\w+\.)?(line_value|current_points_line)$/i.test(e));
        expect(bare, `${name}: PARTITION BY ${list}`).toEqual([]);
      }
    }
    expect(windows).toBeGreaterThanOrEqual(4);
  });

  it('uses no FARM_FINGERPRINT, no keys concatenated from CASTed floats, no INSERT ROW', () => {
    for (const [name, sql] of allSql()) {
      expect(sql, name).not.toMatch(/FARM_FINGERPRINT/i);
      // Float formatting differs between engines: a concatenated text key would not match across them.
      expect(sql, name).not.toMatch(/CONCAT\([^;]*CAST\(\s*(line_value|current_points_line)\s+AS\s+STRING\)/i);
      expect(sql, name).not.toMatch(/INSERT\s+ROW/i);
      expect(sql, name).not.toMatch(/\bONLY\s+SCHEMA\b|onSchemaChange/i);
    }
  });

  it('sets no onSchemaChange and no dataformCoreVersion anywhere in the project', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    for (const file of [...files(path.join(PROJECT_DIR, 'definitions')), path.join(PROJECT_DIR, 'dataform.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/onSchemaChange|dataformCoreVersion/);
    }
  });

  it('gives every QUALIFY a WHERE, GROUP BY or HAVING (BigQuery requires one)', () => {
    for (const [name, sql] of allSql()) {
      for (const match of sql.matchAll(/QUALIFY/g)) {
        const before = sql.slice(Math.max(0, (match.index ?? 0) - 400), match.index);
        expect(before, name).toMatch(/\b(WHERE|GROUP BY|HAVING)\b/);
      }
    }
  });

  it('has every action accounted for in these checks', () => {
    expect(actionsByName(graph).size).toBe(18 + 3 * Object.keys(businessKeys.tables).length);
  });
});
