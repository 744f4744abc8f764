// Beyond's analysis: the plan of each fit group (run by src/lib/run.ts as every experiment is),
// and the outcomes, failures, empirical penalty and penalty shapes read off its results.
import type { Observation } from "../types.js";
import type { FitResult, Kernel } from "../kernel.js";
import { resolveLaw, type NamedLaw } from "../named-laws.js";
import { PENALTY_SHAPES } from "../law.js";
import { runExperiment, type FitRunResult, type ExperimentResult, type ContrastResult } from "../run.js";
import type { ContrastSpec, ExperimentPlan, FitSpec } from "../experiments.js";
import { select, type Selection } from "../select.js";
import { num } from "../format.js";
import { median } from "../metrics.js";
import { BEYOND_LAWS, type FitGroup, beyondGroups, describeHoldOut, holdOutSelections, splitHoldOut } from "./groups.js";
import { type BeyondResult, DROP, type EmpiricalPenaltyPoint, FAIL_MAE, type FitSummary, type GroupResult, type PenaltyShape, type StudySummary, type LawOutcome, penaltyShapeWins, BEYOND_RESAMPLES, type Ranking, rank } from "./results.js";
import { COMPARE_LEVEL } from "../compare.js";
import { type StudyId, studyById } from "./studies.js";

// ---------------------------------------------------------------------------------------------
// Analysis

export interface BeyondOptions {
  seed?: number;
  restarts?: number;
  variants?: readonly NamedLaw[];
  /** bootstrap resamples of each compared fit, for the paired comparisons (default BEYOND_RESAMPLES) */
  resamples?: number;
}

const withDefaults = (options: BeyondOptions) =>
  ({ seed: options.seed ?? 1, restarts: options.restarts ?? 4, variants: options.variants ?? BEYOND_LAWS, resamples: options.resamples ?? BEYOND_RESAMPLES });

const summary = (f: FitResult): FitSummary =>
  ({ params: f.params, undetermined: f.undetermined, sse: f.sse, mae: f.mae, n: f.n, status: f.status });

const levels = (rows: readonly Observation[]) => new Set(rows.map((r) => r.compute_flops)).size;

// The labels of a group plan's fits: a law fitted to every point or to the training part,
// a penalty shape fitted inside the window or to every point, and the empirical penalty's fit.
const ALL = "all points";
const PAST = "past n_ctx";
export const GROUP_FIT_LABELS = {
  all: (v: string) => `${v}: ${ALL}`,
  train: (v: string) => `${v}: training part`,
  shapeInside: (p: string) => `${p} penalty: inside the window`,
  shapeAll: (p: string) => `${p} penalty: ${ALL}`,
  empirical: "empirical penalty: fixed-compute inside the window",
};
const EVERY: Selection = {};
const INSIDE: Selection = { within_context: true };
const PAST_CTX: Selection = { within_context: false };
const HELD_OUT = "held out";

/** Every pair of the labels, compared on one split. */
const pairs = (labels: readonly string[], split: string): ContrastSpec[] =>
  labels.flatMap((a, i) => labels.slice(i + 1).map((b) => ({ a, b, split })));

/**
 * The group as an experiment plan (experiments.ts), run by run.ts like every other experiment,
 * with its rule for a law refused on one compute level (the law's fixed-compute form is fitted
 * instead, and predictions at other compute levels are refused): every law fitted to all
 * points and to the hold-out's training part (judged on the held-out part); where points lie
 * past n_ctx, each penalty shape fitted inside the window (judged past it) and to all points,
 * and on one compute level the fixed-compute fit inside the window of the empirical penalty
 * (`parts.penalty` false: the laws' fits only).
 */
