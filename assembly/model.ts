// The context-aware law and its variants (docs/method.md). Parameters are in the identifiable
// form: f_C = 1 − exp(−(C/C0)^α), f_n = 1 − exp(−(n_pmt/n0)^β), times a penalty.
import {
  nObs, inC, inN, inCtx, inY, wWeight, wLogC, wLogN, wPenalty, wLogRatio, wGroup, wLevels,
  wLevelFactor, wLevelDA, wLevelDAlpha, wPred, wJac, MAX_P, getF, setF,
} from "./layout";

export const FULL: i32 = 0;
export const NO_PENALTY: i32 = 1;
export const CONTEXT_BLIND: i32 = 2;
export const ADDITIVE: i32 = 3;
export const SOFT_PENALTY: i32 = 4;
export const FIXED_COMPUTE: i32 = 5; // FULL with the compute factor a free constant c
export const FIXED_SOFT: i32 = 6; // SOFT_PENALTY with c
export const FIXED_ADDITIVE: i32 = 7; // ADDITIVE with c
export const FIXED_NO_PENALTY: i32 = 8; // NO_PENALTY with c
export const N_VARIANTS: i32 = 9;

/**
 * The fixed-compute variants replace f_C by a free constant c (their first parameter): for data
 * with one compute level, where α cannot be fitted but the context factor and penalty can.
 */
@inline export function isFixed(variant: i32): bool {
  return variant >= FIXED_COMPUTE;
}

/** The shape of the law: FULL, NO_PENALTY, CONTEXT_BLIND, ADDITIVE or SOFT_PENALTY. */
@inline function shapeOf(variant: i32): i32 {
  if (variant == FIXED_COMPUTE) return FULL;
  if (variant == FIXED_SOFT) return SOFT_PENALTY;
  if (variant == FIXED_ADDITIVE) return ADDITIVE;
  if (variant == FIXED_NO_PENALTY) return NO_PENALTY;
  return variant;
}

const LN10: f64 = 2.302585092994046;

export function paramCount(variant: i32): i32 {
  if (variant < 0 || variant >= N_VARIANTS) return 0;
  if (variant == CONTEXT_BLIND) return 2;
  const compute = isFixed(variant) ? 1 : 2;
  return shapeOf(variant) == SOFT_PENALTY ? compute + 4 : compute + 2;
}

/** S = 1/(1 + exp(d)) for any d without overflow: exp only ever sees a non-positive argument. */
@inline export function logistic(d: f64): f64 {
  if (d > 0) {
    const e = Math.exp(-d);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + Math.exp(d));
}

let nLevels: i32 = 0;

/** Derived per-observation inputs that do not depend on the parameters. */
export function precompute(): void {
  nLevels = 0;
  for (let i = 0; i < nObs; i++) {
    const c = getF(inC, i);
    const n = getF(inN, i);
    const ctx = getF(inCtx, i);
    const lc = Math.log10(c);
    setF(wLogC, i, lc);
    setF(wLogN, i, Math.log10(n));
    setF(wPenalty, i, logistic(n - ctx));
    setF(wLogRatio, i, Math.log10(n / ctx));
    // Observations share few compute levels (one per model), so the compute factor is
    // evaluated once per level rather than once per observation.
    let g = 0;
    while (g < nLevels && getF(wLevels, g) != lc) g++;
    if (g == nLevels) {
      setF(wLevels, g, lc);
      nLevels++;
    }
    store<i32>(wGroup + (<usize>i << 3), g);
  }
}

export function levelCount(): i32 {
  return nLevels;
}

@inline function group(i: i32): i32 {
  return load<i32>(wGroup + (<usize>i << 3));
}

/**
 * 1 − e^{−x}: expm1 only where it matters (x < 0.01, where 1 − e^{−x} would lose digits to
 * cancellation); above, 1 − exp(−x) is as accurate to within an ulp and a quarter of the
 * fit's time cheaper (AssemblyScript's expm1 is much slower than its exp).
 */
@inline function oneMinusExpNeg(x: f64, expNegX: f64): f64 {
  return x < 0.01 ? -Math.expm1(-x) : 1.0 - expNegX;
}

/** 1 − exp(−10^(slope·(lx − l0))), the saturating power law in log10 coordinates. */
@inline function saturating(lx: f64, l0: f64, slope: f64): f64 {
  const x = Math.exp(LN10 * slope * (lx - l0));
  return oneMinusExpNeg(x, Math.exp(-x));
}

function computeLevelFactors(p: usize): void {
  const a = getF(p, 0);
  const alpha = getF(p, 1);
  for (let g = 0; g < nLevels; g++) setF(wLevelFactor, g, saturating(getF(wLevels, g), a, alpha));
}

