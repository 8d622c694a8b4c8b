/**
 * The layers of the repository, checked from the source (test/helpers/source-imports.ts: static, type-only and dynamic
 * imports alike). The library (src/) is what production runs: it never reaches into the local-only tools (tools/: the
 * demo story, chaos, synthetic data), the commands, the tests or the benchmarks, so the production build can leave
 * those out, and loads the local stack (emulator/) only by a dynamic import. The local Dataform API stand-in
 * (emulator/dataform-api/) imports nothing of the toolkit: it is handed the dataform CLI. The demo and chaos share
 * what both need through tools/harness/ and tools/synthetic/, never each other.
 * The BigQuery emulator's own package boundary: test/emulator/package-boundary.test.ts. ESLint's
 * `no-restricted-imports` (eslint.config.js) flags the static cases in the editor.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';
import { codeFiles, importsOf, repoPath } from './helpers/source-imports.ts';

interface Layer {
  /** Files under this folder (repository-relative, trailing slash)… */
  from: string;
  /** …import nothing under these. */
  never: string[];
  why: string;
}

const LAYERS: Layer[] = [
  { from: 'src/', never: ['tools/', 'scripts/', 'test/', 'bench/'], why: 'the library is what production runs; the tools, commands, tests and benchmarks build on it' },
  {
    from: 'emulator/dataform-api/',
    never: ['src/', 'tools/', 'scripts/', 'test/', 'bench/'],
    why: 'the Dataform API stand-in is local-only tooling; whoever starts it injects the dataform CLI (src/runner/executors/local-dataform-api.ts)',
  },
  { from: 'tools/demo/', never: ['tools/chaos/'], why: 'shared pieces live in tools/harness/ or tools/synthetic/' },
  { from: 'tools/chaos/', never: ['tools/demo/'], why: 'shared pieces live in tools/harness/ or tools/synthetic/' },
  { from: 'tools/harness/', never: ['tools/demo/', 'tools/chaos/'], why: 'the harness is shared by the demo, chaos and tests' },
  { from: 'tools/synthetic/', never: ['tools/demo/', 'tools/chaos/', 'tools/harness/'], why: 'synthetic data is shared by the demo, chaos, bench and tests' },
];

/** Each relative import of the files under `from`, as the repository path it resolves to. */
function edgesFrom(from: string) {
  return codeFiles(join(repoRoot, from)).flatMap((file) =>
    importsOf(file)
      .filter(({ specifier }) => specifier.startsWith('.'))
      .map((found) => ({ ...found, file: repoPath(file), target: repoPath(resolve(dirname(file), found.specifier)) })),
  );
}

describe('the layers', () => {
  for (const { from, never, why } of LAYERS) {
    it(`${from} imports nothing under ${never.join(', ')}: ${why}`, () => {
      expect(existsSync(join(repoRoot, from)), from).toBe(true);
      const edges = edgesFrom(from);
      // A rule that read no imports checked nothing.
      expect(edges.length, `imports read under ${from}`).toBeGreaterThan(0);
      const wrong = edges.filter(({ target }) => never.some((dir) => target.startsWith(dir))).map(({ file, specifier }) => `${file} → ${specifier}`);
      expect(wrong).toEqual([]);
    });
  }

  it('src/ loads the local stack (emulator/: Firestore, the Dataform API stand-in) only by a dynamic import, for --target local', () => {
    const intoEmulator = edgesFrom('src/').filter(({ target }) => target.startsWith('emulator/'));
    expect(intoEmulator.filter(({ dynamic }) => dynamic).length).toBeGreaterThan(0);
    expect(intoEmulator.filter(({ dynamic, typeOnly }) => !dynamic && !typeOnly).map(({ file, specifier }) => `${file} → ${specifier}`)).toEqual([]);
  });

  it('the commands built on tools/ are the ones the dispatcher marks localTool (the production build leaves them out)', () => {
    const builtOnTools = [
      ...new Set(
        edgesFrom('scripts/')
          .filter(({ target }) => target.startsWith('tools/'))
          .map(({ file }) => basename(file, '.ts')),
      ),
    ].sort();
    expect(builtOnTools.length).toBeGreaterThan(0);
    const dispatcher = readFileSync(join(repoRoot, 'scripts/gradeguard.ts'), 'utf8');
    const marked = [...dispatcher.matchAll(/^ {2}'?([\w-]+)'?: \{.*\blocalTool: true\b/gm)].map((m) => m[1]).sort();
    expect(marked).toEqual(builtOnTools);
  });
});
