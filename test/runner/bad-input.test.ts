/**
 * Bad input to the real `grade` / `consolidate` processes: a clear message, exit 2, and provably nothing touched: both
 * emulator addresses point at a tripwire that counts connections, and none may come (no emulator needed: the input
 * must be refused before any dependency is contacted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTripwire, type Tripwire } from '../helpers/tripwire.ts';
import { runCommandProcess } from './stack.ts';

let tripwire: Tripwire;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  tripwire = await startTripwire();
  env = {
    ...process.env,
    BIGQUERY_EMULATOR_HOST: tripwire.url,
    FIRESTORE_EMULATOR_HOST: tripwire.host,
    GOOGLE_CLOUD_PROJECT: 'bad-input-test',
    METADATA_SERVER_DETECTION: 'none',
    GRADEGUARD_LOG_LEVEL: 'INFO',
  };
  delete env.GRADING_USE_LOCK;
  delete env.GRADEGUARD_CIRCUIT_COOL_DOWN;
});
afterAll(async () => tripwire?.stop());

const CASES: Array<[string, 'grade' | 'consolidate', string[], RegExp]> = [
  ['not a date', 'grade', ['--date', '2026-1-17'], /not a date \(expected YYYY-MM-DD\)/],
  ['impossible date', 'grade', ['--date', '2026-02-30'], /not a real calendar date/],
  ['range over the limit', 'grade', ['--from', '2024-01-01', '--to', '2025-03-01'], /more than 400 days/],
  ['--from after --to', 'grade', ['--from', '2026-01-20', '--to', '2026-01-10'], /--from 2026-01-20 is after --to 2026-01-10/],
  ['unknown flag', 'grade', ['--date', '2026-01-17', '--force'], /Unknown option '--force'/],
  ['SQL in a date', 'grade', ['--date', "2026-01-17' OR '1'='1"], /not a date/],
  ['SQL in a date list', 'consolidate', ['--dates', '2026-01-17,2026-01-18; DROP TABLE nba_predictions.prediction_accuracy'], /not a date/],
  ['SQL in --if-locked', 'grade', ['--date', '2026-01-17', '--if-locked', "skip'; --"], /Invalid --if-locked/],
  ['SQL in --parallel', 'grade', ['--date', '2026-01-17', '--parallel', '4 OR 1=1'], /Invalid --parallel/],
  ['bad --target', 'grade', ['--date', '2026-01-17', '--target', 'prod`; DROP'], /Invalid --target/],
  ['bad duration', 'consolidate', ['--date', '2026-01-17', '--lock-timeout', 'forever'], /Invalid --lock-timeout/],
  [
    'duration without a unit',
    'grade',
    ['--date', '2026-01-17', '--lock-timeout', '30'],
    /Invalid --lock-timeout "30": expected a duration with a unit: 500ms, 30s, 10m or 1h; a unit is required \(did you mean 30s\?\)/,
  ],
  ['lease too short to renew', 'grade', ['--date', '2026-01-17', '--lease', '500ms'], /Invalid --lease "500ms": must be at least 3s \(the lease is renewed every third/],
  ['lease beyond the monitor threshold', 'grade', ['--date', '2026-01-17', '--lease', '1h'], /Invalid --lease "1h": must be at most 10m/],
  ['negative duration', 'consolidate', ['--date', '2026-01-17', '--dataform-timeout', '-5m'], /Invalid --dataform-timeout "-5m": expected a duration with a unit/],
  ['negative number', 'grade', ['--date', '2026-01-17', '--parallel', '-2'], /Invalid --parallel "-2": expected an integer from 1 to 8/],
  ['--max-days 0', 'grade', ['--date', '2026-01-17', '--max-days', '0'], /Invalid --max-days "0"/],
  ['no dates', 'grade', [], /Give exactly one of/],
  ['two selections', 'grade', ['--date', '2026-01-17', '--yesterday'], /Give exactly one of/],
  ['stray argument', 'grade', ['--date', '2026-01-17', 'extra'], /Unexpected argument 'extra'/],
  ['bad --on-lock-error', 'grade', ['--date', '2026-01-17', '--on-lock-error', 'ignore'], /Invalid --on-lock-error/],
  // The env exports both emulator variables: a production target must refuse them, not follow them.
  ['--target bigquery with emulator variables', 'grade', ['--date', '2026-01-17', '--target', 'bigquery'], /--target bigquery refuses to run with BIGQUERY_EMULATOR_HOST=/],
];

describe('bad input', () => {
  it('every case: exit 2 with a clear message, nothing written, no lock taken', async () => {
    const results: Array<Awaited<ReturnType<typeof runCommandProcess>>> = [];
    // A few at a time: each is a Node process with tsx.
    for (let i = 0; i < CASES.length; i += 5) {
      results.push(...(await Promise.all(CASES.slice(i, i + 5).map(([, command, args]) => runCommandProcess(command, args, env)))));
    }
    const badEnv = await runCommandProcess('grade', ['--date', '2026-01-17'], { ...env, GRADING_USE_LOCK: 'maybe' });
    CASES.forEach(([name, , , message], i) => {
      expect({ name, code: results[i].code }).toEqual({ name, code: 2 });
      expect(results[i].stderr, name).toMatch(message);
      expect(results[i].stdout, name).toBe('');
    });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/Invalid GRADING_USE_LOCK "maybe"/);

    expect(tripwire.connections(), 'a command connected to an emulator before refusing its input').toBe(0);

    // The control: the same command with good input does reach for BigQuery, and the tripwire sees it.
    const good = await runCommandProcess('grade', ['--date', '2026-01-17'], env);
    expect(good.code, good.stderr).toBe(1);
    expect(tripwire.connections()).toBeGreaterThan(0);
  }, 240_000);

  it('--help documents the exit codes and exits 0', async () => {
    const help = await runCommandProcess('grade', ['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/4 {2}a lock was not acquired/);
    expect(help.stdout).toMatch(/--if-locked wait\|skip\|fail/);
    expect(help.stdout).toMatch(/--max-days N +refuse a selection of more than N dates \(default 400/);
  }, 60_000);
});
