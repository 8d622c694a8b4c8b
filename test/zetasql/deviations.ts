/**
 * The committed list of compliance cases the emulator does not pass, each with how it fails (refused, error,
 * wrong). zetasql.test.ts fails when a listed case passes or fails differently, or an unlisted one fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CaseResult, Outcome } from './run.ts';

const FILE = new URL('./deviations.json', import.meta.url);

export function readDeviations(): Record<string, Exclude<Outcome, 'pass'>> {
  return JSON.parse(readFileSync(FILE, 'utf8'));
}

export function writeDeviations(results: CaseResult[]): void {
  const list = Object.fromEntries(
    results
      .filter((r) => r.outcome && r.outcome !== 'pass')
      .map((r) => [r.id, r.outcome])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
  writeFileSync(FILE, JSON.stringify(list, null, 0).replace(/","/g, '",\n"').replace(/^\{/, '{\n').replace(/\}$/, '\n}\n'));
}
