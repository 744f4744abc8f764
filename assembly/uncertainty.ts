// Standard errors and correlations at the optimum, from the Gauss–Newton approximation
// cov = σ²·(JᵀWJ)⁻¹ (W the observation weights, 1 unless weighted) with σ² = SSE_W/(m − p)
// estimated from the residuals, or σ² = 1 when the caller says the weights are 1/variance
// of known size (binomial weights: the scale is known, so it is not estimated). The inverse goes through an eigen-decomposition of
// the correlation-scaled JᵀJ, which yields the condition number and tells which parameters the
// data leave undetermined (a near-zero eigenvalue), instead of returning huge or NaN numbers.
import {
  nObs, wWeight, fixed, OUT_SE, OUT_CORR, OUT_STATS, STAT_CONDITION, STAT_SIGMA2, STAT_UNDETERMINED, MAX_P, getF, setF,
  S_NORMAL, S_UNC_SCALED, S_UNC_VECTORS, S_UNC_INVERSE, S_UNC_SCALE,
} from "./layout";
import { normalEquations } from "./lm";
import { jacobiEigen } from "./linalg";

const RELATIVE_EIGEN_FLOOR: f64 = 1e-13;

/** Expects wPred and wJac at the optimum. */
export function uncertainty(p: i32, sseValue: f64, knownScale: bool): void {
  normalEquations(p);
  const h = fixed(S_NORMAL); // JᵀWJ, just written by normalEquations
  const scaled = fixed(S_UNC_SCALED);
  const vecs = fixed(S_UNC_VECTORS);
  const inv = fixed(S_UNC_INVERSE);
  const scale = fixed(S_UNC_SCALE);
  const se = fixed(OUT_SE);
  const corr = fixed(OUT_CORR);
  const stats = fixed(OUT_STATS);
  let undetermined: i32 = 0;

  let maxDiag: f64 = 0;
  for (let j = 0; j < p; j++) maxDiag = Math.max(maxDiag, getF(h, j * MAX_P + j));
  for (let j = 0; j < p; j++) {
    const djj = getF(h, j * MAX_P + j);
    // A parameter the predictions do not depend on at all (column of zeros) is undetermined.
    if (!(djj > 1e-30 * maxDiag) || maxDiag == 0.0) {
      undetermined |= 1 << j;
      setF(scale, j, 0);
    } else setF(scale, j, 1.0 / Math.sqrt(djj));
  }
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) setF(scaled, a * MAX_P + b, getF(h, a * MAX_P + b) * getF(scale, a) * getF(scale, b));
  for (let j = 0; j < p; j++) if (undetermined & (1 << j)) setF(scaled, j * MAX_P + j, 0);
  jacobiEigen(scaled, vecs, p, MAX_P);

  let eMax: f64 = 0;
  for (let k = 0; k < p; k++) eMax = Math.max(eMax, getF(scaled, k * MAX_P + k));
  let eMin: f64 = Infinity;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) setF(inv, a * MAX_P + b, 0);
  for (let k = 0; k < p; k++) {
    let colUsed = false;
    for (let j = 0; j < p; j++) if (!(undetermined & (1 << j)) && getF(vecs, j * MAX_P + k) != 0.0) colUsed = true;
    if (!colUsed) continue; // the eigenvector of an excluded parameter
    const ev = getF(scaled, k * MAX_P + k);
    eMin = Math.min(eMin, ev);
    if (ev <= RELATIVE_EIGEN_FLOOR * eMax) {
      // A flat direction of the loss: every parameter that moves along it is undetermined.
      for (let j = 0; j < p; j++) if (Math.abs(getF(vecs, j * MAX_P + k)) > 0.05) undetermined |= 1 << j;
      continue;
    }
    for (let a = 0; a < p; a++) {
      const va = getF(vecs, a * MAX_P + k);
      for (let b = 0; b < p; b++) setF(inv, a * MAX_P + b, getF(inv, a * MAX_P + b) + (va * getF(vecs, b * MAX_P + k)) / ev);
    }
  }
  // Points of weight 0 are not in the fit: they must not count as degrees of freedom.
  let used = 0;
  for (let i = 0; i < nObs; i++) if (getF(wWeight, i) > 0.0) used++;
  const dof = used - p;
  const sigma2 = knownScale ? 1.0 : dof > 0 ? sseValue / <f64>dof : Infinity;
  setF(stats, STAT_SIGMA2, sigma2);
  setF(stats, STAT_CONDITION, eMax > 0 && eMin > 0 ? eMax / eMin : Infinity);
  setF(stats, STAT_UNDETERMINED, <f64>undetermined);
  for (let a = 0; a < p; a++) {
    const fa = undetermined & (1 << a);
    const v = getF(inv, a * MAX_P + a);
    setF(se, a, fa ? Infinity : Math.sqrt(sigma2 * v) * getF(scale, a));
    for (let b = 0; b < p; b++) {
      const fb = undetermined & (1 << b);
      const c = fa || fb ? 0.0 : getF(inv, a * MAX_P + b) / Math.sqrt(v * getF(inv, b * MAX_P + b));
      setF(corr, a * MAX_P + b, c);
    }
  }
}
