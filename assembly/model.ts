// The context-aware law and its variants (docs/method.md). Parameters are in the identifiable
// form: f_C = 1 − exp(−(C/C0)^α), f_n = 1 − exp(−(n_pmt/n0)^β), times a penalty.
import {
  nObs, inC, inN, inCtx, inY, inFloor, wWeight, wLogC, wLogN, wPenalty, wLogRatio, wGroup, wLevels,
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
// Laws of compute alone, for data at a fixed prompt (one shot count per benchmark), where the
// context factor is a constant that the compute factor's scale absorbs.
export const LOGISTIC_COMPUTE: i32 = 9; // f = 1/(1 + exp(−(log10 C − m)/s)), params m, s
export const CONTEXT_BLIND_FLOOR: i32 = 10; // CONTEXT_BLIND with a fitted floor φ (last param)
export const LOGISTIC_FLOOR: i32 = 11; // LOGISTIC_COMPUTE with a fitted floor φ (last param)
export const N_VARIANTS: i32 = 12;

/**
 * The fixed-compute variants replace f_C by a free constant c (their first parameter): for data
 * with one compute level, where α cannot be fitted but the context factor and penalty can.
 */
@inline export function isFixed(variant: i32): bool {
  return variant >= FIXED_COMPUTE && variant <= FIXED_NO_PENALTY;
}

/** Variants whose last parameter is a fitted floor φ: P = φ + (1 − φ)·law. */
@inline function fittedFloor(variant: i32): bool {
  return variant == CONTEXT_BLIND_FLOOR || variant == LOGISTIC_FLOOR;
}

/** The shape of the law: FULL, NO_PENALTY, CONTEXT_BLIND, ADDITIVE, SOFT_PENALTY or LOGISTIC_COMPUTE. */
@inline function shapeOf(variant: i32): i32 {
  if (variant == CONTEXT_BLIND_FLOOR) return CONTEXT_BLIND;
  if (variant == LOGISTIC_FLOOR) return LOGISTIC_COMPUTE;
  if (variant == FIXED_COMPUTE) return FULL;
  if (variant == FIXED_SOFT) return SOFT_PENALTY;
  if (variant == FIXED_ADDITIVE) return ADDITIVE;
  if (variant == FIXED_NO_PENALTY) return NO_PENALTY;
  return variant;
}

const LN10: f64 = 2.302585092994046;

export function paramCount(variant: i32): i32 {
  if (variant < 0 || variant >= N_VARIANTS) return 0;
  if (variant == CONTEXT_BLIND || variant == LOGISTIC_COMPUTE) return 2;
  if (fittedFloor(variant)) return 3;
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
// Whether any observation has a non-zero chance floor: without one the floor arithmetic is
// skipped altogether, so every law gives the same bits as before floors existed.
let anyFloor: bool = false;

/** Derived per-observation inputs that do not depend on the parameters. */
export function precompute(): void {
  nLevels = 0;
  anyFloor = false;
  for (let i = 0; i < nObs; i++) {
    if (getF(inFloor, i) != 0.0) anyFloor = true;
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

function computeLevelFactors(variant: i32, p: usize): void {
  const a = getF(p, 0);
  const b = getF(p, 1);
  if (shapeOf(variant) == LOGISTIC_COMPUTE) {
    // f = 1/(1 + exp(−(lc − m)/s)) = logistic((m − lc)/s), overflow-free for any argument.
    for (let g = 0; g < nLevels; g++) setF(wLevelFactor, g, logistic((a - getF(wLevels, g)) / b));
    return;
  }
  for (let g = 0; g < nLevels; g++) setF(wLevelFactor, g, saturating(getF(wLevels, g), a, b));
}

/** The floor of observation i: the fitted φ (last parameter), the given k, or 0. */
@inline function floorOf(variant: i32, p: usize, i: i32): f64 {
  return fittedFloor(variant) ? getF(p, 2) : getF(inFloor, i);
}

/** Whether predictions of this variant go through P = k + (1 − k)·law at all. */
@inline function floored(variant: i32): bool {
  return anyFloor || fittedFloor(variant);
}

/** Prediction for observation i (level factors must be current), the floor applied. */
@inline function predictOne(variant: i32, p: usize, i: i32): f64 {
  const law = lawOne(variant, p, i);
  if (!floored(variant)) return law;
  const k = floorOf(variant, p, i);
  return k + (1.0 - k) * law;
}

/** The law without a floor for observation i (level factors must be current). */
@inline function lawOne(variant: i32, p: usize, i: i32): f64 {
  const fixed = isFixed(variant);
  const shape = shapeOf(variant);
  const fc = fixed ? getF(p, 0) : getF(wLevelFactor, group(i));
  if (shape == CONTEXT_BLIND || shape == LOGISTIC_COMPUTE) return fc;
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
  if (!isFixed(variant)) computeLevelFactors(variant, p);
  const skipZero = fixedPenalty(variant);
  const withFloor = floored(variant);
  let s: f64 = 0;
  for (let i = 0; i < nObs; i++) {
    // Far past n_ctx S underflows to exactly 0, and so does the law: skipping the
    // power laws there gives the same bits and saves a quarter of the work on the paper's data.
    let pred = skipZero && getF(wPenalty, i) == 0.0 ? 0.0 : lawOne(variant, p, i);
    if (withFloor) {
      const k = floorOf(variant, p, i);
      pred = k + (1.0 - k) * pred;
    }
    const r = pred - getF(inY, i);
    s += getF(wWeight, i) * r * r;
  }
  // A non-finite loss would poison the population's statistics; treat it as the worst.
  return isFinite(s) ? s : Infinity;
}

/** Predictions into wPred. */
export function predictAll(variant: i32, p: usize): void {
  if (!isFixed(variant)) computeLevelFactors(variant, p);
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
  if (shape == LOGISTIC_COMPUTE) {
    // f = logistic(u), u = (m − lc)/s: df/du = −f(1 − f), du/dm = 1/s, du/ds = −u/s.
    const m = getF(p, 0);
    const w = getF(p, 1);
    for (let g = 0; g < nLevels; g++) {
      const u = (m - getF(wLevels, g)) / w;
      const f = logistic(u);
      const dfdu = -f * (1.0 - f);
      setF(wLevelFactor, g, f);
      setF(wLevelDA, g, dfdu / w);
      setF(wLevelDAlpha, g, -dfdu * u / w);
    }
  } else if (!fixed) {
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
    if (shape == CONTEXT_BLIND || shape == LOGISTIC_COMPUTE) {
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
  if (floored(variant)) applyFloor(variant, p);
}

/**
 * P = k + (1 − k)·law on predictions and Jacobian rows already holding the law: the law's
 * derivatives scale by (1 − k), and a fitted floor φ has dP/dφ = 1 − law.
 */
function applyFloor(variant: i32, p: usize): void {
  const nLaw = fittedFloor(variant) ? paramCount(variant) - 1 : paramCount(variant);
  for (let i = 0; i < nObs; i++) {
    const row = wJac + (<usize>(i * MAX_P) << 3);
    const k = floorOf(variant, p, i);
    const law = getF(wPred, i);
    setF(wPred, i, k + (1.0 - k) * law);
    for (let j = 0; j < nLaw; j++) setF(row, j, (1.0 - k) * getF(row, j));
    if (fittedFloor(variant)) setF(row, nLaw, 1.0 - law);
  }
}
