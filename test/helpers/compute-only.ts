// The synthetic fixed-prompt data sets (test/fixtures/compute-only-*.csv, written by
// `python3 scripts/scipy_fit.py synthesize --seed 2510`) and SciPy's fits of them.
import { readFileSync } from "node:fs";
import { ROOT } from "./fixtures.js";
import type { FitPoint } from "../../src/lib/kernel.js";

export const computeOnlyReference = JSON.parse(readFileSync(`${ROOT}test/reference/scipy-compute-only.json`, "utf8"));

/** Rows of a fixture without their chance_floor, so each test says which floor it fits with. */
export function computeOnlyRows(name: string): FitPoint[] {
  const [header, ...lines] = readFileSync(`${ROOT}test/fixtures/compute-only-${name}.csv`, "utf8").trim().split("\n");
  const cols = header.split(",");
  return lines.map((line) => {
    const v = line.split(",").map(Number);
    const at = (c: string) => v[cols.indexOf(c)];
    return { compute_flops: at("compute_flops"), n_pmt: at("n_pmt"), n_ctx: at("n_ctx"), score: at("score") };
  });
}
