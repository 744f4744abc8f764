// The law as a composition of parts (docs/method.md): compute factor, context factor, their
// combination, the penalty past n_ctx and the floor. Each option of each part has its value and
// its analytic derivatives here, once; the host (src/lib/law.ts) holds every option's code,
// parameter names and bounds, and checks when it loads the kernel that both agree.
//
// A law is a code with one field of LAW_FIELD_BITS bits per part, in the order compute, context,
// combine, penalty, floor (field k holds the option's number, code = Σ option·2^(k·bits)), and
// its parameters are the parts' parameters in that order. Parameters are in the identifiable
// form: f_C = 1 − exp(−(C/C0)^α), f_n = 1 − exp(−(n_pmt/n0)^β).
//
// A new option of a part (a fifth penalty shape, say) is: its constant below, its count in
// the part's OPTIONS constant and its parameters in the part's *Params function, its value and
// derivatives in the part's functions (for a penalty: penaltyConstants, penaltyAt), and its
// entry in src/lib/law.ts.
import {
  nObs, inC, inN, inCtx, inY, inFloor, wWeight, wLogN, wPenalty, wLogRatio, wExcess, wGroup, wLevels,
  wLevelFactor, wLevelDA, wLevelDAlpha, wCtxGroup, wCtxLevels, wCtxFactor, wCtxStamp, wPred, wJac,
  MAX_P, getF, setF,
} from "./layout";
import { LN10, logistic, saturating, dL0, dSlope } from "./shapes";

// compute factor
export const COMPUTE_SATURATING: i32 = 0; // 1 − exp(−10^(α(log10 C − log10 C0))): log10_C0, alpha
export const COMPUTE_CONSTANT: i32 = 1; // a free constant c (one compute level): compute_factor
export const COMPUTE_ABSENT: i32 = 2; // no compute factor
export const COMPUTE_LOGISTIC: i32 = 3; // 1/(1 + exp(−(log10 C − m)/s)): log10_C_mid, log10_width_C
export const COMPUTE_OPTIONS: i32 = 4;
// context factor
export const CONTEXT_SATURATING: i32 = 0; // 1 − exp(−10^(β(log10 n_pmt − log10 n0))): log10_n0, beta
export const CONTEXT_ABSENT: i32 = 1;
export const CONTEXT_OPTIONS: i32 = 2;
// combination of the two factors
export const COMBINE_PRODUCT: i32 = 0;
export const COMBINE_MEAN: i32 = 1; // (f_C + f_n)/2: needs both factors
export const COMBINE_OPTIONS: i32 = 2;
// penalty past the context window
export const PENALTY_NONE: i32 = 0;
export const PENALTY_STEP: i32 = 1; // S(n_pmt − n_ctx), the paper's literal logistic in tokens
export const PENALTY_SOFT: i32 = 2; // S((log10(n_pmt/n_ctx) − δ)/10^w): delta, log10_width
export const PENALTY_DECAY: i32 = 3; // 1 up to n_ctx, then exp(−10^ρ·(n_pmt/n_ctx − 1)): log10_decay_rate
export const PENALTY_OPTIONS: i32 = 4;
// floor: P = k + (1 − k)·law
export const FLOOR_GIVEN: i32 = 0; // k from the input block (0: no floor)
export const FLOOR_FITTED: i32 = 1; // k = φ, the last parameter
export const FLOOR_OPTIONS: i32 = 2;

// A law code gives each part a field of four bits (sixteen options), so a new option of any part
// moves no other part's field. src/lib/law.ts builds the codes with the same shifts (it checks
// LAW_FIELD_BITS, read from this export).
export const LAW_FIELD_BITS: i32 = 4;
export const LAW_CODES: i32 = 1 << (5 * LAW_FIELD_BITS); // every code below this is a combination of options (valid or not)

@inline function field(code: i32, index: i32): i32 { return (code >> (index * LAW_FIELD_BITS)) & ((1 << LAW_FIELD_BITS) - 1); }
@inline function computeOf(code: i32): i32 { return field(code, 0); }
@inline function contextOf(code: i32): i32 { return field(code, 1); }
@inline function combineOf(code: i32): i32 { return field(code, 2); }
@inline function penaltyOf(code: i32): i32 { return field(code, 3); }
@inline function floorOf(code: i32): i32 { return field(code, 4); }

