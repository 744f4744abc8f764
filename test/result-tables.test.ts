// Results as tables (src/lib/result-tables.ts): the rows agree with the results they flatten.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resultTables } from "../src/lib/result-tables.js";
import { runExperiment } from "../src/lib/run.js";
import { plan } from "../src/lib/experiments.js";
import { parseObservationsCsv } from "../src/lib/observations.js";
import { loadKernel } from "../src/lib/node/load-kernel.js";

const observations = parseObservationsCsv(readFileSync(new URL("../data/observations.csv", import.meta.url), "utf8"), "data/observations.csv");

test("predictions at the fitted points are the fit's own, residuals are observed − predicted, errors and parameters are the results'", async () => {
  const kernel = await loadKernel();
  const results = ["in-distribution", "compute-holdout"].map((e) => runExperiment(kernel, plan(e as any, "arithmetic", { resamples: 0 }, observations), observations));
  const t = resultTables(kernel, results, observations);
  const inDist = results[0].fits[0];
  const rows = t.predictions.filter((p) => p.experiment === "in-distribution");
  assert.equal(rows.length, observations.filter((o) => o.task === "arithmetic").length, "one prediction per observation of the task");
  assert.deepEqual(rows.map((p) => p.predicted), inDist.fit!.fitted, "the kernel's predictions at the fitted points");
  for (const p of rows) assert.equal(p.residual, p.observed - p.predicted);
  const all = inDist.splits.find((s) => s.name === "all")!;
  const mae = rows.reduce((s, p) => s + Math.abs(p.residual), 0) / rows.length;
  assert.ok(Math.abs(mae - all.errors!.mae) < 1e-12, `MAE from the residuals ${mae} vs ${all.errors!.mae}`);
  assert.deepEqual(t.fits.filter((f) => f.experiment === "in-distribution").map((f) => [f.param, f.value]), inDist.fit!.paramNames.map((p) => [p, inDist.fit!.params[p]]));
  assert.equal(t.errors.filter((e) => e.experiment === "in-distribution").length, inDist.splits.length);
  // A fit refused for one compute level (compute-holdout) predicts only its fitted rows, and its held-out errors stay empty.
  const holdout = results[1];
  for (const f of holdout.fits.filter((x) => x.refused)) {
    const preds = t.predictions.filter((p) => p.experiment === "compute-holdout" && p.fit === f.label);
    assert.equal(preds.length, f.nFit);
    assert.ok(preds.every((p) => p.fitted));
  }
  assert.ok(t.errors.some((e) => e.experiment === "compute-holdout" && e.mae === null), "not computable stays null");
  assert.ok(t.curves.length > 0 && t.curves.every((c) => Number.isFinite(c.predicted)));
});
