/**
 * The BigQuery conformance battery on one in-memory emulator: every case passes unless it is a
 * documented known difference, and every known difference still fails (so the list stays honest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';
import { allCases } from './cases/index.ts';
import { runAll, type CaseOutcome } from './harness.ts';
import { knownDifferences } from './known-differences.ts';
import { readFileSync } from 'node:fs';
import { OWN_DOC, OWN_README, ownDocSection, ownReadme } from './docs-text.ts';
import { between } from '../zetasql/docs-text.ts';

let emulator: BigQueryEmulator;
const outcomes = new Map<string, CaseOutcome>();

beforeAll(async () => {
  emulator = await startBigQueryEmulator({ port: 0 });
  for (const o of await runAll(emulator.url, emulator.projectId, allCases)) outcomes.set(o.name, o);
}, 600_000); // 400-odd cases: it passed 120 s under load

afterAll(async () => {
  await emulator?.stop();
});

describe('BigQuery conformance', () => {
  it('has a battery of at least 250 cases', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(250);
  });

  const expectedToPass = allCases.filter((c) => !(c.name in knownDifferences)).map((c) => c.name);
  it.each(expectedToPass)('%s', (name) => {
    const o = outcomes.get(name);
    expect(o, 'case did not run').toBeDefined();
    expect(o!.passed, o!.detail).toBe(true);
  });

  it("docs/conformance.md and README.md report this run's figures (regenerate: npx tsx test/conformance/docs-table.ts)", () => {
    const root = new URL('../../', import.meta.url);
    expect(between(readFileSync(new URL('README.md', root), 'utf8'), OWN_README)).toBe(ownReadme(allCases, outcomes));
    expect(between(readFileSync(new URL('docs/conformance.md', root), 'utf8'), OWN_DOC)).toBe(ownDocSection(allCases, outcomes));
  });

  it('lists only known differences that name a case and still fail', () => {
    const names = new Set(allCases.map((c) => c.name));
    const unknown = Object.keys(knownDifferences).filter((n) => !names.has(n));
    expect(unknown, 'known differences naming no case').toEqual([]);
    const nowPassing = Object.keys(knownDifferences).filter((n) => outcomes.get(n)?.passed);
    expect(nowPassing, 'known differences that pass now: delete them from known-differences.ts').toEqual([]);
  });
});
