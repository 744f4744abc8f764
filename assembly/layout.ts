// Linear-memory layout shared with the host (src/lib/kernel.ts). The host writes all
// observations in one go into the input block and reads results from the output block, so a
// fit costs one call, not one call per element. The runtime is "stub" (no GC): every buffer
// lives at a fixed offset computed here from the number of observations.

export const MAX_P: i32 = 8; // most parameters any law has (two factors, the soft penalty and a floor: 7)
// The global search's population is popsize · p members (SciPy's popsize, default 15), at least 5.
export const DEFAULT_POPSIZE: i32 = 15;
export const MAX_POPSIZE: i32 = 50;
export const MIN_POPULATION: i32 = 5;
export const MAX_POP: i32 = MAX_POPSIZE * MAX_P;

// Fixed-size block (f64 slots) right after the static data.
export const OUT_PARAMS: i32 = 0; // MAX_P fitted parameters (or parameters to evaluate)
export const OUT_SE: i32 = 8; // MAX_P standard errors (Infinity when not determined)
export const OUT_CORR: i32 = 16; // MAX_P×MAX_P correlations (row-major)
export const OUT_STATS: i32 = 80; // 16 statistics, see STAT_* below
export const IN_LO: i32 = 96; // MAX_P lower bounds
export const IN_HI: i32 = 104; // MAX_P upper bounds
export const OUT_STATS_SLOTS: i32 = 16;

// Scratch regions (f64 slots), one per use and none overlapping another, so no region is safe
// only because of the order in which the kernel happens to call things. Sizes in MAX_P units.
const MP: i32 = MAX_P;
const MP2: i32 = MAX_P * MAX_P;
export const SCRATCH: i32 = 112;
// Normal equations JᵀWJ (p×p, leading dimension MAX_P) and Jᵀr: written by lm.normalEquations,
// read by the local search and by the standard errors at the optimum (uncertainty.ts).
export const S_NORMAL: i32 = SCRATCH;
export const S_GRADIENT: i32 = S_NORMAL + MP2;
// The local search's damped system, its solution, and the indices (i32) of its free parameters.
export const S_LM_SYSTEM: i32 = S_GRADIENT + MP;
export const S_LM_STEP: i32 = S_LM_SYSTEM + MP2;
export const S_LM_FREE: i32 = S_LM_STEP + MP;
// The standard errors: the correlation-scaled matrix, its eigenvectors, the inverse, the scales.
export const S_UNC_SCALED: i32 = S_LM_FREE + MP;
export const S_UNC_VECTORS: i32 = S_UNC_SCALED + MP2;
export const S_UNC_INVERSE: i32 = S_UNC_VECTORS + MP2;
export const S_UNC_SCALE: i32 = S_UNC_INVERSE + MP2;
// fit(): the member being polished, the best of the current run, each run's final SSE.
export const MAX_RUNS_KEPT: i32 = 64;
export const S_FIT_CANDIDATE: i32 = S_UNC_SCALE + MP;
export const S_FIT_RUN_BEST: i32 = S_FIT_CANDIDATE + MP;
export const S_FIT_RUN_SSE: i32 = S_FIT_RUN_BEST + MP;
// bootstrap(): the periodic global search's answer, the warm start, the draw count per model.
export const MAX_CLUSTERS: i32 = 64;
export const S_BOOT_CANDIDATE: i32 = S_FIT_RUN_SSE + MAX_RUNS_KEPT;
export const S_BOOT_WARM: i32 = S_BOOT_CANDIDATE + MP;
export const S_BOOT_COUNTS: i32 = S_BOOT_WARM + MP;
export const SCRATCH_END: i32 = S_BOOT_COUNTS + MAX_CLUSTERS;
export const FIXED_SLOTS: i32 = SCRATCH_END;

export const STAT_SSE: i32 = 0;
export const STAT_MAE: i32 = 1;
export const STAT_DE_GENERATIONS: i32 = 2;
export const STAT_NFEV: i32 = 3;
export const STAT_LM_ITERATIONS: i32 = 4;
export const STAT_DE_SSE: i32 = 5;
export const STAT_CONDITION: i32 = 6;
export const STAT_DE_CONVERGED: i32 = 7;
export const STAT_LM_CONVERGED: i32 = 8;
export const STAT_NJEV: i32 = 9;
export const STAT_SIGMA2: i32 = 10;
export const STAT_UNDETERMINED: i32 = 11; // bit mask of parameters the data do not determine
export const STAT_RESTARTS: i32 = 12; // independent global searches run
export const STAT_RESTARTS_AT_BEST: i32 = 13; // of which reached the best SSE (within 1e-9)

let base: usize = 0;
export let nObs: i32 = 0;