export function computeParams(option: i32): i32 {
  return option == COMPUTE_CONSTANT ? 1 : option == COMPUTE_ABSENT ? 0 : 2;
}
export function contextParams(option: i32): i32 {
  return option == CONTEXT_SATURATING ? 2 : 0;
}
export function penaltyParams(option: i32): i32 {
  return option == PENALTY_SOFT ? 2 : option == PENALTY_DECAY ? 1 : 0;
}
export function floorParams(option: i32): i32 {
  return option == FLOOR_FITTED ? 1 : 0;
}

/** How many options part k has (in the order of a law code's fields). */
export function partOptionCount(k: i32): i32 {
  if (k == 0) return COMPUTE_OPTIONS;
  if (k == 1) return CONTEXT_OPTIONS;
  if (k == 2) return COMBINE_OPTIONS;
  if (k == 3) return PENALTY_OPTIONS;
  return FLOOR_OPTIONS;
}

/** The parameters option `option` of part k adds to a law (parts in the order of the code's fields). */
export function partParams(k: i32, option: i32): i32 {
  if (k == 0) return computeParams(option);
  if (k == 1) return contextParams(option);
  if (k == 2) return 0; // the combination has no parameters
  if (k == 3) return penaltyParams(option);
  return floorParams(option);
}

/** Number of parameters of a law, or 0 when the code is not a valid composition. */
export function paramCount(code: i32): i32 {
  if (code < 0 || code >= LAW_CODES) return 0;
  const c = computeOf(code);
  const n = contextOf(code);
  // An option no part has (a field holds sixteen values, a part uses a few) is no law.
  for (let k = 0; k < 5; k++) if (field(code, k) >= partOptionCount(k)) return 0;
  // Nothing to fit without either factor; a mean needs two things to average.
  if (c == COMPUTE_ABSENT && n == CONTEXT_ABSENT) return 0;
  if (combineOf(code) == COMBINE_MEAN && (c == COMPUTE_ABSENT || n == CONTEXT_ABSENT)) return 0;
  return computeParams(c) + contextParams(n) + penaltyParams(penaltyOf(code)) + floorParams(floorOf(code));
}

/** Whether a compute factor varies with the compute level (and so is evaluated once per level). */
@inline function leveled(compute: i32): bool {
  return compute == COMPUTE_SATURATING || compute == COMPUTE_LOGISTIC;
}

/** Whether the law's compute factor has an exponent or width that needs several compute levels. */
export function needsComputeSpread(code: i32): bool {
  return leveled(computeOf(code));
}

// The law in use, decoded once per call into the kernel (selectLaw), so the loops below branch
// on plain globals rather than decoding per observation.
let cmp: i32 = 0;
let ctxf: i32 = 0;
let mean: bool = false;
let pen: i32 = 0;
let fittedFloor: bool = false;
let oN: i32 = 0; // index of the context factor's first parameter
let oP: i32 = 0; // index of the penalty's first parameter
let oF: i32 = 0; // index of the fitted floor

export function selectLaw(code: i32): void {
  cmp = computeOf(code);
  ctxf = contextOf(code);
  mean = combineOf(code) == COMBINE_MEAN;
  pen = penaltyOf(code);
  fittedFloor = floorOf(code) == FLOOR_FITTED;
  oN = computeParams(cmp);
  oP = oN + contextParams(ctxf);
  oF = oP + penaltyParams(pen);
}

let nLevels: i32 = 0;
let nCtxLevels: i32 = 0;
const MAX_SHARED_CONTEXTS: i32 = 1024;
// Whether the context factor is shared per distinct n_pmt (false: too many distinct values).
let ctxShared: bool = true;
// Which evaluation is under way: a context-factor slot whose stamp equals it is current.
let evalStamp: u32 = 0;
// Whether any observation has a non-zero chance floor: without one the floor arithmetic is
// skipped altogether, so every law gives the same bits as before floors existed.
let anyFloor: bool = false;

