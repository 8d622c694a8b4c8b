/**
 * FARM_FINGERPRINT (https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#farm_fingerprint):
 * FarmHash's Fingerprint64, which is farmhashna::Hash64 (github.com/google/farmhash, src/farmhash.cc), written again
 * on 64-bit BigInts, as a signed INT64 as BigQuery returns it.
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;
const K_MUL = 0x9ddfea08eb382d69n;

const u64 = (x: bigint) => x & MASK;
const mul = (a: bigint, b: bigint) => (a * b) & MASK;
const add = (...xs: bigint[]) => xs.reduce((s, x) => s + x, 0n) & MASK;
const rotate = (v: bigint, shift: bigint) => (shift === 0n ? v : u64((v >> shift) | (v << (64n - shift))));
const shiftMix = (v: bigint) => v ^ (v >> 47n);

function hashLen16(u: bigint, v: bigint, m = K_MUL): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Buffer, len: number): bigint {
  const fetch64 = (i: number) => s.readBigUInt64LE(i);
  if (len >= 8) {
    const m = add(K2, BigInt(len * 2));
    const a = add(fetch64(0), K2);
    const b = fetch64(len - 8);
    const c = add(mul(rotate(b, 37n), m), a);
    const d = mul(add(rotate(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, BigInt(len * 2));
    const a = BigInt(s.readUInt32LE(0));
    return hashLen16(add(BigInt(len), a << 3n), BigInt(s.readUInt32LE(len - 4)), m);
  }
  if (len > 0) {
    const y = BigInt(s[0] + (s[len >> 1] << 8));
    const z = BigInt(len + (s[len - 1] << 2));
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Buffer, len: number): bigint {
  const fetch64 = (i: number) => s.readBigUInt64LE(i);
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(0), K1);
  const b = fetch64(8);
  const c = mul(fetch64(len - 8), m);
  const d = mul(fetch64(len - 16), K2);
  return hashLen16(add(rotate(add(a, b), 43n), rotate(c, 30n), d), add(a, rotate(add(b, K2), 18n), c), m);
}

function hashLen33to64(s: Buffer, len: number): bigint {
  const fetch64 = (i: number) => s.readBigUInt64LE(i);
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(0), K2);
  const b = fetch64(8);
  const c = mul(fetch64(len - 8), m);
  const d = mul(fetch64(len - 16), K2);
  const y = add(rotate(add(a, b), 43n), rotate(c, 30n), d);
  const z = hashLen16(y, add(a, rotate(add(b, K2), 18n), c), m);
  const e = mul(fetch64(16), m);
  const f = fetch64(24);
  const g = mul(add(y, fetch64(len - 32)), m);
  const h = mul(add(z, fetch64(len - 24)), m);
  return hashLen16(add(rotate(add(e, f), 43n), rotate(g, 30n), h), add(e, rotate(add(f, a), 18n), g), m);
}

/** WeakHashLen32WithSeeds of the 32 bytes at `at`. */
function weakHash32(s: Buffer, at: number, a: bigint, b: bigint): [bigint, bigint] {
  const [w, x, y, z] = [0, 8, 16, 24].map((k) => s.readBigUInt64LE(at + k));
  a = add(a, w);
  b = rotate(add(b, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

function hash64(s: Buffer): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s, len);
  if (len <= 32) return hashLen17to32(s, len);
  if (len <= 64) return hashLen33to64(s, len);
  const fetch64 = (i: number) => s.readBigUInt64LE(i);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = len - 64;
  let p = 0;
  do {
    x = mul(rotate(add(x, y, v[0], fetch64(p + 8)), 37n), K1);
    y = mul(rotate(add(y, v[1], fetch64(p + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(p + 40));
    z = mul(rotate(add(z, w[0]), 33n), K1);
    v = weakHash32(s, p, mul(v[1], K1), add(x, w[0]));
    w = weakHash32(s, p + 32, add(z, w[1]), add(y, fetch64(p + 16)));
    [z, x] = [x, z];
    p += 64;
  } while (p !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], fetch64(p + 8)), 37n), m);
  y = mul(rotate(add(y, v[1], fetch64(p + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(p + 40));
  z = mul(rotate(add(z, w[0]), 33n), m);
  v = weakHash32(s, p, mul(v[1], m), add(x, w[0]));
  w = weakHash32(s, p + 32, add(z, w[1]), add(y, fetch64(p + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

/** FARM_FINGERPRINT of a STRING's UTF-8 bytes or of BYTES: a signed 64-bit integer. */
export function farmFingerprint(bytes: Uint8Array): bigint {
  return BigInt.asIntN(64, hash64(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}
