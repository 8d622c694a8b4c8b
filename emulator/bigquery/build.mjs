/**
 * `npm run build -w @gradeguard/bigquery-emulator -- --out-dir DIR`: the package as an installable folder — its
 * JavaScript, declarations and package.json — so plain `node` can import it (its exports name `./index.js`, which in
 * the repository tsx, vitest and tsc resolve to the TypeScript source beside it). The toolkit's build
 * (deploy/build.mjs) puts it at dist/node_modules/@gradeguard/bigquery-emulator, where the compiled toolkit finds it.
 * Plain JavaScript: the build needs no build.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } }, strict: true });
const outDir = resolve(here, values['out-dir']);

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json'), '--outDir', outDir], { cwd: here, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
copyFileSync(join(here, 'package.json'), join(outDir, 'package.json'));
chmodSync(join(outDir, 'bin.js'), 0o755);
process.stdout.write(`built ${outDir}\n`);
