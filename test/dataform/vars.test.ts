// The vars contract: no dates is a compile error saying how to run, overrides flowing into every write and check, and bad values failing the compile.
import { beforeAll, describe, expect, it } from 'vitest';
import { assertion, compileProject, operation, type CompileResult } from './compiled-graph.ts';
import runVarsModule from '../../includes/run_vars.js';

const OVERRIDE = { game_date: '2026-01-17', lookback_days: '2', lock_token: '42', run_id: 'run-2026-01-17.a', operation: 'grade' };
const RUN_DATES = "DATE('2026-01-15'), DATE('2026-01-16'), DATE('2026-01-17')";

// The vars are checked together and the error lists each invalid one. One compile shows an invalid var fails the
// compile (so `dataform run` runs nothing); every other rule is the same function (includes/run_vars.js), called here
// directly: a compile costs about 2.5 CPU-s, and this unit file's compiles were its whole duration.
const COMPILED_INVALID = 'impossible date, negative token, quote in run_id, lookback beyond the limit, empty operation';
const INVALID: Record<string, Record<string, string>> = {
  'impossible date, negative token, quote in run_id, lookback beyond the limit, empty operation': {
    game_date: '2026-02-30',
    lock_token: '-1',
    run_id: "r'1",
    lookback_days: '367',
    operation: '',
  },
  'SQL in the date, token beyond INT64': { game_date: "2026-01-17') OR TRUE --", lock_token: '9999999999999999999' },
};

/** A run holding one lease per date (the cleanup's recompute): each date fenced by its own token, listed out of order. */
const DATE_TOKENS = { date_tokens: '2026-01-17:42+2026-01-15:7', run_id: 'recompute-1', operation: 'cleanup' };
const DATE_TOKEN_CASE = (column: string) => `CASE ${column} WHEN DATE('2026-01-15') THEN 7 WHEN DATE('2026-01-17') THEN 42 END`;
const INVALID_DATE_TOKENS: Record<string, Record<string, string>> = {
  'a date listed twice': { date_tokens: '2026-01-15:7+2026-01-15:8' },
  'a pair without a token': { date_tokens: '2026-01-15' },
  'a token that is not a count': { date_tokens: '2026-01-15:-1' },
};
/** date_tokens together with the vars it replaces: one token per date cannot also be one token for the run. */
const DATE_TOKENS_WITH_LOCK_TOKEN = { date_tokens: '2026-01-15:7', lock_token: '3' };

let defaults: CompileResult;
let overridden: CompileResult;
let dateTokens: CompileResult;
let dateTokensWithLockToken: CompileResult;
let compiledInvalid: CompileResult;

beforeAll(async () => {
  [defaults, overridden, dateTokens, dateTokensWithLockToken, compiledInvalid] = await Promise.all([
    compileProject(),
    compileProject(OVERRIDE),
    compileProject(DATE_TOKENS),
    compileProject(DATE_TOKENS_WITH_LOCK_TOKEN),
    compileProject(INVALID[COMPILED_INVALID]),
  ]);
}, 240_000); // Five CLI compiles on a busy machine (none when .local/tmp/compile-cache has them).

/** includes/run_vars.js's verdict on `vars`, as a compile with `--vars` would reach it: its error message, or undefined. */
function runVarsError(vars: Record<string, string>): string | undefined {
  const scope = globalThis as { dataform?: unknown };
  scope.dataform = { projectConfig: { vars } };
  try {
    runVarsModule.runVars();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    delete scope.dataform;
  }
}

