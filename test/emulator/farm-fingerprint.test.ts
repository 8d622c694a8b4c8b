/**
 * FARM_FINGERPRINT's FarmHash (emulator/bigquery/native/farm-fingerprint.ts) against values we did not compute:
 * ZetaSQL's compliance cases (functions_testlib_1.cc, GetFunctionTestsFarmFingerprint) and FarmHash's own self-test
 * (src/farmhash.cc, farmhashnaTest: Hash64 of `len` bytes at offset len² of its pseudo-random data), which reach
 * every length branch: 0-16, 17-32, 33-64 and the 64-byte loop.
 */
import { describe, expect, it } from 'vitest';
import { farmFingerprint } from '@gradeguard/bigquery-emulator/testing';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** farmhash.cc's Setup(): the self-test's data. */
function selfTestData(size: number): Uint8Array {
  const mask = (1n << 64n) - 1n;
  const k0 = 0xc3a5c85c97cb3127n;
  const data = new Uint8Array(size);
  let a = 9n;
  let b = 777n;
  for (let i = 0; i < size; i++) {
    a = (a + b) & mask;
    b = (b + a) & mask;
    a = ((a ^ (a >> 41n)) * k0) & mask;
    b = (((b ^ (b >> 41n)) * k0) & mask) + BigInt(i);
    data[i] = Number((b >> 37n) & 0xffn);
  }
  return data;
}

describe('FARM_FINGERPRINT', () => {
  it("gives ZetaSQL's compliance values", () => {
    expect(farmFingerprint(utf8(''))).toBe(-7286425919675154353n);
    expect(farmFingerprint(utf8('\0'))).toBe(-4728684028706075820n);
    expect(farmFingerprint(utf8('a b c d'))).toBe(-3676552216144541872n);
    expect(farmFingerprint(utf8('a b\0c d'))).toBe(-4659737306420982693n);
    expect(farmFingerprint(utf8('abcABCжщфЖЩФ'))).toBe(3736580821998982030n);
    expect(farmFingerprint(utf8('Моша_öá5ホバークラフト鰻鰻'))).toBe(4918483674106117036n);
  });

  it("gives FarmHash's self-test values for inputs of 17, 33, 65, 129 and 298 bytes", () => {
    const data = selfTestData(300 * 300);
    // The self-test lists each hash as its high and low 32 bits (expected[6i + 4], expected[6i + 5]).
    const cases: [number, bigint, bigint][] = [
      [17, 1790705123n, 2128624475n],
      [33, 165589978n, 1578546616n],
      [65, 1020177209n, 734239551n],
      [129, 3573008472n, 3615577014n],
      [298, 540133451n, 3313113759n],
    ];
    for (const [len, high, low] of cases) {
      const hash = BigInt.asUintN(64, farmFingerprint(data.subarray(len * len, len * len + len)));
      expect([len, hash >> 32n, hash & 0xffffffffn]).toEqual([len, high, low]);
    }
  });
});
