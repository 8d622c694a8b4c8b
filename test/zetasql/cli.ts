/**
 * Runs the ZetaSQL compliance cases on a fresh in-memory emulator and prints the figures.
 * Usage: npx tsx test/zetasql/cli.ts [file-substring ...] [--details] [--write-deviations]
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { runCompliance } from './run.ts';
import { complianceFiles } from './source.ts';
import { summarise } from './summary.ts';
import { writeDeviations } from './deviations.ts';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const files = complianceFiles().filter((f) => !filters.length || filters.some((x) => f.includes(x)));
const emu = await startBigQueryEmulator({ port: 0 });
try {
  const started = performance.now();
  const results = await runCompliance({ url: emu.url, projectId: emu.projectId }, { files });
  const ms = Math.round(performance.now() - started);
  const s = summarise(results);
  console.log(
    `${files.length} files, ${results.length} cases in ${ms} ms: applicable ${s.total.applicable}, pass ${s.total.pass}, refused ${s.total.refused}, error ${s.total.error}, wrong ${s.total.wrong}, excluded ${s.total.excluded}`,
  );
  mkdirSync('.local', { recursive: true });
  writeFileSync('.local/zetasql-results.json', JSON.stringify(results, null, 1));
  if (args.includes('--details')) for (const r of results.filter((x) => x.outcome && x.outcome !== 'pass')) console.log(`${r.outcome} ${r.id}: ${r.detail ?? ''}`);
  if (args.includes('--write-deviations')) {
    if (filters.length) throw new Error('--write-deviations needs a run of every file');
    writeDeviations(results);
    console.log('wrote test/zetasql/deviations.json');
  }
} finally {
  await emu.stop();
}
