/**
 * Google's ZetaSQL compliance cases on the emulator (through its REST API): every BigQuery-applicable case passes
 * unless deviations.json lists how it fails, and every listed deviation still fails that way — so a fix shows up
 * as a list entry to delete, and a regression (a new failure, or an error turning into a wrong answer) fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { runCompliance, type CaseResult } from './run.ts';
import { complianceFiles } from './source.ts';
import { readDeviations } from './deviations.ts';
import { readFileSync } from 'node:fs';
import { between, ZETASQL_DOC, ZETASQL_README, zetasqlDocSection, zetasqlReadme } from './docs-text.ts';
import { repoRoot } from './source.ts';

let emulator: BigQueryEmulator;
let results: CaseResult[] = [];
const files = complianceFiles();
const deviations = readDeviations();

beforeAll(async () => {
  emulator = await startBigQueryEmulator({ port: 0 });
  results = await runCompliance({ url: emulator.url, projectId: emulator.projectId });
}, 600_000);

afterAll(async () => {
  await emulator?.stop();
});

describe('ZetaSQL compliance', () => {
  it('fails loudly when the shared compliance folder is missing', () => {
    expect(() => complianceFiles('/nonexistent/zetasql-compliance')).toThrow(/not found/);
  });

  it('reads every file and case of the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(180);
    expect(new Set(results.map((r) => r.file)).size).toBe(files.length);
    expect(results.length).toBeGreaterThan(8_000);
  });

  it('has a documented decision for every ZetaSQL feature a case needs', () => {
    expect(results.filter((r) => r.excluded?.startsWith('undecided')).map((r) => `${r.id}: ${r.excluded}`)).toEqual([]);
  });

  it('lists only deviations that name a case', () => {
    const ids = new Set(results.map((r) => r.id));
    expect(Object.keys(deviations).filter((id) => !ids.has(id))).toEqual([]);
  });

  it("docs/conformance.md and README.md report this run's figures (regenerate: npx tsx test/conformance/docs-table.ts)", () => {
    const doc = readFileSync(`${repoRoot}/docs/conformance.md`, 'utf8');
    const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
    expect(between(readme, ZETASQL_README)).toBe(zetasqlReadme(results));
    expect(between(doc, ZETASQL_DOC)).toBe(zetasqlDocSection(results));
  });

  it.each(files)('%s: outcomes match deviations.json', (file) => {
    const mismatches = results
      .filter((r) => r.file === file && !r.excluded && (deviations[r.id] ?? 'pass') !== r.outcome)
      .map((r) => `${r.id}: ${deviations[r.id] ?? 'pass'} listed, got ${r.outcome}${r.detail ? ` (${r.detail.slice(0, 200)})` : ''}`);
    expect(mismatches, 'update test/zetasql/deviations.json (npx tsx test/zetasql/cli.ts --write-deviations) only for a real change').toEqual([]);
  });
});
