/**
 * `npm run bench [-- NAME...]`: runs the `bench/*.bench.ts` files (all, or those whose name contains a NAME), one after
 * another (never in parallel: these machines are small and noisy), and puts their markdown sections, with the machine
 * and date, into bench/results.md. A benchmark that was not run keeps its section; results.md is written only when at
 * least one benchmark ran to completion, so a mistyped name or `--help` never touches it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';
import { mergeSections, type BenchSection } from './sections.ts';

const dir = join(repoRoot, 'bench');
const resultsFile = join(dir, 'results.md');
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const usage = `Usage: npm run bench [-- NAME...]

Runs every benchmark in bench/ (or those whose file name contains one of the NAMEs), one after another, and puts
their sections into bench/results.md (sections of benchmarks not run are kept). Benchmarks:
${available.map((f) => `  ${f.replace(/\.bench\.ts$/, '')}`).join('\n')}

Exit codes: 0 all ran, 1 a benchmark failed, 2 bad input (nothing run, nothing written).
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
  process.exit(0);
}
const badOption = args.find((a) => a.startsWith('-'));
const unknown = args.filter((name) => !available.some((f) => f.includes(name)));
if (badOption || unknown.length) {
  process.stderr.write(`bench: ${badOption ? `unknown option ${badOption}` : `no benchmark matches ${unknown.map((n) => JSON.stringify(n)).join(', ')}`}\n\n${usage}`);
  process.exit(2);
}
const files = available.filter((f) => !args.length || args.some((name) => f.includes(name)));
const sections: BenchSection[] = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: running ${file}\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${file} failed (exit ${r.status}) after ${secs} s; its section in results.md is kept as it was\n`);
  } else {
    sections.push({ file, text: r.stdout.trim() + `\n\n_(${file}, ${secs} s)_\n` });
  }
}
if (sections.length === 0) {
  process.stderr.write(`bench: no benchmark produced results; bench/results.md not written\n`);
  process.exit(1);
}
const header = `# Benchmark results\n\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)} (sections may come from different runs: each names its own machine load).\nEach benchmark states what it compares; comparisons are measured side by side in one run, as medians of several runs.\n`;
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
writeFileSync(resultsFile, mergeSections(header, previous, sections));
process.stderr.write(`bench: wrote ${sections.map((s) => s.file).join(', ')} into bench/results.md (${files.length} run, ${failed} failed)\n`);
process.exit(failed ? 1 : 0);
