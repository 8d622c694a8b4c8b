/**
 * bench/results.md as sections, one per benchmark file: each section ends with its footer line `_(name.bench.ts, …)_`.
 * A run of some benchmarks replaces their sections and keeps the others.
 */
export interface BenchSection {
  file: string;
  text: string;
}

const FOOTER = /^_\(([\w.-]+\.bench\.ts)\b.*\)_\s*$/;

/** The sections of a results.md, in order; text before the first `## ` heading is the header and is dropped. */
export function parseSections(markdown: string): BenchSection[] {
  const start = markdown.search(/^## /m);
  if (start < 0) return [];
  const sections: BenchSection[] = [];
  let lines: string[] = [];
  for (const line of markdown.slice(start).split('\n')) {
    lines.push(line);
    const footer = FOOTER.exec(line);
    if (footer) {
      sections.push({ file: footer[1], text: lines.join('\n').trim() + '\n' });
      lines = [];
    }
  }
  return sections;
}

export function mergeSections(header: string, previous: string, fresh: readonly BenchSection[]): string {
  const byFile = new Map(parseSections(previous).map((s) => [s.file, s.text]));
  for (const s of fresh) byFile.set(s.file, s.text);
  return [header, ...[...byFile.keys()].sort().map((file) => byFile.get(file)!)].join('\n');
}
