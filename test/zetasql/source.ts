/**
 * Where Google's ZetaSQL compliance files live: `<repo root>/../shared/conformance/zetasql-compliance`, read in place
 * (never copied into the project). A missing folder is an error, never a skipped run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const complianceDir = resolve(repoRoot, '../shared/conformance/zetasql-compliance');

/** The `*.test` files, sorted; throws when the shared folder is missing or empty. */
export function complianceFiles(dir = complianceDir): string[] {
  if (!existsSync(dir)) {
    throw new Error(`ZetaSQL compliance files not found at ${dir}: the shared folder must sit beside the repository (../shared/conformance/zetasql-compliance)`);
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort();
  if (!files.length) throw new Error(`No *.test files in ${dir}`);
  return files;
}
