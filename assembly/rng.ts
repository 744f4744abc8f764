// Seeded PRNG (xoshiro128**, 32-bit state words) so that a fit is a pure function of its data
// and seed, in Node and in every browser alike: no Math.random, no host calls.
let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

function splitmix(x: u32): u32 {
  // Expands one 32-bit seed into well-mixed state words (an all-zero state would stick).
  let z = x + 0x9e3779b9;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

export function seedRng(seed: u32): void {
  s0 = splitmix(seed);
  s1 = splitmix(s0 ^ 0x6a09e667);
  s2 = splitmix(s1 ^ 0xbb67ae85);
  s3 = splitmix(s2 ^ 0x3c6ef372);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

export function nextU32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform(): f64 {
  const hi = <u64>(nextU32() >>> 5); // 27 bits
  const lo = <u64>(nextU32() >>> 6); // 26 bits
  return <f64>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

/** Uniform integer in [0, k). */
export function below(k: i32): i32 {
  return <i32>(uniform() * <f64>k);
}
