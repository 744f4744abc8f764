// Every experiment, defined once as data: which rows each fit sees, which variant it fits,
// where its errors are measured, and which of the paper's numbers it is compared with. The
// command line, the site's pages and the tests all run these plans through run.ts.
import type { Law } from "./law.js";
import type { Observation } from "./types.js";
import type { Selection } from "./select.js";
import { PAPER } from "./paper.js";
import type { Weighting } from "./weights.js";
import { PUBLIC_LAWS, CHANCE_FLOOR, PAPER_HELD_OUT, familyFitLabel, computeLabel } from "./public-compute.js";

export const EXPERIMENTS = ["in-distribution", "context-generalisation", "penalty-ablation", "figure-1", "compute-holdout", "extension-technique"] as const;
/** Experiments on other data than the bundled observations: public-compute runs on the
 *  Observational Scaling Laws table (src/lib/public-compute.ts), one benchmark per "task". */
export const PUBLIC_EXPERIMENTS = ["public-compute"] as const;
export type ExperimentId = (typeof EXPERIMENTS)[number] | (typeof PUBLIC_EXPERIMENTS)[number];

export interface Settings {
  seed: number;
  /** the law under test, a name or a composition of parts (the baselines keep theirs) */
  variant: Law;
  /** context generalisation: fit on n_pmt below this, evaluate at or above it (tokens);
   *  public-compute: fit on training compute at or below this, predict above it (FLOPs) */
  threshold: number;
  /** independent global searches per fit, best kept: the additive variant's loss has two
   *  basins on the bundled data and one search lands in the worse one for ~30 % of seeds */
  restarts: number;
  /** bootstrap resamples per fit for the intervals (0: point estimates only) */
  resamples: number;
  /** resample single observations, or whole models */
  scheme: "observations" | "models";
  /** least-squares weights (weights.ts): absent or "none" is the paper's unweighted fit.
   *  Optional, and left out of DEFAULT_SETTINGS, so the baked results keep their shape. */
  weights?: Weighting;
}

export const DEFAULT_SETTINGS: Settings = {
  seed: 1, variant: "full", threshold: PAPER.contextGeneralisationThreshold, restarts: 4, resamples: 1000, scheme: "observations",
};

export const PUBLIC_COMPUTE_SETTINGS: Settings = { ...DEFAULT_SETTINGS, threshold: 1e23, resamples: 200 };

/** The default settings of an experiment (public-compute's threshold is in FLOPs, and its
 *  bootstrap is lighter: four laws on ~80 models per benchmark, five benchmarks). */
export function defaultSettings(experiment: ExperimentId): Settings {
  return experiment === "public-compute" ? PUBLIC_COMPUTE_SETTINGS : DEFAULT_SETTINGS;
}

export interface Split {
  name: string;
  on: Selection;
  /** also report each point's model, observed and predicted score */
  points?: true;
}

export interface FitSpec {
  /** stable name used by comparisons and tables */
  label: string;
  variant: Law;
  fitOn: Selection;
  evaluate: Split[];
  /** chance level k of every point: P = k + (1 − k)·law (absent: none) */
  floor?: number;
  /** false: point estimates only, even when the plan asks for bootstrap resamples */
  bootstrap?: false;
  /** also draw the fitted curve over training compute, at the task's one prompt length */
  computeCurve?: true;
}

/** Where one of our numbers comes from, to set beside the paper's. */
export type Quantity =
  | { kind: "error"; fit: string; split: string; metric: "mae" }
  | { kind: "plateau"; fit: string; model: string }
  | { kind: "level"; fit: string; split: string };

export interface ComparisonSpec {
  label: string;
  ours: Quantity;
  /** the paper's number, or null when the paper reports none we could recover */
  paper: number | null;
}

export interface ExperimentPlan {
  /** one of the library's experiments, or the name of a plan written elsewhere (a page, Beyond's groups) */
  experiment: ExperimentId | (string & {});
  title: string;
  question: string;
  task: string;
  settings: Settings;
  fits: FitSpec[];
  comparisons: ComparisonSpec[];
  /** models whose fitted curves are drawn (and whose plateaus are measured) */
  curveModels: string[];
  /** what the paper had that we do not, said plainly */
  missing: string[];
}

const ALL: Split = { name: "all", on: {} };
const WITHIN: Split = { name: "n_pmt ≤ n_ctx", on: { within_context: true } };
const BEYOND: Split = { name: "n_pmt > n_ctx", on: { within_context: false } };

