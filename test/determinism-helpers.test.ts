// The small pieces that keep numbers identical across engines and checkable across time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { firstDifference } from "../src/lib/diff.js";
import { LEVEL_FACTOR, computeLevels } from "../src/lib/identifiability.js";
import { bandGrid } from "../src/lib/run.js";
import { sharedKernel } from "./helpers/fixtures.js";

test("firstDifference names the first differing path, and null when identical", () => {
  const a = { fits: [{ params: { alpha: 0.25, beta: [1, 2] } }], note: "x" };
  assert.equal(firstDifference(a, structuredClone(a)), null);
  assert.equal(firstDifference(a, { fits: [{ params: { alpha: 0.25000000000000006, beta: [1, 2] } }], note: "x" }), "fits[0].params.alpha: baked 0.25, rerun 0.25000000000000006");
  assert.equal(firstDifference(a, { ...a, note: "y" }, "r"), 'r.note: baked "x", rerun "y"');
  assert.match(firstDifference(a, { fits: [] })!, /^fits\[0\]: baked \{/);
  // Both sides as JSON carries them: an undefined field equals a missing one.
  assert.equal(firstDifference({ x: 1 }, { x: 1, y: undefined }), null);
});

test("compute levels use the kernel's 2.3 % threshold, without logarithms", async () => {
  const k = await sharedKernel();
  assert.equal(LEVEL_FACTOR, k.exp10(k.minComputeSpread));
  assert.deepEqual(computeLevels([{ compute_flops: 1e23 }, { compute_flops: 1.02e23 }, { compute_flops: 2e23 }]), [1e23, 2e23]);
});

test("the band grid comes from the kernel's own log10 and 10^x", async () => {
  const k = await sharedKernel();
  const g = bandGrid(k, 8192);
  assert.equal(g.length, 202);
  assert.equal(g[0], k.exp10(k.log10(40)));
  assert.ok(g.includes(8184) && g.includes(8200));
  assert.ok(g.every((x, i) => i === 0 || x > g[i - 1]));
});
