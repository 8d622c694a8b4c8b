/**
 * The dataform CLI's compile with and without the local stack's memo of vm2's instrumentation
 * (src/warehouse/dataform-transform-cache.ts), alternated in one run: `dataform compile` of this project, the memo warm.
 * CPU seconds of the CLI's whole process tree (its compile worker too, which the CLI ends with SIGKILL, so GNU time
 * misses it: `perf stat` counts it) and wall seconds; medians of BENCH_COMPILE_RUNS (7) runs of each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataformBin, repoRoot } from '../src/warehouse/dataform-cli.ts';
import { transformCacheEnv } from '../src/warehouse/dataform-transform-cache.ts';
import { machineLine, median } from './summary.ts';

const args = [dataformBin(), 'compile', '.', '--json', '--timeout=5m', '--vars=game_date=2026-01-17,run_id=bench,lock_token=1,operation=grade'];

function compileOnce(env: NodeJS.ProcessEnv): { cpuS: number; wallS: number; graph: string } {
  const started = performance.now();
  const r = spawnSync('perf', ['stat', '-x', ',', '-e', 'task-clock', process.execPath, ...args], { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallS = (performance.now() - started) / 1000;
  if (r.error) throw new Error(`perf is needed to count the compile worker's CPU: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`dataform compile exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const ms = /^([\d.]+),msec,task-clock/m.exec(r.stderr);
  if (!ms) throw new Error(`no task-clock figure in perf's output: ${r.stderr.slice(-500)}`);
  return { cpuS: Number(ms[1]) / 1000, wallS, graph: r.stdout };
}

const runs = Number(process.env.BENCH_COMPILE_RUNS ?? 7);
const cacheDir = mkdtempSync(join(tmpdir(), 'gg-bench-transform-cache-'));
try {
  const cached = transformCacheEnv(cacheDir, process.env);
  const reference = compileOnce(process.env).graph;
  compileOnce(cached); // fills the memo
  // A memo that never wrote would show a ratio near 1 and prove nothing.
  if (readdirSync(cacheDir).length === 0) throw new Error(`the compile with the memo wrote nothing into ${cacheDir}`);
  const plain: Array<{ cpuS: number; wallS: number }> = [];
  const memo: Array<{ cpuS: number; wallS: number }> = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`dataform-compile.bench: round ${i + 1} of ${runs}\n`);
    for (const [env, into] of [
      [process.env, plain],
      [cached, memo],
    ] as const) {
      const r = compileOnce(env);
      if (r.graph !== reference) throw new Error('the compiled graph differs between runs');
      into.push(r);
    }
  }
  const row = (name: string, xs: Array<{ cpuS: number; wallS: number }>) =>
    `| ${name} | ${median(xs.map((x) => x.cpuS)).toFixed(2)} s | ${median(xs.map((x) => x.wallS)).toFixed(2)} s | ${xs.map((x) => x.cpuS.toFixed(2)).join(', ')} |`;
  const ratio = median(memo.map((x) => x.cpuS)) / median(plain.map((x) => x.cpuS));
  process.stdout.write(
    [
      '## dataform compile: vm2 instrumentation memo',
      '',
      `\`dataform compile . --json\` of this project, ${runs} rounds, each a run without the memo then one with it warm (the same graph every run, checked).`,
      '',
      '| compile | CPU (median) | wall (median) | CPU of each run |',
      '|---|---:|---:|---|',
      row('CLI as it is', plain),
      row('with the memo', memo),
      '',
      `CPU with the memo / without: **${ratio.toFixed(2)}**.`,
      '',
      machineLine(),
    ].join('\n') + '\n',
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
