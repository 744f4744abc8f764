// Results baked at build time: every experiment × task run in Node with the WebAssembly
// kernel at the default settings, so a page shows its numbers at once and a reader's browser
// can then check that it computes exactly the same ones. `npm run verify` reruns them too.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXPERIMENTS, DEFAULT_SETTINGS, PUBLIC_COMPUTE_SETTINGS, plan, type Settings } from "../experiments.js";
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

/**
 * Runs every experiment for every task of the observations with the default settings, and
 * public-compute for every benchmark of the public tables (none when they hold no rows).
 */
export function bake(kernel: Kernel, kernelBytes: Uint8Array, observationsText: string, modelsText: string, publicTables: PublicTables): Baked {
  const observations = parseObservationsCsv(observationsText, "data/observations.csv");
  checkAgainstModels(observations, parseModelsCsv(modelsText, "data/models.csv"), "data/observations.csv");
  const tasks = [...new Set(observations.map((o) => o.task))];
  const results: Baked["results"] = {};
  for (const e of EXPERIMENTS) {
    results[e] = {};
    for (const t of tasks) results[e][t] = runExperiment(kernel, plan(e, t, DEFAULT_SETTINGS, observations), observations);
  }
  const pub = parsePublicTables(publicTables.observationsText, publicTables.modelsText);
  if (pub) {
    results["public-compute"] = {};
    for (const b of PUBLIC_COMPUTE_BENCHMARKS)
      if (pub.some((o) => o.task === b)) results["public-compute"][b] = runExperiment(kernel, plan("public-compute", b, PUBLIC_COMPUTE_SETTINGS, pub), pub);
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

export function readRepoFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, "utf8");
}
