import { describe, expect, it } from 'vitest';
import { selectDates, MAX_RANGE_DAYS } from '../../src/runner/dates.ts';
import { UsageError } from '../../src/runner/exit-codes.ts';

describe('date selection', () => {
  it('expands ranges and lists, deduplicated and sorted', () => {
    expect(selectDates({ from: '2026-01-30', to: '2026-02-02' })).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(selectDates({ dates: '2026-01-17,2026-01-15,2026-01-17' })).toEqual(['2026-01-15', '2026-01-17']);
    expect(selectDates({ date: '2024-02-29' })).toEqual(['2024-02-29']);
    expect(selectDates({ yesterday: true, today: '2026-03-01' })).toEqual(['2026-02-28']);
  });

  it.each([
    [{ date: '2026-02-30' }, /not a real calendar date/],
    [{ date: '2026-1-5' }, /expected YYYY-MM-DD/],
    [{ date: "2026-01-17'; DROP TABLE x; --" }, /expected YYYY-MM-DD/],
    [{ from: '2026-01-10', to: '2026-01-01' }, /is after/],
    [{ from: '2026-01-10' }, /go together/],
    [{ from: '2020-01-01', to: '2026-01-01' }, new RegExp(`more than ${MAX_RANGE_DAYS} days`)],
    [{ date: '2026-01-01', yesterday: true }, /exactly one of/],
    [{}, /exactly one of/],
    [{ dates: '2026-01-01,,2026-01-02' }, /empty entry/],
  ])('rejects %j', (sel, message) => {
    expect(() => selectDates(sel)).toThrow(UsageError);
    expect(() => selectDates(sel)).toThrow(message);
  });
});
