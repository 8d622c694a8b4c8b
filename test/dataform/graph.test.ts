// The compiled Dataform graph: the actions, their tags, dependencies, documentation and checks.
import { beforeAll, describe, expect, it } from 'vitest';
import businessKeys from '../../includes/business_keys.js';
import { actionsByName, assertion, compileProject, dependencyNames, operation, table, tableDdl, type CompiledGraph } from './compiled-graph.ts';

const KEYED_TABLES = Object.keys(businessKeys.tables) as (keyof typeof businessKeys.tables)[];
const RUN_TAGS = ['grading', 'consolidation', 'reporting', 'audit', 'daily'];
const ALL_TAGS = [...RUN_TAGS, 'deploy'];
/** What `npm run deploy` creates (tag deploy); no run selects them. */
const DEPLOYED = ['create_pipeline_tables', 'player_prop_predictions_latest', 'graded_predictions', 'prediction_accuracy_deduped', 'grading_runs', 'grading_runs_not_a_table'];
/** The selections of the runs: grade, consolidate, the cleanup's recompute, and a run of everything daily. */
const RUN_SELECTIONS: Record<string, string[]> = { grade: ['grading', 'reporting'], consolidate: ['consolidation'], recompute: ['reporting'], daily: ['daily'] };
const FENCED_WRITES = ['consolidate_player_prop_predictions', 'prediction_accuracy', 'system_daily_performance', 'performance_summary'];
const OWNED_TABLES = ['player_prop_predictions', 'prediction_accuracy', 'system_daily_performance', 'performance_summary', 'grading_write_fence', 'grading_run_events', 'grading_duplicate_audit'];

let graph: CompiledGraph;

beforeAll(async () => {
  const result = await compileProject({ game_date: '2026-01-17' });
  expect(result.exitCode, result.stderr).toBe(0);
  graph = result.graph;
}, 240_000); // a CLI compile (unless cached) while other files compile too: minutes on a busy machine

describe('compiled graph', () => {
  it('compiles offline without graph errors', () => {
    expect(graph.graphErrors).toEqual({});
  });

  it('has exactly the expected actions, by kind', () => {
    const kinds = Object.fromEntries([...actionsByName(graph)].map(([name, action]) => [name, action.kind]));
    const expected: Record<string, string> = {
      player_prop_predictions: 'declaration',
      player_prop_predictions_staging: 'declaration',
      player_game_summary: 'declaration',
      player_prop_predictions_latest: 'table',
      graded_predictions: 'table',
      prediction_accuracy_deduped: 'table',
      consolidate_player_prop_predictions: 'operation',
      create_pipeline_tables: 'operation',
      grading_write_fence: 'declaration',
      prediction_accuracy: 'operation',
      system_daily_performance: 'operation',
      performance_summary: 'operation',
      grading_runs: 'table',
      grading_runs_not_a_table: 'operation',
      grading_run_events: 'declaration',
      grading_run_started: 'operation',
      grading_run_finished: 'operation',
      grading_duplicate_audit: 'declaration',
    };
    for (const keyed of KEYED_TABLES) {
      expected[`record_duplicates_${keyed}`] = 'operation';
      expected[`assert_${keyed}_unique_key`] = 'assertion';
      expected[`assert_${keyed}_row_conditions`] = 'assertion';
    }
    expect(kinds).toEqual(expected);
  });

  it('builds the two deduplicating relations as views', () => {
    expect(table(graph, 'player_prop_predictions_latest').type).toBe('view');
    expect(table(graph, 'prediction_accuracy_deduped').type).toBe('view');
    expect(table(graph, 'graded_predictions').type).toBe('view');
    expect(table(graph, 'grading_runs').type).toBe('view');
  });

  it('declares an output for every owned table written by an operation', () => {
    for (const name of ['prediction_accuracy', 'system_daily_performance', 'performance_summary']) {
      expect(operation(graph, name).hasOutput, name).toBe(true);
    }
  });
});

