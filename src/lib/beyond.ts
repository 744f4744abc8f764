// "Beyond the paper": the law fitted to results that other studies published (Bertsch et al.
// 2024, HELMET, Pythia), to see how well it holds on data nobody on this project produced,
// which variant predicts held-out points best, and where it fails.
//
// Environment-neutral: the functions take imported observations and a kernel and return plain
// result objects (the command line prints them, a page can plot them). Reading the files is
// src/lib/node/import-files.ts's job.
//
// The analysis, per fit group (defined in `beyondGroups`), is a plan (`groupPlan`) that run.ts
// runs like every other experiment, with its rules:
// 1. every variant of BEYOND_VARIANTS is fitted to all points of the group (in-sample MAE)
//    and to the training part of its hold-out scheme (held-out MAE on the rest). Where the
//    kernel refuses a variant because the points have one compute level (FitError
//    "one-compute-level"), run.ts fits its fixed-compute form instead (f_C a free constant) and
//    refuses every prediction at another compute level; other refusals are kept, not hidden;
// 2. the best variant is the one with the lowest held-out MAE (ties within TIE_MAE listed
//    together); a variant fitted in the form of another compared variant is not ranked twice;
// 3. failures are named by rules stated in `failuresOf` (large in-sample or held-out error,
//    scores that fall with more shots inside the window, scores that survive past n_ctx);
// 4. where points lie past n_ctx, the empirical penalty: observed score divided by the
//    unpenalised prediction of a fit to the points inside the window. The sharp penalty says
//    this ratio is ≈ 0 more than a few tokens past n_ctx.
import type { Observation } from "./types.js";
import type { FitResult, Kernel } from "./kernel.js";
import { resolveLaw, type Variant } from "./variants.js";
import { PENALTY_SHAPES, PENALTY_PARAMS } from "./law.js";
import type { ErrorSummary } from "./metrics.js";
import { runExperiment, type FitRunResult, type ExperimentResult } from "./run.js";
import type { ExperimentPlan, FitSpec } from "./experiments.js";
import { select, type Selection } from "./select.js";
import { table, num } from "./format.js";
import { UNKNOWN_COMPUTE_FLOPS, PYTHIA_TOKENS_PER_STEP } from "./import/external-models.js";
import { BERTSCH_TOKENS_PER_DEMO } from "./import/bertsch.js";
import { PYTHIA_TOKENS_PER_EXAMPLE } from "./import/pythia.js";

// ---------------------------------------------------------------------------------------------
// Analysis conventions for prompt lengths at the window's edge
//
// The paper's penalty is the logistic of the raw token difference, a step about ten tokens
// wide, so a point labelled exactly at n_ctx is predicted at half height and one labelled a few
// tokens past it at zero. Two studies label prompts at (or estimate them past) the window when
// by construction they fit in it; the analysis corrects both, the imports keep the labels.

/** How far inside the window a prompt that fits by construction is placed (under 1 % of any n_pmt it applies to). */
export const INSIDE_MARGIN = 50;

/**
 * HELMET labels each input with its nominal length L (8k = 8,192 Llama-2 tokens) and fills
 * demonstrations up to it, so a model whose window is L sees a prompt of at most L tokens of
 * the Llama-2 tokenizer (fewer of its own when its tokenizer is more efficient, as Llama-3's
 * is): inside its window. Those points are analysed INSIDE_MARGIN tokens inside the window.
 */
export function insideAtTheLimit(rows: readonly Observation[]): Observation[] {
  return rows.map((r) => (r.n_pmt === r.n_ctx ? { ...r, n_pmt: r.n_pmt - INSIDE_MARGIN } : r));
}

/**
 * The window Bertsch et al. ran each model with, where it differs from the model's n_ctx (the
 * external README: Mistral-7B-v0.1 was trained at 8,192 but run with 32,768). Their largest
 * shot count per model is "as many as fit" in that window, so the true prompt is at most the
 * window; the estimate shots × tokens per demonstration (a 90th percentile) can overshoot it
 * (Mistral-7B-Instruct-v0.2: 860 banking77 shots × 39 = 33,540 > 32,768). The analysis caps
 * n_pmt at the run window less INSIDE_MARGIN.
 */
export const BERTSCH_RUN_WINDOW: Readonly<Record<string, number>> = { "mistralai/Mistral-7B-v0.1": 32768 };

