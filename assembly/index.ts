// The fitting kernel's public interface (compiled to src/lib/wasm/kernel.wasm). The host lays
// out observations with prepare(n), writes them into linear memory, calls fit() once and
// reads parameters, errors and statistics back. src/lib/kernel.ts is the typed wrapper.
import {
  prepare as layoutPrepare, nObs, inC, inN, inCtx, inY, inFloor, wPred, fixed, getF, setF,
  OUT_PARAMS, OUT_SE, OUT_CORR, OUT_STATS, OUT_STATS_SLOTS, IN_LO, IN_HI, MAX_P,
  S_FIT_CANDIDATE, S_FIT_RUN_BEST, S_FIT_RUN_SSE, MAX_RUNS_KEPT, MAX_CLUSTERS,
  STAT_SSE, STAT_MAE, STAT_DE_GENERATIONS, STAT_NFEV, STAT_LM_ITERATIONS, STAT_DE_SSE,
  STAT_DE_CONVERGED, STAT_LM_CONVERGED, STAT_NJEV, STAT_RESTARTS, STAT_RESTARTS_AT_BEST,
} from "./layout";
import {
  paramCount, needsComputeSpread, selectLaw, precompute, predictAll, jacobian, sse, levelCount,
  partParams, partOptionCount as modelPartOptionCount,
} from "./model";
import { seedRng, seedDraws } from "./rng";
import * as de from "./de";
import * as lm from "./lm";
import { uncertainty } from "./uncertainty";
import { progressEnabled } from "./progress";
import { runBootstrap, globalImprovements } from "./bootstrap";
import { prepareBootstrap, wBoot, inCluster, inWeight, resetWeights, MAX_POPSIZE } from "./layout";

// Constants the host reads from these exports rather than repeating them (src/lib/kernel.ts):
// where each statistic sits in the statistics block, how a bootstrap result row is laid out,
// and the limits on restarts and models.
export {
  STAT_SSE, STAT_MAE, STAT_DE_GENERATIONS, STAT_NFEV, STAT_LM_ITERATIONS, STAT_DE_SSE, STAT_CONDITION,
  STAT_DE_CONVERGED, STAT_LM_CONVERGED, STAT_NJEV, STAT_SIGMA2, STAT_UNDETERMINED, STAT_RESTARTS,
  STAT_RESTARTS_AT_BEST, OUT_STATS_SLOTS, MAX_CLUSTERS, MAX_RUNS_KEPT, DEFAULT_POPSIZE, MAX_POPSIZE,
} from "./layout";
export { RESAMPLE_ONE_COMPUTE_LEVEL, RESAMPLE_GLOBAL_BETTER } from "./bootstrap";
export { LAW_FIELD_BITS } from "./model";

// Status codes: ≥ 0 a result was produced, < 0 the input was refused (nothing computed).
export const OK: i32 = 0;
export const DE_NOT_CONVERGED: i32 = 1;
export const LM_NOT_CONVERGED: i32 = 2;
export const CANCELLED: i32 = 3;
export const ERR_UNKNOWN_LAW: i32 = -1; // not a valid composition of parts
export const ERR_TOO_FEW_POINTS: i32 = -2;
export const ERR_NOT_FINITE: i32 = -3;
export const ERR_OUT_OF_RANGE: i32 = -4;
export const ERR_ALL_ZERO: i32 = -5;
export const ERR_ONE_COMPUTE_LEVEL: i32 = -6;
export const ERR_BAD_BOUNDS: i32 = -7;
export const ERR_NO_MEMORY: i32 = -8;
export const ERR_BAD_POPSIZE: i32 = -10; // popsize outside 1 … MAX_POPSIZE

/** How many of the final population's best members the local search starts from. */
const POLISH_STARTS: i32 = 5;

/** Compute levels closer than this (in log10 C, i.e. 2.3 %) cannot determine the exponent α. */
export const MIN_LOG10_COMPUTE_SPREAD: f64 = 0.01;

