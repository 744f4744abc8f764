// Weighted least squares (src/lib/weights.ts, the kernel's weight input): the default stays the
// paper's unweighted fit bit for bit, weights of 1 change nothing, the bootstrap multiplies its
// counts by the weights, and binomial weights without counts are refused naming the column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT, sharedKernel, taskRows } from "./helpers/fixtures.js";
import { fitWeighted, binomialWeights } from "../src/lib/weights.js";
import { FitError } from "../src/lib/kernel.js";
import { parseObservationsCsv, serializeObservationsCsv } from "../src/lib/observations.js";
import { plan } from "../src/lib/experiments.js";
import { runExperiment } from "../src/lib/run.js";

const fitCli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8" });

test("weights of 1 with σ² estimated reproduce the unweighted fit and bootstrap exactly", async () => {
  const kernel = await sharedKernel();
  const rows = taskRows("arithmetic");
  const plain = kernel.fit("full", rows, { seed: 3 });
  const ones = kernel.fit("full", rows, { seed: 3, weights: rows.map(() => 1) });
  const { weighting, ...rest } = ones;
  assert.deepEqual(rest, plain);
  assert.equal(weighting?.scale, "estimated");
  assert.deepEqual(fitWeighted(kernel, "full", rows, "none", { seed: 3 }).fit, plain);
  const a = kernel.bootstrap(plain, rows, { resamples: 20, seed: 3 });
  const b = kernel.bootstrap(ones, rows, { resamples: 20, seed: 3, weights: rows.map(() => 1) });
  assert.deepEqual(b, a);
});

test("the bootstrap of a weighted fit needs its weights, and uses them", async () => {
  const kernel = await sharedKernel();
  const rows = taskRows("common_sense").map((r) => ({ ...r, n_instances: 800 }));
  const { fit, weights } = fitWeighted(kernel, "full", rows, "binomial", { seed: 1 });
  assert.ok(weights && fit.weighting?.scale === "known" && fit.weighting.sigma2 === 1);
  assert.throws(() => kernel.bootstrap(fit, rows, { resamples: 5 }), (e: unknown) => e instanceof FitError && e.code === "bad-weights");
  const weighted = kernel.bootstrap(fit, rows, { resamples: 20, seed: 1, weights });
  const unweighted = kernel.bootstrap(fit, rows, { resamples: 20, seed: 1, weights: rows.map(() => 1) });
  assert.notDeepEqual(weighted.params, unweighted.params);
});

test("binomial weights: half an instance keeps p away from 0 and 1; no count is refused", () => {
  const pt = { compute_flops: 1e22, n_pmt: 100, n_ctx: 4096, score: 0 };
  const [w0, wHalf] = binomialWeights([{ ...pt, n_instances: 800 }, { ...pt, n_instances: 800 }], [0, 0.5]);
  assert.ok(Number.isFinite(w0) && w0 > 0);
  assert.ok(Math.abs(wHalf - 800 / 0.25) / (800 / 0.25) < 1e-5);
  assert.throws(() => binomialWeights([pt], [0.3]), /column n_instances.*point 1/);
});

test("n_instances is an optional column: tables without it keep their shape and columns", () => {
  const rows = parseObservationsCsv(readFileSync(`${ROOT}data/observations.csv`, "utf8"), "data/observations.csv");
  assert.ok(rows.every((r) => !("n_instances" in r)));
  assert.ok(!serializeObservationsCsv(rows).split("\n")[0].includes("n_instances"));
  const counted = rows.map((r) => ({ ...r, n_instances: 800 }));
  assert.deepEqual(parseObservationsCsv(serializeObservationsCsv(counted), "x.csv"), counted);
});

test("fit --weights binomial on data without counts exits 2 naming the column; with counts it fits", () => {
  const r = fitCli(["--weights", "binomial", "--experiment", "in-distribution", "--task", "arithmetic", "--resamples", "0"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\/observations\.csv has no n_instances column/);
  const bad = fitCli(["--weights", "poisson", "--resamples", "0"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown weights "poisson"; valid: none, binomial/);
  const dir = tempDir("weights-");
  const file = join(dir, "obs.csv");
  writeFileSync(file, serializeObservationsCsv(taskRows("arithmetic").map((o) => ({ ...o, n_instances: 800 }))));
  const ok = fitCli(["--weights", "binomial", "--experiment", "in-distribution", "--task", "arithmetic", "--resamples", "0", "--data", file, "--json"]);
  assert.equal(ok.status, 0, ok.stderr);
  const fit = JSON.parse(ok.stdout).results[0].fits[0];
  assert.equal(fit.fit.weighting.scale, "known");
  assert.equal(fit.weighting.weights, "binomial");
});

test("experiments run weighted through Settings, bootstrap included; unweighted settings keep their shape", async () => {
  const kernel = await sharedKernel();
  const rows = taskRows("common_sense").map((o) => ({ ...o, n_instances: 800 }));
  const plain = plan("in-distribution", "common_sense", { resamples: 0 }, rows);
  assert.ok(!("weights" in plain.settings));
  const r = runExperiment(kernel, plan("in-distribution", "common_sense", { resamples: 30, weights: "binomial" }, rows), rows);
  const f = r.fits[0];
  assert.equal(f.fit?.weighting?.scale, "known");
  assert.ok(f.weighting?.converged && f.weighting.reweights >= 1);
  assert.equal(f.uncertainty?.completed, 30);
  // without counts the experiment is refused outright, not silently run unweighted
  assert.throws(() => runExperiment(kernel, plan("in-distribution", "common_sense", { resamples: 0, weights: "binomial" }, taskRows("common_sense")), taskRows("common_sense")), /n_instances/);
});

test("a point of weight 0 is left out: the same fit and standard errors as without it", async () => {
  const kernel = await sharedKernel();
  const rows = taskRows("arithmetic");
  const without = kernel.fit("full", rows.slice(1), { seed: 2 });
  const zeroed = kernel.fit("full", rows, { seed: 2, weights: rows.map((_, i) => (i === 0 ? 0 : 1)) });
  assert.deepEqual(zeroed.params, without.params);
  assert.deepEqual(zeroed.se, without.se);
});
