// Results baked at build time: every experiment × task run in Node with the WebAssembly
// kernel at the default settings, so a page shows its numbers at once and a reader's browser
// can then check that it computes exactly the same ones. `npm run verify` reruns them too.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXPERIMENTS, DEFAULT_SETTINGS, plan, type Settings } from "../experiments.js";
import { runExperiment, type ExperimentResult } from "../run.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels } from "../observations.js";
import type { Kernel } from "../kernel.js";
import { sha256 } from "./provenance.js";

export interface Baked {
  settings: Settings;
  dataSha256: string;
  modelsSha256: string;
  kernelSha256: string;
  /** experiment → task → result, with every value as JSON carries it */
  results: Record<string, Record<string, ExperimentResult>>;
}

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs every experiment for every task of the observations with the default settings. */
export function bake(kernel: Kernel, kernelBytes: Uint8Array, observationsText: string, modelsText: string): Baked {
  const observations = parseObservationsCsv(observationsText, "data/observations.csv");
  checkAgainstModels(observations, parseModelsCsv(modelsText, "data/models.csv"), "data/observations.csv");
  const tasks = [...new Set(observations.map((o) => o.task))];
  const results: Baked["results"] = {};
  for (const e of EXPERIMENTS) {
    results[e] = {};
    for (const t of tasks) results[e][t] = runExperiment(kernel, plan(e, t, DEFAULT_SETTINGS, observations), observations);
  }
  // Through JSON and back, as the page receives it: the comparison is then like for like.
  return JSON.parse(JSON.stringify({
    settings: DEFAULT_SETTINGS,
    dataSha256: sha256(observationsText),
    modelsSha256: sha256(modelsText),
    kernelSha256: sha256(kernelBytes),
    results,
  }));
}

export function readRepoFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, "utf8");
}