const UNPUBLISHED_VARIANTS =
  "The paper fits all 12 Llama-2 variants (4k base and 8k–128k YaRN, 7B and 13B); only the 4 drawn in its Figs 2–7 (8k and 128k) could be recovered, so our fits use 40 points per task instead of ~120.";

export const TITLES: Record<ExperimentId, { title: string; question: string }> = {
  "in-distribution": {
    title: "In-distribution fit",
    question: "How closely does the law fit every point of a task when it sees all of them (the paper's RQ1)?",
  },
  "context-generalisation": {
    title: "Context generalisation",
    question: "Fitted only on prompts shorter than 10,000 tokens, does the law predict the longer prompts of the 128k models (§4.2)?",
  },
  "penalty-ablation": {
    title: "Sigmoid-penalty ablation",
    question: "How much of the fit is owed to the penalty that switches performance off past the context limit?",
  },
  "figure-1": {
    title: "Figure 1: context-blind vs context-aware",
    question: "What does a compute-only law (the 'existing work' of the paper's Figure 1) miss on Yarn-Llama-2-7b-8k?",
  },
  "compute-holdout": {
    title: "Compute generalisation (hold out a model size)",
    question: "Fitted on one model size, can the law predict the other (§4.1)?",
  },
  "extension-technique": {
    title: "Extension technique",
    question: "Does the law predict Llama-2-7B as well when its context was extended with positional interpolation as with YaRN (§4.3)?",
  },
  "public-compute": {
    title: "Compute generalisation on public models",
    question: "Fitted on smaller models, does a law of compute predict the larger ones (the paper's §4.1, on other, public models)?",
  },
};

/** The extension techniques of §4.3, by the `extension` value of the data. */
const TECHNIQUES = [
  { label: "YaRN", extension: "yarn" },
  { label: "positional interpolation", extension: "pi" },
] as const;

/** The two YaRN variants (7B, 13B) with a given context suffix, e.g. "8k". */
function yarnPair(suffix: string): string[] {
  return [`Yarn-Llama-2-7b-${suffix}`, `Yarn-Llama-2-13b-${suffix}`];
}

/**
 * The plan of one experiment for one task: pure data, ready to run or to show. Only the
 * extension-technique and public-compute plans look at the observations (which models each
 * technique has; each benchmark's families, largest models and the paper's named models).
 */