export function prepare(n: i32): usize {
  return layoutPrepare(n);
}
export function maxParams(): i32 { return MAX_P; }
export function paramsPtr(): usize { return fixed(OUT_PARAMS); }
export function sePtr(): usize { return fixed(OUT_SE); }
export function corrPtr(): usize { return fixed(OUT_CORR); }
export function statsPtr(): usize { return fixed(OUT_STATS); }
export function lowerPtr(): usize { return fixed(IN_LO); }
export function upperPtr(): usize { return fixed(IN_HI); }
export function predictionsPtr(): usize { return wPred; }
/** Parameters of the law with this code (0: not a valid composition). */
export function parameterCount(law: i32): i32 { return paramCount(law); }
/** Parameters each option of each part adds, parts in the order of a law code's fields: 0 compute, 1 context, 2 combine, 3 penalty, 4 floor. */
export function partParameterCount(part: i32, option: i32): i32 { return partParams(part, option); }
/** How many options each part has (the host checks its own list of options against it). */
export function partOptionCount(part: i32): i32 { return modelPartOptionCount(part); }
export function computeLevels(): i32 { return levelCount(); }

export function setProgress(enabled: bool): void {
  progressEnabled = enabled;
}

function checkObservations(forFit: bool): i32 {
  let anyNonZero = false;
  let minLc: f64 = Infinity;
  let maxLc: f64 = -Infinity;
  for (let i = 0; i < nObs; i++) {
    const c = getF(inC, i);
    const n = getF(inN, i);
    const ctx = getF(inCtx, i);
    const y = getF(inY, i);
    const k = getF(inFloor, i);
    if (!isFinite(c) || !isFinite(n) || !isFinite(ctx) || !isFinite(k) || (forFit && !isFinite(y))) return ERR_NOT_FINITE;
    if (c <= 0 || n <= 0 || ctx <= 0) return ERR_OUT_OF_RANGE;
    // A floor of 1 would leave nothing for the law to explain (and its parameters undetermined).
    if (!(k >= 0 && k < 1)) return ERR_OUT_OF_RANGE;
    if (forFit && (y < 0 || y > 1)) return ERR_OUT_OF_RANGE;
    const w = getF(inWeight, i);
    if (!isFinite(w)) return ERR_NOT_FINITE;
    if (w < 0) return ERR_OUT_OF_RANGE;
    if (y != 0) anyNonZero = true;
    const lc = Math.log10(c);
    minLc = Math.min(minLc, lc);
    maxLc = Math.max(maxLc, lc);
  }
  if (forFit && !anyNonZero) return ERR_ALL_ZERO;
  // Stored for fit(): the compute spread decides whether α can be fitted at all.
  computeSpread = maxLc - minLc;
  return OK;
}
let computeSpread: f64 = 0;

function writeStats(sseValue: f64): void {
  const stats = fixed(OUT_STATS);
  let absSum: f64 = 0;
  for (let i = 0; i < nObs; i++) absSum += Math.abs(getF(wPred, i) - getF(inY, i));
  setF(stats, STAT_SSE, sseValue);
  setF(stats, STAT_MAE, absSum / <f64>nObs);
}

/**
 * Fits the law with code `law` (see model.ts) to the n observations in the input block within the bounds in
 * lowerPtr()/upperPtr(). Writes parameters, standard errors, correlations and statistics.
 * The sixth input array holds each observation's weight, the seventh its chance floor (prepare() sets the weights to 1); with knownScale
 * the weights are taken as 1/variance and σ² = 1 in the standard errors.
 */
