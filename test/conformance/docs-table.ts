/**
 * Runs Google's ZetaSQL compliance cases and our own battery on fresh in-memory emulators and writes their figures
 * into docs/conformance.md and README.md (between generated-figure markers). The tests fail when the docs differ
 * from a run, so run this after a change that moves a figure.
 * Usage: npx tsx test/conformance/docs-table.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { startBigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { allCases } from './cases/index.ts';
import { runAll } from './harness.ts';
import { OWN_DOC, OWN_README, ownDocSection, ownReadme } from './docs-text.ts';
import { runCompliance } from '../zetasql/run.ts';
import { replaceBetween, ZETASQL_DOC, ZETASQL_README, zetasqlDocSection, zetasqlReadme } from '../zetasql/docs-text.ts';

const emu = await startBigQueryEmulator({ port: 0 });
try {
  const outcomes = new Map((await runAll(emu.url, emu.projectId, allCases)).map((o) => [o.name, o]));
  const zetasql = await runCompliance({ url: emu.url, projectId: emu.projectId });
  let doc = readFileSync('docs/conformance.md', 'utf8');
  doc = replaceBetween(doc, ZETASQL_DOC, zetasqlDocSection(zetasql));
  doc = replaceBetween(doc, OWN_DOC, ownDocSection(allCases, outcomes));
  writeFileSync('docs/conformance.md', doc);
  let readme = readFileSync('README.md', 'utf8');
  readme = replaceBetween(readme, ZETASQL_README, zetasqlReadme(zetasql));
  readme = replaceBetween(readme, OWN_README, ownReadme(allCases, outcomes));
  writeFileSync('README.md', readme);
  console.log(`wrote docs/conformance.md and README.md: ${zetasqlReadme(zetasql).split('**')[1]}; ${ownReadme(allCases, outcomes).split('**')[1]}`);
} finally {
  await emu.stop();
}