export function capAtRunWindow(rows: readonly Observation[]): Observation[] {
  return rows.map((r) => {
    const cap = (BERTSCH_RUN_WINDOW[r.model] ?? r.n_ctx) - INSIDE_MARGIN;
    return r.n_pmt > cap ? { ...r, n_pmt: cap } : r;
  });
}

/** The conventions above, per study (Pythia's prompts are far from its window: unchanged). */
export function prepareRows(study: StudyId, rows: readonly Observation[]): Observation[] {
  return study === "helmet" ? insideAtTheLimit(rows) : study === "bertsch2024" ? capAtRunWindow(rows) : [...rows];
}

// ---------------------------------------------------------------------------------------------
// The studies


export type StudyId = "bertsch2024" | "helmet" | "pythia";

export interface ExternalStudy {
  id: StudyId;
  /** short name for tables */
  name: string;
  /** full citation, to print wherever the numbers are used (the licences ask for attribution) */
  citation: string;
  repository: string;
  licence: string;
  /** the folder under the external directory holding its files */
  folder: string;
  /** which files of the repository go into that folder, and where they are there */
  files: string;
  /** what the study's data can test */
  axis: string;
  /** numbers the study does not publish, and how they are handled */
  unknowns: string[];
}

export const EXTERNAL_STUDIES: readonly ExternalStudy[] = [
  {
    id: "bertsch2024", name: "Bertsch et al. 2024",
    citation: 'Bertsch, Ivgi, Xiao, Alon, Berant, Gormley, Neubig, "In-Context Learning with Long-Context Models: An In-Depth Exploration", arXiv:2405.00200 (2024)',
    repository: "github.com/abertsch72/long-context-icl (final-results/, commit 7ec32c2)", licence: "Apache-2.0",
    folder: "bertsch2024",
    files: "final-results/<model>/<dataset>/combined_results.csv → bertsch2024/final-results/<model>/<dataset>/combined_results.csv",
    axis: "the context axis: many-shot ICL up to 2,000 demonstrations, Mistral-7B-v0.1 run past its 8,192-token training length",
    unknowns: [
      `prompt lengths: not in the files; n_pmt ≈ shots × tokens per demonstration (${Object.entries(BERTSCH_TOKENS_PER_DEMO).map(([d, t]) => `${d} ${t}`).join(", ")}), the study's 90th percentile, so an upper estimate`,
      `prompts of the largest ("as many as fit") shot counts are capped at the window the study ran, less ${INSIDE_MARGIN} tokens, where the estimate overshoots it`,
      "compute: the seven models are one size (7B); Llama-2 derivatives share Table 1's C, Mistral's training tokens are unpublished (placeholder): one compute level per fit, so every law is fitted in its fixed-compute form (the compute factor a free constant)",
    ],
  },
  {
    id: "helmet", name: "HELMET",
    citation: 'Yen, Gao, Hou, Ding, Fleischer, Izsak, Wasserblat, Chen, "HELMET: How to Evaluate Long-Context Language Models Effectively and Thoroughly", ICLR 2025',
    repository: "github.com/princeton-nlp/HELMET (data/agg_results_*.csv, commits ce6639d and 5379105)", licence: "MIT",
    folder: "helmet",
    files: "data/agg_results_{8k,16k,32k,64k,128k}.csv → helmet/agg_results_<n>k.csv",
    axis: "the context axis: inputs of 8k–128k tokens against context windows of 8k–2M, 64 models",
    unknowns: [
      `training tokens and compute: not in the files for any model; compute_flops is the placeholder ${UNKNOWN_COMPUTE_FLOPS.toExponential()} for all, each model is fitted on its own, every law in its fixed-compute form`,
      "prompt length: the input length in Llama-2 tokens (8k = 8,192); models with other tokenizers see somewhat other counts",
      "shots: the ICL column averages five datasets with different shot counts; the key uses banking77's",
      `inputs exactly as long as the model's window are analysed ${INSIDE_MARGIN} tokens inside it (HELMET fills inputs up to the length; the literal sigmoid would put them at half height)`,
    ],
  },
  {
    id: "pythia", name: "Pythia",
    citation: 'Biderman, Schoelkopf, Anthony, Bradley, O\'Brien, Hallahan, Khan, Purohit, Prashanth, Raff, Skowron, Sutawika, van der Wal, "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling", ICML 2023',
    repository: "github.com/EleutherAI/pythia (evals/csv, commit a19eecb)", licence: "Apache-2.0",
    folder: "pythia",
    files: "evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv → pythia/evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv",
    axis: "the compute axis: 7 sizes × 6 checkpoints (C from 1e19 to 2e22 FLOPs), 0–16 shots of arithmetic",
    unknowns: [
      `prompt lengths: not in the files; n_pmt ≈ (shots + 1) × ${PYTHIA_TOKENS_PER_EXAMPLE} tokens, an estimate; prompts stay under 250 of 2,048 tokens, so the penalty never binds and the estimate only rescales n₀`,
      `compute: C = 6·N·D with N non-embedding parameters from the architecture and D = step × ${PYTHIA_TOKENS_PER_STEP.toLocaleString("en-US")} tokens`,
    ],
  },
];

