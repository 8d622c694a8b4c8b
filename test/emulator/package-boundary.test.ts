/**
 * The BigQuery emulator is its own workspace package (emulator/bigquery/package.json, `@gradeguard/bigquery-emulator`):
 *  - it imports nothing of the toolkit: only its own files, Node's built-ins and the dependencies its package.json declares;
 *  - the toolkit reaches it only by the package name, never by a path into its folder; the library (src/) only by a
 *    dynamic import, so a production command never loads it (test/warehouse/module-graph.test.ts shows the graph);
 *    `@gradeguard/bigquery-emulator/testing` (internals) only from test/ and bench/ (`/cli` is the command, for scripts/emulator.ts);
 *  - its runtime import graph has no cycle (a cycle makes module evaluation order, and so startup, fragile).
 * Read from the source with TypeScript's parser (test/helpers/source-imports.ts), dynamic imports included.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { codeFiles, importsOf, repoPath as rel } from '../helpers/source-imports.ts';

const PACKAGE_DIR = join(repoRoot, 'emulator', 'bigquery');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };

const insidePackage = (file: string) => !relative(PACKAGE_DIR, file).startsWith('..');
const packageFiles = codeFiles(PACKAGE_DIR);
const toolkitFiles = ['src', 'tools', 'scripts', 'test', 'bench', 'deploy', 'includes', 'definitions', 'emulator'].flatMap((dir) => codeFiles(join(repoRoot, dir))).filter((f) => !insidePackage(f));

/** The bare package name of a specifier (`@scope/name/sub` → `@scope/name`). */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the BigQuery emulator package boundary', () => {
  it('the package imports only its own files, node built-ins and its declared dependencies', () => {
    expect(packageFiles.length).toBeGreaterThan(20);
    const outside: string[] = [];
    for (const file of packageFiles) {
      for (const { specifier } of importsOf(file)) {
        if (specifier.startsWith('.')) {
          if (!insidePackage(resolve(dirname(file), specifier))) outside.push(`${rel(file)} → ${specifier}`);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier) && !(packageName(specifier) in manifest.dependencies)) {
          outside.push(`${rel(file)} → ${specifier}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it('the toolkit reaches the package by its name only; the library only by a dynamic import; the internals only from tests', () => {
    expect(toolkitFiles.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const file of toolkitFiles) {
      const where = rel(file);
      for (const { specifier, typeOnly, dynamic } of importsOf(file)) {
        if (specifier.startsWith('.') && insidePackage(resolve(dirname(file), specifier))) wrong.push(`${where} → ${specifier} (a path into the package)`);
        if (packageName(specifier) !== manifest.name) continue;
        if (specifier === `${manifest.name}/testing` && !/^(test|bench)\//.test(where)) wrong.push(`${where} → ${specifier} (internals outside test/ and bench/)`);
        if (where.startsWith('src/') && !dynamic && !typeOnly) wrong.push(`${where} → ${specifier} (a static import in the library)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the runtime import graph inside the package has no cycle', () => {
    const edges = new Map<string, string[]>();
    for (const file of packageFiles) {
      const targets = importsOf(file)
        .filter((i) => i.specifier.startsWith('.') && !i.typeOnly)
        .map((i) => rel(resolve(dirname(file), i.specifier)));
      edges.set(rel(file), targets);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of edges.get(node) ?? []) walk(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of edges.keys()) walk(node, []);
    expect(cycles).toEqual([]);
  });
});
