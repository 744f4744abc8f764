// The registry: every experiment, defined once as a descriptor (src/lib/experiment-plan.ts) with
// its id, title, question, page, data source, defaults and plan. The command line, the build's
// baking, `verify`, the home summary and the pages read it; none names an experiment. The
// paper's experiments run on the bundled observations (src/lib/paper-experiments.ts); the public
// models' compute experiment on the tables imported from another study (src/lib/public-compute.ts).
// Every plan runs through src/lib/run.ts.
import type { Observation } from "./types.js";
import { PAPER_EXPERIMENTS } from "./paper-experiments.js";
import { PUBLIC_COMPUTE_EXPERIMENT } from "./public-compute.js";
import type { ExperimentDescriptor, ExperimentPlan, Settings } from "./experiment-plan.js";

export * from "./experiment-plan.js";
export { PUBLIC_COMPUTE_SETTINGS } from "./public-compute.js";

/** Every experiment, in the order the command line runs them and the build bakes them. */
export const REGISTRY = [...PAPER_EXPERIMENTS, PUBLIC_COMPUTE_EXPERIMENT] as const satisfies readonly ExperimentDescriptor[];

export type ExperimentId = (typeof REGISTRY)[number]["id"];

/** The experiments on the bundled observations (or a reader's, with `--data`): what `npm run fit` runs by default. */
export const EXPERIMENTS = REGISTRY.filter((d) => d.data === "bundled").map((d) => d.id);
/** The experiments on other data than the bundled observations (each needs its own data source). */
export const PUBLIC_EXPERIMENTS = REGISTRY.filter((d) => d.data !== "bundled").map((d) => d.id);

/** The descriptor of an experiment; throws naming the valid ones. */
export function descriptor(id: string): ExperimentDescriptor {
  const d = REGISTRY.find((x) => x.id === id);
  if (!d) throw new Error(`no experiment "${id}"; the registry has ${REGISTRY.map((x) => x.id).join(", ")}`);
  return d;
}

export function isExperiment(id: string): id is ExperimentId {
  return REGISTRY.some((x) => x.id === id);
}

export const TITLES = Object.fromEntries(REGISTRY.map((d) => [d.id, { title: d.title, question: d.question }])) as Record<ExperimentId, { title: string; question: string }>;

/** The default settings of an experiment. */
export function defaultSettings(experiment: ExperimentId): Settings {
  return descriptor(experiment).defaults;
}

/**
 * The plan of one experiment for one task: pure data, ready to run or to show. Some plans look
 * at the observations (which models each extension technique has; each benchmark's families,
 * largest models and the paper's named models).
 */
export function plan(experiment: ExperimentId, task: string, overrides: Partial<Settings> = {}, observations: readonly Observation[] = []): ExperimentPlan {
  const d = descriptor(experiment);
  const settings: Settings = { ...d.defaults, ...overrides };
  return { experiment, task, settings, title: d.title, question: d.question, ...d.body(task, settings, observations) };
}
