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