export function groupPlan(g: FitGroup, options: BeyondOptions = {}, parts: { penalty: boolean } = { penalty: true }): ExperimentPlan {
  const o = withDefaults(options);
  const { train, test } = holdOutSelections(g.rows, g.holdOut);
  const hasTest = select(g.rows, test).length > 0;
  const fits: FitSpec[] = [];
  const contrasts: ContrastSpec[] = [];
  // Only the compared fits are bootstrapped: the fits to all points draw the figures and the
  // in-sample column, and are compared with nothing.
  for (const v of o.variants) {
    fits.push({ label: GROUP_FIT_LABELS.all(v), variant: v, fitOn: EVERY, evaluate: [], bootstrap: false });
    if (hasTest) fits.push({ label: GROUP_FIT_LABELS.train(v), variant: v, fitOn: train, evaluate: [{ name: HELD_OUT, on: test }] });
  }
  if (hasTest) contrasts.push(...pairs(o.variants.map(GROUP_FIT_LABELS.train), HELD_OUT));
  if (parts.penalty && g.rows.some((r) => r.n_pmt > r.n_ctx)) {
    const compute = levels(g.rows) > 1 ? "saturating" : "constant";
    for (const penalty of PENALTY_SHAPES) {
      const law = resolveLaw(`compute=${compute},penalty=${penalty}`).name;
      fits.push({ label: GROUP_FIT_LABELS.shapeInside(penalty), variant: law, fitOn: INSIDE, evaluate: [{ name: PAST, on: PAST_CTX }] });
      fits.push({ label: GROUP_FIT_LABELS.shapeAll(penalty), variant: law, fitOn: EVERY, evaluate: [{ name: PAST, on: PAST_CTX }, { name: ALL, on: EVERY }] });
    }
    contrasts.push(...pairs(PENALTY_SHAPES.map(GROUP_FIT_LABELS.shapeInside), PAST), ...pairs(PENALTY_SHAPES.map(GROUP_FIT_LABELS.shapeAll), ALL));
    if (levels(g.rows) === 1) fits.push({ label: GROUP_FIT_LABELS.empirical, variant: "fixed-compute", fitOn: INSIDE, evaluate: [], bootstrap: false });
  }
  return {
    experiment: "beyond", title: `Beyond the paper: ${g.id}`, question: `${studyById(g.study).name}: which variant predicts the held-out points (${describeHoldOut(g.holdOut)})?`,
    task: g.task, settings: { seed: o.seed, variant: "full", threshold: 0, restarts: o.restarts, resamples: o.resamples, scheme: "observations" },
    fits, comparisons: [], contrasts, curveModels: [], missing: [],
  };
}

/** A law's outcome from its two fits in the group's run. */
function outcome(variant: NamedLaw, all: FitRunResult, train: FitRunResult | undefined): LawOutcome {
  // The form run.ts fitted in the law's place on one compute level (or tried, and was refused too).
  const form = (f: FitRunResult | undefined) => f?.refused?.fallback ?? f?.refused?.fallbackRefused?.law;
  const fittedAs = form(all) ?? form(train);
  // Why nothing was fitted: the last refusal (the fixed-compute form's, where it was tried).
  const why = (f: FitRunResult) => f.refused!.fallbackRefused ?? f.refused!;
  const out: LawOutcome = { variant, ...(fittedAs ? { fittedAs: fittedAs as NamedLaw } : {}), all: all.fit ? summary(all.fit) : null, heldOut: null };
  if (!all.fit) out.refused = { code: why(all).code, message: why(all).message };
  if (!train) out.heldOutReason = "nothing to hold out";
  else if (!train.fit) {
    out.heldOutReason = `training fit refused: ${why(train).message}`;
    out.refused ??= { code: why(train).code, message: why(train).message };
  } else if (train.splits[0]!.errors) {
    out.heldOut = train.splits[0]!.errors;
    if (train.splits[0]!.undetermined) out.undetermined = train.splits[0]!.undetermined;
  } else out.heldOutReason = train.splits[0]!.reason;
  return out;
}