/** Prediction for observation i (level factors must be current). */
@inline function predictOne(variant: i32, p: usize, i: i32): f64 {
  const fixed = isFixed(variant);
  const shape = shapeOf(variant);
  const fc = fixed ? getF(p, 0) : getF(wLevelFactor, group(i));
  if (shape == CONTEXT_BLIND) return fc;
  const o = fixed ? 1 : 2; // index of log10_n0
  const fn = saturating(getF(wLogN, i), getF(p, o), getF(p, o + 1));
  if (shape == FULL) return fc * fn * getF(wPenalty, i);
  if (shape == NO_PENALTY) return fc * fn;
  if (shape == ADDITIVE) return 0.5 * (fc + fn) * getF(wPenalty, i);
  // SOFT_PENALTY
  const z = (getF(wLogRatio, i) - getF(p, o + 2)) / Math.pow(10.0, getF(p, o + 3));
  return fc * fn * logistic(z);
}

/** Variants whose penalty is the fixed S(n_pmt − n_ctx): where S is exactly 0 the prediction is 0. */
@inline function fixedPenalty(variant: i32): bool {
  const shape = shapeOf(variant);
  return shape == FULL || shape == ADDITIVE;
}

/** Sum of squared errors at parameters p (the objective of the global search). */
export function sse(variant: i32, p: usize): f64 {
  if (!isFixed(variant)) computeLevelFactors(p);
  const skipZero = fixedPenalty(variant);
  let s: f64 = 0;
  for (let i = 0; i < nObs; i++) {
    // Far past n_ctx S underflows to exactly 0, and so does the prediction: skipping the
    // power laws there gives the same bits and saves a quarter of the work on the paper's data.
    const pred = skipZero && getF(wPenalty, i) == 0.0 ? 0.0 : predictOne(variant, p, i);
    const r = pred - getF(inY, i);
    s += getF(wWeight, i) * r * r;
  }
  // A non-finite loss would poison the population's statistics; treat it as the worst.
  return isFinite(s) ? s : Infinity;
}

/** Predictions into wPred. */
export function predictAll(variant: i32, p: usize): void {
  if (!isFixed(variant)) computeLevelFactors(p);
  for (let i = 0; i < nObs; i++) setF(wPred, i, predictOne(variant, p, i));
}

// d/dl0 and d/dslope of saturating(lx, l0, slope): with x = 10^(slope(lx−l0)),
// f = 1 − e^{−x}, df/dx = e^{−x}, dx/dl0 = −ln10·slope·x, dx/dslope = ln10·(lx−l0)·x.
let dL0: f64 = 0;
let dSlope: f64 = 0;
@inline function saturatingWithGrad(lx: f64, l0: f64, slope: f64): f64 {
  const x = Math.exp(LN10 * slope * (lx - l0));
  const ex = Math.exp(-x);
  dL0 = -ex * LN10 * slope * x;
  dSlope = ex * LN10 * (lx - l0) * x;
  return oneMinusExpNeg(x, ex);
}

/** Predictions into wPred and the analytic Jacobian dP/dθ into wJac (row i, MAX_P wide). */
export function jacobian(variant: i32, p: usize): void {
  const fixed = isFixed(variant);
  const shape = shapeOf(variant);
  if (!fixed) {
    // The compute factor and its gradient depend on the level only: once per level.
    for (let g = 0; g < nLevels; g++) {
      setF(wLevelFactor, g, saturatingWithGrad(getF(wLevels, g), getF(p, 0), getF(p, 1)));
      setF(wLevelDA, g, dL0);
      setF(wLevelDAlpha, g, dSlope);
    }
  }
  const o = fixed ? 1 : 2; // index of log10_n0
  for (let i = 0; i < nObs; i++) {
    const row = wJac + (<usize>(i * MAX_P) << 3);
    const g = group(i);
    const fc = fixed ? getF(p, 0) : getF(wLevelFactor, g);
    if (shape == CONTEXT_BLIND) {
      setF(wPred, i, fc);
      setF(row, 0, getF(wLevelDA, g));
      setF(row, 1, getF(wLevelDAlpha, g));
      continue;
    }
    const fn = saturatingWithGrad(getF(wLogN, i), getF(p, o), getF(p, o + 1));
    const dnB = dL0;
    const dnBeta = dSlope;
    let s = getF(wPenalty, i);
    let mc = fn; // multiplier of the compute-factor derivative
    let mn = fc; // multiplier of the context-factor derivative
    if (shape == NO_PENALTY) s = 1.0;
    if (shape == ADDITIVE) {
      mc = 0.5;
      mn = 0.5;
    }
    if (shape == SOFT_PENALTY) {
      const width = Math.pow(10.0, getF(p, o + 3));
      const z = (getF(wLogRatio, i) - getF(p, o + 2)) / width;
      s = logistic(z);
      const dsdz = -s * (1.0 - s);
      const base = fc * fn;
      setF(row, o + 2, base * dsdz * (-1.0 / width));
      setF(row, o + 3, base * dsdz * (-z * LN10));
    }
    const pred = shape == ADDITIVE ? 0.5 * (fc + fn) * s : fc * fn * s;
    setF(wPred, i, pred);
    if (fixed) setF(row, 0, mc * s); // d f_C / d c = 1
    else {
      setF(row, 0, mc * getF(wLevelDA, g) * s);
      setF(row, 1, mc * getF(wLevelDAlpha, g) * s);
    }
    setF(row, o, mn * dnB * s);
    setF(row, o + 1, mn * dnBeta * s);
  }
}
