// The Claims table: each verdict follows its stated rule from the computed numbers, and the
// registry's experiments state their claims on real runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedKernel, bundledObservations } from "./helpers/fixtures.js";
import { withinClaim, betterClaim, CLOSE_MAE } from "../src/lib/claims.js";
import { claimsOf, claimsTableModel } from "../src/lib/summary.js";
import { runExperiment, type ExperimentResult } from "../src/lib/run.js";
import { plan, DEFAULT_SETTINGS } from "../src/lib/experiments.js";

/** A result with one fit "f" and one split "s" of the given MAE and interval, and one contrast. */
function result(mae: number | null, interval: [number, number] | null, contrast?: Partial<NonNullable<ExperimentResult["contrasts"]>[number]>): ExperimentResult {
  return {
    plan: { experiment: "x", task: "arithmetic" },
    fits: [{ label: "f", splits: [{ name: "s", selection: "", errors: mae === null ? null : { n: 3, mae, sse: 0, maxAbs: 0 }, meanPrediction: null, ...(interval ? { maeInterval: interval } : {}), ...(mae === null ? { reason: "not predictable" } : {}) }] }],
    comparisons: [],
    contrasts: contrast ? [{ a: "f", b: "g", split: "s", fitOn: "all", difference: -0.1, interval: [-0.2, -0.05], level: 0.95, pairs: 1000, verdict: "a", ...contrast } as never] : [],
  } as unknown as ExperimentResult;
}

test("within 0.05: holds when the whole interval is at or below, fails when above, else cannot tell", () => {
  assert.equal(withinClaim(result(0.01, [0.005, CLOSE_MAE]), "c", "f", "s", 0.01).verdict, "holds");
  assert.equal(withinClaim(result(0.09, [0.051, 0.2]), "c", "f", "s", null).verdict, "does not hold");
  assert.equal(withinClaim(result(0.04, [0.03, 0.06]), "c", "f", "s", null).verdict, "cannot tell");
  // No interval, no number, or an undetermined error: no verdict from a point estimate.
  assert.equal(withinClaim(result(0.01, null), "c", "f", "s", null).verdict, "cannot tell");
  const missing = withinClaim(result(null, null), "c", "f", "s", null);
  assert.equal(missing.verdict, "cannot tell");
  assert.equal(missing.why, "not predictable");
  const open = result(0.01, [0.005, 0.02]);
  open.fits[0]!.splits[0]!.undetermined = { parameters: ["delta"], maeRange: [0.01, 0.8] };
  assert.match(withinClaim(open, "c", "f", "s", null).why, /not determined/);
});

test("A better than B: the paired verdict, its difference and interval", () => {
  const holds = betterClaim(result(0.01, null, {}), "c", "f", "g", "s", -0.09);
  assert.deepEqual([holds.verdict, holds.ours, holds.interval, holds.paper], ["holds", -0.1, [-0.2, -0.05], -0.09]);
  assert.equal(betterClaim(result(0.01, null, { verdict: "b", difference: 0.1, interval: [0.05, 0.2] }), "c", "f", "g", "s", null).verdict, "does not hold");
  const open = betterClaim(result(0.01, null, { verdict: "cannot tell", interval: [-0.1, 0.1], reason: "the prediction of f at these points is not determined by the points fitted" }), "c", "f", "g", "s", null);
  assert.equal(open.verdict, "cannot tell");
  assert.match(open.why, /not determined/);
  assert.equal(betterClaim(result(0.01, null), "c", "f", "g", "s", null).verdict, "cannot tell");
});

test("the registry's experiments state their claims: the penalty ablation's rests on its contrast past n_ctx", async () => {
  const k = await sharedKernel();
  const rows = bundledObservations();
  const r = runExperiment(k, plan("penalty-ablation", "arithmetic", { ...DEFAULT_SETTINGS, resamples: 100, restarts: 1 }, rows), rows);
  const claims = claimsOf([r]);
  assert.equal(claims.length, 1);
  const c = r.contrasts!.find((x) => x.split === "n_pmt > n_ctx")!;
  assert.equal(claims[0]!.ours, c.difference);
  assert.deepEqual(claims[0]!.interval, c.interval);
  assert.ok(Math.abs(claims[0]!.paper! - (0.014 - 0.104)) < 1e-12);
  const model = claimsTableModel(claims);
  assert.equal(model.rows[0]!.length, model.columns.length);
  assert.equal(model.rows[0]![5], claims[0]!.verdict);
});
