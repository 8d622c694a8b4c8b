/**
 * The npm start report as a browser shows it: Debian's headless Chromium (/usr/bin/chromium, installed by .ci/run)
 * through playwright-core. It loads with no request beyond the file itself, the charts have visible bars, the alerts
 * read as text, and a screenshot is kept in .local/report-check.png for a person to look at.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStoryReport } from '../../tools/demo/report/html-report.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { reportData } from './fixture.ts';

const CHROMIUM = process.env.GRADEGUARD_CHROMIUM ?? '/usr/bin/chromium';

describe('the npm start report in Chromium', () => {
  let browser: Browser;
  const dir = join(repoRoot, '.local', 'report-check');
  const file = join(dir, 'report.html');
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does), or set GRADEGUARD_CHROMIUM`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, renderStoryReport(reportData));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders both timelines, the before/after bars and the alerts, fetching nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);

    const visibleRects = (selector: string) =>
      page.$$eval(
        selector,
        (rects) =>
          rects.filter((r) => {
            const b = r.getBoundingClientRect();
            return b.width > 0 && b.height > 0;
          }).length,
      );
    expect(await visibleRects('svg[aria-label="Timeline of the unsafe writers"] rect[rx]')).toBe(4);
    expect(await page.$$eval('svg[aria-label="Timeline of the unsafe writers"] g.marker', (m) => m.length)).toBe(1);
    expect(await visibleRects('svg[aria-label="Timeline of the protected runs"] rect[rx]')).toBe(4);
    // After the cleanup a date is a full grey bar: three states for 2026-01-10 and one for 2026-01-11 are all visible.
    expect(await visibleRects('svg[aria-label="Rows per date before and after"] rect')).toBe(3 + 1);
    expect(await visibleRects('svg[aria-label="Lock waits"] rect')).toBe(2);

    const alert = await page.$eval('.alert', (el) => (el as HTMLElement).innerText);
    expect(alert).toContain('WARNING: Cleanup finished');
    expect(alert).toContain('150 rows -> 100');
    expect(alert).not.toMatch(/:warning:|\*WARNING|&gt;|`/);
    expect(await page.$eval('.narrative', (el) => (el as HTMLElement).innerText)).toContain('both DELETEs ran before either INSERT');

    const screenshot = join(repoRoot, '.local', 'report-check.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
  }, 120_000);
});
