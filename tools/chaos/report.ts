/** The chaos report as text: per round what struck and what was found, then the totals. */
import type { ChaosReport } from './rounds.ts';

export function formatChaosReport(report: ChaosReport): string {
  const lines: string[] = [];
  lines.push(`gradeguard chaos — seed ${report.seed}${report.unsafe ? ' — UNSAFE write path (safety off)' : ''}`);
  for (const round of report.rounds) {
    const codes = round.actors.map((a) => `${a.name.replace(/^r\d+-/, '')}=${a.killed ? 'killed' : a.code}`).join(' ');
    lines.push(`  round ${round.round}  dates ${round.dates[0]}..${round.dates.at(-1)}  ${codes}  recovery=${round.recovery.code}${round.recovery.attempts > 1 ? ` (attempt ${round.recovery.attempts})` : ''}`);
    for (const fault of round.faults) lines.push(`    fault: ${fault}`);
    for (const violation of round.violations.slice(0, 5)) lines.push(`    VIOLATION ${violation.kind} ${violation.table} ${violation.date ?? ''} ${violation.detail}`);
    if (round.violations.length > 5) lines.push(`    ... ${round.violations.length - 5} more violations`);
    for (const missing of round.failuresWithoutRunRow) lines.push(`    MISSING RUN ROW ${missing}`);
    for (const finding of round.findings) lines.push(`    finding: ${finding}`);
    if (round.unsafeWritersRan === false) lines.push('    (an unsafe writer did not finish: the round does not count for the sensitivity check)');
  }
  const t = report.totals;
  lines.push(
    `rounds ${t.rounds}, processes ${t.processes}, kills ${t.kills}, frozen past lease ${t.freezes}, Firestore outages ${t.firestoreOutages}, ` +
      `BigQuery restarts ${t.bigqueryRestarts}, webhook outages ${t.webhookOutages}`,
  );
  const moments = Object.entries(t.faultsAt)
    .map(([moment, n]) => `${moment} ${n}`)
    .join(', ');
  lines.push(`faults struck at: ${moments || 'none'}; missed (the process ended first): ${t.missedFaults}; repair processes ${t.repairs}`);
  lines.push(`violations found: ${t.violations}; failed runs without a grading_runs row: ${t.failuresWithoutRunRow}; findings: ${t.findings}`);
  if (report.unsafe) lines.push(`unsafe rounds where both writers ran: ${t.unsafeRoundsCounted}, of which with violations: ${t.unsafeRoundsWithViolations}`);
  return lines.join('\n') + '\n';
}