/** Largest fall of the score below the best score at a shorter prompt, inside the window. */
function largestDrop(rows: readonly Observation[]): { drop: number; from: Observation; to: Observation } | null {
  let worst: { drop: number; from: Observation; to: Observation } | null = null;
  const byModel = new Map<string, Observation[]>();
  for (const r of rows) if (r.n_pmt <= r.n_ctx) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  for (const list of byModel.values()) {
    list.sort((a, b) => a.n_pmt - b.n_pmt);
    let best: Observation | null = null;
    for (const r of list) {
      if (best && best.score - r.score > (worst?.drop ?? 0)) worst = { drop: best.score - r.score, from: best, to: r };
      if (!best || r.score > best.score) best = r;
    }
  }
  return worst;
}

/** The rules that name where the law fails in a group; each line says what and where. */
function failuresOf(g: FitGroup, r: Omit<GroupResult, "failures">): string[] {
  const out: string[] = [];
  const inSample = distinctOutcomes(r.variants).filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
  if (inSample && inSample.all!.mae > FAIL_MAE) {
    out.push(`in-sample MAE ${num(inSample.all!.mae, 3)} > ${FAIL_MAE} (${inSample.variant}): the law cannot follow these points even fitted to all of them`);
  }
  if (r.best && r.best.heldOutMae > FAIL_MAE) {
    out.push(`held-out MAE ${num(r.best.heldOutMae, 3)} > ${FAIL_MAE} (best: ${r.best.variants.join(", ")})`);
  }
  if (!r.best) out.push("no variant could predict the held-out points");
  const drop = largestDrop(g.rows);
  if (drop && drop.drop > DROP) {
    out.push(`inside the window the score falls by ${num(drop.drop, 3)} (${num(drop.from.score, 3)} at ${Math.round(drop.from.n_pmt)} tokens → ${num(drop.to.score, 3)} at ${Math.round(drop.to.n_pmt)}${r.models.length > 1 ? `, ${drop.to.model}` : ""}); the law's context factor can only rise`);
  }
  // 1 % past n_ctx the sharp penalty is exp(−0.01·n_ctx) ≈ 0 for any real window.
  const survivors = g.rows.filter((x) => x.n_pmt > 1.01 * x.n_ctx && x.score >= 0.1);
  if (survivors.length) {
    const top = survivors.reduce((a, x) => (x.score > a.score ? x : a));
    out.push(`${survivors.length} point(s) past n_ctx still score ≥ 0.1 (up to ${num(top.score, 3)} at ${Math.round(top.n_pmt)} tokens, ${num(top.n_pmt / top.n_ctx, 2)}× n_ctx): the sharp penalty predicts ≈ 0 there`);
  }
  const atLimit = g.rows.filter((x) => x.n_pmt === x.n_ctx);
  if (atLimit.length) out.push(`${atLimit.length} point(s) with n_pmt exactly n_ctx, where the literal sigmoid predicts half the score`);
  return out;
}

/** Observed / unpenalised prediction past n_ctx, from the fixed-compute fit to the points inside the window. */
function empiricalPenalty(kernel: Kernel, g: FitGroup, run: ExperimentResult): EmpiricalPenaltyPoint[] | null {
  const f = run.fits.find((x) => x.label === GROUP_FIT_LABELS.empirical);
  if (!f?.fit || f.fit.variant !== "fixed-compute") return null;
  const past = g.rows.filter((r) => r.n_pmt > r.n_ctx);
  // An n_ctx far beyond any prompt switches the penalty off: the prediction is c · f_n alone.
  const unpenalised = kernel.predict("fixed-compute", f.fit.params, past.map((r) => ({ ...r, n_ctx: 1e15 })));
  return past.map((r, i) => ({
    model: r.model, shots: r.shots, n_pmt: r.n_pmt, n_ctx: r.n_ctx, observed: r.score, unpenalised: unpenalised[i]!,
    ratio: unpenalised[i]! > 1e-6 ? r.score / unpenalised[i]! : null,
  }));
}

