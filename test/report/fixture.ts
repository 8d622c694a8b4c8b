/** A report's data as npm start records it, small: two unsafe writers over 2 dates, one overlapping; the protected runs. */
import type { StoryReportData } from '../../tools/demo/report/html-report.ts';

const t0 = Date.parse('2026-11-22T10:00:00Z');
const at = (s: number) => t0 + s * 1000;

export const reportData: StoryReportData = {
  generatedAt: '2026-11-22T10:00:00Z',
  size: 'small',
  seed: 7,
  season: { dates: 2, predictions: 100, systems: 2, players: 10 },
  incidentDates: ['2026-01-10', '2026-01-11'],
  overlappedDates: ['2026-01-10'],
  incident: [
    { date: '2026-01-10', rows: 150, uniqueKeys: 100 },
    { date: '2026-01-11', rows: 100, uniqueKeys: 100 },
  ],
  afterCleanup: [{ date: '2026-01-10', rows: 100, uniqueKeys: 100 }],
  afterFix: [{ date: '2026-01-10', rows: 100, uniqueKeys: 100 }],
  accuracy: [{ systemId: 'sys<script>', withDuplicates: { graded: 150, correct: 90 }, deduplicated: { graded: 100, correct: 55 } }],
  incidentTimeline: {
    lanes: [
      {
        name: 'scheduled run (unsafe)',
        bars: [
          { start: at(0), end: at(0.4), kind: 'delete', label: 'DELETE 2026-01-10' },
          { start: at(1), end: at(1.5), kind: 'insert', label: 'INSERT 2026-01-10' },
        ],
      },
      {
        name: 'backfill run (unsafe)',
        bars: [
          { start: at(0.5), end: at(0.9), kind: 'delete', label: 'DELETE 2026-01-10' },
          { start: at(1.6), end: at(2.2), kind: 'insert', label: 'INSERT 2026-01-10' },
        ],
      },
    ],
    markers: [{ at: at(2.2), lane: 'backfill run (unsafe)', label: '2026-01-10: duplicates appear' }],
  },
  protectedTimeline: {
    lanes: [
      {
        name: 'backfill 2026-01-10',
        bars: [
          { start: at(10), end: at(12), kind: 'startup', label: 'start' },
          { start: at(12), end: at(20), kind: 'run', label: 'running' },
        ],
      },
      {
        name: 'scheduled 2026-01-10',
        bars: [
          { start: at(13), end: at(20), kind: 'wait', label: 'waiting for lock' },
          { start: at(20), end: at(27), kind: 'run', label: 'running' },
        ],
      },
    ],
    markers: [],
  },
  fixDates: ['2026-01-10'],
  sharedDate: '2026-01-10',
  lockWaits: [
    { run: 'backfill', date: '2026-01-10', waitMs: 100, status: 'succeeded', token: 2 },
    { run: 'scheduled', date: '2026-01-10', waitMs: 7000, status: 'succeeded', token: 3 },
  ],
  cleanup: { 'rows removed': 50, 'checks passed': '12 of 12' },
  alerts: [
    {
      kind: 'cleanup_finished',
      text: ':warning: *WARNING: Cleanup finished*\nCleanup of prediction_accuracy finished: 150 rows -&gt; 100\n• *date*: n/a\n*Next step:* restore with `cleanup restore`\n_kind: cleanup_finished_',
    },
  ],
  steps: [{ name: 'seed', seconds: 1.23 }],
  problems: [],
};
