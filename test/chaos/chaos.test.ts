/**
 * The short, fixed-seed chaos suite (the long one is `npm run chaos`): real processes, real emulators, real faults.
 * With the safety on, no round may leave a violation; with the seed's unsafe write path, the same checks must find
 * duplicates in every round where both unsafe writers ran — otherwise a clean safe run would prove nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { nodeCommand } from '../helpers/processes.ts';
import type { ChaosReport } from '../../tools/chaos/rounds.ts';

function chaos(args: string[]): { code: number | null; report: ChaosReport; stderr: string } {
  const dir = mkdtempSync(join(repoRoot, '.local', 'chaos-test-'));
  const [node, argv] = nodeCommand('scripts/chaos.ts', ['--json', '--dir', dir, ...args]);
  const r = spawnSync(node, argv, {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (!r.stdout.trim()) throw new Error(`chaos printed no report (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  return { code: r.status, report: JSON.parse(r.stdout) as ChaosReport, stderr: r.stderr };
}

describe('chaos suite (short, fixed seed)', () => {
  it('the safe path survives faults aimed at its lock, its dataform run and its transactions with zero violations', () => {
    const { code, report } = chaos(['--rounds', '1', '--seed', '7', '--every-fault']);
    // Every kind armed: a kill and a freeze timed from the processes' own moments, a Firestore outage past the lease,
    // the emulator killed mid-transaction. Each fault names the moment it struck at (or says it missed).
    const faults = report.rounds.flatMap((r) => r.faults);
    expect(
      faults.filter((f) => !f.startsWith('webhook')).every((f) => / at (lock_acquired|dataform_started|transaction_begun|committed|step_recorded)\b/.test(f)),
      faults.join('\n'),
    ).toBe(true);
    expect(
      Object.values(report.totals.faultsAt).reduce((a, b) => a + b, 0),
      faults.join('\n'),
    ).toBeGreaterThanOrEqual(2);
    expect(report.rounds.flatMap((r) => r.violations)).toEqual([]);
    expect(report.rounds.flatMap((r) => r.failuresWithoutRunRow)).toEqual([]);
    expect(report.rounds.every((r) => r.recovery.code === 0)).toBe(true);
    expect(code).toBe(0);
  }, 600_000);

  it("with the safety off (the seed's DELETE + INSERT path) every round where both writers ran finds duplicates", () => {
    // One round: unsafe writers are never faulted, so both run in every round, and one round that finds their
    // duplicates shows the checks can (a second round ran the same two writers again and proved nothing new).
    const { code, report } = chaos(['--rounds', '1', '--seed', '5', '--unsafe']);
    expect(report.unsafe).toBe(true);
    expect(report.totals.unsafeRoundsCounted).toBeGreaterThanOrEqual(1);
    expect(report.totals.unsafeRoundsWithViolations).toBe(report.totals.unsafeRoundsCounted);
    expect(report.rounds.flatMap((r) => r.violations).some((v) => v.kind === 'duplicate_key' && v.table === 'prediction_accuracy')).toBe(true);
    expect(code).toBe(0);
  }, 600_000);
});
