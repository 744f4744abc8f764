// Bounded Levenberg–Marquardt from the global search's optimum, with the analytic Jacobian.
// Bounds are handled by projection plus an active set: a parameter sitting on a bound whose
// gradient pushes it outward is held fixed for that step, so the solver never stalls trying
// to leave the box.
import {
  nObs, inY, wWeight, wPred, wJac, wParams, fixed, IN_LO, IN_HI, MAX_P, getF, setF,
  S_NORMAL, S_GRADIENT, S_LM_SYSTEM, S_LM_STEP, S_LM_FREE,
} from "./layout";
import { sseUpTo, jacobian } from "./model";
import { choleskySolve } from "./linalg";
import { reportProgress } from "./progress";

export let iterations: i32 = 0;
export let jacobianEvaluations: i32 = 0;
export let functionEvaluations: i32 = 0;
export let converged: bool = false;

// Scratch matrices (regions named in layout.ts).
@inline function hMat(): usize { return fixed(S_NORMAL); } // p×p, ld MAX_P
@inline function grad(): usize { return fixed(S_GRADIENT); }
@inline function aMat(): usize { return fixed(S_LM_SYSTEM); }
@inline function rhs(): usize { return fixed(S_LM_STEP); }
@inline function freeIdx(): usize { return fixed(S_LM_FREE); }

/** JᵀJ into hMat and Jᵀr into grad, from the current wPred and wJac. */
export function normalEquations(p: i32): f64 {
  const h = hMat();
  const g = grad();
  for (let a = 0; a < p; a++) {
    setF(g, a, 0);
    for (let b = 0; b < p; b++) setF(h, a * MAX_P + b, 0);
  }
  let s: f64 = 0;
  for (let i = 0; i < nObs; i++) {
    const w = getF(wWeight, i);
    if (w == 0.0) continue; // left out of this bootstrap resample
    const r = getF(wPred, i) - getF(inY, i);
    s += w * r * r;
    const row = wJac + (<usize>(i * MAX_P) << 3);
    for (let a = 0; a < p; a++) {
      const ja = w * getF(row, a);
      setF(g, a, getF(g, a) + ja * r);
      for (let b = 0; b <= a; b++) setF(h, a * MAX_P + b, getF(h, a * MAX_P + b) + ja * getF(row, b));
    }
  }
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) setF(h, a * MAX_P + b, getF(h, b * MAX_P + a));
  return s;
}

/** Refines x (real scale, p entries) in place; returns the final SSE. */
export function levenbergMarquardt(p: i32, x: usize, maxIterations: i32): f64 {
  const lo = fixed(IN_LO);
  const hi = fixed(IN_HI);
  iterations = 0;
  jacobianEvaluations = 1;
  functionEvaluations = 0;
  converged = false;
  for (let j = 0; j < p; j++) setF(x, j, Math.min(Math.max(getF(x, j), getF(lo, j)), getF(hi, j)));
  jacobian(x);
  let current = normalEquations(p);
  let lambda: f64 = 1e-3;
  const h = hMat();
  const g = grad();
  const a = aMat();
  const d = rhs();
  const free = freeIdx();

  while (iterations < maxIterations) {
    iterations++;
    // Active set: parameters on a bound with the descent direction pointing outside.
    let k = 0;
    let maxDiag: f64 = 0;
    for (let j = 0; j < p; j++) {
      const xj = getF(x, j);
      const gj = getF(g, j);
      const blocked = (xj <= getF(lo, j) && gj > 0) || (xj >= getF(hi, j) && gj < 0);
      if (!blocked) {
        store<i32>(free + (<usize>k << 2), j);
        k++;
        maxDiag = Math.max(maxDiag, getF(h, j * MAX_P + j));
      }
    }
    if (k == 0 || maxDiag == 0.0) {
      converged = true;
      break;
    }
    let accepted = false;
    let trialSse: f64 = current;
    while (!accepted) {
      for (let u = 0; u < k; u++) {
        const ju = load<i32>(free + (<usize>u << 2));
        for (let v = 0; v < k; v++) {
          const jv = load<i32>(free + (<usize>v << 2));
          setF(a, u * MAX_P + v, getF(h, ju * MAX_P + jv));
        }
        // Marquardt's scaling by the diagonal, floored so an insensitive parameter still
        // gets a finite, damped step.
        const dj = Math.max(getF(h, ju * MAX_P + ju), 1e-12 * maxDiag);
        setF(a, u * MAX_P + u, getF(a, u * MAX_P + u) + lambda * dj);
        setF(d, u, -getF(g, ju));
      }
      if (!choleskySolve(a, d, k, MAX_P)) {
        lambda *= 10.0;
        if (lambda > 1e20) break;
        continue;
      }
      let moved = false;
      for (let j = 0; j < p; j++) setF(wParams, j, getF(x, j));
      for (let u = 0; u < k; u++) {
        const ju = load<i32>(free + (<usize>u << 2));
        const nv = Math.min(Math.max(getF(x, ju) + getF(d, u), getF(lo, ju)), getF(hi, ju));
        if (nv != getF(x, ju)) moved = true;
        setF(wParams, ju, nv);
      }
      if (!moved) break;
      // A step is taken only if it lowers the loss below `current`; a rejected step's loss is unused.
      trialSse = sseUpTo(wParams, current);
      functionEvaluations++;
      if (trialSse < current) {
        accepted = true;
        lambda = Math.max(lambda / 3.0, 1e-15);
      } else {
        lambda *= 4.0;
        if (lambda > 1e20) break;
      }
    }
    if (!accepted) {
      // No step lowers the loss any more: this is a minimum to working precision.
      converged = true;
      break;
    }
    let relStep: f64 = 0;
    for (let j = 0; j < p; j++) {
      const xj = getF(x, j);
      const nv = getF(wParams, j);
      relStep = Math.max(relStep, Math.abs(nv - xj) / (Math.abs(xj) + 1e-8));
      setF(x, j, nv);
    }
    const relGain = (current - trialSse) / Math.max(current, 1e-300);
    current = trialSse;
    jacobian(x);
    jacobianEvaluations++;
    current = normalEquations(p);
    if (reportProgress(1, iterations, current)) break;
    if (relGain < 1e-15 || relStep < 1e-14) {
      converged = true;
      break;
    }
  }
  return current;
}
