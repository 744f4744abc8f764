// Laws of compute alone at a fixed prompt (one shot count per benchmark) and the chance floor:
// the generating parameters of the synthetic fixtures are recovered, a floor of 0 changes no
// bit, and the floor is given per observation or per call with the same result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedKernel } from "./helpers/fixtures.js";
import { computeOnlyReference, computeOnlyRows } from "./helpers/compute-only.js";
import type { NamedLaw } from "../src/lib/named-laws.js";

const CASES: [string, NamedLaw, number | undefined][] = [
  ["saturating", "context-blind", 0.25],
  ["saturating", "context-blind-fitted-floor", undefined],
  ["logistic", "logistic-compute", 0.25],
  ["logistic", "logistic-compute-fitted-floor", undefined],
];

for (const [name, variant, floor] of CASES) {
  test(`${variant} recovers the parameters of the ${name} fixture within 3 standard errors`, async () => {
    const kernel = await sharedKernel();
    const fit = kernel.fit(variant, computeOnlyRows(name), { restarts: 2, floor });
    assert.equal(fit.status, "converged");
    const truth: Record<string, number> = { ...computeOnlyReference.results[name].truth, floor: 0.25 };
    for (const p of fit.paramNames) {
      const se = fit.se[p];
      assert.ok(se !== null, `${p} undetermined`);
      assert.ok(Math.abs(fit.params[p] - truth[p]) <= 3 * se, `${p}: fitted ${fit.params[p]} ± ${se}, true ${truth[p]}`);
    }
  });
}

test("a floor of 0 gives the same bits as no floor, given per point or per call", async () => {
  const kernel = await sharedKernel();
  const rows = computeOnlyRows("saturating");
  const plain = kernel.fit("context-blind", rows);
  assert.deepEqual(kernel.fit("context-blind", rows, { floor: 0 }), plain);
  assert.deepEqual(kernel.fit("context-blind", rows.map((r) => ({ ...r, chance_floor: 0 }))), plain);
});

test("a per-point chance_floor and the call's floor agree; the point's own value wins", async () => {
  const kernel = await sharedKernel();
  const rows = computeOnlyRows("logistic");
  const perCall = kernel.fit("logistic-compute", rows, { floor: 0.25 });
  assert.deepEqual(kernel.fit("logistic-compute", rows.map((r) => ({ ...r, chance_floor: 0.25 }))), perCall);
  assert.deepEqual(kernel.fit("logistic-compute", rows.map((r) => ({ ...r, chance_floor: 0.25 })), { floor: 0.5 }), perCall);
  const p = kernel.predict("logistic-compute", perCall.params, rows, { floor: 0.25 });
  assert.deepEqual(p, perCall.fitted);
  // Far below the midpoint the law vanishes and the prediction is the floor.
  const low = kernel.predict("logistic-compute", perCall.params, [{ compute_flops: 1e12, n_pmt: 600, n_ctx: 4096 }], { floor: 0.25 });
  assert.ok(low[0] > 0.25 && low[0] - 0.25 < 1e-6, `${low[0]}`);
});

test("a floor outside [0, 1) is refused", async () => {
  const kernel = await sharedKernel();
  const rows = computeOnlyRows("saturating");
  for (const floor of [1, -0.1, NaN]) assert.throws(() => kernel.fit("context-blind", rows, { floor }), (e: any) => e.name === "FitError");
});

test("the fitted floor law stops at a stationary point: no ±1e-4 step in any parameter lowers the SSE", async () => {
  // A check of the analytic Jacobian through its use: with a wrong dP/dθ the local search would
  // stop where the gradient it believes is zero, not where the true one is.
  const kernel = await sharedKernel();
  const rows = computeOnlyRows("logistic");
  const fit = kernel.fit("logistic-compute-fitted-floor", rows, { restarts: 2 });
  const sse = (params: Record<string, number>) =>
    kernel.predict("logistic-compute-fitted-floor", params, rows).reduce((s, p, i) => s + (p - rows[i].score) ** 2, 0);
  const best = sse(fit.params);
  for (const p of fit.paramNames) for (const h of [1e-4, -1e-4]) assert.ok(sse({ ...fit.params, [p]: fit.params[p] + h }) >= best * (1 - 1e-12), p);
});