export function plan(experiment: ExperimentId, task: string, overrides: Partial<Settings> = {}, observations: readonly Observation[] = []): ExperimentPlan {
  const settings: Settings = { ...defaultSettings(experiment), ...overrides };
  const law = settings.variant;
  const head = { experiment, task, settings, ...TITLES[experiment] };
  switch (experiment) {
    case "in-distribution": {
      const plateaus = PAPER.plateausInDistribution[task] ?? {};
      return {
        ...head,
        fits: [{ label: "law", variant: law, fitOn: {}, evaluate: [ALL, WITHIN, BEYOND] }],
        comparisons: [
          { label: "MAE, all points", ours: { kind: "error", fit: "law", split: "all", metric: "mae" }, paper: PAPER.inDistributionMae[task] ?? null },
          ...Object.entries(plateaus).map(([model, value]) => ({
            label: `plateau of the fitted curve, ${model}`,
            ours: { kind: "plateau", fit: "law", model } as Quantity,
            paper: value,
          })),
        ],
        curveModels: [...yarnPair("8k"), ...yarnPair("128k")],
        missing: [UNPUBLISHED_VARIANTS],
      };
    }
    case "context-generalisation": {
      const t = settings.threshold;
      const plateaus = PAPER.plateausContextGeneralisation[task] ?? {};
      const heldOut: Split = { name: `held out (n_pmt ≥ ${t})`, on: { n_pmt_at_least: t } };
      const heldOutWithin: Split = { name: `held out, n_pmt ≤ n_ctx`, on: { n_pmt_at_least: t, within_context: true } };
      const isPaperThreshold = t === PAPER.contextGeneralisationThreshold;
      return {
        ...head,
        fits: [{ label: "law", variant: law, fitOn: { n_pmt_below: t }, evaluate: [{ name: `fitted (n_pmt < ${t})`, on: { n_pmt_below: t } }, heldOut, heldOutWithin] }],
        comparisons: [
          { label: `MAE, held-out points (n_pmt ≥ ${t})`, ours: { kind: "error", fit: "law", split: heldOut.name, metric: "mae" }, paper: isPaperThreshold ? (PAPER.contextGeneralisationMae[task] ?? null) : null },
          ...Object.entries(plateaus).map(([model, value]) => ({
            label: `plateau of the fitted curve, ${model}`,
            ours: { kind: "plateau", fit: "law", model } as Quantity,
            paper: isPaperThreshold ? value : null,
          })),
        ],
        curveModels: yarnPair("128k"),
        missing: [
          UNPUBLISHED_VARIANTS,
          "The paper's held-out set includes the 16k–64k variants' long prompts; ours has only the 128k variants' points above the threshold (the 8k variants' points there lie past n_ctx, where the law predicts 0).",
        ],
      };
    }
    case "penalty-ablation": {
      const paper = PAPER.penaltyAblation[task];
      const fits: FitSpec[] = [
        { label: "law", variant: law, fitOn: {}, evaluate: [WITHIN, BEYOND, ALL] },
        { label: "no-penalty", variant: "no-penalty", fitOn: {}, evaluate: [WITHIN, BEYOND, ALL] },
      ];
      const key = { [WITHIN.name]: "within", [BEYOND.name]: "beyond", [ALL.name]: "all" } as const;
      const comparisons: ComparisonSpec[] = [];
      for (const f of fits)
        for (const s of f.evaluate)
          comparisons.push({
            label: `MAE ${f.variant}, ${s.name}`,
            ours: { kind: "error", fit: f.label, split: s.name, metric: "mae" },
            paper: paper?.[f.variant]?.[key[s.name]] ?? null,
          });
      return {
        ...head,
        fits,
        comparisons,
        curveModels: [...yarnPair("8k"), ...yarnPair("128k")],
        missing: [UNPUBLISHED_VARIANTS, ...(paper ? [] : [`The paper reports the ablation for arithmetic only; for ${task} there is no number to compare with.`])],
      };
    }
    case "figure-1": {
      const target = PAPER.figure1Model;
      const evalOn: Split[] = [{ name: target, on: { models: [target] } }];
      const fitOn: Selection = { models: yarnPair("8k") };
      return {
        ...head,
        fits: [
          { label: "context-blind", variant: "context-blind", fitOn, evaluate: evalOn },
          { label: "law", variant: law, fitOn, evaluate: evalOn },
        ],
        comparisons: [
          { label: `context-blind prediction for ${target} (flat level)`, ours: { kind: "level", fit: "context-blind", split: target }, paper: task === "arithmetic" ? PAPER.figure1ContextBlindLevel : null },
          { label: `MAE context-blind, ${target}`, ours: { kind: "error", fit: "context-blind", split: target, metric: "mae" }, paper: null },
          { label: `MAE ${law}, ${target}`, ours: { kind: "error", fit: "law", split: target, metric: "mae" }, paper: null },
        ],
        curveModels: [target],
        missing: [
          "Figure 1 in the paper shows arithmetic only; other tasks are our extension. Both laws are fitted to the two 8k models (the data of Fig. 2), so the context-blind law, with one level per model, predicts each model's mean score.",
        ],
      };
    }
    case "extension-technique": {
      const taskRows = observations.filter((o) => o.task === task);
      const modelsWhere = (pred: (o: Observation) => boolean) => [...new Set(taskRows.filter(pred).map((o) => o.model))];
      const fits: FitSpec[] = [];
      const curveModels: string[] = [];
      const absent: string[] = [];
      for (const t of TECHNIQUES) {
        const all = modelsWhere((o) => o.extension === t.extension);
        const small = modelsWhere((o) => o.extension === t.extension && o.base_model === "Llama-2-7B");
        if (all.length === 0) {
          absent.push(`No observations of models extended with ${t.label}: the paper's ${t.label} runs (Llama-2-7B, §4.3) were never published, so that half of the comparison cannot be computed. Add them to data/observations.csv (extension "${t.extension}") and this experiment fits them.`);
          continue;
        }
        fits.push({
          label: t.label,
          variant: law,
          fitOn: { models: all },
          evaluate: [
            { name: `${t.label}, Llama-2-7B`, on: { models: small } },
            { name: `${t.label}, Llama-2-7B, n_pmt ≤ n_ctx`, on: { models: small, within_context: true } },
            { name: `${t.label}, all fitted models`, on: { models: all } },
          ],
        });
        curveModels.push(...small);
      }
      return {
        ...head,
        fits,
        comparisons: [],
        curveModels,
        missing: [
          ...absent,
          "The paper reports that the two techniques give similar errors, but its numbers for this comparison could not be recovered: there is no paper number to set ours beside.",
          UNPUBLISHED_VARIANTS,
        ],
      };
    }
    case "compute-holdout": {
      const bases = ["Llama-2-7B", "Llama-2-13B"];
      const fits: FitSpec[] = bases.map((b) => {
        const other = bases.find((x) => x !== b)!;
        return {
          label: `fitted on ${b}`,
          variant: law,
          fitOn: { base_models: [b] },
          evaluate: [
            { name: `${b} (fitted)`, on: { base_models: [b] } },
            { name: `${other} (held out)`, on: { base_models: [other] } },
          ],
        };
      });
      return {
        ...head,
        fits,
        comparisons: [],
        curveModels: [...yarnPair("8k"), ...yarnPair("128k")],
        missing: [
          "The paper's held-out compute models (Qwen2.5-0.5B, the Gemma-2 series, Llama-2-70B) and its per-model errors were never published.",
          "Our data hold one compute level per base model (the 8k and 128k variants differ by 0.2 % in C), so a fit on one model size cannot determine the compute exponent α and cannot predict the other size: the tables say so instead of printing a number.",
        ],
      };
    }
    case "public-compute":
      return { ...head, ...publicComputeFits(task, settings.threshold, observations) };
  }
}

