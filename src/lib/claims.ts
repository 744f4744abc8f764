// A verdict per claim: each claim of the paper that the data here can test, and what this site
// found beyond it, with our number, its interval, the paper's number where it gave one, and the
// verdict (holds, does not hold, cannot tell from these data). Each experiment states its own
// claims in its descriptor (`claims`, src/lib/experiment-plan.ts) with the two rules below; the
// home page draws the table and `npm run fit` prints it, both from one table model
// (src/lib/summary.ts), and every cell is computed from the experiment's results.
import type { ExperimentResult, ContrastResult, SplitResult } from "./run.js";
import type { Interval } from "./intervals.js";
import { num } from "./format.js";

export type ClaimVerdict = "holds" | "does not hold" | "cannot tell";

export interface Claim {
  claim: string;
  experiment: string;
  task: string;
  /** our number and its 95 % interval (null: not computable, `why` says so) */
  ours: number | null;
  interval: Interval | null;
  /** the paper's number, null where it published none */
  paper: number | null;
  verdict: ClaimVerdict;
  /** the rule that gave the verdict, or why there is none */
  why: string;
  /** "+0.012" style: `ours` is a difference of two errors */
  difference?: true;
}

/**
 * "Most errors within 5 points" (the paper's phrase): an MAE holds the claim when its whole
 * 95 % interval is at or below 0.05, fails it when the whole interval is above, else cannot tell.
 * The same 0.05 marks a failure on Beyond (FAIL_MAE).
 */
export const CLOSE_MAE = 0.05;

type Base = Pick<Claim, "claim" | "experiment" | "task">;
const baseOf = (r: ExperimentResult, claim: string): Base => ({ claim, experiment: r.plan.experiment, task: r.plan.task });

/** The claim that a fit's MAE on a split is within CLOSE_MAE. */
export function withinClaim(r: ExperimentResult, claim: string, fit: string, split: string, paper: number | null): Claim {
  const s: SplitResult | undefined = r.fits.find((f) => f.label === fit)?.splits.find((x) => x.name === split);
  const base = { ...baseOf(r, claim), paper };
  if (!s?.errors) return { ...base, ours: null, interval: null, verdict: "cannot tell", why: s?.reason ?? `no split ${split} of fit ${fit}` };
  const ours = s.errors.mae;
  if (s.undetermined) return { ...base, ours, interval: s.maeInterval ?? null, verdict: "cannot tell", why: `the error is not determined by the fitted points (equally good fits give ${num(s.undetermined.maeRange[0])}–${num(s.undetermined.maeRange[1])})` };
  if (!s.maeInterval) return { ...base, ours, interval: null, verdict: "cannot tell", why: "no bootstrap interval (resamples 0)" };
  const [lo, hi] = s.maeInterval;
  const verdict: ClaimVerdict = hi <= CLOSE_MAE ? "holds" : lo > CLOSE_MAE ? "does not hold" : "cannot tell";
  const why = verdict === "holds" ? `the 95 % interval is at or below ${CLOSE_MAE}` : verdict === "does not hold" ? `the 95 % interval is above ${CLOSE_MAE}` : `the 95 % interval holds ${CLOSE_MAE}`;
  return { ...base, ours, interval: s.maeInterval, verdict, why };
}

/** The claim that fit A is better than fit B on a split (a contrast of the plan): the paired verdict. */
export function betterClaim(r: ExperimentResult, claim: string, a: string, b: string, split: string, paper: number | null): Claim {
  const c: ContrastResult | undefined = r.contrasts?.find((x) => x.a === a && x.b === b && x.split === split);
  const base = { ...baseOf(r, claim), paper, difference: true as const };
  if (!c) return { ...base, ours: null, interval: null, verdict: "cannot tell", why: `no comparison of ${a} with ${b} on ${split}` };
  const verdict: ClaimVerdict = c.verdict === "a" ? "holds" : c.verdict === "b" ? "does not hold" : "cannot tell";
  const why = c.verdict === "a" ? `the 95 % paired interval of ${a} − ${b} is below 0`
    : c.verdict === "b" ? `the 95 % paired interval of ${a} − ${b} is above 0`
    : c.reason ?? "the 95 % paired interval holds 0";
  return { ...base, ours: c.difference, interval: c.interval, verdict, why };
}