describe('config and defaults', () => {
  it('keeps the legacy dataform.json settings', () => {
    const config = defaults.graph.projectConfig;
    expect(config.warehouse).toBe('bigquery');
    expect(config.defaultSchema).toBe('nba_predictions');
    expect(config.assertionSchema).toBe('nba_predictions_assertions');
    expect(config.defaultLocation).toBe('US');
    expect(config.defaultDatabase).toBe('gradeguard-local');
  });

  it('has no default date: no lock, a manual run, and no game_date', () => {
    expect(defaults.graph.projectConfig.vars).toEqual({ lookback_days: '0', run_id: 'manual', lock_token: '0', operation: 'manual' });
  });

  it('fails a compile without game_date or date_tokens, saying how to run it (a plain `dataform run` grades nothing)', () => {
    expect(defaults.exitCode).toBe(1);
    const messages = (defaults.graph.graphErrors.compilationErrors ?? []).map((error) => error.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).toContain('No run dates');
      expect(message).toContain('npm run grade -- --date YYYY-MM-DD');
      expect(message).toContain('--executor dataform-api');
      expect(message).toContain('--vars=game_date=YYYY-MM-DD');
    }
    // Nothing that writes compiled: only the views and the vars-free set-up survive.
    expect((defaults.graph.operations ?? []).map((op) => op.target.name)).not.toContain('prediction_accuracy');
  });
});

describe('overrides flow into the SQL', () => {
  it('merges --vars over the config', () => {
    expect(overridden.exitCode, overridden.stderr).toBe(0);
    expect(overridden.graph.projectConfig.vars).toEqual(OVERRIDE);
  });

  it('replaces game_date - lookback_days .. game_date in the grading transaction, with the run token', () => {
    const write = operation(overridden.graph, 'prediction_accuracy').queries[1];
    expect(write).toContain(`DELETE FROM \`gradeguard-local.nba_predictions.prediction_accuracy\`\n  WHERE game_date IN (${RUN_DATES});`);
    expect(write).toContain(`WHERE game_date IN (${RUN_DATES})\n  ) AS replacement;`);
    expect(write).toContain(`WHERE table_name = 'prediction_accuracy' AND game_date IN (${RUN_DATES})\n      AND max_lock_token > 42\n  );\n  IF committed_token IS NOT NULL THEN`);
    expect(write).toContain("SET max_lock_token = 42, run_id = 'run-2026-01-17.a'");
    expect(write).toContain("'run-2026-01-17.a' AS run_id,\n      42 AS lock_token");
    expect(write).toContain('prediction_accuracy 2026-01-15..2026-01-17: lock_token 42 is lower than committed token ');
  });

  it('seeds the fence for each run date', () => {
    const seed = operation(overridden.graph, 'prediction_accuracy').queries[0];
    expect(seed).toMatch(/SELECT DATE\('2026-01-15'\) AS game_date\s+UNION ALL SELECT DATE\('2026-01-16'\) AS game_date\s+UNION ALL SELECT DATE\('2026-01-17'\) AS game_date/);
  });

  it('leaves no default date anywhere', () => {
    const everything = JSON.stringify(overridden.graph.operations) + JSON.stringify(overridden.graph.assertions);
    expect(everything).not.toContain('1970-01-01');
  });

  it('scopes the checks to the run dates', () => {
    expect(assertion(overridden.graph, 'assert_prediction_accuracy_unique_key').query).toContain(`WHERE game_date IN (${RUN_DATES})`);
    expect(assertion(overridden.graph, 'assert_performance_summary_unique_key').query).toContain(`WHERE summary_date IN (${RUN_DATES})`);
    expect(operation(overridden.graph, 'record_duplicates_prediction_accuracy').queries[0]).toContain("'run-2026-01-17.a',\n  game_date,");
  });

  it('computes the summary windows of each run date (7d, 30d, season from October 1)', () => {
    const write = operation(overridden.graph, 'performance_summary').queries[1];
    expect(write).toContain("SELECT DATE('2026-01-17') AS summary_date, '7d' AS window_name, DATE('2026-01-11') AS window_start");
    expect(write).toContain("SELECT DATE('2026-01-17') AS summary_date, '30d' AS window_name, DATE('2025-12-19') AS window_start");
    expect(write).toContain("SELECT DATE('2026-01-17') AS summary_date, 'season' AS window_name, DATE('2025-10-01') AS window_start");
    expect(write).toContain("SELECT DATE('2026-01-15') AS summary_date, '7d' AS window_name, DATE('2026-01-09') AS window_start");
    expect(write).toContain("WHERE accuracy.game_date BETWEEN DATE('2025-10-01') AND DATE('2026-01-17')");
  });

  it('records the run with its dates, token and operation', () => {
    const open = operation(overridden.graph, 'grading_run_started').queries[0];
    expect(open).toContain(`'run-2026-01-17.a' AS run_id,\n  'grade' AS operation,\n  [${RUN_DATES}] AS game_dates,\n  42 AS lock_token,`);
  });
});

