/** `npm run bench` input handling: --help and unknown names never run anything and never touch bench/results.md. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSections, parseSections } from '../../bench/sections.ts';
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
});
