// The shapes the law's parts are made of, as pure functions of their inputs (assembly/model.ts
// composes them into the parts and the law): the overflow-free logistic and the saturating power
// law, with its derivatives when asked. Inlined wherever they are used.
import { exp_lut } from "~lib/util/math";

export const LN10: f64 = 2.302585092994046;

/** S = 1/(1 + exp(d)) for any d without overflow: exp only ever sees a non-positive argument. */
@inline export function logistic(d: f64): f64 {
  if (d > 0) {
    const e = Math.exp(-d);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + Math.exp(d));
}

/**
 * 1 − e^{−x}: expm1 only where it matters (x < 0.01, where 1 − e^{−x} would lose digits to
 * cancellation); above, 1 − exp(−x) is as accurate to within an ulp and a quarter of the
 * fit's time cheaper (AssemblyScript's expm1 is much slower than its exp).
 */
@inline function oneMinusExpNeg(x: f64, expNegX: f64): f64 {
  return x < 0.01 ? -Math.expm1(-x) : 1.0 - expNegX;
}

// d/dl0 and d/dslope of the last saturating(…, true).
export let dL0: f64 = 0;
export let dSlope: f64 = 0;

/**
 * 1 − exp(−10^(slope·(lx − l0))), the saturating power law in log10 coordinates (the paper's
 * compute and context factors), and with `grad` its derivatives into dL0 and dSlope: with
 * x = 10^(slope(lx−l0)), f = 1 − e^{−x}, df/dx = e^{−x}, dx/dl0 = −ln10·slope·x,
 * dx/dslope = ln10·(lx−l0)·x. The value path passes false and, inlined, keeps none of that work.
 */
@inline export function saturating(lx: f64, l0: f64, slope: f64, grad: bool): f64 {
  // exp_lut is the body of Math.exp (same code, same bits), inlined into the hot loop.
  const x = exp_lut(LN10 * slope * (lx - l0));
  if (!grad) {
    // Past x = 37.5, e^{−x} < 2^−54 and 1 − e^{−x} rounds to exactly 1: the same bits without the exp.
    if (x > SATURATED) return 1.0;
    return oneMinusExpNeg(x, exp_lut(-x));
  }
  const ex = exp_lut(-x);
  dL0 = -ex * LN10 * slope * x;
  dSlope = ex * LN10 * (lx - l0) * x;
  return oneMinusExpNeg(x, ex);
}
const SATURATED: f64 = 37.5;
