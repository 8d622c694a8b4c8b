import { describe, expect, it } from 'vitest';
import { renderStoryReport } from '../../tools/demo/report/html-report.ts';
import { reportData as data } from './fixture.ts';

describe('the npm start report', () => {
  const html = renderStoryReport(data);

  it('is self-contained: no scripts, no external resources', () => {
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });

  it('escapes text from the warehouse', () => {
    expect(html).toContain('sys&lt;script&gt;');
    expect(html).not.toContain('sys<script>');
  });

  it('shows the duplication per date before and after, and the totals', () => {
    expect(html).toContain('50 (20.0%)');
    expect(html).toMatch(/<td>2026-01-10<\/td><td>150<\/td><td>100<\/td><td>50 \(33\.3%\)<\/td><td>0 \(0\.0%\)<\/td><td>0 \(0\.0%\)<\/td>/);
    expect(html).toContain('<td>2026-01-11</td><td>100</td><td>100</td><td>0 (0.0%)</td><td>-</td><td>-</td>');
  });

  it('draws a clean date after the cleanup as a full bar of unique keys, not as nothing', () => {
    expect(html).toContain('2026-01-10 after the cleanup: 100 unique keys');
    expect(html).toContain('100 rows, none duplicated');
    expect(html).toContain('2026-01-10 after the incident: 50 duplicate rows');
  });

  it('has both timelines with their bars and the moment duplicates appear', () => {
    expect(html.match(/aria-label="Timeline of the unsafe writers"/g)).toHaveLength(1);
    expect(html.match(/aria-label="Timeline of the protected runs"/g)).toHaveLength(1);
    expect(html).toContain('scheduled run (unsafe): INSERT 2026-01-10');
    expect(html).toContain('2026-01-10: duplicates appear');
    expect(html).toContain('scheduled 2026-01-10: waiting for lock (7.00 s');
  });

  it('shows accuracy with and without duplicates and the difference', () => {
    expect(html).toContain('<td>150</td><td>60.0%</td><td>100</td><td>55.0%</td><td>5.00 pts</td>');
  });

  it('renders alerts as text a person reads, not Slack markup', () => {
    expect(html).toContain('<p>⚠️ <b>WARNING: Cleanup finished</b></p>');
    expect(html).toContain('150 rows -&gt; 100');
    expect(html).toContain('<li><b>date</b>: n/a</li>');
    expect(html).toContain('<code>cleanup restore</code>');
    expect(html).not.toContain(':warning:');
    expect(html).toContain('<p><i>kind: cleanup_finished</i></p>');
  });

  it('tells the story in a few sentences with the figures', () => {
    expect(html).toMatch(/On 1 of those dates both DELETEs ran before either INSERT/);
    expect(html).toMatch(/waited 7\.0 s, and then wrote with a higher fencing token/);
  });
});
