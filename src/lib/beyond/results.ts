// What Beyond's analysis gives: per group, each law's outcome, the best, the failures, the
// empirical penalty and the penalty shapes; per study, a summary; and the rules' thresholds.
import type { NamedLaw } from "../named-laws.js";
import { PENALTY_SHAPES } from "../law.js";
import type { ErrorSummary } from "../metrics.js";
import type { ExternalStudy, StudyId } from "./studies.js";

// ---------------------------------------------------------------------------------------------
// Results

export interface FitSummary {
  params: Record<string, number>;
  undetermined: string[];
  sse: number;
  mae: number;
  n: number;
  status: string;
}

export interface LawOutcome {
  variant: NamedLaw;
  /** the form actually fitted when the group has one compute level: the law with f_C a free constant */
  fittedAs?: NamedLaw;
  /** fit to every point of the group, or null (then `refused` says why) */
  all: FitSummary | null;
  /** the same law fitted to the training part, and its errors on the held-out part */
  heldOut: ErrorSummary | null;
  /** why a number is missing: the kernel's refusal or the hold-out's */
  refused?: { code: string; message: string };
  heldOutReason?: string;
}

export interface EmpiricalPenaltyPoint {
  model: string;
  shots: number;
  n_pmt: number;
  n_ctx: number;
  observed: number;
  /** c · f_n(n_pmt) of a fixed-compute fit to the points inside the window, penalty removed */
  unpenalised: number;
  /** observed / unpenalised: the penalty the data show (the sharp law: ≈ 0) */
  ratio: number | null;
}

export interface GroupResult {
  study: StudyId;
  id: string;
  task: string;
  models: string[];
  n: number;
  /** points with n_pmt > n_ctx */
  nPastContext: number;
  computeLevels: number;
  holdOut: { scheme: string; train: number; test: number };
  variants: LawOutcome[];
  /** lowest held-out MAE; several laws when within TIE_MAE of each other */
  best: { variants: NamedLaw[]; heldOutMae: number } | null;
  failures: string[];
  penalty: EmpiricalPenaltyPoint[] | null;
  /** step vs soft vs decay past n_ctx, where the group has points there (else null) */
  penaltyShapes: PenaltyShape[] | null;
  /** every point with the prediction of the best law's all-points fit (null when none), for plots */
  points: { model: string; shots: number; n_pmt: number; n_ctx: number; compute_flops: number; score: number; predicted: number | null; heldOut: boolean }[];
}

/**
 * One penalty shape on one group (issue 10): the law with that penalty (its fixed-compute form
 * where the group has one compute level), fitted (a) to the points inside the window and judged
 * on those past it, and (b) to all points, judged by its in-sample error.
 */
export interface PenaltyShape {
  /** a penalty option of src/lib/law.ts other than none */
  penalty: string;
  /** the law fitted: a name or a composition */
  law: string;
  /** (a): MAE past n_ctx of the fit inside the window; its parameters the points inside leave undetermined */
  inside: { maePast: number; undetermined: string[] } | null;
  /** (b): in-sample MAE over all points and over the points past n_ctx, SSE, and the penalty's parameters */
  all: { mae: number; maePast: number; sse: number; params: Record<string, number> } | null;
  /** why (a) or (b) is missing */
  refused?: string;
}

export { PENALTY_SHAPES };

export interface StudySummary {
  study: ExternalStudy;
  groups: number;
  points: number;
  pastContext: number;
  /** median over groups of the best held-out MAE */
  medianHeldOutMae: number | null;
  /** groups whose best held-out MAE is at most FAIL_MAE */
  withinFivePoints: number;
  withHeldOut: number;
  /** how often each law was (among) the best */
  wins: Partial<Record<NamedLaw, number>>;
  /** step vs soft vs decay: in how many of the groups with points past n_ctx each shape had the
   *  lowest error (ties within TIE_MAE count for each), (a) past n_ctx fitted inside, (b) in-sample */
  penaltyShapeWins: { groups: number; inside: Record<string, number>; all: Record<string, number> };
  notes: string[];
}

/** The penalty shapes with the lowest error per group (ties within `tie` each count), tallied. */
export function penaltyShapeWins(groups: readonly GroupResult[], tie: number): StudySummary["penaltyShapeWins"] {
  const withShapes = groups.filter((g) => g.penaltyShapes);
  const tally = (pick: (s: PenaltyShape) => number | null) => {
    const wins: Record<string, number> = Object.fromEntries(PENALTY_SHAPES.map((p) => [p, 0]));
    for (const g of withShapes) {
      const scored = g.penaltyShapes!.flatMap((s) => { const v = pick(s); return v === null ? [] : [{ p: s.penalty, v }]; });
      if (!scored.length) continue;
      const best = Math.min(...scored.map((x) => x.v));
      for (const x of scored) if (x.v - best <= tie) wins[x.p]!++;
    }
    return wins;
  };
  return { groups: withShapes.length, inside: tally((s) => s.inside?.maePast ?? null), all: tally((s) => s.all?.mae ?? null) };
}

export interface BeyondResult {
  settings: { seed: number; restarts: number; variants: readonly NamedLaw[]; failMae: number; tieMae: number };
  studies: StudySummary[];
  groups: GroupResult[];
}

/** Held-out MAEs closer than this count as a tie (half a point on a 0–100 scale). */
export const TIE_MAE = 0.005;
/** Above this held-out MAE (five points on a 0–100 scale, the paper's "most errors within 5 points") a group counts as a failure. */
export const FAIL_MAE = 0.05;
/** A score that falls by more than this with more shots inside the window is a failure of the rising context factor. */
export const DROP = 0.05;