describe('tags', () => {
  const tagsOf = (name: string) => [...(actionsByName(graph).get(name)?.tags ?? [])].sort();

  it('uses exactly the five run tags and deploy', () => {
    const used = new Set([...actionsByName(graph).values()].flatMap((action) => action.tags ?? []));
    expect([...used].sort()).toEqual([...ALL_TAGS].sort());
  });

  it('tags every action (but sources and the deployed objects) daily', () => {
    for (const [name, action] of actionsByName(graph)) {
      if (action.kind === 'declaration' || DEPLOYED.includes(name)) continue;
      expect(action.tags ?? [], name).toContain('daily');
    }
  });

  it('tags each area', () => {
    expect(tagsOf('prediction_accuracy')).toEqual(['daily', 'grading']);
    expect(tagsOf('system_daily_performance')).toEqual(['daily', 'reporting']);
    expect(tagsOf('performance_summary')).toEqual(['daily', 'reporting']);
    expect(tagsOf('consolidate_player_prop_predictions')).toEqual(['consolidation', 'daily']);
  });

  it('deploys only what no var changes: the deployed SQL is the same for any run', async () => {
    const other = await compileProject({ date_tokens: '2025-03-01:7+2025-03-09:12', run_id: 'other-run', operation: 'consolidation' });
    expect(other.exitCode, other.stderr).toBe(0);
    const sql = (g: CompiledGraph, name: string) => {
      const action = actionsByName(g).get(name) as { query?: string; queries?: string[] };
      return action.query ?? action.queries?.join('\n');
    };
    for (const name of DEPLOYED) expect(sql(other.graph, name), name).toBe(sql(graph, name));
  }, 60_000);

  it('tags the var-independent tables and views deploy only, so no run selects them', () => {
    const deployTagged = [...actionsByName(graph)].filter(([, action]) => action.tags?.includes('deploy')).map(([name]) => name);
    expect(deployTagged.sort()).toEqual([...DEPLOYED].sort());
    for (const name of DEPLOYED) expect(tagsOf(name), name).toEqual(['deploy']);
  });

  it('puts run bookkeeping in every run, whatever tag it selects', () => {
    for (const name of ['grading_run_started', 'grading_run_finished']) {
      expect(tagsOf(name), name).toEqual([...RUN_TAGS].sort());
    }
  });

  it('tags duplicate recording audit, and each assertion like the table it checks', () => {
    for (const keyed of KEYED_TABLES) {
      expect(tagsOf(`record_duplicates_${keyed}`), keyed).toContain('audit');
      const checkedTags = tagsOf(`record_duplicates_${keyed}`).filter((tag) => tag !== 'audit' || keyed === 'grading_runs');
      expect(tagsOf(`assert_${keyed}_unique_key`), keyed).toEqual(checkedTags);
    }
    expect(tagsOf('assert_prediction_accuracy_unique_key')).toEqual(['daily', 'grading']);
    expect(tagsOf('assert_prediction_accuracy_deduped_unique_key')).toEqual(['daily', 'grading']);
  });
});

