/**
 * The runner's progress as a user sees it in a real terminal (tmux, 100x24): more dates than the terminal has rows,
 * three at a time, with INFO and WARNING log lines in between. Each finished date appears once, no live-region row is
 * left in the scrollback, no INFO line lands in it, warnings and errors appear once each on their own lines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { runInTerminal } from '../helpers/terminal.ts';

const driver = join(repoRoot, 'test/progress/grade-progress-driver.ts');

describe('grade progress on a terminal', () => {
  it('shows every date once in its final state, no stale rows, no log lines inside the live region', async () => {
    const { lines, exitCode } = await runInTerminal([process.execPath, '--import', 'tsx', driver, '40'], { cwd: repoRoot, cols: 100, rows: 24 });
    expect(exitCode).toBe(0);
    const text = lines.join('\n');
    for (let i = 0; i < 40; i++) {
      const date = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
      const rows = lines.filter((l) => l.includes(date) && /[✔✖↷▸…·] \d{4}-/.test(l));
      expect(rows, `${date}:\n${text}`).toHaveLength(1);
      expect(rows[0]).toMatch(i === 11 ? /✖ \S+\s+failed/ : /✔ \S+\s+succeeded/);
    }
    // The live region (header, active rows, last event) is gone, and none of its frames was pushed into the scrollback.
    expect(text).not.toMatch(/running dataform|waiting for lock|checking circuit|validating|finished ·|last:/);
    expect(text).not.toContain(' INFO ');
    const warnings = lines.filter((l) => / WARNING {2}\[grade\] concurrent update aborted/.test(l));
    expect(warnings).toHaveLength([3, 10, 17, 24, 31, 38].length);
    for (const w of warnings) expect(w).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARNING /);
    expect(lines.filter((l) => / ERROR +\[grade\] run of 2026-01-12 failed/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toBe('summary: 40 dates');
  }, 120_000);
});

describe('grade progress off a terminal', () => {
  it('is one JSON log line per event, as before', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', driver, '5'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const entries = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const e of entries) expect(e).toMatchObject({ severity: expect.any(String), message: expect.any(String), component: 'grade' });
    expect(entries.filter((e) => e.event === 'progress' && e.phase === 'done').map((e) => e.game_date)).toHaveLength(5);
    expect(entries.find((e) => e.message === 'date_waiting_for_lock')).toMatchObject({ game_date: '2026-01-01', phase: 'waiting_for_lock' });
    // eslint-disable-next-line no-control-regex -- ESC is the point: no ANSI escape sequence may reach a pipe
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });
});

describe('cleanup progress on a terminal', () => {
  const cleanupDriver = join(repoRoot, 'test/progress/cleanup-progress-driver.ts');

  it('says it waits for its locks while it does, folds the lock lines, ends with each step once and the region cleared', async () => {
    const { lines, frames, exitCode } = await runInTerminal([process.execPath, '--import', 'tsx', cleanupDriver, 'ok'], { cwd: repoRoot, pollMs: 100 });
    expect(exitCode).toBe(0);
    expect(
      frames.some((f) => /… locks\s+waiting for the cleanup lock and 30 date locks/.test(f) && /last: .*waiting for lock/.test(f)),
      frames.join('\n---\n'),
    ).toBe(true);
    expect(frames.join('\n')).not.toContain('starting');
    const text = lines.join('\n');
    for (const step of ['locks', 'backup', 'audit_duplicates', 'dedupe', 'verify', 'swap', 'verify_live', 'recompute']) {
      expect(
        lines.filter((l) => new RegExp(`✔ ${step}\\s`).test(l)),
        text,
      ).toHaveLength(1);
    }
    expect(text).not.toMatch(/lock acquired|INFO|step \d\/7|last:|finished ·/);
    expect(lines.at(-1)).toBe('cleanup report: ok');
  }, 120_000);

  it('a failed step is shown failed with its reason, and the region is cleared before the error output', async () => {
    const { lines, exitCode } = await runInTerminal([process.execPath, '--import', 'tsx', cleanupDriver, 'fail'], { cwd: repoRoot });
    expect(exitCode).toBe(0);
    const text = lines.join('\n');
    expect(
      lines.filter((l) => /✖ swap\s+failed: the deduped copy changed under the swap/.test(l)),
      text,
    ).toHaveLength(1);
    expect(lines.filter((l) => /ERROR +\[cleanup\] cleanup failed/.test(l))).toHaveLength(1);
    expect(text).not.toMatch(/verify_live|recompute|last:/);
    expect(lines.at(-1)).toBe('cleanup report: fail');
  }, 120_000);
});
