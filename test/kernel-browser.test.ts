// Determinism across engines: the same data and seed give bit-identical fits and bootstrap
// intervals in Node and in headless Chromium, because every transcendental function the
// kernel uses (exp, expm1, log10, pow) is compiled into the .wasm rather than taken from the
// host's Math. Needs Debian's chromium (.ci/run installs it).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel } from "./helpers/fixtures.js";
import { openWorkloadPage, type Harness } from "../scripts/bench/browser-harness.js";
import { bootstrapWorkload } from "../scripts/bench/workload.js";
import type { FitPoint } from "../src/lib/kernel.js";

let harness: Harness | undefined;
after(() => harness?.close());

for (const task of ["arithmetic", "translation"]) {
  test(`${task}: Node and Chromium give identical parameters and intervals`, async () => {
    harness ??= await openWorkloadPage();
    const points: FitPoint[] = taskRows(task).map(({ compute_flops, n_pmt, n_ctx, score }) => ({ compute_flops, n_pmt, n_ctx, score }));
    const inBrowser = await harness.page.evaluate(([p]) => window.runWorkload(p, 300, 11, 0), [points] as const);
    const inNode = bootstrapWorkload(await sharedKernel(), points, 300, 11);
    assert.deepEqual(inBrowser.params, inNode.params);
    assert.deepEqual(inBrowser.intervals, inNode.intervals);
    assert.deepEqual(harness.outside, [], "no request may leave 127.0.0.1");
  });
}
