// Determinism: a fit is a pure function of (data, law, seed, settings). The same seed gives
// bit-identical results, also from a fresh kernel instance; different seeds reach the same optimum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel } from "./helpers/fixtures.js";
import { loadKernel } from "../src/lib/node/load-kernel.js";
import { NAMED_LAWS, type NamedLaw } from "../src/lib/named-laws.js";
import { TASKS } from "../src/lib/types.js";

// The laws with a compute factor; the fixed-compute forms are for one compute level (below).
const FITTED: NamedLaw[] = NAMED_LAWS.filter((v) => !v.startsWith("fixed-compute"));

test("same data and seed give identical results, across calls and kernel instances", async () => {
  const a = await sharedKernel();
  const rows = taskRows("arithmetic");
  const first = a.fit("full", rows, { seed: 7 });
  a.fit("soft-penalty", taskRows("translation"), { seed: 3 }); // unrelated work in between
  const again = a.fit("full", rows, { seed: 7 });
  const fresh = (await loadKernel()).fit("full", rows, { seed: 7 });
  assert.deepEqual(again, first);
  assert.deepEqual(fresh, first);
});

test("a different seed takes a different path (the seed is really used)", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  assert.notEqual(k.fit("full", rows, { seed: 1 }).evaluations, k.fit("full", rows, { seed: 2 }).evaluations);
});

for (const task of TASKS) {
  for (const variant of FITTED) {
    // One global search suffices except for the additive law, whose loss has a second basin
    // that a single search (SciPy's too) reaches for ~30 % of seeds; the experiments use 4.
    const restarts = variant === "additive" ? 4 : 1;
    test(`${task} / ${variant}: ten seeds reach the same optimum (restarts ${restarts})`, async () => {
      const k = await sharedKernel();
      const rows = taskRows(task);
      const sses = Array.from({ length: 10 }, (_, s) => k.fit(variant, rows, { seed: s + 1, restarts }).sse);
      const best = Math.min(...sses);
      for (const [i, s] of sses.entries()) assert.ok(s <= best * (1 + 1e-9), `seed ${i + 1}: SSE ${s} vs best ${best}`);
    });
  }
}

test("popsize: the default is SciPy's 15; another size takes another path; a bad one is refused", async () => {
  const k = await sharedKernel();
  const rows = taskRows("arithmetic");
  assert.equal(k.defaultPopsize, 15);
  assert.deepEqual(k.fit("full", rows, { seed: 3, popsize: 15 }), k.fit("full", rows, { seed: 3 }));
  const small = k.fit("full", rows, { seed: 3, popsize: 8 });
  assert.notEqual(small.evaluations, k.fit("full", rows, { seed: 3 }).evaluations);
  // One member per parameter is below SciPy's floor of five members: five are used.
  assert.ok(Number.isFinite(k.fit("full", rows, { seed: 3, popsize: 1 }).sse));
  for (const bad of [0, k.maxPopsize + 1, 7.5, Number.NaN])
    assert.throws(() => k.fit("full", rows, { popsize: bad }), (e: any) => e.code === "bad-popsize" && /popsize must be a whole number from 1 to \d+/.test(e.message), `popsize ${bad}`);
});
