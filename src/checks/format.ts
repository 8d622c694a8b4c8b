/** The check report as a readable table (TTY, or stdout without --json). */
import type { CheckReport } from './run-check.ts';

export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  lines.push(`check ${report.runId}: ${report.from} .. ${report.to} (${report.days} days)`);
  const header = ['table', 'rows', 'dup keys', 'extra rows', 'rate', 'prev week', 'this week', 'trend'];
  const body: string[][] = [];
  for (const t of report.tables) {
    if (!t.exists) {
      body.push([t.table, '-', '-', '-', '-', '-', '-', 'missing']);
      continue;
    }
    const trend = t.trend!;
    if (t.emptyWindow) {
      body.push([t.table, '0', '-', '-', '-', pct(trend.previousWeek.rate), '-', `EMPTY (last ${t.emptyWindow.latestDate ?? 'never'})`]);
      continue;
    }
    const change = trend.relativeChange === null ? (trend.rising ? 'new' : '') : `${trend.relativeChange >= 0 ? '+' : ''}${(trend.relativeChange * 100).toFixed(1)}%`;
    body.push([t.table, String(t.rows), String(t.duplicateKeys), String(t.extraRows), pct(t.rate), pct(trend.previousWeek.rate), pct(trend.currentWeek.rate), `${change}${trend.rising ? ' RISING' : ''}`]);
  }
  lines.push(...table(header, body));
  const perDate = report.tables.flatMap((t) => t.days.filter((d) => d.duplicateKeys > 0).map((d) => [t.table, d.date, String(d.duplicateKeys), String(d.extraRows), pct(d.rate)]));
  if (perDate.length) {
    lines.push('', 'duplicates per date:');
    lines.push(...table(['table', 'date', 'dup keys', 'extra rows', 'rate'], perDate));
  }
  if (report.ungraded === null) lines.push('', 'ungraded predictions: not checked (prediction_accuracy not selected, or predictions, actuals or grades missing)');
  else {
    const missing = report.ungraded.filter((d) => d.ungraded > 0);
    lines.push('', `ungraded predictions (with actuals, no grade): ${report.findings.ungraded}${missing.length ? ' — ' + missing.map((d) => `${d.date}: ${d.ungraded}`).join(', ') : ''}`);
  }
  if (report.coverage) {
    if (report.datesNotGraded.length) lines.push(`dates with predictions, no graded row, no successful grading run: ${report.datesNotGraded.join(', ')}`);
    if (report.datesGradedZeroRows.length) lines.push(`dates graded successfully with 0 rows although they have predictions: ${report.datesGradedZeroRows.join(', ')}`);
  }
  if (!report.datasetExists) lines.push('', `the dataset ${report.dataset} does not exist`);
  else if (report.missingTables.length) lines.push('', `missing in ${report.dataset}: ${report.missingTables.join(', ')}`);
  if (report.clean) lines.push('', 'clean');
  else {
    const found = [
      report.findings.duplicates + report.findings.risingTrends + report.findings.ungraded > 0
        ? `${report.findings.duplicates} duplicate keys, ${report.findings.risingTrends} rising trends, ${report.findings.ungraded} ungraded predictions`
        : '',
      report.missingTables.length ? `${report.missingTables.length} missing tables` : '',
      report.emptyTables.length ? `${report.emptyTables.length} tables empty in the window` : '',
      report.datesNotGraded.length ? `${report.datesNotGraded.length} dates not graded` : '',
      report.datesGradedZeroRows.length ? `${report.datesGradedZeroRows.length} dates graded with 0 rows` : '',
    ].filter(Boolean);
    lines.push('', `${report.status.toUpperCase()} (exit ${report.exitCode}; statuses: ${report.statuses.join(', ')}): ${found.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