describe('date_tokens: one run, each date fenced by its own token', () => {
  it('runs exactly the listed dates, in date order', () => {
    expect(dateTokens.exitCode, dateTokens.stderr).toBe(0);
    const write = operation(dateTokens.graph, 'system_daily_performance').queries[1];
    expect(write).toContain("WHERE game_date IN (DATE('2026-01-15'), DATE('2026-01-17'))");
    expect(write).not.toContain("DATE('2026-01-16')");
  });

  it("checks, writes and moves the fence per date with that date's token (not the highest token for every date)", () => {
    for (const [table, dateColumn] of [
      ['prediction_accuracy', 'game_date'],
      ['system_daily_performance', 'game_date'],
      ['performance_summary', 'summary_windows.summary_date'],
    ]) {
      const write = operation(dateTokens.graph, table).queries[1];
      expect(write, table).toContain(`AND max_lock_token > ${DATE_TOKEN_CASE('game_date')}\n  );`);
      expect(write, table).toContain(`SET max_lock_token = ${DATE_TOKEN_CASE('game_date')}, run_id = 'recompute-1'`);
      expect(write, table).toContain(`${DATE_TOKEN_CASE(dateColumn)} AS lock_token`);
      expect(write, table).toContain(`${table} 2026-01-15..2026-01-17: a lock_token of date_tokens 2026-01-15:7+2026-01-17:42 is lower than committed token `);
    }
  });

  it('records the highest token in grading_runs', () => {
    const open = operation(dateTokens.graph, 'grading_run_started').queries[0];
    expect(open).toContain("[DATE('2026-01-15'), DATE('2026-01-17')] AS game_dates,\n  42 AS lock_token,");
  });

  it('refuses date_tokens together with lock_token', () => {
    expect(dateTokensWithLockToken.exitCode).toBe(1);
    const messages = (dateTokensWithLockToken.graph.graphErrors.compilationErrors ?? []).map((error) => error.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toContain('Invalid var date_tokens: it replaces game_date, lookback_days and lock_token');
  });
});

describe('views do not depend on vars', () => {
  it('compiles every view to the same SQL whatever the vars', () => {
    // The views are deployed once and read by every run: their SQL must not depend on any run's vars.
    const views = (result: CompileResult) => Object.fromEntries((result.graph.tables ?? []).map((view) => [view.target.name, view.query]));
    expect(Object.keys(views(overridden))).toHaveLength(4);
    expect(views(dateTokens)).toEqual(views(overridden));
  });
});

describe('invalid vars fail the compile (so `dataform run` runs nothing)', () => {
  it(`a compile with invalid vars fails, naming each (${COMPILED_INVALID})`, () => {
    expect(compiledInvalid.exitCode).toBe(1);
    const messages = (compiledInvalid.graph.graphErrors.compilationErrors ?? []).map((error) => error.message);
    expect(messages.length).toBeGreaterThan(0);
    // The compile reports what run_vars.js says, in every file that reads the vars.
    const said = runVarsError(INVALID[COMPILED_INVALID]);
    for (const message of messages) expect(message).toContain(said);
    for (const varName of Object.keys(INVALID[COMPILED_INVALID])) expect(said).toContain(`Invalid var ${varName}=`);
  });

  for (const [name, vars] of Object.entries({ ...INVALID, ...INVALID_DATE_TOKENS })) {
    it(`rejects ${name}`, () => {
      const said = runVarsError(vars);
      expect(said, name).toBeDefined();
      for (const varName of Object.keys(vars)) expect(said, name).toContain(`Invalid var ${varName}=`);
    });
  }

  it('accepts the vars the valid compiles use (the rules do not reject everything)', () => {
    for (const vars of [OVERRIDE, DATE_TOKENS]) expect(runVarsError(vars)).toBeUndefined();
  });
});
