/**
 * `node deploy/production-manifest.mjs <dir>`: the root package.json and package-lock.json without the workspaces
 * (today the BigQuery emulator, emulator/bigquery), written to <dir> for the production image's
 * `npm ci --omit=dev` (Dockerfile). npm installs a workspace's dependencies even with --omit=dev and
 * --workspaces=false, so DuckDB and polyglot would land in the image; without the workspace entries npm recomputes the
 * tree from the lock file and omits them as the root's devDependencies. Versions stay exactly those of the lock file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2];
if (!outDir || process.argv.length > 3) {
  process.stderr.write('Usage: node deploy/production-manifest.mjs <out-dir>\n');
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const workspaces = manifest.workspaces ?? [];
const names = workspaces.map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name);

const withoutWorkspaces = (pkg) => {
  delete pkg.workspaces;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) for (const name of names) delete pkg[field]?.[name];
};
withoutWorkspaces(manifest);
withoutWorkspaces(lock.packages['']);
for (const dir of workspaces) delete lock.packages[dir];
for (const name of names) delete lock.packages[`node_modules/${name}`];

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
writeFileSync(join(outDir, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`wrote ${join(outDir, 'package.json')} and package-lock.json without the workspaces ${names.join(', ')}\n`);
