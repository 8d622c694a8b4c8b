/** `npm run bench` input handling: --help and unknown names never run anything and never touch bench/results.md. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSections, parseSections, partSlot } from '../../bench/sections.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const resultsFile = join(repoRoot, 'bench', 'results.md');
const bench = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/run.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe('npm run bench', () => {
  it('--help prints the usage and the benchmark names, runs nothing, leaves results.md untouched', () => {
    const before = readFileSync(resultsFile, 'utf8');
    const r = bench(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run bench');
    expect(r.stdout).toMatch(/^ {2}cleanup$/m);
    expect(r.stderr).not.toContain('bench: running');
    expect(readFileSync(resultsFile, 'utf8')).toBe(before);
  });

  it.each([[['no-such-benchmark']], [['--bogus']], [['grading', 'gradng']]])('refuses %j with exit 2, runs nothing, leaves results.md untouched', (args) => {
    const before = readFileSync(resultsFile, 'utf8');
    const r = bench(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no benchmark matches|unknown option/);
    expect(r.stderr).not.toContain('bench: running');
    expect(readFileSync(resultsFile, 'utf8')).toBe(before);
  });

  it('a run of one benchmark replaces its own section and keeps the others', () => {
    const previous = '# Benchmark results\n\nold header\n\n## A\n\nold a\n\n_(a.bench.ts, 1 s)_\n\n## B\n\nold b\n\n_(b.bench.ts, 2 s: a note)_\n';
    const merged = mergeSections('# Benchmark results\n\nnew header\n', previous, [{ file: 'a.bench.ts', text: '## A\n\nnew a\n\n_(a.bench.ts, 3 s)_\n' }]);
    expect(merged).toContain('new header');
    expect(merged).not.toContain('old header');
    expect(parseSections(merged)).toEqual([
      { file: 'a.bench.ts', text: '## A\n\nnew a\n\n_(a.bench.ts, 3 s)_\n' },
      { file: 'b.bench.ts', text: '## B\n\nold b\n\n_(b.bench.ts, 2 s: a note)_\n' },
    ]);
  });

  it("a run of one part of a benchmark (BENCH_RUNNER_ONLY) replaces that part and keeps the section's other parts", () => {
    const section = (parts: Record<string, string[]>, footer: string) =>
      ['## Runner', '', 'intro', '', ...['one-date', 'backfill', 'year'].flatMap((name) => [...partSlot(name, parts[name] ?? []), '']), `_(runner.bench.ts, ${footer})_`, ''].join('\n');
    const previous = `# Benchmark results\n\n${section({ 'one-date': ['old one date'], backfill: ['old backfill', '', 'load 50'], year: ['old year'] }, '900 s')}`;
    const fresh = section({ 'one-date': ['new one date', 'load 2'] }, '54 s');
    const merged = mergeSections('# Benchmark results\n', previous, [{ file: 'runner.bench.ts', text: fresh }]);
    const [runner] = parseSections(merged);
    expect(runner.text).toContain('new one date\nload 2');
    expect(runner.text).not.toContain('old one date');
    expect(runner.text).toContain('old backfill\n\nload 50');
    expect(runner.text).toContain('old year');
    expect(runner.text).toContain('_(runner.bench.ts, 54 s)_');
    // The parts stay in the benchmark's order, each once.
    expect(runner.text.indexOf('new one date')).toBeLessThan(runner.text.indexOf('old backfill'));
    expect(runner.text.indexOf('old backfill')).toBeLessThan(runner.text.indexOf('old year'));
    expect(runner.text.match(/<!-- part year -->/g)).toHaveLength(1);
    // A full run replaces every part.
    const full = mergeSections('# Benchmark results\n', merged, [{ file: 'runner.bench.ts', text: section({ 'one-date': ['a'], backfill: ['b'], year: ['c'] }, '1000 s') }]);
    expect(full).not.toMatch(/old|new one date/);
  });
});