/** What to do when the other studies' files are not there: where each comes from and where it goes. */
export function whereToGetExternal(folderHint: string): string {
  return [
    `The other studies' published results are not part of this project. Put them in ${folderHint}`,
    "(or name another folder with --external DIR or the environment variable CONTEXT_SCALING_EXTERNAL), one folder per study:",
    ...EXTERNAL_STUDIES.map((s) => `  ${s.folder}/  ${s.name} (${s.licence}), from ${s.repository}: ${s.files}`),
  ].join("\n");
}

export function studyById(id: StudyId): ExternalStudy {
  return EXTERNAL_STUDIES.find((s) => s.id === id)!;
}

// ---------------------------------------------------------------------------------------------
// Fit groups and hold-out schemes

/** The variants compared: sharp vs soft penalty, multiplicative vs additive, no penalty, and the one-compute-level form. */
export const BEYOND_VARIANTS = ["full", "soft-penalty", "additive", "no-penalty", "fixed-compute"] as const satisfies readonly Variant[];

export type HoldOut =
  /** per model: fit all but the `count` longest prompts, predict those (context extrapolation, as the paper's §4.2) */
  | { kind: "longest-prompts"; count: number }
  /** pooled over sizes: fit every size but the largest, predict all checkpoints of the largest (compute extrapolation, as §4.1) */
  | { kind: "largest-model" };

export function describeHoldOut(h: HoldOut): string {
  return h.kind === "longest-prompts"
    ? `fit all but the ${h.count} longest prompt${h.count > 1 ? "s" : ""} of each group, predict ${h.count > 1 ? "those" : "that one"}`
    : "fit every model size but the largest, predict every checkpoint of the largest";
}

export interface FitGroup {
  study: StudyId;
  /** "mistralai/Mistral-7B-v0.1 · nlu" */
  id: string;
  task: string;
  rows: Observation[];
  holdOut: HoldOut;
}

/** The hold-out scheme as two row selections (select.ts): the training part and the held-out part. */
export function holdOutSelections(rows: readonly Observation[], h: HoldOut): { train: Selection; test: Selection } {
  if (h.kind === "longest-prompts") {
    const lengths = [...new Set(rows.map((r) => r.n_pmt))].sort((a, b) => a - b);
    const cut = lengths[Math.max(0, lengths.length - h.count)]!;
    return { train: { n_pmt_below: cut }, test: { n_pmt_at_least: cut } };
  }
  const top = rows.reduce((a, r) => (r.compute_flops > a.compute_flops ? r : a), rows[0]!);
  const others = [...new Set(rows.map((r) => r.base_model))].filter((b) => b !== top.base_model);
  return { train: { base_models: others }, test: { base_models: [top.base_model] } };
}

/** Splits rows into (train, test) by the group's hold-out scheme. */
export function splitHoldOut(rows: readonly Observation[], h: HoldOut): { train: Observation[]; test: Observation[] } {
  if (rows.length === 0) return { train: [], test: [] };
  const { train, test } = holdOutSelections(rows, h);
  return { train: select(rows, train), test: select(rows, test) };
}

/** How many of the longest prompts each study's groups hold out. */
export const HOLD_OUT: Record<StudyId, HoldOut> = {
  bertsch2024: { kind: "longest-prompts", count: 2 },
  helmet: { kind: "longest-prompts", count: 1 },
  pythia: { kind: "largest-model" },
};

