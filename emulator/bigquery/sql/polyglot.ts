/**
 * The emulator's own instance of polyglot's WASM translator, compiled for V8's baseline tier only.
 *
 * Why: once V8 tiers polyglot's WASM up to optimised code (after a few hundred translations, e.g. one
 * `dataform run`), its recursive generator needs tens of KB of native stack per AST level, and a UNION ALL of
 * ~20 branches (performance_summary over 9+ dates) fails with "Maximum call stack size exceeded" — while the
 * same statement translates in a fresh process. Baseline (Liftoff) code handles 500+ branches and measured
 * faster here. The flag only applies to modules compiled after it is set, so the emulator compiles its own
 * module (through the SDK's manual-init entry point) instead of sharing the SDK's eagerly compiled one.
 * The flag is process-wide: WASM compiled later in this process is also baseline-only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import v8 from 'node:v8';
import * as manualEntry from '@polyglot-sql/sdk/manual';
import type * as Sdk from '@polyglot-sql/sdk';

// The manual entry point re-exports the SDK's API (its .d.ts says so through a path TypeScript does not follow).
const manual = manualEntry as unknown as typeof Sdk & { init(options: { wasmUrl: unknown }): Promise<void> };

v8.setFlagsFromString('--liftoff-only');
const sdkDir = dirname(createRequire(import.meta.url).resolve('@polyglot-sql/sdk'));
// V8 shares compiled modules between identical byte arrays: a custom section (ignored by the runtime) makes
// ours distinct from the SDK's default instance, which may already have been compiled (and tiered up) by
// another import in this process.
const compiled = await WebAssembly.compile(withCustomSection(readFileSync(join(sdkDir, 'polyglot_sql.wasm')), 'gradeguard-baseline'));
// init() hands wasmUrl to WebAssembly.instantiate unless it is a string or URL: a compiled module works.
await manual.init({ wasmUrl: compiled });

export const { parse, generate, transpile, Dialect } = manual;

function withCustomSection(wasm: Uint8Array, name: string): Uint8Array<ArrayBuffer> {
  const leb = (n: number) => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const nameBytes = Buffer.from(name);
  const payload = [...leb(nameBytes.length), ...nameBytes];
  const tail = [0, ...leb(payload.length), ...payload];
  const out = new Uint8Array(wasm.length + tail.length);
  out.set(wasm);
  out.set(tail, wasm.length);
  return out;
}