describe('dependencies', () => {
  const depsOf = (name: string) => dependencyNames(actionsByName(graph).get(name) ?? {});

  it('grades from the latest predictions and the actuals', () => {
    expect(depsOf('graded_predictions').sort()).toEqual(['player_game_summary', 'player_prop_predictions_latest']);
    expect(depsOf('player_prop_predictions_latest').sort()).toEqual(['create_pipeline_tables', 'player_prop_predictions']);
    expect(depsOf('consolidate_player_prop_predictions')).toEqual(expect.arrayContaining(['player_prop_predictions_staging', 'player_prop_predictions', 'grading_write_fence', 'create_pipeline_tables']));
  });

  it('writes prediction_accuracy from the grading view, behind the fence, after the run is opened', () => {
    expect(depsOf('prediction_accuracy').sort()).toEqual(['consolidate_player_prop_predictions', 'create_pipeline_tables', 'graded_predictions', 'grading_run_started', 'grading_write_fence']);
    expect(depsOf('prediction_accuracy_deduped').sort()).toEqual(['create_pipeline_tables', 'prediction_accuracy']);
  });

  it('computes the aggregates only from the deduplicated view', () => {
    expect(depsOf('system_daily_performance').sort()).toEqual(['create_pipeline_tables', 'grading_run_started', 'grading_write_fence', 'prediction_accuracy', 'prediction_accuracy_deduped']);
    expect(depsOf('performance_summary').sort()).toEqual(['create_pipeline_tables', 'grading_run_started', 'grading_write_fence', 'prediction_accuracy_deduped', 'system_daily_performance']);
  });

  /**
   * What runs before `name` in a run selecting `tags`: Dataform keeps only the dependencies on selected actions and
   * does not follow a dependency through an action the run leaves out (the deployed views), so neither does this.
   */
  const upstreamInRun = (tags: readonly string[] | undefined, name: string, seen = new Set<string>()): Set<string> => {
    const selected = (dependency: string) => !tags || (actionsByName(graph).get(dependency)?.tags ?? []).some((tag) => tags.includes(tag));
    for (const dependency of depsOf(name).filter(selected)) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        upstreamInRun(tags, dependency, seen);
      }
    }
    return seen;
  };

  it('orders every pair of fenced writes within every run, so a run never has two transactions on the fence at once', () => {
    // Fenced writes of one date UPDATE the same fence partition: concurrent ones abort each other at commit.
    for (const [run, tags] of Object.entries(RUN_SELECTIONS)) {
      const writes = FENCED_WRITES.filter((name) => (actionsByName(graph).get(name)?.tags ?? []).some((tag) => tags.includes(tag)));
      for (const first of writes) {
        for (const second of writes) {
          if (first >= second) continue;
          const ordered = upstreamInRun(tags, first).has(second) || upstreamInRun(tags, second).has(first);
          expect(ordered, `${run}: ${first} / ${second}`).toBe(true);
        }
      }
    }
  });

  it('loses no ordering by leaving the deployed views out of a run: what ran before an action through them still does', () => {
    for (const [run, tags] of Object.entries(RUN_SELECTIONS)) {
      const inRun = [...actionsByName(graph)].filter(([, action]) => (action.tags ?? []).some((tag) => tags.includes(tag))).map(([name]) => name);
      for (const name of inRun) {
        const wanted = [...upstreamInRun(undefined, name)].filter((dependency) => inRun.includes(dependency));
        expect([...upstreamInRun(tags, name)].sort(), `${run}: ${name}`).toEqual(expect.arrayContaining(wanted));
      }
    }
  });

  it('records duplicates of a table before its uniqueness assertion runs', () => {
    for (const keyed of KEYED_TABLES) {
      expect(depsOf(`record_duplicates_${keyed}`), keyed).toEqual(expect.arrayContaining([keyed, 'grading_duplicate_audit', 'create_pipeline_tables']));
      expect(depsOf(`assert_${keyed}_unique_key`), keyed).toContain(`record_duplicates_${keyed}`);
      expect(depsOf(`assert_${keyed}_row_conditions`), keyed).toContain(keyed);
    }
  });

  it('checks the consolidated source only after the consolidation wrote it', () => {
    expect(depsOf('record_duplicates_player_prop_predictions')).toContain('consolidate_player_prop_predictions');
    expect(depsOf('assert_player_prop_predictions_row_conditions')).toContain('consolidate_player_prop_predictions');
  });

  it('creates every owned table before anything writes it', () => {
    for (const name of [...FENCED_WRITES, 'grading_run_started', 'grading_runs']) expect(depsOf(name), name).toContain('create_pipeline_tables');
    // The grading_runs view only ever replaces the pre-events table after the deploy's guard found none.
    expect(depsOf('grading_runs')).toContain('grading_runs_not_a_table');
    // create_pipeline_tables uses resolve(), not ref(): it must not depend on the writers it precedes.
    expect(depsOf('create_pipeline_tables')).toEqual([]);
  });

  it('closes the run after every write and every duplicate recording', () => {
    const recordings = KEYED_TABLES.filter((keyed) => keyed !== 'grading_runs').map((keyed) => `record_duplicates_${keyed}`);
    expect(depsOf('grading_run_finished')).toEqual(expect.arrayContaining(['grading_run_started', ...FENCED_WRITES, ...recordings]));
  });
});

