// Coverage of the bootstrap's 95 % percentile intervals: on data simulated from known
// parameters (the paper's design: 12 models of Table 1 × 10 shot counts, binomial noise of
// ~1,000 instances per point), the intervals must contain the true values in about 95 % of
// repeated simulations. 200 simulations give a Monte Carlo standard error of 1.5 points, so
// the accepted range is 95 % ± 3 standard errors (and a bit more below, where the percentile
// bootstrap is known to run short in small samples).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT, sharedKernel, mulberry32 } from "./helpers/fixtures.js";
import { parseModelsCsv } from "../src/lib/observations.js";
import { parameterIntervals } from "../src/lib/intervals.js";
import type { FitPoint } from "../src/lib/kernel.js";

const TRUTH: Record<string, number> = { log10_C0: 26.5, alpha: 0.24, log10_n0: 1.95, beta: 0.57 };
const SHOTS = [0, 1, 3, 7, 15, 31, 63, 127, 255, 511];
const SIMULATIONS = 200;
const RESAMPLES = 200;

function binomial(n: number, p: number, rand: () => number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

test(`95 % intervals cover the truth in about 95 % of ${SIMULATIONS} simulations`, async () => {
  const kernel = await sharedKernel();
  const models = parseModelsCsv(readFileSync(`${ROOT}data/models.csv`, "utf8"), "data/models.csv");
  const design = models.flatMap((m) => SHOTS.map((s) => ({ compute_flops: m.compute_flops, n_ctx: m.n_ctx, n_pmt: 62 * (s + 1) - 11 })));
  const truth = kernel.predict("full", TRUTH, design);
  const rand = mulberry32(7);
  const covered: Record<string, number> = Object.fromEntries(Object.keys(TRUTH).map((k) => [k, 0]));
  for (let sim = 0; sim < SIMULATIONS; sim++) {
    const points: FitPoint[] = design.map((d, i) => ({ ...d, score: binomial(1000, truth[i], rand) / 1000 }));
    const fit = kernel.fit("full", points, { seed: sim + 1 });
    const samples = kernel.bootstrap(fit, points, { resamples: RESAMPLES, seed: sim + 1 });
    assert.equal(samples.params.length, RESAMPLES);
    const iv = parameterIntervals(samples);
    for (const [name, value] of Object.entries(TRUTH)) if (iv[name][0] <= value && value <= iv[name][1]) covered[name]++;
  }
  const report = Object.entries(covered).map(([k, c]) => `${k} ${((100 * c) / SIMULATIONS).toFixed(1)} %`).join(", ");
  console.log(`coverage of the 95 % intervals over ${SIMULATIONS} simulations × ${RESAMPLES} resamples: ${report}`);
  for (const [name, c] of Object.entries(covered)) {
    const share = c / SIMULATIONS;
    assert.ok(share >= 0.89 && share <= 0.995, `${name}: ${(share * 100).toFixed(1)} % coverage (${report})`);
  }
});
