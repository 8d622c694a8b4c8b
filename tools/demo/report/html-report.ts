/**
 * The `npm start` report: one self-contained HTML file (inline CSS and SVG, no scripts, no network), so it opens
 * anywhere and can be attached to an incident ticket as is. It shows before it tells: the two timelines (the unsafe
 * writers, the protected runs), rows per date before and after, lock waits; then a short narrative, the tables and
 * the alerts as a person reads them.
 */
import { escapeHtml } from './escape.ts';
import { beforeAfterChart, COLORS, lockWaitChart, type DateDuplication, type LockWait } from './charts.ts';
import { slackTextToHtml } from './slack-text.ts';
import { timelineLegend, timelineSvg, type Timeline } from './timeline.ts';

export type { DateDuplication, LockWait } from './charts.ts';

export interface SystemAccuracy {
  systemId: string;
  /** Counted on the table as it was (duplicates included). */
  withDuplicates: { graded: number; correct: number };
  /** Counted on one row per business key. */
  deduplicated: { graded: number; correct: number };
}

export interface StoryReportData {
  generatedAt: string;
  size: string;
  seed: number;
  season: { dates: number; predictions: number; systems: number; players: number };
  /** The dates both unsafe writers graded, and those where their jobs overlapped (the seed's choice). */
  incidentDates: string[];
  overlappedDates: string[];
  /** Duplication per date after the incident, after the cleanup and after the protected runs. */
  incident: DateDuplication[];
  afterCleanup: DateDuplication[];
  afterFix: DateDuplication[];
  accuracy: SystemAccuracy[];
  incidentTimeline?: Timeline;
  protectedTimeline?: Timeline;
  fixDates: string[];
  /** The date both protected runs graded. */
  sharedDate?: string;
  lockWaits: LockWait[];
  cleanup: Record<string, string | number>;
  /** Slack messages as received (mrkdwn text). */
  alerts: Array<{ kind: string; text: string }>;
  steps: Array<{ name: string; seconds: number }>;
  problems: string[];
}

const rate = (d: DateDuplication) => (d.rows === 0 ? 0 : (d.rows - d.uniqueKeys) / d.rows);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const accuracy = (a: { graded: number; correct: number }) => (a.graded === 0 ? 0 : a.correct / a.graded);
const total = (list: readonly DateDuplication[]) => list.reduce((acc, d) => ({ rows: acc.rows + d.rows, keys: acc.keys + d.uniqueKeys }), { rows: 0, keys: 0 });

function table(headers: string[], rows: Array<Array<string | number>>): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function narrative(data: StoryReportData): string {
  const incident = total(data.incident);
  const dup = incident.rows - incident.keys;
  const hit = data.incident.filter((d) => d.rows > d.uniqueKeys).length;
  const worst = [...data.accuracy].sort((a, b) => Math.abs(accuracy(b.withDuplicates) - accuracy(b.deduplicated)) - Math.abs(accuracy(a.withDuplicates) - accuracy(a.deduplicated)))[0];
  const shared = data.lockWaits.find((w) => w.run === 'scheduled' && w.date === data.sharedDate);
  const fixed = total(data.afterFix);
  const sentences = [
    `A scheduled run and a backfill graded the same ${data.incidentDates.length} dates at the same time, each the old way: a DELETE job, then a separate INSERT job, no lock.`,
    `On ${data.overlappedDates.length} of those dates both DELETEs ran before either INSERT, so both INSERTs landed and every key of the date was stored twice: ${dup.toLocaleString('en-US')} duplicate rows (${pct(incident.rows ? dup / incident.rows : 0)} of the table) on ${hit} dates.`,
    worst
      ? `A dashboard reading the table saw ${escapeHtml(worst.systemId)} at ${pct(accuracy(worst.withDuplicates))} accuracy over ${worst.withDuplicates.graded.toLocaleString('en-US')} graded predictions; with one row per key it is ${pct(accuracy(worst.deduplicated))} over ${worst.deduplicated.graded.toLocaleString('en-US')}.`
      : '',
    `The cleanup backed the table up, removed ${escapeHtml(data.cleanup['rows removed'] ?? '?')} rows, verified the result (${escapeHtml(data.cleanup['checks passed'] ?? '?')} checks) and swapped it in.`,
    shared
      ? shared.waitMs > 0
        ? `Then the same overlap ran again through <code>grade</code>: the scheduled run asked for ${escapeHtml(data.sharedDate)} while the backfill held its lock, waited ${(shared.waitMs / 1000).toFixed(1)} s, and then wrote with a higher fencing token in one atomic transaction.`
        : `Then the same overlap ran again through <code>grade</code>; this time the backfill had finished ${escapeHtml(data.sharedDate)} before the scheduled run asked for it, so there was no wait.`
      : '',
    `${fixed.rows - fixed.keys === 0 ? 'No' : fixed.rows - fixed.keys} duplicate rows after the protected runs.`,
  ];
  return `<p class="narrative">${sentences.filter(Boolean).join(' ')}</p>`;
}

