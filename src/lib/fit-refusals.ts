// Data that leave the law undetermined are refused, not fitted (docs/method.md, "Refused
// inputs"). The kernel refuses what it can see before fitting (too few points, bad numbers, all
// scores 0, one compute level); the host adds, once the kernel has accepted the points:
//
//   constant-score  every score is the same value (1, say): the scores do not vary with compute
//                   or prompt length, so nothing in them can determine the law's shape (all 0
//                   stays the kernel's "all-zero");
//   past-context    a law with the step penalty, and no point inside its model's context window
//                   (every n_pmt > n_ctx): the step puts the law at ≈ 0 there whatever its
//                   parameters;
//   undetermined    after the fit, the kernel finds every parameter undetermined (the loss is flat
//                   along each one): whatever numbers came out, none of them is a result.
//
// The first two are plain conditions on the data, checked for every law alike; the last is the
// net under them for anything else that determines nothing.
import { FitError, type FitPoint, type FitResult } from "./kernel-types.js";
import type { ResolvedLaw } from "./named-laws.js";

/** The refusal of points whose scores or prompts leave `law` undetermined, or null. Points with
 *  a weight of 0 are not fitted and are left out. Call only with points the kernel accepted. */
export function degenerateData(law: ResolvedLaw, points: readonly FitPoint[], weights?: readonly number[]): FitError | null {
  const fitted = weights ? points.filter((_, i) => weights[i]! > 0) : points;
  if (fitted.length === 0) return null;
  const first = fitted[0]!.score;
  if (fitted.every((p) => p.score === first)) {
    const why = first === 1
      ? "every score is 1: the task is saturated in these data"
      : `every score is ${first}: the scores do not vary with compute or prompt length`;
    return new FitError("constant-score",
      `${why}, so they cannot determine the law (any parameters that put it at ${first} fit equally well); check the metric column or the evaluation run, or add models or prompt lengths whose scores differ`);
  }
  if (law.parts.penalty === "step" && !fitted.some((p) => p.n_pmt <= p.n_ctx)) {
    const p = fitted[0]!;
    return new FitError("past-context",
      `every point lies past its model's context window (n_pmt > n_ctx; the first: n_pmt=${p.n_pmt}, n_ctx=${p.n_ctx}), where the step penalty of ${law.name} puts the law at about 0 whatever its parameters, so these data cannot determine it; add points with n_pmt ≤ n_ctx, or fit a law whose penalty is fitted (penalty=soft or penalty=decay)`);
  }
  return null;
}

/** The refusal of a fit that determined none of its parameters, or null. A cancelled fit is
 *  returned as it is: it was stopped, not finished. */
export function nothingDetermined(law: ResolvedLaw, fit: FitResult): FitError | null {
  if (fit.status === "cancelled" || fit.paramNames.length === 0 || fit.undetermined.length < fit.paramNames.length) return null;
  return new FitError("undetermined",
    `none of the ${fit.paramNames.length} parameters of ${law.name} (${fit.paramNames.join(", ")}) is determined by these data: the loss is flat along every one of them at the fit, so any values in their ranges fit as well; add points that vary in compute and prompt length (inside the context window), or fit a law with fewer parameters`);
}
