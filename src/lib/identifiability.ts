// Plain-language identifiability report of a fit: which parameters the data determine, which
// only in combination, and why. Built from the fit's own numbers (standard errors, the
// correlation matrix, the condition number) and from the design (how many compute levels).
import type { FitResult, FitPoint } from "./kernel.js";

export interface IdentifiabilityReport {
  conditionNumber: number | null;
  computeLevels: number;
  /** strongly correlated pairs, |r| ≥ 0.95 */
  correlated: { a: string; b: string; r: number }[];
  warnings: string[];
}

const STRONG = 0.95;

/** 10^0.01: compute levels closer than this factor (2.3 %) count as one, as in the kernel. */
export const LEVEL_FACTOR = 1.023292992280754;

/**
 * Distinct compute levels (FLOPs), counting levels within 2.3 % as one. Ratios and products
 * only, no logarithms: the result is the same in every JavaScript engine.
 */
export function computeLevels(points: readonly Pick<FitPoint, "compute_flops">[]): number[] {
  const values = [...new Set(points.map((p) => p.compute_flops))].sort((a, b) => a - b);
  const levels: number[] = [];
  for (const c of values) if (levels.length === 0 || c >= levels[levels.length - 1] * LEVEL_FACTOR) levels.push(c);
  return levels;
}

export function identifiability(fit: FitResult, points: readonly Pick<FitPoint, "compute_flops">[]): IdentifiabilityReport {
  const warnings: string[] = [];
  const levels = computeLevels(points);
  const hasCompute = fit.paramNames.includes("alpha");
  if (hasCompute && levels.length === 2) {
    const ratio = levels[1] / levels[0];
    warnings.push(
      `α and C₀ rest on two compute levels (a factor of ${ratio.toFixed(2)} in C): the compute factor passes exactly through both, so nothing checks its shape and predictions for other model sizes are extrapolations of a two-point line.`,
    );
  }
  if (fit.variant.startsWith("fixed-compute")) warnings.push("One compute level: α and C₀ cannot be estimated; the compute factor is fitted as a constant for this model size only.");
  for (const name of fit.undetermined) warnings.push(`${name} is not determined by these data: the loss is flat along it, so any value in its range fits as well.`);
  const correlated: { a: string; b: string; r: number }[] = [];
  fit.paramNames.forEach((a, i) =>
    fit.paramNames.forEach((b, j) => {
      const r = fit.correlation[i][j];
      if (j > i && r !== null && Math.abs(r) >= STRONG) correlated.push({ a, b, r });
    }),
  );
  for (const c of correlated)
    warnings.push(`${c.a} and ${c.b} are strongly correlated (r = ${c.r.toFixed(3)}): the data determine a combination of them much better than either alone.`);
  for (const name of fit.paramNames) {
    const se = fit.se[name];
    const [lo, hi] = fit.bounds[name];
    const value = fit.params[name];
    if (value - lo <= 1e-9 * (hi - lo) || hi - value <= 1e-9 * (hi - lo))
      warnings.push(`${name} = ${value} sits on its search bound [${lo}, ${hi}]: the best value may lie outside the range searched, and its standard error does not describe that.`);
    else if (se !== null && se > (hi - lo) / 4) warnings.push(`${name} is barely constrained: its standard error (${se.toPrecision(3)}) spans more than a quarter of its search range.`);
  }
  if (fit.conditionNumber !== null && fit.conditionNumber > 1e8)
    warnings.push(`The problem is ill-conditioned (condition number ${fit.conditionNumber.toExponential(1)}): small changes in the data move the parameters a lot.`);
  return { conditionNumber: fit.conditionNumber, computeLevels: levels.length, correlated, warnings };
}