/** Derived per-observation inputs that do not depend on the parameters. */
export function precompute(): void {
  nLevels = 0;
  nCtxLevels = 0;
  ctxShared = true;
  anyFloor = false;
  for (let i = 0; i < nObs; i++) {
    if (getF(inFloor, i) != 0.0) anyFloor = true;
    const c = getF(inC, i);
    const n = getF(inN, i);
    const ctx = getF(inCtx, i);
    const lc = Math.log10(c);
    setF(wLogN, i, Math.log10(n));
    setF(wPenalty, i, logistic(n - ctx));
    setF(wLogRatio, i, Math.log10(n / ctx));
    setF(wExcess, i, n > ctx ? n / ctx - 1.0 : 0.0);
    // Observations share few compute levels (one per model), so the compute factor is
    // evaluated once per level rather than once per observation.
    let g = 0;
    while (g < nLevels && getF(wLevels, g) != lc) g++;
    if (g == nLevels) {
      setF(wLevels, g, lc);
      nLevels++;
    }
    store<i32>(wGroup + (<usize>i << 3), g);
    // Likewise the context factor depends on n_pmt alone, and rows repeat n_pmt (the same
    // prompt length across models): it is computed once per distinct value and evaluation.
    // The search is linear, so past MAX_SHARED_CONTEXTS distinct values (measured prompt
    // lengths can all differ) sharing is given up: each row computes its own, the same bits.
    if (!ctxShared) continue;
    const ln = getF(wLogN, i);
    let h = 0;
    while (h < nCtxLevels && getF(wCtxLevels, h) != ln) h++;
    if (h == nCtxLevels) {
      if (h == MAX_SHARED_CONTEXTS) {
        ctxShared = false;
        continue;
      }
      setF(wCtxLevels, h, ln);
      store<u32>(wCtxStamp + (<usize>h << 3), 0);
      nCtxLevels++;
    }
    store<i32>(wCtxGroup + (<usize>i << 3), h);
  }
  evalStamp = 0;
}

export function levelCount(): i32 {
  return nLevels;
}

@inline function group(i: i32): i32 {
  return load<i32>(wGroup + (<usize>i << 3));
}

/**
 * The compute factor at every compute level, into wLevelFactor (the factor depends on the level
 * only: once per level), and with `grad` its derivatives in its two parameters into wLevelDA and
 * wLevelDAlpha. Only the saturating and logistic factors have levels.
 */
function computeLevels(p: usize, grad: bool): void {
  const a = getF(p, 0);
  const b = getF(p, 1);
  for (let g = 0; g < nLevels; g++) {
    const lc = getF(wLevels, g);
    if (cmp == COMPUTE_LOGISTIC) {
      // f = 1/(1 + exp(−(lc − m)/s)) = logistic(u), u = (m − lc)/s, overflow-free for any u:
      // df/du = −f(1 − f), du/dm = 1/s, du/ds = −u/s.
      const u = (a - lc) / b;
      const f = logistic(u);
      setF(wLevelFactor, g, f);
      if (grad) {
        const dfdu = -f * (1.0 - f);
        setF(wLevelDA, g, dfdu / b);
        setF(wLevelDAlpha, g, -dfdu * u / b);
      }
    } else {
      setF(wLevelFactor, g, saturating(lc, a, b, grad));
      if (grad) {
        setF(wLevelDA, g, dL0);
        setF(wLevelDAlpha, g, dSlope);
      }
    }
  }
}

// Per-evaluation constants of the penalty (10^w of the soft penalty, 10^ρ of the decay).
let softWidth: f64 = 1;
let decayRate: f64 = 0;

/** The penalty's constants at parameters p, once per evaluation (values and Jacobian alike). */
@inline function penaltyConstants(p: usize): void {
  if (pen == PENALTY_SOFT) softWidth = Math.pow(10.0, getF(p, oP + 1));
  else if (pen == PENALTY_DECAY) decayRate = Math.pow(10.0, getF(p, oP));
}

