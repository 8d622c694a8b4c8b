/**
 * `npm start` as a new user runs it (default size and seed), several times one after another, each in its own state
 * directory: wall time of the process, each step's seconds (its `story_step_done` log lines), the incident figures (the
 * same seed must give the same ones every run), the scheduled run's lock wait (it must wait every run), and the
 * longest silence — the longest time between two lines of output on stdout or stderr. Runs: BENCH_START_RUNS (3).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';
import { machineLine, median } from './summary.ts';

interface StartRun {
  wallS: number;
  exitCode: number | null;
  steps: Map<string, number>;
  incident: string;
  waitS: number | null;
  longestSilenceS: number;
  /** User + system CPU seconds of the process tree. */
  cpuS: number | null;
}

async function runOnce(index: number): Promise<StartRun> {
  const dir = join(repoRoot, '.local', `bench-start-${index}`);
  const started = performance.now();
  // GNU time: the CPU seconds of the whole process tree (story, commands, dataform, emulators), which does not depend on
  // how busy the machine is the way wall time does.
  const child = spawn('/usr/bin/time', ['-f', 'GGTIME %U %S', process.execPath, '--import', 'tsx', join(repoRoot, 'scripts/start.ts'), '--state-dir', dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let last = performance.now();
  let longest = 0;
  let stdout = '';
  let stderr = '';
  const seen = (chunk: Buffer) => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    return chunk.toString('utf8');
  };
  child.stdout.on('data', (chunk: Buffer) => (stdout += seen(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += seen(chunk)));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallS = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-report.html`, { force: true });
  // The Slack stand-in's URL path stands for a webhook secret (tools/harness/webhook-receiver.ts): never printed.
  if (/s3cr3tW3bh00kT0k3n/.test(stdout + stderr)) throw new Error(`run ${index} printed the webhook's secret path`);
  if (exitCode !== 0) process.stderr.write(`start.bench: run ${index} exited ${exitCode}\n${stdout}\n${stderr.slice(-4000)}\n`);
  const steps = new Map<string, number>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line);
    if (event.message === 'story_step_done') steps.set(event.step, event.seconds);
  }
  const incident = /prediction_accuracy: (\d+ rows, \d+ duplicate rows \([\d.]+%\) on \d+ dates)/.exec(stdout)?.[1] ?? 'not printed';
  const wait = /The scheduled run waited ([\d.]+) s/.exec(stdout);
  const cpu = /^GGTIME ([\d.]+) ([\d.]+)$/m.exec(stderr);
  return { wallS, exitCode, steps, incident, waitS: wait ? Number(wait[1]) : null, longestSilenceS: longest / 1000, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

const count = Number(process.env.BENCH_START_RUNS ?? 3);
const runs: StartRun[] = [];
for (let i = 1; i <= count; i++) {
  process.stderr.write(`start.bench: run ${i} of ${count}\n`);
  runs.push(await runOnce(i));
}
const stepIds = [...new Set(runs.flatMap((r) => [...r.steps.keys()]))];
const wall = median(runs.map((r) => r.wallS));
const same = new Set(runs.map((r) => r.incident)).size === 1;
const lines = [
  '## `npm start` (default: size small, seed 7)',
  '',
  `\`node --import tsx scripts/start.ts --state-dir .local/bench-start-N\`, ${count} runs one after another, each a fresh stack. Target: under 2 minutes on this 2-core machine.`,
  '',
  `| run | wall | CPU | exit | ${stepIds.join(' | ')} | incident figures | scheduled run's lock wait | longest silence |`,
  `|---|---:|---:|---:|${stepIds.map(() => '---:').join('|')}|---|---:|---:|`,
  ...runs.map(
    (r, i) =>
      `| ${i + 1} | ${r.wallS.toFixed(1)} s | ${r.cpuS === null ? '-' : `${r.cpuS.toFixed(1)} s`} | ${r.exitCode} | ${stepIds.map((id) => (r.steps.has(id) ? `${r.steps.get(id)!.toFixed(1)} s` : '-')).join(' | ')} | ${r.incident} | ${r.waitS === null ? 'none' : `${r.waitS.toFixed(1)} s`} | ${r.longestSilenceS.toFixed(1)} s |`,
  ),
  `| **median** | **${wall.toFixed(1)} s** ${wall < 120 ? '✓' : '✗'} (< 120 s) | ${median(runs.map((r) => r.cpuS ?? 0)).toFixed(1)} s | | ${stepIds.map((id) => `${median(runs.map((r) => r.steps.get(id) ?? 0)).toFixed(1)} s`).join(' | ')} | ${same ? 'identical in every run ✓' : 'DIFFER ✗'} | ${runs.every((r) => (r.waitS ?? 0) > 0) ? 'waited every run ✓' : 'not every run ✗'} | ${median(runs.map((r) => r.longestSilenceS)).toFixed(1)} s |`,
  '',
  'CPU: user + system seconds of the whole process tree (GNU time); on an otherwise idle 2-core machine the wall time cannot be below half of it, and on a busy one it grows with the load. Steps: the `story_step_done` seconds each run logs. Longest silence: the longest time between two chunks of output on stdout or stderr (off a terminal the story logs a heartbeat line after 5 s without one).',
  '',
  machineLine(),
];
process.stdout.write(lines.join('\n') + '\n');
process.exit(runs.every((r) => r.exitCode === 0) ? 0 : 1);