/**
 * The fit groups of a study's observations: one per (model, task) where each model is a
 * compute level of its own (Bertsch, HELMET: the context axis, fixed-compute), one per task
 * pooled over sizes and checkpoints where compute is known (Pythia: the compute axis).
 */
export function beyondGroups(study: StudyId, observations: readonly Observation[]): FitGroup[] {
  const groups = new Map<string, Observation[]>();
  for (const o of prepareRows(study, observations)) {
    const key = study === "pythia" ? o.task : `${o.model} · ${o.task}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, rows]) => ({
    study, id, task: rows[0]!.task, rows: [...rows].sort((a, b) => a.compute_flops - b.compute_flops || a.n_pmt - b.n_pmt), holdOut: HOLD_OUT[study],
  }));
}

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

export interface VariantOutcome {
  variant: Variant;
  /** the form actually fitted when the group has one compute level: the law with f_C a free constant */
  fittedAs?: Variant;
  /** fit to every point of the group, or null (then `refused` says why) */
  all: FitSummary | null;
  /** the same variant fitted to the training part, and its errors on the held-out part */
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
  variants: VariantOutcome[];
  /** lowest held-out MAE; several variants when within TIE_MAE of each other */
  best: { variants: Variant[]; heldOutMae: number } | null;
  failures: string[];
  penalty: EmpiricalPenaltyPoint[] | null;
  /** step vs soft vs decay past n_ctx, where the group has points there (else null) */
  penaltyShapes: PenaltyShape[] | null;
  /** every point with the prediction of the best variant's all-points fit (null when none), for plots */
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
  /** how often each variant was (among) the best */
  wins: Partial<Record<Variant, number>>;
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
  settings: { seed: number; restarts: number; variants: readonly Variant[]; failMae: number; tieMae: number };
  studies: StudySummary[];
  groups: GroupResult[];
}

/** Held-out MAEs closer than this count as a tie (half a point on a 0–100 scale). */
export const TIE_MAE = 0.005;
/** Above this held-out MAE (five points on a 0–100 scale, the paper's "most errors within 5 points") a group counts as a failure. */
export const FAIL_MAE = 0.05;
/** A score that falls by more than this with more shots inside the window is a failure of the rising context factor. */
export const DROP = 0.05;

// ---------------------------------------------------------------------------------------------
// Analysis

export interface BeyondOptions {
  seed?: number;
  restarts?: number;
  variants?: readonly Variant[];
}

const summary = (f: FitResult): FitSummary =>
  ({ params: f.params, undetermined: f.undetermined, sse: f.sse, mae: f.mae, n: f.n, status: f.status });

const levels = (rows: readonly Observation[]) => new Set(rows.map((r) => r.compute_flops)).size;

// The labels of a group plan's fits: a variant fitted to every point or to the training part,
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

/**
 * The group as an experiment plan (experiments.ts), run by run.ts like every other experiment,
 * with its rule for a law refused on one compute level (the law's fixed-compute form is fitted
 * instead, and predictions at other compute levels are refused): every variant fitted to all
 * points and to the hold-out's training part (judged on the held-out part); where points lie
 * past n_ctx, each penalty shape fitted inside the window (judged past it) and to all points,
 * and on one compute level the fixed-compute fit inside the window of the empirical penalty
 * (`parts.penalty` false: the variants' fits only).
 */
export function groupPlan(g: FitGroup, options: BeyondOptions = {}, parts: { penalty: boolean } = { penalty: true }): ExperimentPlan {
  const o = { seed: options.seed ?? 1, restarts: options.restarts ?? 4, variants: options.variants ?? BEYOND_VARIANTS };
  const { train, test } = holdOutSelections(g.rows, g.holdOut);
  const hasTest = select(g.rows, test).length > 0;
  const fits: FitSpec[] = [];
  for (const v of o.variants) {
    fits.push({ label: GROUP_FIT_LABELS.all(v), variant: v, fitOn: EVERY, evaluate: [] });
    if (hasTest) fits.push({ label: GROUP_FIT_LABELS.train(v), variant: v, fitOn: train, evaluate: [{ name: "held out", on: test }] });
  }
  if (parts.penalty && g.rows.some((r) => r.n_pmt > r.n_ctx)) {
    const compute = levels(g.rows) > 1 ? "saturating" : "constant";
    for (const penalty of PENALTY_SHAPES) {
      const law = resolveLaw(`compute=${compute},penalty=${penalty}`).name;
      fits.push({ label: GROUP_FIT_LABELS.shapeInside(penalty), variant: law, fitOn: INSIDE, evaluate: [{ name: PAST, on: PAST_CTX }] });
      fits.push({ label: GROUP_FIT_LABELS.shapeAll(penalty), variant: law, fitOn: EVERY, evaluate: [{ name: PAST, on: PAST_CTX }] });
    }
    if (levels(g.rows) === 1) fits.push({ label: GROUP_FIT_LABELS.empirical, variant: "fixed-compute", fitOn: INSIDE, evaluate: [] });
  }
  return {
    experiment: "beyond", title: `Beyond the paper: ${g.id}`, question: `${studyById(g.study).name}: which variant predicts the held-out points (${describeHoldOut(g.holdOut)})?`,
    task: g.task, settings: { seed: o.seed, variant: "full", threshold: 0, restarts: o.restarts, resamples: 0, scheme: "observations" },
    fits, comparisons: [], curveModels: [], missing: [],
  };
}

/** A variant's outcome from its two fits in the group's run. */
function outcome(variant: Variant, all: FitRunResult, train: FitRunResult | undefined): VariantOutcome {
  // The form run.ts fitted in the variant's place on one compute level (or tried, and was refused too).
  const form = (f: FitRunResult | undefined) => f?.refused?.fallback ?? f?.refused?.fallbackRefused?.law;
  const fittedAs = form(all) ?? form(train);
  // Why nothing was fitted: the last refusal (the fixed-compute form's, where it was tried).
  const why = (f: FitRunResult) => f.refused!.fallbackRefused ?? f.refused!;
  const out: VariantOutcome = { variant, ...(fittedAs ? { fittedAs: fittedAs as Variant } : {}), all: all.fit ? summary(all.fit) : null, heldOut: null };
  if (!all.fit) out.refused = { code: why(all).code, message: why(all).message };
  if (!train) out.heldOutReason = "nothing to hold out";
  else if (!train.fit) {
    out.heldOutReason = `training fit refused: ${why(train).message}`;
    out.refused ??= { code: why(train).code, message: why(train).message };
  } else if (train.splits[0]!.errors) out.heldOut = train.splits[0]!.errors;
  else out.heldOutReason = train.splits[0]!.reason;
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
    else if (a.splits[0]!.errors) out.inside = { maePast: a.splits[0]!.errors.mae, undetermined: a.fit.undetermined };
    else out.refused = `fit inside the window: ${a.splits[0]!.reason}`;
    if (!b.fit) out.refused = `${out.refused ? `${out.refused}; ` : ""}fit to all points refused: ${b.refused!.message}`;
    else out.all = { mae: b.fit.mae, maePast: b.splits[0]!.errors!.mae, sse: b.fit.sse, params: b.fit.params };
    return out;
  });
}

/**
 * The outcome whose fit a group's figure draws: the best by held-out error (among ties, the one
 * that also fits all points best), else the best in-sample fit. Its `fittedAs ?? variant` is
 * the form to fit and predict with.
 */
export function drawnOutcome(variants: readonly VariantOutcome[], best: GroupResult["best"]): VariantOutcome | undefined {
  const byInSample = (vs: readonly VariantOutcome[]) => distinctOutcomes(vs).filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
  return (best ? byInSample(variants.filter((v) => best.variants.includes(v.variant))) : undefined) ?? byInSample(variants);
}

/**
 * The outcomes that are fits of their own: a variant fitted in the form of another compared
 * variant (full, refused on one compute level, is fitted as fixed-compute) repeats that
 * variant's fit, and is not ranked or named a second time.
 */
export function distinctOutcomes(variants: readonly VariantOutcome[]): VariantOutcome[] {
  const compared = new Set(variants.map((v) => v.variant as string));
  return variants.filter((v) => !(v.fittedAs && compared.has(v.fittedAs)));
}

/** Runs a group's plan (groupPlan) with run.ts and reads the analysis from its fits. */
export function analyseGroup(kernel: Kernel, g: FitGroup, options: BeyondOptions = {}): GroupResult {
  const variantsCompared = options.variants ?? BEYOND_VARIANTS;
  const run = runExperiment(kernel, groupPlan(g, options), g.rows);
  const { train, test } = splitHoldOut(g.rows, g.holdOut);
  const fitOf = (l: string) => run.fits.find((f) => f.label === l);
  const variants = variantsCompared.map((v) => outcome(v, fitOf(GROUP_FIT_LABELS.all(v))!, fitOf(GROUP_FIT_LABELS.train(v))));
  const ranked = distinctOutcomes(variants).filter((v) => v.heldOut).sort((a, b) => a.heldOut!.mae - b.heldOut!.mae);
  const best = ranked.length
    ? { variants: ranked.filter((v) => v.heldOut!.mae - ranked[0]!.heldOut!.mae <= TIE_MAE).map((v) => v.variant), heldOutMae: ranked[0]!.heldOut!.mae }
    : null;
  // The points' predictions come from the drawn variant's fit to all points.
  const plotOutcome = drawnOutcome(variants, best);
  const predicted: (number | null)[] = (plotOutcome && fitOf(GROUP_FIT_LABELS.all(plotOutcome.variant))?.fit?.fitted) || g.rows.map(() => null);
  const testSet = new Set(test);
  const partial: Omit<GroupResult, "failures"> = {
    study: g.study, id: g.id, task: g.task, models: [...new Set(g.rows.map((r) => r.model))], n: g.rows.length,
    nPastContext: g.rows.filter((r) => r.n_pmt > r.n_ctx).length, computeLevels: levels(g.rows),
    holdOut: { scheme: describeHoldOut(g.holdOut), train: train.length, test: test.length },
    variants, best, penalty: empiricalPenalty(kernel, g, run), penaltyShapes: penaltyShapes(run),
    points: g.rows.map((r, i) => ({ model: r.model, shots: r.shots, n_pmt: r.n_pmt, n_ctx: r.n_ctx, compute_flops: r.compute_flops, score: r.score, predicted: predicted[i] ?? null, heldOut: testSet.has(r) })),
  };
  return { ...partial, failures: failuresOf(g, partial) };
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs every group of every study given; studies without observations are left out. */
export function analyseBeyond(kernel: Kernel, data: readonly { study: StudyId; observations: readonly Observation[]; notes?: string[] }[], options: BeyondOptions = {}): BeyondResult {
  const o = { seed: options.seed ?? 1, restarts: options.restarts ?? 4, variants: options.variants ?? BEYOND_VARIANTS };
  const groups: GroupResult[] = [];
  const studies: StudySummary[] = [];
  for (const d of data) {
    const results = beyondGroups(d.study, d.observations).map((g) => analyseGroup(kernel, g, o));
    groups.push(...results);
    const bestMaes = results.filter((r) => r.best).map((r) => r.best!.heldOutMae);
    const wins: Partial<Record<Variant, number>> = {};
    for (const r of results) for (const v of r.best?.variants ?? []) wins[v] = (wins[v] ?? 0) + 1;
    studies.push({
      study: studyById(d.study), groups: results.length, points: d.observations.length,
      pastContext: results.reduce((a, r) => a + r.nPastContext, 0), medianHeldOutMae: median(bestMaes),
      withinFivePoints: bestMaes.filter((m) => m <= FAIL_MAE).length, withHeldOut: bestMaes.length, wins,
      penaltyShapeWins: penaltyShapeWins(results, TIE_MAE), notes: d.notes ?? [],
    });
  }
  return { settings: { seed: o.seed, restarts: o.restarts, variants: o.variants, failMae: FAIL_MAE, tieMae: TIE_MAE }, studies, groups };
}

// ---------------------------------------------------------------------------------------------
// Text output

const short: Record<string, string> = { full: "full", "soft-penalty": "soft", additive: "additive", "no-penalty": "no-pen", "fixed-compute": "fixed-C" };

function variantCell(v: VariantOutcome): string {
  if (v.heldOut) return num(v.heldOut.mae, 3) + (v.fittedAs ? "*" : "");
  if (v.refused?.code === "one-compute-level") return "1 level";
  if (v.refused) return v.refused.code;
  return "—";
}

/** The results as plain-text tables, one section per study, with its citation. */
export function formatBeyond(r: BeyondResult): string {
  const out: string[] = [];
  out.push(`== Beyond the paper: the law on other studies' results · seed ${r.settings.seed} · ${r.settings.restarts} global searches per fit ==`);
  out.push(`Held-out MAE per variant (score on a 0–1 scale); * = refused on one compute level (α not identifiable) and fitted in its fixed-compute form (f_C a free constant), as run.ts does; full* is then the fixed-C fit again and is not ranked.`);
  out.push(`Best = lowest held-out MAE (ties within ${r.settings.tieMae}); a group fails where the best held-out MAE exceeds ${r.settings.failMae}.`);
  for (const s of r.studies) {
    const groups = r.groups.filter((g) => g.study === s.study.id);
    out.push("");
    out.push(`-- ${s.study.name}: ${s.study.citation}; ${s.study.repository}, ${s.study.licence} --`);
    out.push(`tests ${s.study.axis}`);
    out.push(`hold-out: ${groups[0]?.holdOut.scheme ?? "—"}`);
    for (const u of s.study.unknowns) out.push(`caveat: ${u}`);
    for (const n of s.notes) out.push(`import: ${n}`);
    out.push(table(
      ["group", "n", ">ctx", "fit MAE", ...r.settings.variants.map((v) => short[v] ?? v), "best"],
      groups.map((g) => {
        const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
        return [g.id, g.n, g.nPastContext, bestAll ? num(bestAll.all!.mae, 3) : "—", ...g.variants.map(variantCell), g.best ? g.best.variants.map((v) => short[v] ?? v).join("=") : "—"];
      }),
    ));
    const wins = Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ");
    out.push(`summary: ${s.groups} groups, ${s.points} points (${s.pastContext} past n_ctx); median best held-out MAE ${num(s.medianHeldOutMae, 3)}; ` +
      `${s.withinFivePoints} of ${s.withHeldOut} groups within ${r.settings.failMae}; best variant: ${wins || "—"}`);
    const failing = groups.filter((g) => g.failures.length);
    if (failing.length) {
      out.push(`where it fails (${failing.length} of ${groups.length} groups):`);
      for (const g of failing) for (const f of g.failures) out.push(`  ${g.id}: ${f}`);
    }
    const shapes = groups.filter((g) => g.penaltyShapes);
    if (shapes.length) {
      out.push(`${PENALTY_SHAPES.join(" vs ")} past n_ctx: (a) fitted inside the window, MAE on the points past it; (b) fitted to all points, in-sample MAE (all points / past n_ctx); ? = the fit inside leaves the penalty's parameters undetermined`);
      const cell = (s: PenaltyShape) => (s.inside ? `${num(s.inside.maePast, 3)}${s.inside.undetermined.some((p) => PENALTY_PARAMS.includes(p)) ? "?" : ""}` : "—");
      out.push(table(
        ["group", "past", ...PENALTY_SHAPES.map((p) => `(a) ${p}`), ...PENALTY_SHAPES.map((p) => `(b) ${p}`), "(b) log10 decay rate"],
        shapes.map((g) => {
          const by = (p: string) => g.penaltyShapes!.find((s) => s.penalty === p)!;
          const decay = by("decay")?.all;
          return [g.id, g.nPastContext, ...PENALTY_SHAPES.map((p) => cell(by(p))),
            ...PENALTY_SHAPES.map((p) => (by(p).all ? `${num(by(p).all!.mae, 3)} / ${num(by(p).all!.maePast, 3)}` : "—")),
            decay ? num(decay.params.log10_decay_rate!, 2) : "—"];
        }),
      ));
      const w = s.penaltyShapeWins;
      const list = (wins: Record<string, number>) => PENALTY_SHAPES.map((p) => `${p} ${wins[p] ?? 0}`).join(", ");
      out.push(`lowest error of ${w.groups} groups (ties within ${r.settings.tieMae} count for each): (a) ${list(w.inside)}; (b) ${list(w.all)}`);
    }
    const penalties = groups.filter((g) => g.penalty?.length);
    if (penalties.length) {
      out.push("penalty the data show past n_ctx (observed / unpenalised prediction of a fit inside the window; the sharp law: ≈ 0):");
      for (const g of penalties) {
        out.push(`  ${g.id}: ` + g.penalty!.map((p) => `${num(p.n_pmt / p.n_ctx, 2)}× n_ctx → ${p.ratio === null ? "—" : num(p.ratio, 2)}`).join(", "));
      }
    }
  }
  return out.join("\n");
}
