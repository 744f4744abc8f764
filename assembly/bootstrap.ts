// Bootstrap refits inside the kernel: resample observations (or whole models) with the seeded
// PRNG, refit each resample, and store every resample's parameters and SSE for the host to turn
// into percentile intervals. A resample is expressed as integer weights on the observations,
// so no data are copied. Refits start from the full fit (warm start) and every `globalEvery`-th
// resample also runs the full global search, keeping the better answer, as a guard against a
// warm start stuck in a local minimum.
import {
  nObs, inC, inCluster, inWeight, wWeight, wBoot, MAX_P, fixed, OUT_PARAMS, getF, setF, resetWeights,
  S_BOOT_CANDIDATE, S_BOOT_WARM, S_BOOT_COUNTS,
} from "./layout";
import { drawBelow } from "./rng";
import * as de from "./de";
import * as lm from "./lm";
import { reportProgress, progressEnabled } from "./progress";

export const SCHEME_OBSERVATIONS: i32 = 0;
export const SCHEME_CLUSTERS: i32 = 1;

// Per-resample status stored after the SSE.
export const RESAMPLE_OK: f64 = 0;
export const RESAMPLE_ONE_COMPUTE_LEVEL: f64 = 1; // α not identifiable in this resample: dropped
export const RESAMPLE_GLOBAL_BETTER: f64 = 2; // the periodic global search beat the warm start

export let completed: i32 = 0;
export let globalImprovements: i32 = 0;

function drawObservations(): void {
  for (let i = 0; i < nObs; i++) setF(wWeight, i, 0);
  for (let k = 0; k < nObs; k++) {
    const i = drawBelow(nObs);
    setF(wWeight, i, getF(wWeight, i) + 1.0);
  }
  applyBaseWeights();
}

// A resample drawn k times counts k times its own weight: under weighted least squares the
// bootstrap resamples the weighted fit, not an unweighted one (k·1 = k keeps the unweighted
// bootstrap bit-identical).
function applyBaseWeights(): void {
  for (let i = 0; i < nObs; i++) setF(wWeight, i, getF(wWeight, i) * getF(inWeight, i));
}

function drawClusters(clusters: i32): void {
  // counts per cluster (at most MAX_CLUSTERS, checked by the caller)
  const counts = fixed(S_BOOT_COUNTS);
  for (let c = 0; c < clusters; c++) setF(counts, c, 0);
  for (let k = 0; k < clusters; k++) {
    const c = drawBelow(clusters);
    setF(counts, c, getF(counts, c) + 1.0);
  }
  for (let i = 0; i < nObs; i++) setF(wWeight, i, getF(counts, <i32>getF(inCluster, i)));
  applyBaseWeights();
}

function computeSpreadOfResample(): f64 {
  let lo: f64 = Infinity;
  let hi: f64 = -Infinity;
  for (let i = 0; i < nObs; i++) {
    if (getF(wWeight, i) == 0.0) continue;
    const lc = Math.log10(getF(inC, i));
    lo = Math.min(lo, lc);
    hi = Math.max(hi, lc);
  }
  return hi - lo;
}

/**
 * Runs `resamples` refits; the full fit's parameters must be in OUT_PARAMS and its data in the
 * input block (call fit() first). Returns the number of resamples completed (fewer if cancelled).
 */
export function runBootstrap(
  p: i32, resamples: i32, scheme: i32, clusters: i32, globalEvery: i32,
  needsComputeSpread: f64, popsize: i32, maxGenerations: i32, tol: f64, maxLm: i32,
): i32 {
  const start = fixed(OUT_PARAMS);
  const candidate = fixed(S_BOOT_CANDIDATE);
  const warm = fixed(S_BOOT_WARM);
  completed = 0;
  globalImprovements = 0;
  // Inside a refit the global and local searches stay quiet: progress (and cancel) is per
  // resample, so the host hears 1,000 reports for 1,000 refits, not tens of thousands.
  const reporting = progressEnabled;
  progressEnabled = false;
  for (let b = 0; b < resamples; b++) {
    if (scheme == SCHEME_CLUSTERS) drawClusters(clusters);
    else drawObservations();
    const out = wBoot + (<usize>(b * (MAX_P + 2)) << 3);
    if (needsComputeSpread > 0 && computeSpreadOfResample() < needsComputeSpread) {
      for (let j = 0; j < p; j++) setF(out, j, 0);
      setF(out, MAX_P, 0);
      setF(out, MAX_P + 1, RESAMPLE_ONE_COMPUTE_LEVEL);
      completed = b + 1;
      continue;
    }
    for (let j = 0; j < p; j++) setF(warm, j, getF(start, j));
    let best = lm.levenbergMarquardt(p, warm, maxLm);
    let status = RESAMPLE_OK;
    if (globalEvery > 0 && (b + 1) % globalEvery == 0) {
      de.differentialEvolution(p, popsize, maxGenerations, tol, candidate);
      const s = lm.levenbergMarquardt(p, candidate, maxLm);
      if (s < best * (1.0 - 1e-9)) {
        best = s;
        status = RESAMPLE_GLOBAL_BETTER;
        globalImprovements++;
        for (let j = 0; j < p; j++) setF(warm, j, getF(candidate, j));
      }
    }
    for (let j = 0; j < p; j++) setF(out, j, getF(warm, j));
    setF(out, MAX_P, best);
    setF(out, MAX_P + 1, status);
    completed = b + 1;
    progressEnabled = reporting;
    const stop = reportProgress(2, completed, best);
    progressEnabled = false;
    if (stop) break;
  }
  resetWeights(); // the host may fit again right away
  progressEnabled = reporting;
  return completed;
}
