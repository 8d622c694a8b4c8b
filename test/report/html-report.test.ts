import { describe, expect, it } from 'vitest';
import { renderStoryReport, type StoryReportData } from '../../src/report/html-report.ts';

const data: StoryReportData = {
  generatedAt: '2026-11-22T10:00:00Z',
  size: 'small',
  seed: 7,
  season: { dates: 2, predictions: 100, systems: 2, players: 10 },
  incident: [
    { date: '2026-01-10', rows: 150, uniqueKeys: 100 },
    { date: '2026-01-11', rows: 100, uniqueKeys: 100 },
  ],
  afterCleanup: [{ date: '2026-01-10', rows: 100, uniqueKeys: 100 }],
  afterFix: [{ date: '2026-01-10', rows: 100, uniqueKeys: 100 }],
  accuracy: [{ systemId: 'sys<script>', withDuplicates: { graded: 150, correct: 90 }, deduplicated: { graded: 100, correct: 55 } }],
  lockWaits: [{ run: 'backfill', date: '2026-01-10', waitMs: 2500, status: 'succeeded' }],
  cleanup: { 'rows removed': 50 },
  alerts: [{ kind: 'duplicates_detected', title: '50 duplicate keys' }],
  steps: [{ name: 'seed', seconds: 1.23 }],
};

describe('the npm start report', () => {
  const html = renderStoryReport(data);

  it('is self-contained: no scripts, no external resources', () => {
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });

  it('escapes text from the warehouse', () => {
    expect(html).toContain('sys&lt;script&gt;');
  });

  it('shows the duplication per date before and after, and the totals', () => {
    expect(html).toContain('50 of 250 (20.0%)');
    expect(html).toMatch(/<td>2026-01-10<\/td><td>150<\/td><td>100<\/td><td>50 \(33\.3%\)<\/td><td>0 \(0\.0%\)<\/td><td>0 \(0\.0%\)<\/td>/);
    expect(html).toContain('<td>2026-01-11</td><td>100</td><td>100</td><td>0 (0.0%)</td><td>-</td><td>-</td>');
  });

  it('shows accuracy with and without duplicates and the difference', () => {
    expect(html).toContain('<td>150</td><td>60.0%</td><td>100</td><td>55.0%</td><td>5.00 pts</td>');
  });

  it('draws one bar per date and series', () => {
    expect(html.match(/<rect [^>]*><title>/g)).toHaveLength(6);
  });
});
