// Results baked at build time: every experiment × task run in Node with the WebAssembly
// kernel at the default settings, one file per experiment, so a page shows its numbers at once and a reader's browser
// can then check that it computes exactly the same ones. `npm run verify` reruns them too.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXPERIMENTS, PUBLIC_EXPERIMENTS, DEFAULT_SETTINGS, PUBLIC_COMPUTE_SETTINGS, plan, type Settings, type ExperimentId } from "../experiments.js";
import { parsePublicTables, PUBLIC_COMPUTE_BENCHMARKS } from "../public-compute.js";
import type { PublicTables } from "./public-data.js";
import { runExperiment, type ExperimentResult } from "../run.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels } from "../observations.js";
import type { Kernel } from "../kernel.js";
import { sha256 } from "./provenance.js";

export interface Baked {
  settings: Settings;
  dataSha256: string;
  modelsSha256: string;
  kernelSha256: string;
  /** SHA-256 of the public-compute tables the site ships (header only when the study's table was absent) */
  publicObservationsSha256: string;
  publicModelsSha256: string;
  /** experiment → task → result, with every value as JSON carries it */
  results: Record<string, Record<string, ExperimentResult>>;
}

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Every experiment whose results are baked, each into a file of its own (src/data/baked/[experiment].json.ts). */
export const BAKED_EXPERIMENTS: readonly ExperimentId[] = [...EXPERIMENTS, ...PUBLIC_EXPERIMENTS];

/**
 * Runs one experiment: for every task of the observations with the default settings, or, for
 * public-compute, for every benchmark of the public tables (none when they hold no rows).
 * Each baked file holds one experiment so that a page fetches only the results it shows.
 */
export function bakeExperiment(kernel: Kernel, kernelBytes: Uint8Array, experiment: ExperimentId, observationsText: string, modelsText: string, publicTables: PublicTables): Baked {
  const results: Baked["results"] = {};
  if (experiment === "public-compute") {
    const pub = parsePublicTables(publicTables.observationsText, publicTables.modelsText);
    if (pub) {
      results[experiment] = {};
      for (const b of PUBLIC_COMPUTE_BENCHMARKS)
        if (pub.some((o) => o.task === b)) results[experiment][b] = runExperiment(kernel, plan(experiment, b, PUBLIC_COMPUTE_SETTINGS, pub), pub);
    }
  } else {
    const observations = parseObservationsCsv(observationsText, "data/observations.csv");
    checkAgainstModels(observations, parseModelsCsv(modelsText, "data/models.csv"), "data/observations.csv");
    results[experiment] = {};
    for (const t of new Set(observations.map((o) => o.task))) results[experiment][t] = runExperiment(kernel, plan(experiment, t, DEFAULT_SETTINGS, observations), observations);
  }
  // Through JSON and back, as the page receives it: the comparison is then like for like.
  return JSON.parse(JSON.stringify({
    settings: DEFAULT_SETTINGS,
    dataSha256: sha256(observationsText),
    modelsSha256: sha256(modelsText),
    kernelSha256: sha256(kernelBytes),
    publicObservationsSha256: sha256(publicTables.observationsText),
    publicModelsSha256: sha256(publicTables.modelsText),
    results,
  }));
}

/** Every experiment of BAKED_EXPERIMENTS at once (what `npm run verify` reruns): their results merged. */
export function bake(kernel: Kernel, kernelBytes: Uint8Array, observationsText: string, modelsText: string, publicTables: PublicTables): Baked {
  const parts = BAKED_EXPERIMENTS.map((e) => bakeExperiment(kernel, kernelBytes, e, observationsText, modelsText, publicTables));
  return { ...parts[0], results: Object.assign({}, ...parts.map((p) => p.results)) };
}

export function readRepoFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, "utf8");
}
