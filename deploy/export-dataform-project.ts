/**
 * Writes the Dataform project alone — dataform.json, definitions/, includes/ and a package.json whose only dependency
 * is @dataform/core at the version this repository pins — into a folder, for the git branch a Google Cloud Dataform
 * repository compiles. Dataform installs the dependencies of the package.json it finds; the repository's root one
 * lists the toolkit's and the emulator's (DuckDB, Firestore, ...), which compilation never needs.
 *
 *   node --import tsx deploy/export-dataform-project.ts <out-dir>
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Everything Dataform compiles; nothing else of the repository. */
export const DATAFORM_PROJECT_FILES = ['dataform.json', 'definitions', 'includes'] as const;

/** The output folder is not usable (bad input of the command: exit 2). */
export class ExportTargetError extends Error {}

export function exportDataformProject(outDir: string): { dependencies: Record<string, string> } {
  if (existsSync(outDir) && readdirSync(outDir).some((f) => f !== '.git')) throw new ExportTargetError(`${outDir} is not empty`);
  mkdirSync(outDir, { recursive: true });
  for (const part of DATAFORM_PROJECT_FILES) cpSync(join(root, part), join(outDir, part), { recursive: true });
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const core = rootPackage.dependencies['@dataform/core'];
  if (!/^\d+\.\d+\.\d+$/.test(core ?? '')) throw new Error(`@dataform/core must be pinned to an exact version in package.json (found ${core})`);
  const dependencies = { '@dataform/core': core };
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ name: 'gradeguard-dataform', private: true, dependencies }, null, 2) + '\n');
  return { dependencies };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('Usage: node --import tsx deploy/export-dataform-project.ts <out-dir>\n');
    process.exit(2);
  }
  try {
    const { dependencies } = exportDataformProject(resolve(out));
    process.stdout.write(`Dataform project written to ${resolve(out)} (dependencies: ${JSON.stringify(dependencies)})\n`);
  } catch (error) {
    if (!(error instanceof ExportTargetError)) throw error;
    process.stderr.write(`export-dataform-project: ${error.message}\n`);
    process.exit(2);
  }
}
