/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after another (never in parallel: these machines
 * are small and noisy) and writes their markdown sections, with the machine and date, to bench/results.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

const only = process.argv.slice(2);
const dir = join(repoRoot, 'bench');
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o)))).sort();
const sections: string[] = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: running ${file}\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed++;
    sections.push(`## ${file}\n\nFailed (exit ${r.status}) after ${secs} s.\n`);
  } else {
    sections.push(r.stdout.trim() + `\n\n_(${file}, ${secs} s)_\n`);
  }
}
const header = `# Benchmark results\n\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.\nEach benchmark states what it compares; comparisons are measured side by side in one run, as medians of several runs.\n`;
writeFileSync(join(dir, 'results.md'), [header, ...sections].join('\n'));
process.stderr.write(`bench: wrote bench/results.md (${files.length} benchmarks, ${failed} failed)\n`);
process.exit(failed ? 1 : 0);
