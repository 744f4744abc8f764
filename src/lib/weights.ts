// Weighted least squares for binomial scores. A score is the share of n evaluated instances
// answered correctly, so its sampling variance is p(1 − p)/n: it is largest near 0.5 and
// shrinks towards 0 and 1. The paper's unweighted fit treats every point as equally noisy,
// which leaves its standard errors too small where the noise varies (issue 12). Weighting each
// point by 1/variance makes the fit efficient and its standard errors honest, with the scale
// known (σ² = 1), because the variance is given by the counts, not estimated from the residuals.
//
// The variance uses the *fitted* p, by iteratively reweighted least squares: the observed
// score would tie each weight to that point's own noise (a point that came out low by chance
// near p = 0.1 would get a larger weight and pull the fit down with it).
import type { Kernel, FitOptions, FitPoint, FitResult } from "./kernel.js";
import { FitError } from "./kernel.js";
import type { Law } from "./law.js";

export const WEIGHTINGS = ["none", "binomial"] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

/** The column that holds the number of evaluated instances behind each score. */
export const COUNT_COLUMN = "n_instances";

/** A point that may carry its instance count. */
export type CountedPoint = FitPoint & { n_instances?: number | null };

/** Reweighting rounds after the unweighted start; 2–3 suffice on the paper's design. */
export const MAX_REWEIGHTS = 8;
/** Stop when no parameter moved by more than this share of its standard error. */
const REWEIGHT_TOLERANCE = 1e-3;

/** The first point without a usable count, or −1: binomial weights are refused without them. */
export function firstMissingCount(points: readonly CountedPoint[]): number {
  return points.findIndex((p) => !(typeof p.n_instances === "number" && Number.isInteger(p.n_instances) && p.n_instances > 0));
}

/**
 * w = n / (p̃(1 − p̃)) with p̃ = (n·p + ½)/(n + 1): p moved half an instance away from 0 and 1.
 * Without it a point predicted at exactly 0 (past n_ctx the fixed penalty gives 0) would get an
 * infinite weight; half an instance is the usual continuity correction and changes p̃ by less
 * than 1/(2n) elsewhere, far below the score's own noise.
 */
export function binomialWeights(points: readonly CountedPoint[], p: readonly number[]): number[] {
  const missing = firstMissingCount(points);
  if (missing >= 0) {
    throw new FitError("bad-weights", `binomial weights need the number of evaluated instances of every point (column ${COUNT_COLUMN}, a whole number > 0); point ${missing + 1} has ${points[missing].n_instances ?? "none"}`);
  }
  return points.map((pt, i) => {
    const n = pt.n_instances as number;
    const q = (n * Math.min(1, Math.max(0, p[i])) + 0.5) / (n + 1);
    return n / (q * (1 - q));
  });
}

export interface WeightedFit {
  fit: FitResult;
  /** the weights of the final fit, to hand to the bootstrap; null when unweighted */
  weights: number[] | null;
  /** weighted refits run after the unweighted start (0 when unweighted) */
  reweights: number;
  converged: boolean;
}

/**
 * Fits `law` unweighted ("none": the paper's fit, unchanged) or by iteratively reweighted
 * least squares with binomial weights: an unweighted fit, then refits with the weights of the
 * previous fit's predictions until the parameters stop moving.
 */
export function fitWeighted(kernel: Kernel, law: Law, points: readonly CountedPoint[], weighting: Weighting, options: FitOptions = {}): WeightedFit {
  const { weights: _ignored, scale: _s, ...base } = options;
  let fit = kernel.fit(law, points, base);
  if (weighting === "none") return { fit, weights: null, reweights: 0, converged: true };
  if (weighting !== "binomial") throw new FitError("bad-weights", `unknown weighting "${weighting}"; valid: ${WEIGHTINGS.join(", ")}`);
  let weights: number[] = [];
  for (let k = 1; k <= MAX_REWEIGHTS; k++) {
    weights = binomialWeights(points, fit.fitted);
    const next = kernel.fit(fit.variant, points, { ...base, weights, scale: "known" });
    const settled = next.paramNames.every((name) => {
      const se = next.se[name];
      return se !== null && Math.abs(next.params[name] - fit.params[name]) <= REWEIGHT_TOLERANCE * se;
    });
    fit = next;
    if (settled) return { fit, weights, reweights: k, converged: true };
  }
  return { fit, weights, reweights: MAX_REWEIGHTS, converged: false };
}