export function fit(law: i32, n: i32, seed: u32, popsize: i32, maxGenerations: i32, tol: f64, maxLmIterations: i32, restarts: i32, knownScale: bool): i32 {
  const p = paramCount(law);
  if (p == 0) return ERR_UNKNOWN_LAW;
  if (popsize < 1 || popsize > MAX_POPSIZE) return ERR_BAD_POPSIZE;
  if (n != nObs) return ERR_NO_MEMORY; // prepare(n) must come first
  if (n < p + 1) return ERR_TOO_FEW_POINTS;
  const lo = fixed(IN_LO);
  const hi = fixed(IN_HI);
  for (let j = 0; j < p; j++) {
    const l = getF(lo, j);
    const h = getF(hi, j);
    if (!isFinite(l) || !isFinite(h) || !(l < h)) return ERR_BAD_BOUNDS;
  }
  const check = checkObservations(true);
  if (check != OK) return check;
  if (needsComputeSpread(law) && computeSpread < MIN_LOG10_COMPUTE_SPREAD) return ERR_ONE_COMPUTE_LEVEL;
  if (restarts < 1) restarts = 1;

  selectLaw(law);
  precompute();
  resetWeights();
  seedRng(seed);
  const params = fixed(OUT_PARAMS);
  const stats = fixed(OUT_STATS);
  for (let j = 0; j < OUT_STATS_SLOTS; j++) setF(stats, j, 0);
  for (let j = 0; j < MAX_P; j++) {
    setF(params, j, 0);
    setF(fixed(OUT_SE), j, 0);
  }
  for (let j = 0; j < MAX_P * MAX_P; j++) setF(fixed(OUT_CORR), j, 0);

  const np = de.populationSize(popsize, p);
  const candidate = fixed(S_FIT_CANDIDATE);
  const runBest = fixed(S_FIT_RUN_BEST);
  const runSse = fixed(S_FIT_RUN_SSE); // final SSE of each run (at most MAX_RUNS_KEPT kept)
  let bestSse: f64 = Infinity;
  let generations = 0;
  let evaluations = 0;
  let lmIterations = 0;
  let lmJacobians = 0;
  let allDeConverged = true;
  let lmConverged = false;
  let runs = 0;
  // Each run is an independent global search (the PRNG stream continues), so restarts > 1
  // guards against a population that converges into a worse basin.
  for (let run = 0; run < restarts; run++) {
    const deSse = de.differentialEvolution(p, popsize, maxGenerations, tol, candidate);
    generations += de.generations;
    evaluations += de.evaluations;
    allDeConverged = allDeConverged && de.converged;
    if (de.cancelled) {
      if (deSse < bestSse) for (let j = 0; j < p; j++) setF(params, j, getF(candidate, j));
      predictAll(params);
      writeStats(sse(params));
      setF(stats, STAT_NFEV, <f64>evaluations);
      setF(stats, STAT_DE_GENERATIONS, <f64>generations);
      return CANCELLED;
    }
    // Local search from the best few members, not only the best: where the loss has several
    // basins the best member can sit in a worse one while its neighbours do not.
    let runFinal: f64 = Infinity;
    let runConverged = false;
    let ranked = -1;
    for (let r = 0; r < min(POLISH_STARTS, np); r++) {
      ranked = de.nextRanked(ranked, np);
      de.decodeMember(ranked, p, candidate);
      const s = lm.levenbergMarquardt(p, candidate, maxLmIterations);
      lmIterations += lm.iterations;
      evaluations += lm.functionEvaluations;
      lmJacobians += lm.jacobianEvaluations;
      if (s < runFinal) {
        runFinal = s;
        runConverged = lm.converged;
        for (let j = 0; j < p; j++) setF(runBest, j, getF(candidate, j));
      }
    }
    if (run < MAX_RUNS_KEPT) setF(runSse, run, runFinal);
    runs++;
    if (runFinal < bestSse) {
      bestSse = runFinal;
      lmConverged = runConverged;
      setF(stats, STAT_DE_SSE, deSse);
      for (let j = 0; j < p; j++) setF(params, j, getF(runBest, j));
    }
  }
  let agree = 0;
  for (let run = 0; run < min(runs, MAX_RUNS_KEPT); run++) if (getF(runSse, run) <= bestSse * (1.0 + 1e-9)) agree++;
  setF(stats, STAT_DE_GENERATIONS, <f64>generations);
  setF(stats, STAT_DE_CONVERGED, allDeConverged ? 1.0 : 0.0);
  setF(stats, STAT_LM_ITERATIONS, <f64>lmIterations);
  setF(stats, STAT_LM_CONVERGED, lmConverged ? 1.0 : 0.0);
  setF(stats, STAT_NFEV, <f64>evaluations);
  setF(stats, STAT_NJEV, <f64>lmJacobians);
  setF(stats, STAT_RESTARTS, <f64>runs);
  setF(stats, STAT_RESTARTS_AT_BEST, <f64>agree);
  jacobian(params); // leaves predictions and J at the optimum
  writeStats(bestSse);
  uncertainty(p, bestSse, knownScale);
  if (!allDeConverged) return DE_NOT_CONVERGED;
  if (!lmConverged) return LM_NOT_CONVERGED;
  return OK;
}

