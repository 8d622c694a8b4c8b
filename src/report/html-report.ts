/**
 * The `npm start` report: one self-contained HTML file (inline CSS and SVG, no scripts, no network), so it opens
 * anywhere and can be attached to an incident ticket as is.
 */
export interface DateDuplication {
  date: string;
  rows: number;
  uniqueKeys: number;
}

export interface SystemAccuracy {
  systemId: string;
  /** Counted on the table as it was (duplicates included). */
  withDuplicates: { graded: number; correct: number };
  /** Counted on one row per business key. */
  deduplicated: { graded: number; correct: number };
}

export interface LockWait {
  run: string;
  date: string;
  waitMs: number;
  status: string;
}

export interface StoryReportData {
  generatedAt: string;
  size: string;
  seed: number;
  season: { dates: number; predictions: number; systems: number; players: number };
  /** Duplication per date after the incident, after the cleanup and after the protected runs. */
  incident: DateDuplication[];
  afterCleanup: DateDuplication[];
  afterFix: DateDuplication[];
  accuracy: SystemAccuracy[];
  lockWaits: LockWait[];
  cleanup: Record<string, string | number>;
  alerts: Array<{ kind: string; title: string }>;
  steps: Array<{ name: string; seconds: number }>;
}

const escapeHtml = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const rate = (d: DateDuplication) => (d.rows === 0 ? 0 : (d.rows - d.uniqueKeys) / d.rows);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const accuracy = (a: { graded: number; correct: number }) => (a.graded === 0 ? 0 : a.correct / a.graded);

/** Grouped bars of the duplication rate per date: incident, after cleanup, after the protected runs. */
function duplicationChart(data: StoryReportData): string {
  const dates = [...new Set([...data.incident, ...data.afterCleanup, ...data.afterFix].map((d) => d.date))].sort();
  const series = [
    { name: 'incident (unprotected runs)', color: '#d9480f', values: new Map(data.incident.map((d) => [d.date, rate(d)])) },
    { name: 'after cleanup', color: '#1c7ed6', values: new Map(data.afterCleanup.map((d) => [d.date, rate(d)])) },
    { name: 'after protected runs', color: '#2b8a3e', values: new Map(data.afterFix.map((d) => [d.date, rate(d)])) },
  ];
  const max = Math.max(0.05, ...series.flatMap((s) => [...s.values.values()]));
  const width = 900;
  const height = 260;
  const left = 50;
  const bottom = 40;
  const groupWidth = (width - left - 10) / Math.max(1, dates.length);
  const barWidth = Math.max(1, (groupWidth - 2) / series.length);
  const y = (v: number) => height - bottom - (v / max) * (height - bottom - 20);
  const bars = dates.flatMap((date, i) =>
    series.map((s, k) => {
      const v = s.values.get(date) ?? 0;
      const x = left + i * groupWidth + k * barWidth;
      return `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 0.5).toFixed(1)}" height="${(height - bottom - y(v)).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(date)} ${escapeHtml(s.name)}: ${pct(v)}</title></rect>`;
    }),
  );
  const ticks = [0, max / 2, max].map((v) => `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${pct(v)}</text><line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
  const labels = dates
    .filter((_, i) => dates.length <= 16 || i % Math.ceil(dates.length / 16) === 0)
    .map((date) => `<text x="${left + dates.indexOf(date) * groupWidth + groupWidth / 2}" y="${height - bottom + 14}" text-anchor="middle">${escapeHtml(date.slice(5))}</text>`);
  const legend = series.map((s, k) => `<rect x="${left + k * 230}" y="${height - 14}" width="10" height="10" fill="${s.color}"/><text x="${left + k * 230 + 14}" y="${height - 5}">${escapeHtml(s.name)}</text>`);
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Duplication rate per date">${ticks.join('')}${bars.join('')}${labels.join('')}${legend.join('')}</svg>`;
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderStoryReport(data: StoryReportData): string {
  const total = (list: DateDuplication[]) => list.reduce((acc, d) => ({ rows: acc.rows + d.rows, keys: acc.keys + d.uniqueKeys }), { rows: 0, keys: 0 });
  const incident = total(data.incident);
  const fixed = total(data.afterFix);
  const duplicationRows = [...new Set(data.incident.map((d) => d.date))].sort().map((date) => {
    const find = (list: DateDuplication[]) => list.find((d) => d.date === date);
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
  const waits = data.lockWaits.map((w) => [w.run, w.date, `${(w.waitMs / 1000).toFixed(1)} s`, w.status]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gradeguard: the incident and the fix</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}svg{width:100%;height:auto;font-size:10px}
.figures{display:flex;gap:1em;flex-wrap:wrap}.figure{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}.figure b{display:block;font-size:1.4em}
</style></head><body>
<h1>gradeguard: the incident, the cleanup, the fix</h1>
<p>Synthetic season (size ${escapeHtml(data.size)}, seed ${escapeHtml(data.seed)}): ${escapeHtml(data.season.dates)} game dates, ${escapeHtml(data.season.players)} players,
${escapeHtml(data.season.systems)} systems, ${escapeHtml(data.season.predictions)} predictions. Generated ${escapeHtml(data.generatedAt)} on the local stack.</p>
<div class="figures">
<div class="figure">Duplicate rows after the incident<b>${incident.rows - incident.keys} of ${incident.rows} (${pct(incident.rows ? (incident.rows - incident.keys) / incident.rows : 0)})</b></div>
<div class="figure">Duplicate rows after protected overlapping runs<b>${fixed.rows - fixed.keys} of ${fixed.rows}</b></div>
<div class="figure">Alerts sent<b>${data.alerts.length}</b></div>
</div>
<h2>Duplication rate per date</h2>
${duplicationChart(data)}
${table(['date', 'rows (incident)', 'unique keys', 'duplicates: incident', 'after cleanup', 'after protected runs'], duplicationRows)}
<h2>Accuracy per system, with and without duplicates</h2>
<p>Counted on prediction_accuracy as the incident left it, and on one row per business key. Duplicates inflate the graded counts and skew the comparison between systems.</p>
${table(['system', 'graded (with duplicates)', 'accuracy', 'graded (deduplicated)', 'accuracy', 'difference'], accuracyRows)}
<h2>The cleanup</h2>
${table(['figure', 'value'], Object.entries(data.cleanup).map(([k, v]) => [k, v]))}
<h2>Lock waits of the protected runs</h2>
${waits.length ? table(['run', 'date', 'lock wait', 'status'], waits) : '<p>No runs.</p>'}
<h2>Alerts (as received by the local webhook)</h2>
${data.alerts.length ? table(['kind', 'message'], data.alerts.map((a) => [a.kind, a.title])) : '<p>None.</p>'}
<h2>Steps</h2>
${table(['step', 'seconds'], data.steps.map((s) => [s.name, s.seconds.toFixed(1)]))}
</body></html>
`;
}
