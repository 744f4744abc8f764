// Seeded PRNG (xoshiro128**, 32-bit state words) so that a fit is a pure function of its data
// and seed, in Node and in every browser alike: no Math.random, no host calls.
// Two generators: the main one drives the global search; the bootstrap draws its resamples from
// a second one, so that which points a resample holds depends only on (seed, data size), never
// on how many numbers the law's global search consumed. Two laws bootstrapped with one seed then
// see the same resamples, resample by resample: a paired comparison (src/lib/compare.ts).
// The state of each generator is four u32 words in a static data segment (not a heap object:
// the kernel lays out the rest of linear memory itself, see layout.ts).
const MAIN: usize = memory.data(16);
const DRAWS: usize = memory.data(16);

function seedState(state: usize, seed: u32): void {
  const a = splitmix(seed);
  const b = splitmix(a ^ 0x6a09e667);
  const c = splitmix(b ^ 0xbb67ae85);
  const d = splitmix(c ^ 0x3c6ef372);
  store<u32>(state, (a | b | c | d) == 0 ? 1 : a);
  store<u32>(state, b, 4);
  store<u32>(state, c, 8);
  store<u32>(state, d, 12);
}

@inline function next(state: usize): u32 {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let s3 = load<u32>(state, 12);
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
  return result;
}

/** Uniform in [0, 1) with 53 random bits. */
function uniformOf(state: usize): f64 {
  const hi = <u64>(next(state) >>> 5); // 27 bits
  const lo = <u64>(next(state) >>> 6); // 26 bits
  return <f64>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

function splitmix(x: u32): u32 {
  // Expands one 32-bit seed into well-mixed state words (an all-zero state would stick).
  let z = x + 0x9e3779b9;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

export function seedRng(seed: u32): void {
  seedState(MAIN, seed);
}

/** Seeds the generator of the bootstrap's resample draws (drawBelow). */
export function seedDraws(seed: u32): void {
  seedState(DRAWS, seed);
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform(): f64 {
  return uniformOf(MAIN);
}

/** Uniform integer in [0, k). */
export function below(k: i32): i32 {
  return <i32>(uniform() * <f64>k);
}

/** Uniform integer in [0, k) from the resample generator. */
export function drawBelow(k: i32): i32 {
  return <i32>(uniformOf(DRAWS) * <f64>k);
}