function penaltyShapes(run: ExperimentResult): PenaltyShape[] | null {
  if (!run.fits.some((f) => f.label === GROUP_FIT_LABELS.shapeInside(PENALTY_SHAPES[0]))) return null;
  return PENALTY_SHAPES.map((penalty) => {
    const a = run.fits.find((f) => f.label === GROUP_FIT_LABELS.shapeInside(penalty))!;
    const b = run.fits.find((f) => f.label === GROUP_FIT_LABELS.shapeAll(penalty))!;
    const out: PenaltyShape = { penalty, law: a.variant, inside: null, all: null };
    if (!a.fit) out.refused = `fit inside the window refused: ${a.refused!.message}`;
    else if (a.splits[0]!.errors) out.inside = { maePast: a.splits[0]!.errors.mae, undetermined: a.fit.undetermined, ...(a.splits[0]!.undetermined ? { open: a.splits[0]!.undetermined } : {}) };
    else out.refused = `fit inside the window: ${a.splits[0]!.reason}`;
    if (!b.fit) out.refused = `${out.refused ? `${out.refused}; ` : ""}fit to all points refused: ${b.refused!.message}`;
    else out.all = { mae: b.fit.mae, maePast: b.splits[0]!.errors!.mae, sse: b.fit.sse, params: b.fit.params };
    return out;
  });
}

/** The paired comparisons among the given fits (by label) on one split. */
const contrastsAmong = (run: ExperimentResult, labels: readonly string[], split: string): ContrastResult[] =>
  (run.contrasts ?? []).filter((c) => c.split === split && labels.includes(c.a) && labels.includes(c.b));

/** Step vs soft vs decay ranked by the paired comparisons: (a) past n_ctx fitted inside, (b) in-sample. */
function shapeRankings(run: ExperimentResult, shapes: PenaltyShape[] | null): GroupResult["penaltyRankings"] {
  if (!shapes) return null;
  const side = (label: (p: string) => string, split: string, error: (s: PenaltyShape) => number | null, open: (s: PenaltyShape) => boolean) =>
    rank(shapes.flatMap((s) => { const e = error(s); return e === null ? [] : [{ name: s.penalty, label: label(s.penalty), error: e, undetermined: open(s) }]; }), contrastsAmong(run, PENALTY_SHAPES.map(label), split));
  return {
    inside: side(GROUP_FIT_LABELS.shapeInside, PAST, (s) => s.inside?.maePast ?? null, (s) => !!s.inside?.open),
    all: side(GROUP_FIT_LABELS.shapeAll, ALL, (s) => s.all?.mae ?? null, () => false),
  };
}

/**
 * The outcome whose fit a group's figure draws: the best by held-out error (among ties, the one
 * that also fits all points best), else the best in-sample fit. Its `fittedAs ?? variant` is
 * the form to fit and predict with.
 */
export function drawnOutcome(variants: readonly LawOutcome[], best: GroupResult["best"]): LawOutcome | undefined {
  const byInSample = (vs: readonly LawOutcome[]) => distinctOutcomes(vs).filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
  return (best ? byInSample(variants.filter((v) => best.variants.includes(v.variant))) : undefined) ?? byInSample(variants);
}

/**
 * The outcomes that are fits of their own: a law fitted in the form of another compared
 * law (full, refused on one compute level, is fitted as fixed-compute) repeats that
 * law's fit, and is not ranked or named a second time.
 */
export function distinctOutcomes(variants: readonly LawOutcome[]): LawOutcome[] {
  const compared = new Set(variants.map((v) => v.variant as string));
  return variants.filter((v) => !(v.fittedAs && compared.has(v.fittedAs)));
}