function figures(data: StoryReportData): string {
  const incident = total(data.incident);
  const cleaned = total(data.afterCleanup);
  const fixed = total(data.afterFix);
  const shared = data.lockWaits.find((w) => w.run === 'scheduled' && w.date === data.sharedDate);
  const card = (label: string, value: string, tone: 'bad' | 'good' | 'neutral') => `<div class="figure ${tone}"><span>${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`;
  return `<div class="figures">${[
    card('duplicate rows after the incident', `${(incident.rows - incident.keys).toLocaleString('en-US')} (${pct(incident.rows ? (incident.rows - incident.keys) / incident.rows : 0)})`, 'bad'),
    card('dates hit', `${data.incident.filter((d) => d.rows > d.uniqueKeys).length} of ${data.incidentDates.length}`, 'bad'),
    card('after the cleanup', `${(cleaned.rows - cleaned.keys).toLocaleString('en-US')} duplicates`, cleaned.rows === cleaned.keys ? 'good' : 'bad'),
    card('after the protected runs', `${(fixed.rows - fixed.keys).toLocaleString('en-US')} duplicates`, fixed.rows === fixed.keys ? 'good' : 'bad'),
    card('the scheduled run waited', shared ? `${(shared.waitMs / 1000).toFixed(1)} s` : '-', 'neutral'),
    card('alerts sent', String(data.alerts.length), 'neutral'),
  ].join('')}</div>`;
}

const STYLE = `
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:980px;margin:2.5em auto;padding:0 1.2em;color:#212529;background:#fff}
h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2.2em;padding-bottom:.25em;border-bottom:1px solid #dee2e6}
.sub{color:#6c757d;margin-top:0}.narrative{font-size:1.05em;background:#f8f9fa;border-left:4px solid #495057;padding:.8em 1em}
.figures{display:grid;grid-template-columns:repeat(3,1fr);gap:.7em;margin:1.2em 0}
.figure{border:1px solid #dee2e6;border-radius:8px;padding:.6em .9em}.figure span{display:block;color:#6c757d;font-size:.85em}.figure b{font-size:1.45em}
.figure.bad b{color:#c92a2a}.figure.good b{color:#2b8a3e}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}td,th{border:1px solid #dee2e6;padding:.25em .6em;text-align:right}th{background:#f1f3f5}
td:first-child,th:first-child{text-align:left}
svg{width:100%;height:auto;font-size:11px;font-family:inherit}svg .lane,svg .state{fill:#495057}svg .date{font-weight:600;fill:#212529}
svg .tick{fill:#868e96}svg .bad{fill:#c92a2a}svg .good{fill:#2b8a3e}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.85em;color:#495057;margin:.3em 0 1em}
.key i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:.35em;vertical-align:-1px}
.key i.marker-key{width:0;height:0;border-radius:0;border-left:6px solid transparent;border-right:6px solid transparent;border-top:9px solid #e03131}
.note{color:#495057;font-size:.92em}.problems{color:#c92a2a;font-weight:600}
.alert{border:1px solid #dee2e6;border-left:4px solid #f59f00;border-radius:6px;padding:.5em 1em;margin:.6em 0;background:#fffdf5}
.alert p{margin:.25em 0}.alert ul{margin:.25em 0 .25em 1.2em;padding:0}code{background:#f1f3f5;padding:0 .25em;border-radius:3px}
`;