// Per-observation arrays (byte offsets), set by prepare().
export let inC: usize = 0; // compute_flops
export let inN: usize = 0; // n_pmt
export let inCtx: usize = 0; // n_ctx
export let inY: usize = 0; // score
export let inCluster: usize = 0; // resampling unit of the observation (model index), for the bootstrap
export let inWeight: usize = 0; // the caller's weight of each observation (1 unless weighted least squares)
export let inFloor: usize = 0; // chance floor k of the observation: P = k + (1 − k)·law (0: none)
export let wWeight: usize = 0; // weight in the loss: inWeight, times the resample count in the bootstrap
export let wExcess: usize = 0; // n_pmt/n_ctx − 1 past the window, 0 within (for the decay penalty)
export let wLogN: usize = 0; // log10 n_pmt
export let wPenalty: usize = 0; // S(n_pmt − n_ctx): depends on data only, so computed once
export let wLogRatio: usize = 0; // log10(n_pmt / n_ctx), for the soft penalty
export let wGroup: usize = 0; // index of the observation's compute level (i32)
export let wLevels: usize = 0; // distinct log10 C values
export let wLevelFactor: usize = 0; // compute factor per level, refreshed per evaluation
export let wLevelDA: usize = 0; // its derivative in log10 C0, per level (for the Jacobian)
export let wLevelDAlpha: usize = 0; // its derivative in α, per level
export let wCtxGroup: usize = 0; // index of the observation's distinct n_pmt (i32)
export let wCtxLevels: usize = 0; // distinct log10 n_pmt values
export let wCtxFactor: usize = 0; // context factor per distinct n_pmt, filled lazily per evaluation
export let wCtxStamp: usize = 0; // evaluation that last filled each wCtxFactor slot (u32)
export let wPred: usize = 0;
export let wJac: usize = 0; // n × MAX_P, row-major
export let wPop: usize = 0; // MAX_POP × MAX_P in the unit cube
export let wEnergy: usize = 0; // MAX_POP
export let wTrial: usize = 0; // MAX_P
export let wParams: usize = 0; // MAX_P scratch

@inline export function fixed(slot: i32): usize {
  return base + (<usize>slot << 3);
}

@inline export function getF(ptr: usize, i: i32): f64 {
  return load<f64>(ptr + (<usize>i << 3));
}

@inline export function setF(ptr: usize, i: i32, v: f64): void {
  store<f64>(ptr + (<usize>i << 3), v);
}

/** Lays out buffers for n observations, growing memory if needed; returns the input block. */
export function prepare(n: i32): usize {
  base = (__heap_base + 15) & ~(<usize>15);
  nObs = n;
  let p: usize = base + (<usize>FIXED_SLOTS << 3);
  const step: usize = <usize>n << 3;
  inC = p; p += step;
  inN = p; p += step;
  inCtx = p; p += step;
  inY = p; p += step;
  inCluster = p; p += step;
  inWeight = p; p += step;
  inFloor = p; p += step;
  wWeight = p; p += step;
  wExcess = p; p += step;
  wLogN = p; p += step;
  wPenalty = p; p += step;
  wLogRatio = p; p += step;
  wGroup = p; p += step;
  wLevels = p; p += step;
  wLevelFactor = p; p += step;
  wLevelDA = p; p += step;
  wLevelDAlpha = p; p += step;
  wCtxGroup = p; p += step;
  wCtxLevels = p; p += step;
  wCtxFactor = p; p += step;
  wCtxStamp = p; p += step;
  wPred = p; p += step;
  wJac = p; p += step * <usize>MAX_P;
  wPop = p; p += <usize>(MAX_POP * MAX_P) << 3;
  wEnergy = p; p += <usize>MAX_POP << 3;
  wTrial = p; p += <usize>MAX_P << 3;
  wParams = p; p += <usize>MAX_P << 3;
  bootBase = p;
  if (!growTo(p)) return 0;
  // Unweighted unless the host writes weights: a caller that predates weights still fits as before.
  for (let i = 0; i < n; i++) setF(inWeight, i, 1.0);
  resetWeights();
  return inC;
}

/** Each observation counts with the caller's weight (the plain fit); the bootstrap multiplies it per resample. */
export function resetWeights(): void {
  for (let i = 0; i < nObs; i++) setF(wWeight, i, getF(inWeight, i));
}

let bootBase: usize = 0;
export let wBoot: usize = 0; // bootstrap results: per resample MAX_P parameters, SSE, status

/** Reserves room for `resamples` bootstrap results after the per-observation buffers. */
export function prepareBootstrap(resamples: i32): usize {
  wBoot = (bootBase + 15) & ~(<usize>15);
  const end = wBoot + ((<usize>resamples * <usize>(MAX_P + 2)) << 3);
  return growTo(end) ? wBoot : 0;
}

function growTo(end: usize): bool {
  const needPages = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  return needPages <= have || memory.grow(needPages - have) >= 0;
}
