// Results baked at build time: every experiment × task run in Node with the WebAssembly
// kernel at the default settings, one file per experiment, so a page shows its numbers at once and a reader's browser
// can then check that it computes exactly the same ones. `npm run verify` reruns them too.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { REGISTRY, DEFAULT_SETTINGS, descriptor, plan, type Settings, type ExperimentId, type DataSource } from "../experiments.js";
import { parsePublicTables } from "../public-tables.js";
import type { Observation } from "../types.js";
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
  /** SHA-256 of the public models' tables the site ships (header only when the study's table was absent) */
  publicObservationsSha256: string;
  publicModelsSha256: string;
  /** experiment → task → result, with every value as JSON carries it */
  results: Record<string, Record<string, ExperimentResult>>;
}

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Every experiment whose results are baked, each into a file of its own (src/data/baked/[experiment].json.ts). */
export const BAKED_EXPERIMENTS: readonly ExperimentId[] = REGISTRY.map((d) => d.id);

/**
 * The observations of a data source as the build reads them, or null when the source holds no
 * rows (the public models' tables are header-only when the study's table was absent).
 */
function observationsOf(source: DataSource, observationsText: string, modelsText: string, publicTables: PublicTables): Observation[] | null {
  switch (source) {
    case "bundled": {
      const observations = parseObservationsCsv(observationsText, "data/observations.csv");
      checkAgainstModels(observations, parseModelsCsv(modelsText, "data/models.csv"), "data/observations.csv");
      return observations;
    }
    case "public-models":
      return parsePublicTables(publicTables.observationsText, publicTables.modelsText);
  }
}

/**
 * Runs one experiment of the registry with its default settings, for every task it has on its
 * data source's observations (none when the source holds no rows). Each baked file holds one
 * experiment so that a page fetches only the results it shows.
 */
export function bakeExperiment(kernel: Kernel, kernelBytes: Uint8Array, experiment: ExperimentId, observationsText: string, modelsText: string, publicTables: PublicTables): Baked {
  const d = descriptor(experiment);
  const results: Baked["results"] = {};
  const observations = observationsOf(d.data, observationsText, modelsText, publicTables);
  if (observations) {
    results[experiment] = {};
    for (const t of d.tasks(observations)) results[experiment][t] = runExperiment(kernel, plan(experiment, t, d.defaults, observations), observations);
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