export function renderStoryReport(data: StoryReportData): string {
  const dates = [...new Set([...data.incident, ...data.afterCleanup, ...data.afterFix].map((d) => d.date))].sort();
  const shown = dates.filter((d) => data.incident.some((x) => x.date === d && x.rows > x.uniqueKeys) || data.afterFix.some((x) => x.date === d));
  const duplicationRows = dates.map((date) => {
    const find = (list: readonly DateDuplication[]) => list.find((d) => d.date === date);
    const cell = (d?: DateDuplication) => (d ? `${d.rows - d.uniqueKeys} (${pct(rate(d))})` : '-');
    return [date, find(data.incident)?.rows ?? '-', find(data.incident)?.uniqueKeys ?? '-', cell(find(data.incident)), cell(find(data.afterCleanup)), cell(find(data.afterFix))];
  });
  const accuracyRows = data.accuracy.map((a) => [
    a.systemId,
    a.withDuplicates.graded,
    pct(accuracy(a.withDuplicates)),
    a.deduplicated.graded,
    pct(accuracy(a.deduplicated)),
    `${((accuracy(a.withDuplicates) - accuracy(a.deduplicated)) * 100).toFixed(2)} pts`,
  ]);
  const incidentTimeline = data.incidentTimeline ?? { lanes: [], markers: [] };
  const protectedTimeline = data.protectedTimeline ?? { lanes: [], markers: [] };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>gradeguard: the incident and the fix</title>
<style>${STYLE}</style></head><body>
<h1>The incident, the cleanup, the fix</h1>
<p class="sub">Synthetic season: ${escapeHtml(data.season.dates)} game dates, ${escapeHtml(data.season.players)} players, ${escapeHtml(data.season.systems)} systems,
${escapeHtml(data.season.predictions.toLocaleString('en-US'))} predictions (size ${escapeHtml(data.size)}, seed ${escapeHtml(data.seed)}). Generated ${escapeHtml(data.generatedAt)} on the local stack.</p>
${data.problems.length ? `<p class="problems">${data.problems.map(escapeHtml).join('<br>')}</p>` : ''}
${figures(data)}
${narrative(data)}
<h2>The incident, second by second</h2>
<p class="note">Two processes, the scheduled run and a backfill, each grading ${escapeHtml(data.incidentDates.length)} dates with a DELETE job followed by an INSERT job. A red mark is the moment a date's duplicates appeared: its second INSERT, after both DELETEs had already run.</p>
${timelineSvg(incidentTimeline, 'Timeline of the unsafe writers')}
${timelineLegend(incidentTimeline, 'duplicates appear')}
<h2>The fix, second by second</h2>
<p class="note">The same overlap through <code>grade</code>: a backfill of ${escapeHtml(data.fixDates[0] ?? '')}..${escapeHtml(data.fixDates.at(-1) ?? '')} and the scheduled run of ${escapeHtml(data.sharedDate ?? '')}, started while the backfill held that date's lock. Each date's write is one fenced transaction inside the lock.</p>
${timelineSvg(protectedTimeline, 'Timeline of the protected runs')}
${timelineLegend(protectedTimeline)}
<h2>Rows per date, before and after</h2>
<div class="legend"><span class="key"><i style="background:${COLORS.keys}"></i>unique business keys</span><span class="key"><i style="background:${COLORS.duplicates}"></i>duplicate rows</span></div>
${beforeAfterChart(shown, [
  { name: 'after the incident', values: data.incident },
  { name: 'after the cleanup', values: data.afterCleanup },
  { name: 'after the protected runs', values: data.afterFix },
])}
<h2>Lock waits of the protected runs</h2>
${lockWaitChart(data.lockWaits)}
<h2>Accuracy per system, with and without duplicates</h2>
<p class="note">Counted on prediction_accuracy as the incident left it, and on one row per business key. Duplicates inflate the graded counts and skew the comparison between systems.</p>
${table(['system', 'graded (with duplicates)', 'accuracy', 'graded (deduplicated)', 'accuracy', 'difference'], accuracyRows)}
<h2>The cleanup</h2>
${table(
  ['figure', 'value'],
  Object.entries(data.cleanup).map(([k, v]) => [k, v]),
)}
<h2>Alerts, as the on-call engineer read them</h2>
${data.alerts.length ? data.alerts.map((a) => `<div class="alert">${slackTextToHtml(a.text)}</div>`).join('') : '<p>None.</p>'}
<h2>Every date</h2>
${table(['date', 'rows (incident)', 'unique keys', 'duplicates: incident', 'after cleanup', 'after protected runs'], duplicationRows)}
<h2>Steps</h2>
${table(
  ['step', 'seconds'],
  data.steps.map((s) => [s.name, s.seconds.toFixed(1)]),
)}
</body></html>
`;
}