/**
 * public-compute for one benchmark: each law of compute (with and without the benchmark's chance
 * floor, or a fitted one) fitted on the models with C ≤ threshold and judged on those above, the
 * paper's named held-out models as one-model splits; then, for every family with ≥ 4 models, its
 * largest model predicted by each given-floor law fitted on the family's smaller models
 * ("within family") or on every model with less compute ("pooled"), point estimates only.
 */
function publicComputeFits(task: string, threshold: number, observations: readonly Observation[]): Pick<ExperimentPlan, "fits" | "comparisons" | "curveModels" | "missing"> {
  const rows = observations.filter((o) => o.task === task);
  const k = CHANCE_FLOOR[task] ?? 0;
  const floorOf = (floor: "none" | "chance" | "fitted") => (floor === "chance" && k > 0 ? { floor: k } : {});
  const fitOn: Selection = { compute_at_most: threshold };
  const named: Split[] = [];
  const absent: string[] = [];
  for (const n of PAPER_HELD_OUT) {
    const o = rows.find((r) => n.pattern.test(r.model));
    if (o) named.push({ name: n.label, on: { models: [o.model] }, points: true });
    else absent.push(n.label);
  }
  const evaluate: Split[] = [
    { name: `fitted (C ≤ ${computeLabel(threshold)})`, on: fitOn, points: true },
    { name: `held out (C > ${computeLabel(threshold)})`, on: { compute_above: threshold }, points: true },
    ...named,
  ];
  const fits: FitSpec[] = PUBLIC_LAWS.map((l) => ({ label: l.label, variant: l.variant, ...floorOf(l.floor), fitOn, evaluate, computeCurve: true }));
  const byFamily = new Map<string, Observation[]>();
  for (const o of rows) byFamily.set(o.base_model, [...(byFamily.get(o.base_model) ?? []), o]);
  const short: string[] = [];
  for (const [family, members] of [...byFamily].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (members.length < 4) continue;
    const largest = [...members].sort((a, b) => a.compute_flops - b.compute_flops).at(-1)!;
    const c = largest.compute_flops;
    const smaller = members.filter((o) => o.compute_flops < c).length;
    const target: Split[] = [{ name: largest.model, on: { models: [largest.model] }, points: true }];
    if (smaller < 3) short.push(family);
    for (const l of PUBLIC_LAWS.filter((x) => x.floor !== "fitted")) {
      if (smaller >= 3) fits.push({ label: familyFitLabel("within family", family, l.label), variant: l.variant, ...floorOf(l.floor), fitOn: { base_models: [family], compute_below: c }, evaluate: target, bootstrap: false });
      fits.push({ label: familyFitLabel("pooled", family, l.label), variant: l.variant, ...floorOf(l.floor), fitOn: { compute_below: c }, evaluate: target, bootstrap: false });
    }
  }
  return {
    fits,
    comparisons: [],
    curveModels: [],
    missing: [
      "The paper's own held-out compute results (Qwen2.5-0.5B, the Gemma-2 series, Llama-2-70B) were never published; these are other models, scored by another study (Observational Scaling Laws, Ruan, Maddison, Hashimoto 2024) at one fixed prompt per benchmark, with training FLOPs that study's 6·N·D estimate.",
      ...(absent.length ? [`Not in the study's table with FLOPs: ${absent.join(", ")}.`] : []),
      ...(short.length ? [`${task}: within family not fitted for ${short.join(", ")} (fewer than 3 smaller models); pooled only.`] : []),
      "The fitted-floor laws are not fitted within a family: most families have only three smaller models, no more than the law's three parameters (the kernel refuses such a fit), and on the few larger families the fitted floor is often not determined.",
    ],
  };
}