export const ERR_BAD_CLUSTERS: i32 = -9;

/**
 * Bootstrap refits of the law with code `law` around the parameters in paramsPtr() (the full fit), for the
 * observations in the input block; cluster ids (0 … clusters−1) go in the fifth input array
 * when scheme = 1 (resample whole models). Results: bootstrapPtr(), MAX_P + 2 slots per
 * resample (parameters, SSE, status). Returns the number of resamples completed, or < 0.
 */
export function bootstrap(
  law: i32, n: i32, seed: u32, resamples: i32, scheme: i32, clusters: i32, globalEvery: i32,
  popsize: i32, maxGenerations: i32, tol: f64, maxLmIterations: i32,
): i32 {
  const p = paramCount(law);
  if (p == 0) return ERR_UNKNOWN_LAW;
  if (popsize < 1 || popsize > MAX_POPSIZE) return ERR_BAD_POPSIZE;
  if (n != nObs) return ERR_NO_MEMORY;
  if (n < p + 1) return ERR_TOO_FEW_POINTS;
  const check = checkObservations(true);
  if (check != OK) return check;
  if (needsComputeSpread(law) && computeSpread < MIN_LOG10_COMPUTE_SPREAD) return ERR_ONE_COMPUTE_LEVEL;
  if (scheme == 1) {
    if (clusters < 2 || clusters > MAX_CLUSTERS) return ERR_BAD_CLUSTERS;
    for (let i = 0; i < n; i++) {
      const c = getF(inCluster, i);
      if (!(c >= 0 && c < <f64>clusters) || c != Math.floor(c)) return ERR_BAD_CLUSTERS;
    }
  }
  if (resamples < 1 || prepareBootstrap(resamples) == 0) return ERR_NO_MEMORY;
  for (let j = 0; j < p; j++) if (!isFinite(getF(fixed(OUT_PARAMS), j))) return ERR_NOT_FINITE;
  selectLaw(law);
  precompute();
  // Streams of their own: the bootstrap of seed s does not replay the global search of seed s,
  // and its resample draws do not depend on the law (see rng.ts).
  seedRng(seed ^ 0x5bd1e995);
  seedDraws(seed ^ 0x2545f491);
  const spread = needsComputeSpread(law) ? MIN_LOG10_COMPUTE_SPREAD : 0.0;
  return runBootstrap(p, resamples, scheme, clusters, globalEvery, spread, popsize, maxGenerations, tol, maxLmIterations);
}

export function bootstrapPtr(): usize { return wBoot; }
export function bootstrapGlobalImprovements(): i32 { return globalImprovements; }

/** Predictions at the parameters in paramsPtr() for the observations in the input block. */
export function predict(law: i32, n: i32): i32 {
  if (paramCount(law) == 0) return ERR_UNKNOWN_LAW;
  if (n != nObs) return ERR_NO_MEMORY;
  const check = checkObservations(false);
  if (check != OK) return check;
  selectLaw(law);
  precompute();
  predictAll(fixed(OUT_PARAMS));
  return OK;
}

/**
 * Predictions at new parameters for the observations of the last predict() call, without
 * laying them out again: the bootstrap's bands evaluate one grid at a thousand parameter sets.
 */
export function repredict(law: i32): i32 {
  if (paramCount(law) == 0) return ERR_UNKNOWN_LAW;
  selectLaw(law);
  predictAll(fixed(OUT_PARAMS));
  return OK;
}

/**
 * 10^x with the kernel's own pow: the library computes grids with it, so a grid (and every
 * prediction on it) has the same bits in Node and in every browser, whose Math.pow may differ
 * in the last bit.
 */
export function exp10(x: f64): f64 {
  return Math.pow(10.0, x);
}

/** log10(x) with the kernel's own implementation, for the same reason. */
export function log10(x: f64): f64 {
  return Math.log10(x);
}
import { uniform as dbgUniform } from "./rng";
export function debugUniform(seed: u32, k: i32): f64 { seedRng(seed); let u = 0.0; for (let i = 0; i < k; i++) u = dbgUniform(); return u; }
