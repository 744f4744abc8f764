// Recovery: scores simulated from known parameters with the sampling noise the paper's
// evaluation implies (binomial, ~1,000 instances per point: 4 arithmetic datasets × ≤ 250),
// on the paper's design (the 12 models of Table 1 × 10 shot counts). Over many simulations the
// estimates must land within one standard error about 68 % of the time and always within a few:
// this checks the estimates and the reported standard errors together.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT, sharedKernel, mulberry32 } from "./helpers/fixtures.js";
import { parseModelsCsv } from "../src/lib/observations.js";
import type { FitPoint } from "../src/lib/kernel.js";

const TRUTH = { log10_C0: 26.5, alpha: 0.24, log10_n0: 1.95, beta: 0.57 };
const INSTANCES = 1000;
const SHOTS = [0, 1, 3, 7, 15, 31, 63, 127, 255, 511];
const SIMULATIONS = 60;

function binomial(n: number, p: number, rand: () => number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

test("fits recover known parameters within their standard errors", async () => {
  const kernel = await sharedKernel();
  const models = parseModelsCsv(readFileSync(`${ROOT}data/models.csv`, "utf8"), "data/models.csv");
  // Prompt length grows by ~62 tokens per demonstration in the arithmetic data.
  const design = models.flatMap((m) => SHOTS.map((s) => ({ compute_flops: m.compute_flops, n_ctx: m.n_ctx, n_pmt: 62 * (s + 1) - 11 })));
  const truth = kernel.predict("full", TRUTH, design);
  const rand = mulberry32(20251016);
  const within1: Record<string, number> = { log10_C0: 0, alpha: 0, log10_n0: 0, beta: 0 };
  let worst = 0;
  for (let sim = 0; sim < SIMULATIONS; sim++) {
    const points: FitPoint[] = design.map((d, i) => ({ ...d, score: binomial(INSTANCES, truth[i], rand) / INSTANCES }));
    const fit = kernel.fit("full", points, { seed: sim + 1 });
    assert.equal(fit.status, "converged");
    for (const [name, value] of Object.entries(TRUTH)) {
      const se = fit.se[name];
      assert.ok(se !== null && se > 0, `${name} should be determined by this design`);
      const z = Math.abs(fit.params[name] - value) / se;
      worst = Math.max(worst, z);
      if (z <= 1) within1[name]++;
    }
  }
  for (const [name, count] of Object.entries(within1)) {
    const share = count / SIMULATIONS;
    // 68 % expected; with 60 simulations the binomial 99.9 % range is roughly 47 %–87 %.
    assert.ok(share >= 0.47 && share <= 0.87, `${name}: ${(share * 100).toFixed(0)} % of estimates within one standard error`);
  }
  assert.ok(worst < 4.5, `largest error was ${worst.toFixed(2)} standard errors`);
});