/** Everything that depends on the parameters but not on the observation: per compute level, per call. */
function prepareParams(p: usize): void {
  evalStamp++;
  if (evalStamp == 0) {
    // The counter wrapped: mark every slot stale once, so no slot is taken for current by chance.
    for (let h = 0; h < nCtxLevels; h++) store<u32>(wCtxStamp + (<usize>h << 3), 0);
    evalStamp = 1;
  }
  penaltyConstants(p);
  if (leveled(cmp)) computeLevels(p, false);
}

/** The compute factor of observation i (level factors must be current). */
@inline function computeFactor(p: usize, i: i32): f64 {
  if (cmp == COMPUTE_CONSTANT) return getF(p, 0);
  if (cmp == COMPUTE_ABSENT) return 1.0;
  return getF(wLevelFactor, group(i));
}

/**
 * The penalty s of observation i (penaltyConstants must have run): the one place each shape is
 * written. With a Jacobian row (`row` not 0), its derivatives in the penalty's own parameters,
 * times the law before the penalty (`base`), go into the row; the value path passes 0 and, the
 * function being inlined, keeps none of that work.
 */
@inline function penaltyAt(p: usize, i: i32, row: usize, base: f64): f64 {
  if (pen == PENALTY_STEP) return getF(wPenalty, i);
  if (pen == PENALTY_SOFT) {
    const z = (getF(wLogRatio, i) - getF(p, oP)) / softWidth;
    const s = logistic(z);
    if (row != 0) {
      // s = S(z), z = (log10(n_pmt/n_ctx) − δ)/10^w: ds/dz = −s(1 − s), dz/dδ = −1/10^w, dz/dw = −ln10·z.
      const dsdz = -s * (1.0 - s);
      setF(row, oP, base * dsdz * (-1.0 / softWidth));
      setF(row, oP + 1, base * dsdz * (-z * LN10));
    }
    return s;
  }
  if (pen == PENALTY_DECAY) {
    // s = exp(−r·x), r = 10^ρ: ds/dρ = −ln10·r·x·s (0 inside the window, where x = 0).
    const x = getF(wExcess, i);
    const s = x > 0.0 ? Math.exp(-decayRate * x) : 1.0;
    if (row != 0) setF(row, oP, base * (-LN10 * decayRate * x * s));
    return s;
  }
  return 1.0;
}

/** The context factor of observation i, computed at most once per distinct n_pmt and evaluation. */
@inline function contextFactor(p: usize, i: i32): f64 {
  if (!ctxShared) return saturating(getF(wLogN, i), getF(p, oN), getF(p, oN + 1), false);
  const h = load<i32>(wCtxGroup + (<usize>i << 3));
  const stamp = wCtxStamp + (<usize>h << 3);
  if (load<u32>(stamp) == evalStamp) return getF(wCtxFactor, h);
  const fn = saturating(getF(wCtxLevels, h), getF(p, oN), getF(p, oN + 1), false);
  setF(wCtxFactor, h, fn);
  store<u32>(stamp, evalStamp);
  return fn;
}

/** The law without a floor for observation i (prepareParams must have run). */
@inline function lawOne(p: usize, i: i32): f64 {
  const fc = computeFactor(p, i);
  let law = fc;
  if (ctxf == CONTEXT_SATURATING) {
    const fn = contextFactor(p, i);
    law = mean ? 0.5 * (fc + fn) : cmp == COMPUTE_ABSENT ? fn : fc * fn;
  }
  return pen == PENALTY_NONE ? law : law * penaltyAt(p, i, 0, 0.0);
}

/** The floor of observation i: the fitted φ, the given k, or 0. */
@inline function floorAt(p: usize, i: i32): f64 {
  return fittedFloor ? getF(p, oF) : getF(inFloor, i);
}

/** Whether predictions go through P = k + (1 − k)·law at all. */
@inline function floored(): bool {
  return anyFloor || fittedFloor;
}

/** Sum of squared errors at parameters p (the objective of the global search). */
export function sse(p: usize): f64 {
  return sseUpTo(p, Infinity);
}

