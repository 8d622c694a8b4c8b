/**
 * The local stack's dataform CLI runs with vm2's code instrumentation memoized on disk. Every compile loads the
 * project and @dataform/core (770 kB) into vm2 sandboxes, and vm2 parses each file with acorn to instrument it: about
 * 1.2 of a compile's 3 CPU-seconds, the same work for the same files in every run. The instrumentation is a pure
 * function of the code (vm2's `transformer(args, body, isAsync, isGenerator)`), so its result is kept under .local/,
 * keyed by a hash of those arguments, of vm2's transformer source and of vm2's, acorn's and acorn-walk's package files
 * (another version of any misses the cache). The CLI, vm2's
 * sandbox and the code run in it are unchanged: the compiled graph is byte for byte the same
 * (test/warehouse/dataform-transform-cache.test.ts). An entry that cannot be read is computed again; one that cannot
 * be written is skipped. Only runs against the local emulator use it; runs against BigQuery start the CLI as it is.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Bodies shorter than this are instrumented each time: the memo is for @dataform/core's bundle and other large files. */
const MIN_BODY_CHARS = 16_384;

/**
 * Runs first in the CLI's processes (its main process and the compile worker it forks inherit NODE_OPTIONS). The salt is
 * read here, from the files this process loads. Only large script bodies are kept (not Function(...) arguments). Anything
 * going wrong leaves vm2's transformer as it is: the memo never stops the CLI.
 */
const PRELOAD = `
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
try {
  const { GRADEGUARD_VM2_TRANSFORMER: transformerPath, GRADEGUARD_TRANSFORM_CACHE: dir } = process.env;
  const load = createRequire(transformerPath);
  const salt = createHash('sha256');
  for (const file of [transformerPath, load.resolve('vm2/package.json'), load.resolve('acorn/package.json'), load.resolve('acorn-walk/package.json')]) salt.update(readFileSync(file)).update('\\0');
  const saltText = salt.digest('hex');
  const transformerModule = load(transformerPath);
  const transform = transformerModule.transformer;
  if (dir && typeof transform === 'function') {
    transformerModule.transformer = function cachedTransformer(args, body, isAsync, isGenerator, filename) {
      if (args !== null || typeof body !== 'string' || body.length < ${MIN_BODY_CHARS}) return transform(args, body, isAsync, isGenerator, filename);
      const key = createHash('sha256').update(saltText).update(JSON.stringify([isAsync, isGenerator, body])).digest('hex');
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
} catch {}
`;

let preload: { transformerPath: string; option: string } | null | undefined;

/**
 * The environment that makes a dataform CLI process memoize vm2's instrumentation in `cacheDir`; `base` unchanged when
 * the CLI's vm2 cannot be found (the CLI then runs as it is).
 */
export function transformCacheEnv(cacheDir: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  preload ??= (() => {
    try {
      const cli = createRequire(createRequire(import.meta.url).resolve('@dataform/cli/package.json'));
      return { transformerPath: cli.resolve('vm2/lib/transformer'), option: `--import=data:text/javascript;base64,${Buffer.from(PRELOAD).toString('base64')}` };
    } catch {
      return null;
    }
  })();
  if (!preload || base.NODE_OPTIONS?.includes(preload.option)) return base;
  return { ...base, GRADEGUARD_VM2_TRANSFORMER: preload.transformerPath, GRADEGUARD_TRANSFORM_CACHE: cacheDir, NODE_OPTIONS: [base.NODE_OPTIONS, preload.option].filter(Boolean).join(' ') };
}

/** Where the repository keeps the cache (beside the CLI's other local state). */
export const transformCacheDir = (repoRoot: string): string => join(repoRoot, '.local', 'dataform-transform-cache');
