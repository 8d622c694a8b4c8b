/**
 * bench/results.md as sections, one per benchmark file: each section ends with its footer line `_(name.bench.ts, …)_`.
 * A run of some benchmarks replaces their sections and keeps the others.
 *
 * A benchmark made of parts that can run alone (runner.bench.ts: BENCH_RUNNER_ONLY) prints every part's slot, between
 * `<!-- part NAME -->` and `<!-- /part NAME -->`, and leaves the slots of the parts it did not run empty: merging fills
 * an empty slot with that part from the previous results, so a one-part run replaces only its own part.
 */
export interface BenchSection {
  file: string;
  text: string;
}

const FOOTER = /^_\(([\w.-]+\.bench\.ts)\b.*\)_\s*$/;
const PART = /<!-- part ([\w-]+) -->\n([\s\S]*?)<!-- \/part \1 -->/g;

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

/** A part slot, with its markers, for a benchmark's output: `body` empty when the part did not run. */
export function partSlot(name: string, body: readonly string[]): string[] {
  return [`<!-- part ${name} -->`, ...body, `<!-- /part ${name} -->`];
}

/** The fresh section with each of its empty part slots filled from the previous section's part of that name. */
function fillParts(fresh: string, previous: string | undefined): string {
  if (previous === undefined) return fresh;
  const earlier = new Map([...previous.matchAll(PART)].map((m) => [m[1], m[2]]));
  return fresh.replace(PART, (slot, name: string, body: string) => (body.trim() === '' && earlier.get(name)?.trim() ? `<!-- part ${name} -->\n${earlier.get(name)}<!-- /part ${name} -->` : slot));
}

export function mergeSections(header: string, previous: string, fresh: readonly BenchSection[]): string {
  const byFile = new Map(parseSections(previous).map((s) => [s.file, s.text]));
  for (const s of fresh) byFile.set(s.file, fillParts(s.text, byFile.get(s.file)));
  return [header, ...[...byFile.keys()].sort().map((file) => byFile.get(file)!)].join('\n');
}
