// Shared test fixtures: the bundled observations and one kernel instance.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseObservationsCsv } from "../../src/lib/observations.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";
import type { Observation } from "../../src/lib/types.js";
import type { Kernel } from "../../src/lib/kernel.js";
import { partOptions } from "../../src/lib/law.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function bundledObservations(): Observation[] {
  return parseObservationsCsv(readFileSync(`${ROOT}data/observations.csv`, "utf8"), "data/observations.csv");
}

export function taskRows(task: string): Observation[] {
  return bundledObservations().filter((o) => o.task === task);
}

let kernel: Promise<Kernel> | undefined;
export function sharedKernel(): Promise<Kernel> {
  kernel ??= loadKernel();
  return kernel;
}

/** A small seeded PRNG for simulated data (mulberry32): tests must not depend on Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The list of penalty options an error message gives ("penalty=none|step|…"), from src/lib/law.ts. */
export const PENALTY_OPTIONS_RE = new RegExp(`penalty=${partOptions("penalty").join("\\|")}`);

/** A synthetic public-models benchmark (mmlu): three families of five models each, scores from a floored saturating law. */
export function syntheticPublicRows(): Observation[] {
  const rows: Observation[] = [];
  for (const [f, shift] of [["A", 0], ["B", 0.4], ["C", 0.8]] as const)
    for (let i = 0; i < 5; i++) {
      const c = 10 ** (19 + shift + i);
      rows.push({
        task: "mmlu", model: `${f}-${i}`, base_model: f, extension: "none", n_ctx: 1_048_576, compute_flops: c, shots: 5, n_pmt: 660,
        score: 0.25 + 0.75 * (1 - Math.exp(-((c / 1e23) ** 0.3))) + 0.01 * Math.sin(7 * i + shift * 10), metric: "accuracy",
        score_uncertainty: null, n_pmt_uncertainty_rel: null, paper_role: "fit", source: "synthetic",
      });
    }
  return rows;
}
