// What Beyond's analysis gives: per group, each law's outcome, the best, the failures, the
// empirical penalty and the penalty shapes; per study, a summary; and the rules' thresholds.
import type { NamedLaw } from "../named-laws.js";
import { PENALTY_SHAPES } from "../law.js";
import type { ErrorSummary } from "../metrics.js";
import type { ContrastResult } from "../run.js";
import type { Determination } from "../determined.js";
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
  /** the training part leaves the held-out error open (determined.ts): it never counts as a win */
  undetermined?: Determination;
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
  /** the law with the lowest determined held-out MAE, then the laws the paired comparisons
   *  cannot tell from it; decided when there are none (only then is it a win) */
  best: { variants: NamedLaw[]; heldOutMae: number; decided: boolean; reason?: string } | null;
  /** how `best` was decided, with the paired comparisons it rests on */
  ranking: Ranking | null;
  failures: string[];
  penalty: EmpiricalPenaltyPoint[] | null;
  /** step vs soft vs decay past n_ctx, where the group has points there (else null) */
  penaltyShapes: PenaltyShape[] | null;
  /** the shapes ranked by paired comparisons: (a) past n_ctx fitted inside, (b) in-sample over all points */
  penaltyRankings: { inside: Ranking | null; all: Ranking | null } | null;
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
  inside: { maePast: number; undetermined: string[]; open?: Determination } | null;
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
  /** how often each law was the decided best (better than every other law, by the paired comparisons) */
  wins: Partial<Record<NamedLaw, number>>;
  /** groups whose best could not be told from another law */
  cannotTell: number;
  /** step vs soft vs decay in the groups with points past n_ctx: decided wins per shape and
   *  groups that cannot tell, (a) past n_ctx fitted inside, (b) in-sample */
  penaltyShapeWins: { groups: number; inside: Tally; all: Tally };
  notes: string[];
}

/** Decided wins per name, and the groups where the best could not be told from another. */
export interface Tally {
  wins: Record<string, number>;
  cannotTell: number;
}

/**
 * Candidates ranked by their error and decided by paired comparisons: the lowest determined
 * error leads; it is the decided best when the comparison with every other candidate favours
 * it. A candidate whose error is undetermined never leads, and the leader cannot be told from it.
 */
export interface Ranking {
  /** the leader, then the names it cannot be told from */
  best: string[];
  /** the leader's error (null when no candidate's error is determined) */
  error: number | null;
  decided: boolean;
  reason?: string;
  /** the comparisons of the leader with each other candidate */
  contrasts: ContrastResult[];
}

export interface Candidate {
  name: string;
  /** its fit's label in the run, as the contrasts name it */
  label: string;
  error: number;
  undetermined: boolean;
}

export function rank(candidates: readonly Candidate[], contrasts: readonly ContrastResult[]): Ranking | null {
  if (candidates.length === 0) return null;
  const determined = candidates.filter((c) => !c.undetermined).sort((a, b) => a.error - b.error);
  if (determined.length === 0)
    return { best: [], error: null, decided: false, reason: `no error here is determined by the fitted points (${candidates.map((c) => c.name).join(", ")})`, contrasts: [] };
  const leader = determined[0]!;
  if (candidates.length === 1)
    return { best: [leader.name], error: leader.error, decided: false, reason: `only ${leader.name} has an error here: nothing to compare it with`, contrasts: [] };
  const used: ContrastResult[] = [];
  const open: string[] = [];
  const why: string[] = [];
  for (const other of candidates) {
    if (other === leader) continue;
    const c = contrasts.find((x) => (x.a === leader.label && x.b === other.label) || (x.a === other.label && x.b === leader.label));
    if (c) used.push(c);
    const favoursLeader = c && ((c.a === leader.label && c.verdict === "a") || (c.b === leader.label && c.verdict === "b"));
    if (favoursLeader) continue;
    open.push(other.name);
    why.push(`${other.name}: ${other.undetermined ? "its error is undetermined" : !c ? "not compared" : c.reason ?? "the 95 % interval of the difference holds 0"}`);
  }
  return { best: [leader.name, ...open], error: leader.error, decided: open.length === 0, ...(why.length ? { reason: `cannot tell ${leader.name} from ${why.join("; ")}` } : {}), contrasts: used };
}

/** Step vs soft vs decay: decided wins and "cannot tell" per group with points past n_ctx, tallied. */
export function penaltyShapeWins(groups: readonly GroupResult[]): StudySummary["penaltyShapeWins"] {
  const withShapes = groups.filter((g) => g.penaltyRankings);
  const tally = (pick: (g: GroupResult) => Ranking | null): Tally => {
    const out: Tally = { wins: Object.fromEntries(PENALTY_SHAPES.map((p) => [p, 0])), cannotTell: 0 };
    for (const g of withShapes) {
      const r = pick(g);
      if (!r) continue;
      if (r.decided) out.wins[r.best[0]!]!++;
      else out.cannotTell++;
    }
    return out;
  };
  return { groups: withShapes.length, inside: tally((g) => g.penaltyRankings!.inside), all: tally((g) => g.penaltyRankings!.all) };
}

export interface BeyondResult {
  /** resamples: bootstrap resamples of each compared fit; level: of the paired intervals */
  settings: { seed: number; restarts: number; variants: readonly NamedLaw[]; failMae: number; resamples: number; level: number };
  studies: StudySummary[];
  groups: GroupResult[];
}

/** Bootstrap resamples of each compared fit in Beyond's groups: enough for a 95 % percentile
 *  interval of a difference (its tails rest on 5 values each) at a fifth of the experiments'
 *  cost, since Beyond fits ~900 laws. */
export const BEYOND_RESAMPLES = 200;
/** Above this held-out MAE (five points on a 0–100 scale, the paper's "most errors within 5 points") a group counts as a failure. */
export const FAIL_MAE = 0.05;
/** A score that falls by more than this with more shots inside the window is a failure of the rising context factor. */
export const DROP = 0.05;

