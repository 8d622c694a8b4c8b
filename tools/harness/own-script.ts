/**
 * The node arguments that start one of the repository's scripts (repository-relative, e.g. `scripts/emulator.ts`) the
 * way this code itself runs: compiled, the script's compiled copy in the same build (no tsx compiling every module at
 * each start); from the TypeScript source, the source through `node --import tsx` (one process: the tsx CLI would put
 * a wrapper process in between, hiding kill -9). A script the build does not hold (one nothing imports) runs from source.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const here = fileURLToPath(import.meta.url);
/** This module is <root>/tools/harness/own-script.{ts,js}: a .js is the build's copy, <root> the build. */
const buildRoot = here.endsWith('.js') ? resolve(dirname(here), '..', '..') : undefined;

export function ownScriptArgs(script: string, args: readonly string[]): string[] {
  const compiled = buildRoot && join(buildRoot, script.replace(/\.ts$/, '.js'));
  if (compiled && existsSync(compiled)) return [compiled, ...args];
  return ['--import', 'tsx', join(repoRoot, script), ...args];
}
