/** Runs the whole battery on a fresh in-memory emulator and prints the pass count and failures. */
import { writeFileSync, mkdirSync } from 'node:fs';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { allCases } from './cases/index.ts';
import { runAll } from './harness.ts';

const filter = process.argv[2];
const emu = await startBigQueryEmulator({ port: 0 });
try {
  const cases = filter ? allCases.filter((c) => c.name.includes(filter)) : allCases;
  const started = performance.now();
  const results = await runAll(emu.url, emu.projectId, cases);
  const failed = results.filter((r) => !r.passed);
  mkdirSync('.local', { recursive: true });
  writeFileSync('.local/conformance-failures.txt', failed.map((r) => `${r.name}\n    ${r.detail}`).join('\n') + '\n');
  console.log(`passed ${results.length - failed.length} of ${results.length} in ${Math.round(performance.now() - started)} ms`);
  if (filter) for (const f of failed) console.log(`${f.name}\n    ${f.detail}`);
} finally {
  await emu.stop();
}
