// `npm run lint`: rules that catch real bugs (typed: floating and misused promises, awaits of non-promises; unused
// code), not style — the formatter (prettier.config.js) owns layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const node = { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly' };
const commonjs = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly' };
// Dataform exposes the SQLX/JS API and every includes/ file (by its name) as globals to definitions/ and includes/.
const includesGlobals = ['business_keys', 'checks', 'constants', 'fence', 'metrics', 'run_vars', 'schemas', 'sql_helpers', 'sql_text', 'summary_windows', 'unit_test_rows'];
const dataform = Object.fromEntries(['assert', 'declare', 'operate', 'publish', 'test', 'dataform', 'session', ...includesGlobals].map((name) => [name, 'readonly']));

// The BigQuery emulator is its own package (emulator/bigquery/package.json): the toolkit imports it by name, it imports
// nothing of the toolkit. test/emulator/package-boundary.test.ts checks the same, dynamic imports included.
const intoEmulator = { regex: '(^|/)emulator/bigquery(/|$)', message: "Import the emulator by its package name, '@gradeguard/bigquery-emulator'." };
// The library (src/) never imports the local-only tools (tools/: demo, chaos, synthetic data), the commands, tests or
// benchmarks; the demo and chaos share through tools/harness/ and tools/synthetic/. test/layers.test.ts checks the same.
const intoTools = { regex: '^(\\.\\./)+(tools|scripts|test|bench)(/|$)', message: 'The library (src/) imports nothing of tools/, scripts/, test/ or bench/ (test/layers.test.ts).' };
const demoIntoChaos = { regex: '^(\\.\\./)+chaos(/|$)', message: 'The demo and chaos share through tools/harness/ and tools/synthetic/, never each other.' };
const chaosIntoDemo = { regex: '^(\\.\\./)+demo(/|$)', message: demoIntoChaos.message };
const outOfEmulator = { regex: '^(\\.\\./)+(src|tools|scripts|includes|definitions|test|bench|deploy|dataform-api|firestore)(/|\\.|$)', message: 'The emulator package imports nothing of the toolkit.' };
// The local Dataform API stand-in is handed the dataform CLI by whoever starts it (src/runner/executors/local-dataform-api.ts).
const outOfStandIn = { regex: '^(\\.\\./)+(src|tools|scripts|test|bench)(/|$)', message: 'The Dataform API stand-in imports nothing of the toolkit: inject what it needs (test/layers.test.ts).' };

const unused = ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }];

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.local/', 'node_modules/', 'shared/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    // One program from tsconfig.json, which includes every .ts file (the emulator's too), rather than the project
    // service's per-file lookups: the lint of `npm test` took 24 and 27 s this way against 43 and 34 s, measured
    // alternately. A .ts file outside tsconfig.json's include fails the lint by name.
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': unused,
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', { patterns: [intoEmulator] }],
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [intoEmulator, intoTools] }] } },
  { files: ['tools/demo/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [intoEmulator, demoIntoChaos] }] } },
  { files: ['tools/chaos/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [intoEmulator, chaosIntoDemo] }] } },
  { files: ['emulator/dataform-api/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [intoEmulator, outOfStandIn] }] } },
  {
    files: ['emulator/bigquery/**/*.{ts,mjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [outOfEmulator] }] },
  },
  {
    files: ['includes/**/*.js', 'definitions/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...node, ...commonjs, ...dataform } },
    rules: { 'no-unused-vars': unused },
  },
  {
    files: ['**/*.mjs', 'eslint.config.js', 'prettier.config.js'],
    languageOptions: { sourceType: 'module', globals: node },
    rules: { 'no-unused-vars': unused },
  },
);
