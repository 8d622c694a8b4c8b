/**
 * A timeline as inline SVG: one lane per process (or per process and date), bars for what it was doing (a DELETE job,
 * an INSERT job, waiting for a lock, running dataform), markers for moments (duplicates appear). Times are epoch ms;
 * the axis is seconds from the first bar.
 */
import { escapeHtml } from './escape.ts';
export type BarKind = 'delete' | 'insert' | 'wait' | 'run' | 'validate' | 'startup' | 'queued';

interface TimelineBar {
  start: number;
  end: number;
  kind: BarKind;
  label: string;
}

export interface TimelineLane {
  name: string;
  bars: TimelineBar[];
}

export interface TimelineMarker {
  at: number;
  lane: string;
  label: string;
}

export interface Timeline {
  lanes: TimelineLane[];
  markers: TimelineMarker[];
}

const BAR_STYLE: Record<BarKind, { color: string; name: string }> = {
  delete: { color: '#868e96', name: 'DELETE job' },
  insert: { color: '#1c7ed6', name: 'INSERT job' },
  wait: { color: '#f59f00', name: 'waiting for the lock' },
  run: { color: '#2b8a3e', name: 'dataform run (fenced, atomic)' },
  validate: { color: '#69db7c', name: 'validation inside the lock' },
  startup: { color: '#ced4da', name: 'process start' },
  queued: { color: '#eef0f2', name: "queued behind its process's earlier dates" },
};

/** A rounded step for the axis: 1, 2, 5, 10, ... seconds. */
function tickStep(seconds: number): number {
  for (const step of [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300]) if (seconds / step <= 10) return step;
  return 600;
}

export function timelineSvg(timeline: Timeline, ariaLabel: string): string {
  const bars = timeline.lanes.flatMap((l) => l.bars);
  if (bars.length === 0) return '<p>Nothing was recorded.</p>';
  const origin = Math.min(...bars.map((b) => b.start));
  const span = Math.max(1, ...bars.map((b) => b.end - origin), ...timeline.markers.map((m) => m.at - origin)) / 1000;
  const width = 900;
  const left = 150;
  const right = 20;
  const laneHeight = 26;
  const top = 24;
  const height = top + timeline.lanes.length * laneHeight + 30;
  const x = (ms: number) => left + ((ms - origin) / 1000 / span) * (width - left - right);
  const step = tickStep(span);
  const ticks: string[] = [];
  for (let s = 0; s <= span + 1e-9; s += step) {
    const tx = x(origin + s * 1000).toFixed(1);
    ticks.push(`<line x1="${tx}" x2="${tx}" y1="${top - 6}" y2="${height - 24}" stroke="#e9ecef"/><text x="${tx}" y="${height - 10}" text-anchor="middle" class="tick">${s}s</text>`);
  }
  const lanes = timeline.lanes.map((lane, i) => {
    const y = top + i * laneHeight;
    const shaded = i % 2 ? '' : `<rect x="0" y="${y}" width="${width}" height="${laneHeight}" fill="#f8f9fa"/>`;
    const laneBars = lane.bars.map((b) => {
      const bx = x(b.start);
      const bw = Math.max(2, x(b.end) - bx);
      return `<rect x="${bx.toFixed(1)}" y="${y + 5}" width="${bw.toFixed(1)}" height="${laneHeight - 10}" rx="3" fill="${BAR_STYLE[b.kind].color}"><title>${escapeHtml(`${lane.name}: ${b.label} (${((b.end - b.start) / 1000).toFixed(2)} s, from ${((b.start - origin) / 1000).toFixed(2)} s)`)}</title></rect>`;
    });
    return `${shaded}<text x="${left - 8}" y="${y + laneHeight / 2 + 4}" text-anchor="end" class="lane">${escapeHtml(lane.name)}</text>${laneBars.join('')}`;
  });
  const markers = timeline.markers.map((m) => {
    const index = timeline.lanes.findIndex((l) => l.name === m.lane);
    const mx = x(m.at).toFixed(1);
    const y = top + Math.max(0, index) * laneHeight;
    return `<g class="marker"><line x1="${mx}" x2="${mx}" y1="${y}" y2="${y + laneHeight}" stroke="#e03131" stroke-width="2"/><path d="M${mx} ${y + 1} l5 -7 h-10 z" fill="#e03131"/><title>${escapeHtml(m.label)}</title></g>`;
  });
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(ariaLabel)}" class="timeline">${ticks.join('')}${lanes.join('')}${markers.join('')}</svg>`;
}

/** The legend of the bar kinds a timeline uses (and the marker, when it has one). */
export function timelineLegend(timeline: Timeline, markerLabel?: string): string {
  const kinds = [...new Set(timeline.lanes.flatMap((l) => l.bars.map((b) => b.kind)))];
  const items = kinds.map((k) => `<span class="key"><i style="background:${BAR_STYLE[k].color}"></i>${escapeHtml(BAR_STYLE[k].name)}</span>`);
  if (markerLabel && timeline.markers.length) items.push(`<span class="key"><i class="marker-key"></i>${escapeHtml(markerLabel)}</span>`);
  return `<div class="legend">${items.join('')}</div>`;
}