/**
 * The SSE at p, or Infinity as soon as the running sum exceeds `bound`. The searches only ask
 * whether a trial beats a known loss and discard the loss of one that does not; the terms are
 * non-negative and rounding is monotone, so a running sum past the bound can only end past it,
 * and stopping there changes no decision and no bit of any result, only the work spent on losers.
 */
export function sseUpTo(p: usize, bound: f64): f64 {
  prepareParams(p);
  // Far past n_ctx the step S underflows to exactly 0, and so does the law: skipping the
  // power laws there gives the same bits and saves a quarter of the work on the paper's data.
  const skipZero = pen == PENALTY_STEP;
  const withFloor = floored();
  let s: f64 = 0;
  for (let i = 0; i < nObs; i++) {
    let pred = skipZero && getF(wPenalty, i) == 0.0 ? 0.0 : lawOne(p, i);
    if (withFloor) {
      const k = floorAt(p, i);
      pred = k + (1.0 - k) * pred;
    }
    const r = pred - getF(inY, i);
    s += getF(wWeight, i) * r * r;
    if (s > bound) return Infinity;
  }
  // A non-finite loss would poison the population's statistics; treat it as the worst.
  return isFinite(s) ? s : Infinity;
}

/** Predictions into wPred. */
export function predictAll(p: usize): void {
  prepareParams(p);
  const withFloor = floored();
  for (let i = 0; i < nObs; i++) {
    const law = lawOne(p, i);
    if (!withFloor) setF(wPred, i, law);
    else {
      const k = floorAt(p, i);
      setF(wPred, i, k + (1.0 - k) * law);
    }
  }
}

/** Predictions into wPred and the analytic Jacobian dP/dθ into wJac (row i, MAX_P wide). */
export function jacobian(p: usize): void {
  const levels = leveled(cmp);
  if (levels) computeLevels(p, true);
  penaltyConstants(p);
  for (let i = 0; i < nObs; i++) {
    const row = wJac + (<usize>(i * MAX_P) << 3);
    const g = group(i);
    const fc = computeFactor(p, i);
    // The combined factors L and its derivatives in f_C (mc) and f_n (mn).
    let base = fc;
    let mc: f64 = 1.0;
    let mn: f64 = 1.0;
    let dnB: f64 = 0;
    let dnBeta: f64 = 0;
    if (ctxf == CONTEXT_SATURATING) {
      const fn = saturating(getF(wLogN, i), getF(p, oN), getF(p, oN + 1), true);
      dnB = dL0;
      dnBeta = dSlope;
      if (mean) {
        base = 0.5 * (fc + fn);
        mc = 0.5;
        mn = 0.5;
      } else if (cmp == COMPUTE_ABSENT) base = fn;
      else {
        base = fc * fn;
        mc = fn;
        mn = fc;
      }
    }
    // The penalty s and its derivatives in its own parameters.
    const s = penaltyAt(p, i, row, base);
    setF(wPred, i, base * s);
    if (cmp == COMPUTE_CONSTANT) setF(row, 0, mc * s); // d f_C / d c = 1
    else if (levels) {
      setF(row, 0, mc * getF(wLevelDA, g) * s);
      setF(row, 1, mc * getF(wLevelDAlpha, g) * s);
    }
    if (ctxf == CONTEXT_SATURATING) {
      setF(row, oN, mn * dnB * s);
      setF(row, oN + 1, mn * dnBeta * s);
    }
  }
  if (floored()) applyFloor(p);
}

/**
 * P = k + (1 − k)·law on predictions and Jacobian rows already holding the law: the law's
 * derivatives scale by (1 − k), and a fitted floor φ has dP/dφ = 1 − law.
 */
function applyFloor(p: usize): void {
  for (let i = 0; i < nObs; i++) {
    const row = wJac + (<usize>(i * MAX_P) << 3);
    const k = floorAt(p, i);
    const law = getF(wPred, i);
    setF(wPred, i, k + (1.0 - k) * law);
    for (let j = 0; j < oF; j++) setF(row, j, (1.0 - k) * getF(row, j));
    if (fittedFloor) setF(row, oF, 1.0 - law);
  }
}
