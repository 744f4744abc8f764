// What an experiment is: its settings, and its plan for one task as pure data (which rows each
// fit sees, which law it fits, where its errors are measured, which of the paper's numbers it
// is compared with), ready to run (src/lib/run.ts) or to show. And what the registry
// (src/lib/experiments.ts) holds for each experiment: its descriptor.
import type { Law } from "./law.js";
import type { Observation } from "./types.js";
import type { Selection } from "./select.js";
import { declaredDefaults } from "./settings.js";
import type { Weighting } from "./weights.js";
import type { ExperimentResult } from "./run.js";
import type { Claim } from "./claims.js";

export interface Settings {
  seed: number;
  /** the law under test, a name or a composition of parts (the baselines keep theirs) */
  variant: Law;
  /** context generalisation: fit on n_pmt below this, evaluate at or above it (tokens);
   *  public-compute: fit on training compute at or below this, predict above it (FLOPs) */
  threshold: number;
  /** independent global searches per fit, best kept: the additive law's loss has two
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

/** The defaults of every fit setting, from their declaration (src/lib/settings.ts). */
export const DEFAULT_SETTINGS = declaredDefaults("bundled") as unknown as Settings;

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
  /** the plan expects this law to be refused on one compute level and its fixed-compute form
   *  fitted instead (run.ts): then the fallback is the plan working, not a refused fit */
  intendsFallback?: true;
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

/**
 * Two fits compared on one split by the paired bootstrap (src/lib/compare.ts): the difference of
 * their MAE there, A − B, with its interval and verdict. Both fits must be fitted on the same
 * points; the plan must ask for resamples.
 */
export interface ContrastSpec {
  /** fit labels */
  a: string;
  b: string;
  /** a split both fits evaluate */
  split: string;
}

export interface ExperimentPlan {
  /** an experiment of the registry (src/lib/experiments.ts), or the name of a plan written elsewhere (a page, Beyond's groups) */
  experiment: string;
  title: string;
  question: string;
  task: string;
  settings: Settings;
  fits: FitSpec[];
  comparisons: ComparisonSpec[];
  /** paired comparisons of two fits (absent: none) */
  contrasts?: ContrastSpec[];
  /** models whose fitted curves are drawn (and whose plateaus are measured) */
  curveModels: string[];
  /** what the paper had that we do not, said plainly */
  missing: string[];
}

/** The parts of a plan an experiment decides; the registry adds the rest (experiment, task, settings, title, question). */
export type PlanBody = Pick<ExperimentPlan, "fits" | "comparisons" | "contrasts" | "curveModels" | "missing">;

/**
 * Where an experiment's observations come from: the bundled tables (data/observations.csv and
 * data/models.csv, or a reader's with `--data`), or the public models' tables the build imports
 * from the Observational Scaling Laws study (src/lib/node/public-data.ts).
 */
export type DataSource = "bundled" | "public-models";

/** One experiment, defined in one place: the command line, the build, verify, the summary and the pages read it. */
export interface ExperimentDescriptor {
  readonly id: string;
  readonly title: string;
  readonly question: string;
  /** the site page that shows its results (path from the site's root, no extension) */
  readonly page: string;
  /** when its results are a section of another experiment's page: the section's title, as the home summary names it */
  readonly section?: string;
  readonly data: DataSource;
  /** its default settings (the build bakes these) */
  readonly defaults: Settings;
  /** the tasks it runs on these observations: every task of the bundled data, or each benchmark present */
  tasks(observations: readonly Observation[]): string[];
  /** its plan for one task with these settings (some plans look at the observations) */
  body(task: string, settings: Settings, observations: readonly Observation[]): PlanBody;
  /** the claims its results for one task test (src/lib/claims.ts): the home page's Claims table */
  readonly claims?: (result: ExperimentResult) => Claim[];
  /** its results as text where the plan tables of src/lib/format.ts do not say it (`npm run fit`) */
  readonly formatText?: (results: readonly ExperimentResult[]) => string;
}

/** Every task of the observations, in the order they first appear. */
export const tasksOf = (observations: readonly Observation[]): string[] => [...new Set(observations.map((o) => o.task))];
