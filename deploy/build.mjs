/**
 * `npm run build [-- --out-dir DIR]`: the toolkit compiled to JavaScript with type declarations (tsconfig.build.json),
 * so `node dist/scripts/gradeguard.js` runs without tsx. The BigQuery emulator is its own package
 * (emulator/bigquery/build.mjs), built into dist/node_modules/@gradeguard/bigquery-emulator where the compiled toolkit's
 * `import('@gradeguard/bigquery-emulator')` (--target local only) finds it. `--production` (the image: Dockerfile)
 * leaves out everything local-only: the emulator package, the tools (tools/: demo, chaos, synthetic data) and the
 * commands built on them (the scripts importing tools/: start, chaos). The library never imports tools/
 * (test/layers.test.ts), so no production command reaches what is removed. includes/ is copied beside the compiled code because the
 * library imports its CommonJS modules by relative path (../../includes/...); the Dataform project itself
 * (dataform.json, definitions/, includes/) is read from the package root, found above dist/ (src/warehouse/dataform-cli.ts).
 * Plain JavaScript: the build needs no build.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' }, production: { type: 'boolean', default: false } }, strict: true });
const outDir = resolve(root, values['out-dir']);

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(join(root, 'includes'), join(outDir, 'includes'), { recursive: true });
if (values.production) {
  rmSync(join(outDir, 'tools'), { recursive: true, force: true });
  const scriptsDir = join(outDir, 'scripts');
  const importsTools = (file) => /(from\s*|import\s*\(\s*)['"]\.\.\/tools\//.test(readFileSync(join(scriptsDir, file), 'utf8'));
  const localCommands = readdirSync(scriptsDir)
    .filter((file) => file.endsWith('.js') && importsTools(file))
    .map((file) => file.slice(0, -'.js'.length));
  for (const name of localCommands) for (const ext of ['.js', '.js.map', '.d.ts']) rmSync(join(scriptsDir, name + ext), { force: true });
  process.stdout.write(`left out the local-only tools/ and the commands built on them: ${localCommands.join(', ')}\n`);
} else {
  const emulatorDir = join(outDir, 'node_modules', '@gradeguard', 'bigquery-emulator');
  const emulator = spawnSync(process.execPath, [join(root, 'emulator', 'bigquery', 'build.mjs'), '--out-dir', emulatorDir], { cwd: root, stdio: 'inherit' });
  if (emulator.status !== 0) process.exit(emulator.status ?? 1);
}
process.stdout.write(`built ${outDir}: node ${join(outDir, 'scripts', 'gradeguard.js')} --help\n`);
