/**
 * The local stack's dataform CLI runs with vm2's code instrumentation memoized on disk. Every compile loads the
 * project and @dataform/core (770 kB) into vm2 sandboxes, and vm2 parses each file with acorn to instrument it: about
 * 1.2 of a compile's 3 CPU-seconds, the same work for the same files in every run. The instrumentation is a pure
 * function of the code (vm2's `transformer(args, body, isAsync, isGenerator)`), so its result is kept under .local/,
 * keyed by a hash of those arguments, of vm2's transformer source and of vm2's and acorn's versions (another vm2 or
 * acorn misses the cache). The CLI, vm2's
 * sandbox and the code run in it are unchanged: the compiled graph is byte for byte the same
 * (test/warehouse/dataform-transform-cache.test.ts). An entry that cannot be read is computed again; one that cannot
 * be written is skipped. Only runs against the local emulator use it; runs against BigQuery start the CLI as it is.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Runs first in the CLI's processes (its main process and the compile worker it forks inherit NODE_OPTIONS). */
const PRELOAD = `
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
const { GRADEGUARD_VM2_TRANSFORMER: transformerPath, GRADEGUARD_TRANSFORM_CACHE: dir, GRADEGUARD_TRANSFORM_SALT: salt } = process.env;
if (transformerPath && dir && salt) {
  const transformerModule = createRequire(transformerPath)(transformerPath);
  const transform = transformerModule.transformer;
  if (typeof transform === 'function') {
    transformerModule.transformer = function cachedTransformer(args, body, isAsync, isGenerator, filename) {
      const key = createHash('sha256').update(salt).update(JSON.stringify([args, body, isAsync, isGenerator])).digest('hex');
      const file = join(dir, key.slice(0, 2), key + '.json');
      try {
        const hit = JSON.parse(readFileSync(file, 'utf8'));
        if (typeof hit.code === 'string' && typeof hit.hasAsync === 'boolean') return { __proto__: null, code: hit.code, hasAsync: hit.hasAsync };
      } catch {}
      const result = transform(args, body, isAsync, isGenerator, filename);
      try {
        mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
        const tmp = file + '.' + process.pid + '.tmp';
        writeFileSync(tmp, JSON.stringify({ code: result.code, hasAsync: result.hasAsync }));
        renameSync(tmp, file);
      } catch {}
      return result;
    };
  }
}
`;

let cached: Record<string, string> | undefined;

/** The environment that makes a dataform CLI process memoize vm2's instrumentation in `cacheDir`. */
export function transformCacheEnv(cacheDir: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  cached ??= (() => {
    const cli = createRequire(createRequire(import.meta.url).resolve('@dataform/cli/package.json'));
    const transformerPath = cli.resolve('vm2/lib/transformer');
    const vm2 = createRequire(transformerPath);
    const salt = createHash('sha256')
      .update(readFileSync(transformerPath))
      .update(readFileSync(vm2.resolve('vm2/package.json')))
      .update(readFileSync(vm2.resolve('acorn/package.json')))
      .digest('hex');
    const preload = `--import=data:text/javascript;base64,${Buffer.from(PRELOAD).toString('base64')}`;
    return { GRADEGUARD_VM2_TRANSFORMER: transformerPath, GRADEGUARD_TRANSFORM_SALT: salt, preload };
  })();
  const { preload, ...vars } = cached;
  return { ...base, ...vars, GRADEGUARD_TRANSFORM_CACHE: cacheDir, NODE_OPTIONS: [base.NODE_OPTIONS, preload].filter(Boolean).join(' ') };
}

/** Where the repository keeps the cache (beside the CLI's other local state). */
export const transformCacheDir = (repoRoot: string): string => join(repoRoot, '.local', 'dataform-transform-cache');