describe('documentation', () => {
  const documentedColumns = (name: string) => (actionsByName(graph).get(name)?.actionDescriptor?.columns ?? []).map((column) => column.path.join('.'));

  it('describes every action', () => {
    for (const [name, action] of actionsByName(graph)) {
      expect(action.actionDescriptor?.description ?? '', name).not.toBe('');
    }
  });

  it('documents every column of every table, view and source', () => {
    const withColumns = [...actionsByName(graph)].filter(
      ([, action]) => action.kind === 'table' || action.kind === 'declaration' || (action.kind === 'operation' && (action as { hasOutput?: boolean }).hasOutput),
    );
    expect(withColumns.length).toBe(13);
    for (const [name, action] of withColumns) {
      const columns = action.actionDescriptor?.columns ?? [];
      expect(columns.length, name).toBeGreaterThan(3);
      for (const column of columns) expect(column.description ?? '', `${name}.${column.path.join('.')}`).not.toBe('');
    }
  });

  it('documents exactly the columns the DDL creates', () => {
    for (const name of OWNED_TABLES) {
      const ddl = /CREATE TABLE IF NOT EXISTS `[^`]+` \(\n([\s\S]*?)\n\)/.exec(tableDdl(graph, name));
      expect(ddl, name).not.toBeNull();
      const created = (ddl?.[1] ?? '').split(',\n').map((line) => line.trim().split(/\s+/)[0]);
      expect(created, name).toEqual(documentedColumns(name));
    }
  });

  it('documents every business key column (imported from includes/business_keys.js) on its table', () => {
    for (const keyed of KEYED_TABLES) {
      const key = businessKeys.tables[keyed];
      const columns = documentedColumns(keyed);
      for (const column of [...(key.dateColumn ? [key.dateColumn] : []), ...key.keyColumns, key.writtenAtColumn]) {
        expect(columns, `${keyed}.${column}`).toContain(column);
      }
    }
  });
});

describe('dataform test unit tests', () => {
  it('defines the grading rule tests and the dedup tests', () => {
    const names = (graph.tests ?? []).map((test) => test.name).sort();
    expect(names).toEqual([
      'deduped_highest_lock_token',
      'grade_latest_actual',
      'grade_no_actual',
      'grade_no_line',
      'grade_over_correct',
      'grade_pass',
      'grade_push',
      'grade_under_correct',
      'grade_under_incorrect',
      'latest_prediction_version',
    ]);
  });

  it('runs the real grading view over literal inputs (no table reads)', () => {
    for (const test of (graph.tests ?? []).filter((candidate) => candidate.name.startsWith('grade_'))) {
      expect(test.testQuery, test.name).toContain("WHEN line_value IS NULL THEN 'no_line'");
      expect(test.testQuery, test.name).not.toMatch(/`[^`]*\.(player_game_summary|player_prop_predictions_latest)`/);
      expect(test.expectedOutputQuery, test.name).toMatch(/AS outcome/);
    }
  });

  it('expects the hand-computed outcome of each rule', () => {
    const expectedOutcome: Record<string, string> = {
      grade_over_correct: "'correct' AS outcome, TRUE AS prediction_correct",
      grade_under_incorrect: "'incorrect' AS outcome, FALSE AS prediction_correct",
      grade_under_correct: "'correct' AS outcome, TRUE AS prediction_correct",
      grade_push: "'push' AS outcome, CAST(NULL AS BOOL) AS prediction_correct",
      grade_pass: "'pass' AS outcome, CAST(NULL AS BOOL) AS prediction_correct",
      grade_no_line: "'no_line' AS outcome, CAST(NULL AS BOOL) AS prediction_correct",
      grade_no_actual: "'no_actual' AS outcome, CAST(NULL AS BOOL) AS prediction_correct",
      grade_latest_actual: 'CAST(30 AS INT64) AS actual_points',
    };
    for (const [name, fragment] of Object.entries(expectedOutcome)) {
      const test = graph.tests?.find((candidate) => candidate.name === name);
      expect(test?.expectedOutputQuery, name).toContain(fragment);
    }
  });
});

describe('assertion shapes', () => {
  it('checks uniqueness by grouping on the business key from includes/business_keys.js', () => {
    for (const keyed of KEYED_TABLES) {
      const key = businessKeys.tables[keyed];
      const columns = [...(key.dateColumn ? [key.dateColumn] : []), ...key.keyColumns].join(', ');
      const query = assertion(graph, `assert_${keyed}_unique_key`).query;
      expect(query, keyed).toContain(`GROUP BY ${columns}\nHAVING COUNT(*) > 1`);
    }
  });

  it('checks the row conditions the issue requires', () => {
    const accuracy = assertion(graph, 'assert_prediction_accuracy_row_conditions').query;
    for (const condition of [
      'confidence_score BETWEEN 0 AND 1',
      'line_value IS NULL OR line_value >= 0',
      "recommendation IN ('OVER', 'UNDER', 'PASS')",
      'actual_points IS NULL OR actual_points >= 0',
      'game_id IS NOT NULL',
      'player_lookup IS NOT NULL',
      'system_id IS NOT NULL',
    ]) {
      expect(accuracy).toContain(`WHEN NOT COALESCE(${condition}, FALSE)`);
    }
    expect(assertion(graph, 'assert_player_game_summary_row_conditions').query).toContain('points IS NULL OR points >= 0');
    // The NULL-able line is part of the key but must not be asserted non-NULL.
    expect(accuracy).not.toContain('line_value IS NOT NULL');
  });
});
