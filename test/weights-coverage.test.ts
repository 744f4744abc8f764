// Standard errors under binomial noise (issue 12). On data simulated from known parameters on
// the paper's design (the models and shot counts of data/observations.csv, 800 instances per
// point), (estimate − truth)/SE should spread like a standard normal: SD ≈ 1 and |z| ≤ 1 in
// about 68 % of simulations. The unweighted fit, which treats every point as equally noisy,
// misses that (its SD comes out above 1); the binomial-weighted fit with known scale must not.
// 200 simulations give a Monte Carlo error of about 0.05 on the SD and 3.3 points on the
// coverage; the accepted ranges, SD within [0.85, 1.15] and coverage within [60 %, 76 %], are
// about 3 and 2.4 of those errors wide. The data sets are fixed by the seeds, so the test is
// deterministic; it also checks that the unweighted fit fails the same check (else the test
// would have no power to see the problem it guards against).
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedKernel, taskRows, mulberry32 } from "./helpers/fixtures.js";
import { fitWeighted, type CountedPoint, type Weighting } from "../src/lib/weights.js";

// The fit of the full law to the common-sense scores, with C0 a third lower (so the scores
// span 0–0.85 instead of 0–0.68): the binomial variance p(1 − p)/n then changes by a large
// factor across the points, and points past n_ctx have none at all.
const TRUTH: Record<string, number> = { log10_C0: 22.7, alpha: 0.56, log10_n0: 1.76, beta: 1.1 };
const INSTANCES = 800;
const SIMULATIONS = 200;

function binomial(n: number, p: number, rand: () => number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}

function sd(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

interface Spread { sd: Record<string, number>; coverage: Record<string, number> }

async function spread(weighting: Weighting): Promise<Spread> {
  const kernel = await sharedKernel();
  const design = taskRows("common_sense").map((r) => ({ compute_flops: r.compute_flops, n_ctx: r.n_ctx, n_pmt: r.n_pmt }));
  const truth = kernel.predict("full", TRUTH, design);
  const rand = mulberry32(12); // the same simulated data sets for both weightings
  const z: Record<string, number[]> = Object.fromEntries(Object.keys(TRUTH).map((k) => [k, []]));
  for (let sim = 0; sim < SIMULATIONS; sim++) {
    const points: CountedPoint[] = design.map((d, i) => ({ ...d, n_instances: INSTANCES, score: binomial(INSTANCES, truth[i], rand) / INSTANCES }));
    const { fit } = fitWeighted(kernel, "full", points, weighting, { seed: sim + 1, restarts: 2 });
    for (const name of Object.keys(TRUTH)) {
      const se = fit.se[name];
      assert.ok(se !== null && se > 0, `simulation ${sim + 1}: ${name} has no standard error`);
      z[name].push((fit.params[name] - TRUTH[name]) / se);
    }
  }
  return {
    sd: Object.fromEntries(Object.entries(z).map(([k, v]) => [k, sd(v)])),
    coverage: Object.fromEntries(Object.entries(z).map(([k, v]) => [k, v.filter((x) => Math.abs(x) <= 1).length / v.length])),
  };
}

const show = (s: Spread) => Object.keys(TRUTH).map((k) => `${k} SD ${s.sd[k].toFixed(2)}, 1-SE coverage ${(100 * s.coverage[k]).toFixed(0)} %`).join("; ");

test(`binomial weights: (estimate − truth)/SE has SD ≈ 1 and 1-SE coverage ≈ 68 % over ${SIMULATIONS} simulations`, async () => {
  const unweighted = await spread("none");
  const weighted = await spread("binomial");
  console.log(`unweighted (σ² estimated): ${show(unweighted)}`);
  console.log(`binomial weights (σ² = 1, known): ${show(weighted)}`);
  const sdOk = (x: number) => x >= 0.85 && x <= 1.15;
  assert.ok(Object.values(unweighted.sd).some((x) => !sdOk(x)), `the unweighted fit should fail the SD check on this design: ${show(unweighted)}`);
  for (const name of Object.keys(TRUTH)) {
    assert.ok(sdOk(weighted.sd[name]), `${name}: weighted SD of z ${weighted.sd[name].toFixed(2)} (${show(weighted)})`);
    assert.ok(weighted.coverage[name] >= 0.6 && weighted.coverage[name] <= 0.76, `${name}: weighted 1-SE coverage ${(100 * weighted.coverage[name]).toFixed(0)} % (${show(weighted)})`);
  }
});