/** Runs a group's plan (groupPlan) with run.ts and reads the analysis from its fits. */
export function analyseGroup(kernel: Kernel, g: FitGroup, options: BeyondOptions = {}): GroupResult {
  const lawsCompared = options.variants ?? BEYOND_LAWS;
  const run = runExperiment(kernel, groupPlan(g, options), g.rows);
  const { train, test } = splitHoldOut(g.rows, g.holdOut);
  const fitOf = (l: string) => run.fits.find((f) => f.label === l);
  const variants = lawsCompared.map((v) => outcome(v, fitOf(GROUP_FIT_LABELS.all(v))!, fitOf(GROUP_FIT_LABELS.train(v))));
  const compared = distinctOutcomes(variants).filter((v) => v.heldOut);
  const ranking = rank(compared.map((v) => ({ name: v.variant, label: GROUP_FIT_LABELS.train(v.variant), error: v.heldOut!.mae, undetermined: !!v.undetermined })),
    contrastsAmong(run, compared.map((v) => GROUP_FIT_LABELS.train(v.variant)), HELD_OUT));
  const best = ranking && ranking.error !== null
    ? { variants: ranking.best as NamedLaw[], heldOutMae: ranking.error, decided: ranking.decided, ...(ranking.reason ? { reason: ranking.reason } : {}) }
    : null;
  // The points' predictions come from the drawn law's fit to all points.
  const plotOutcome = drawnOutcome(variants, best);
  const predicted: (number | null)[] = (plotOutcome && fitOf(GROUP_FIT_LABELS.all(plotOutcome.variant))?.fit?.fitted) || g.rows.map(() => null);
  const testSet = new Set(test);
  const shapes = penaltyShapes(run);
  const partial: Omit<GroupResult, "failures"> = {
    study: g.study, id: g.id, task: g.task, models: [...new Set(g.rows.map((r) => r.model))], n: g.rows.length,
    nPastContext: g.rows.filter((r) => r.n_pmt > r.n_ctx).length, computeLevels: levels(g.rows),
    holdOut: { scheme: describeHoldOut(g.holdOut), train: train.length, test: test.length },
    variants, best, ranking, penalty: empiricalPenalty(kernel, g, run), penaltyShapes: shapes, penaltyRankings: shapeRankings(run, shapes),
    points: g.rows.map((r, i) => ({ model: r.model, shots: r.shots, n_pmt: r.n_pmt, n_ctx: r.n_ctx, compute_flops: r.compute_flops, score: r.score, predicted: predicted[i] ?? null, heldOut: testSet.has(r) })),
  };
  return { ...partial, failures: failuresOf(g, partial) };
}

/** Runs every group of every study given; studies without observations are left out. */
export function analyseBeyond(kernel: Kernel, data: readonly { study: StudyId; observations: readonly Observation[]; notes?: string[] }[], options: BeyondOptions = {}): BeyondResult {
  const o = withDefaults(options);
  const groups: GroupResult[] = [];
  const studies: StudySummary[] = [];
  for (const d of data) {
    const results = beyondGroups(d.study, d.observations).map((g) => analyseGroup(kernel, g, o));
    groups.push(...results);
    const bestMaes = results.filter((r) => r.best).map((r) => r.best!.heldOutMae);
    // Only a decided best counts as a win; a group whose best cannot be told from another law counts apart.
    const wins: Partial<Record<NamedLaw, number>> = {};
    for (const r of results) if (r.best?.decided) wins[r.best.variants[0]!] = (wins[r.best.variants[0]!] ?? 0) + 1;
    studies.push({
      study: studyById(d.study), groups: results.length, points: d.observations.length,
      pastContext: results.reduce((a, r) => a + r.nPastContext, 0), medianHeldOutMae: median(bestMaes),
      withinFivePoints: bestMaes.filter((m) => m <= FAIL_MAE).length, withHeldOut: bestMaes.length, wins,
      cannotTell: results.filter((r) => r.best && !r.best.decided).length,
      penaltyShapeWins: penaltyShapeWins(results), notes: d.notes ?? [],
    });
  }
  return { settings: { seed: o.seed, restarts: o.restarts, variants: o.variants, failMae: FAIL_MAE, resamples: o.resamples, level: COMPARE_LEVEL }, studies, groups };
}

