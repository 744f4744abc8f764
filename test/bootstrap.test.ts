// The bootstrap's contract: reproducible from its seed, cancellable between refits without
// harming the kernel, honest about resamples it had to drop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel } from "./helpers/fixtures.js";
import { FitError } from "../src/lib/kernel.js";
import { loadKernel } from "../src/lib/node/load-kernel.js";
import { parameterIntervals, percentileInterval, quantileSorted } from "../src/lib/intervals.js";

test("same seed, same samples; another seed, other samples", async () => {
  const k = await sharedKernel();
  const rows = taskRows("translation");
  const fit = k.fit("full", rows);
  const a = k.bootstrap(fit, rows, { resamples: 100, seed: 5 });
  const b = k.bootstrap(fit, rows, { resamples: 100, seed: 5 });
  const c = k.bootstrap(fit, rows, { resamples: 100, seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.params, c.params);
});

test("a fit from JSON and a fresh kernel instance give the same samples (no state carried between calls)", async () => {
  const k = await sharedKernel();
  const rows = taskRows("common_sense");
  const fit = k.fit("full", rows);
  const here = k.bootstrap(fit, rows, { resamples: 30 });
  const fresh = await loadKernel();
  const there = fresh.bootstrap(JSON.parse(JSON.stringify(fit)), rows, { resamples: 30 });
  assert.deepEqual(there, here);
  assert.ok(here.params.every((row) => row.some((v) => v !== 0)));
});

test("cancel stops after the refit in progress and the kernel stays usable", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  const fit = k.fit("full", rows);
  const seen: number[] = [];
  const s = k.bootstrap(fit, rows, { resamples: 1000, onProgress: (done) => (seen.push(done), done >= 10) });
  assert.equal(s.completed, 10);
  assert.equal(s.cancelled, true);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(k.fit("full", rows), fit, "a fit after a cancelled bootstrap is unchanged");
  const again = k.bootstrap(fit, rows, { resamples: 10 });
  assert.equal(again.completed, 10);
});

test("resampling whole models drops the resamples that hold one model size, and says how many", async () => {
  const k = await sharedKernel();
  const rows = taskRows("common_sense");
  const fit = k.fit("full", rows);
  const s = k.bootstrap(fit, rows, { resamples: 400, scheme: "models" }, rows.map((r) => r.model));
  // 4 models, 2 per size: P(all four draws from one size) = 2 · (1/2)^4 = 1/8.
  assert.ok(s.dropped > 400 / 8 - 25 && s.dropped < 400 / 8 + 25, `dropped ${s.dropped}`);
  assert.equal(s.params.length + s.dropped, 400);
});

test("the warm start agrees with a full global search on the data itself", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  const fit = k.fit("full", rows);
  const s = k.bootstrap(fit, rows, { resamples: 50, globalEvery: 1 });
  assert.equal(s.globalImprovements, 0, "no resample needed the global search: the warm start is safe here");
});

test("intervals contain the full fit and shrink with the level", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  const fit = k.fit("full", rows);
  const s = k.bootstrap(fit, rows, { resamples: 300 });
  const wide = parameterIntervals(s, 0.95);
  const narrow = parameterIntervals(s, 0.5);
  for (const name of fit.paramNames) {
    assert.ok(wide[name][0] <= fit.params[name] && fit.params[name] <= wide[name][1], name);
    assert.ok(narrow[name][0] >= wide[name][0] && narrow[name][1] <= wide[name][1], name);
  }
});

test("bad bootstrap requests are refused", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  const fit = k.fit("full", rows);
  assert.throws(() => k.bootstrap(fit, rows, { resamples: 0 }), (e: unknown) => e instanceof FitError && e.code === "bad-resamples");
  assert.throws(() => k.bootstrap(fit, rows, { scheme: "models" }), (e: unknown) => e instanceof FitError && e.code === "bad-clusters");
  assert.throws(() => k.bootstrap(fit, rows, { scheme: "models" }, rows.map(() => "one")), /at least 2 models/);
});

test("quantiles interpolate between order statistics", () => {
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  assert.deepEqual(percentileInterval([5, 1, 4, 2, 3], 0.5), [2, 4]);
});
