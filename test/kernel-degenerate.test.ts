// Degenerate input is refused with a typed error and a message a person can act on; nothing
// ever comes back as NaN.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel } from "./helpers/fixtures.js";
import { FitError, type FitPoint } from "../src/lib/kernel.js";

const rows = (): FitPoint[] => taskRows("arithmetic").map(({ compute_flops, n_pmt, n_ctx, score }) => ({ compute_flops, n_pmt, n_ctx, score }));

async function refused(points: FitPoint[], code: string, message: RegExp, variant: "full" | "context-blind" = "full") {
  const k = await sharedKernel();
  assert.throws(
    () => k.fit(variant, points),
    (err: unknown) => err instanceof FitError && err.code === code && message.test(err.message),
  );
}

test("fewer points than parameters", () => refused(rows().slice(0, 3), "too-few-points", /4 parameters and needs at least 5 observations; got 3/));

test("all scores 0", () => refused(rows().map((p) => ({ ...p, score: 0 })), "all-zero", /every score is 0/));

test("one compute level", () =>
  refused(rows().map((p) => ({ ...p, compute_flops: 7.7723e22 })), "one-compute-level", /α is not identifiable/));

test("one compute level also for the context-blind law", () =>
  refused(rows().map((p) => ({ ...p, compute_flops: 1e23 })), "one-compute-level", /α/, "context-blind"));

test("NaN score names the point", () => {
  const pts = rows();
  pts[4] = { ...pts[4], score: NaN };
  return refused(pts, "not-finite", /point 5/);
});

test("infinite compute", () => {
  const pts = rows();
  pts[0] = { ...pts[0], compute_flops: Infinity };
  return refused(pts, "not-finite", /point 1/);
});

test("negative compute, prompt length or score", async () => {
  for (const field of ["compute_flops", "n_pmt", "n_ctx", "score"] as const) {
    const pts = rows();
    pts[2] = { ...pts[2], [field]: -1 };
    await refused(pts, "out-of-range", /point 3/);
  }
});

test("score above 1 (a percentage given as 0–100)", () => refused(rows().map((p) => ({ ...p, score: p.score * 100 })), "out-of-range", /within \[0, 1\]/));

test("inverted bounds", async () => {
  const k = await sharedKernel();
  assert.throws(() => k.fit("full", rows(), { bounds: { alpha: [2, 1] } }), (e: unknown) => e instanceof FitError && e.code === "bad-bounds");
});

test("bad seed", async () => {
  const k = await sharedKernel();
  assert.throws(() => k.fit("full", rows(), { seed: -1 }), (e: unknown) => e instanceof FitError && e.code === "bad-seed");
  assert.throws(() => k.fit("full", rows(), { seed: 1.5 }), (e: unknown) => e instanceof FitError && e.code === "bad-seed");
});

test("unknown variant", async () => {
  const k = await sharedKernel();
  assert.throws(() => k.fit("quadratic" as never, rows()), (e: unknown) => e instanceof FitError && e.code === "unknown-variant" && /full, no-penalty/.test(e.message));
});

test("valid but uninformative data give finite parameters and say what is undetermined", async () => {
  const k = await sharedKernel();
  // Constant scores: the context factor is flat, its parameters are not determined by the data.
  const flat = rows().map((p) => ({ ...p, n_ctx: 1e9, score: p.compute_flops > 1e23 ? 0.2 : 0.1 }));
  const fit = k.fit("full", flat);
  for (const v of Object.values(fit.params)) assert.ok(Number.isFinite(v));
  for (const v of Object.values(fit.se)) assert.ok(v === null || Number.isFinite(v));
  assert.ok(Number.isFinite(fit.sse) && Number.isFinite(fit.mae));
  assert.ok(fit.undetermined.length > 0, "a flat context factor leaves log10_n0 or beta undetermined");
});

test("the kernel recovers after a refused input", async () => {
  const k = await sharedKernel();
  const before = k.fit("full", rows());
  assert.throws(() => k.fit("full", rows().slice(0, 2)));
  assert.deepEqual(k.fit("full", rows()), before);
});
