/**
 * The shared flag rules in real processes of every command: durations need a unit and respect the bounds that
 * protect live locks, negative numbers reach the flag's own validator. Bad input exits 2 before anything is touched:
 * the emulator addresses point at a closed port, so a command that tried to connect would fail differently.
 */
import { expect, test } from 'vitest';
import { runScript, type ScriptResult } from '../locks-cli/cli.ts';

const nowhere = { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9', FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'local-project', SLACK_WEBHOOK_URL: '' };

const CASES: Array<[string, string[], RegExp]> = [
  ['scripts/locks.ts', ['stuck', '--older-than', '10'], /Invalid --older-than "10": expected a duration with a unit: 500ms, 30s, 10m or 1h; a unit is required \(did you mean 10s\?\)/],
  ['scripts/locks.ts', ['stuck', '--older-than', '-5m'], /Invalid --older-than "-5m": expected a duration with a unit/],
  ['scripts/remediate.ts', ['--date', '2026-01-17', '--lock-wait', '5'], /Invalid --lock-wait "5": expected a duration with a unit.*did you mean 5s\?/],
  ['scripts/remediate.ts', ['--date', '2026-01-17', '--max-duplicates', '-3'], /Invalid --max-duplicates "-3": expected an integer from 1/],
  ['scripts/cleanup.ts', ['plan', '--table', 'prediction_accuracy', '--wait', '30'], /Invalid --wait "30": expected a duration with a unit/],
  ['scripts/cleanup.ts', ['run', '--table', 'prediction_accuracy', '--confirm', '--lease', '1s'], /Invalid --lease "1s": must be at least 3s/],
  ['scripts/monitor.ts', ['--watch', '--interval', '1.5s'], /Invalid --interval "1.5s": expected a duration with a unit/],
  ['scripts/monitor.ts', ['--watch', '--interval', '500ms'], /Invalid --interval "500ms": must be at least 1s/],
  ['scripts/check.ts', ['--days', '-1'], /Invalid --days "-1": expected an integer from 1 to 90/],
  ['scripts/check.ts', ['--days=-7'], /Invalid --days "-7": expected an integer from 1 to 90/],
  ['scripts/cleanup.ts', ['status', '--table', 'nope_table'], /No such table "nope_table" for cleanup: expected a table with a business key \(.*prediction_accuracy/],
  ['scripts/cleanup.ts', ['run', '--table', 'prediction_accuracy', '--confirm', '--executor', 'nope'], /Invalid --executor "nope": expected one of cli, dataform-api/],
  ['scripts/cleanup.ts', ['resume', '--table', 'prediction_accuracy', '--confirm', '--dataform-commitish', 'main'], /--dataform-commitish and --dataform-release-config need --executor dataform-api/],
];

test('durations without a unit, out of bounds, and negative numbers: exit 2 with the flag named, nothing touched', async () => {
  const results: ScriptResult[] = [];
  for (let i = 0; i < CASES.length; i += 5) results.push(...(await Promise.all(CASES.slice(i, i + 5).map(([script, args]) => runScript(script, args, nowhere)))));
  CASES.forEach(([script, args, message], i) => {
    const name = `${script} ${args.join(' ')}`;
    expect({ name, code: results[i].code }).toEqual({ name, code: 2 });
    expect(results[i].stderr, name).toMatch(message);
    expect(results[i].stderr, name).not.toContain('argument is ambiguous');
    expect(results[i].stdout, name).toBe('');
  });
}, 180_000);
