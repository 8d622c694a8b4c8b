/**
 * `@gradeguard/bigquery-emulator/testing`: the internals the emulator's own tests drive directly (test/emulator/,
 * test/zetasql/; see docs/architecture.md for why those tests live in the repository's test/ folder). Not an API
 * for the toolkit: src/ and scripts/ use only the package's main entry (test/emulator/package-boundary.test.ts).
 */
export { Session } from './session.ts';
export { runScript } from './script/interpret.ts';
export { translateStatement } from './sql/translate.ts';
export { tokenize, type Token } from './sql/tokenizer.ts';
export { parseLimitsOff } from './limits.ts';
export { macroCatalog } from './sql/macros.ts';
export { farmFingerprint } from './native/farm-fingerprint.ts';
export { editJson, stripNulls as jsonStripNulls, keys as jsonKeys } from './native/json-calls.ts';
