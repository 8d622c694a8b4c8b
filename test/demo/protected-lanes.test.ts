/** The protected runs' timeline lanes come from each grade process's own progress log lines. */
import { describe, expect, it } from 'vitest';
import type { CliResult } from '../../tools/demo/cli-process.ts';
import { progressLanes } from '../../tools/demo/protected-runs.ts';

const t = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
const event = (s: number, date: string, phase: string, extra: Record<string, unknown> = {}) => ({ severity: 'INFO', message: `date_${phase}`, time: t(s), event: 'progress', game_date: date, phase, ...extra });

describe('protected run lanes', () => {
  it('one lane per date: process start, queued behind earlier dates, lock wait, each dataform attempt, validation', () => {
    const result: CliResult = {
      code: 0,
      startedAt: Date.parse(t(0)),
      endedAt: Date.parse(t(30)),
      durationMs: 30_000,
      logFile: 'x.log',
      events: [
        { severity: 'INFO', message: 'stack opened', time: t(1) },
        event(2, '2026-01-29', 'circuit'),
        event(2.1, '2026-01-29', 'waiting_for_lock'),
        event(2.3, '2026-01-29', 'running', { attempt: 1 }),
        event(10, '2026-01-29', 'validating'),
        event(11, '2026-01-29', 'done', { status: 'succeeded' }),
        event(11, '2026-01-30', 'circuit'),
        event(11.1, '2026-01-30', 'waiting_for_lock'),
        event(12, '2026-01-30', 'running', { attempt: 1 }),
        event(15, '2026-01-30', 'running', { attempt: 2 }),
        event(25, '2026-01-30', 'validating'),
        event(26, '2026-01-30', 'done', { status: 'succeeded' }),
      ],
    };
    const lanes = progressLanes('backfill', result);
    expect(lanes.map((l) => l.name)).toEqual(['backfill 2026-01-29', 'backfill 2026-01-30']);
    expect(lanes[0]!.bars.map((b) => b.kind)).toEqual(['startup', 'wait', 'run', 'validate']);
    expect(lanes[1]!.bars.map((b) => b.kind)).toEqual(['startup', 'queued', 'wait', 'run', 'run', 'validate']);
    expect(lanes[1]!.bars[1]).toMatchObject({ start: Date.parse(t(2)), end: Date.parse(t(11)) });
    expect(lanes[1]!.bars[4]!.label).toContain('attempt 2');
    expect(lanes[0]!.bars[0]).toMatchObject({ start: Date.parse(t(0)), end: Date.parse(t(2)) });
  });
});
