// Degenerate input is refused with a typed error and a message a person can act on; nothing
// ever comes back as NaN.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel } from "./helpers/fixtures.js";
import { FitError, type FitPoint } from "../src/lib/kernel.js";
import type { Law } from "../src/lib/named-laws.js";

const rows = (): FitPoint[] => taskRows("arithmetic").map(({ compute_flops, n_pmt, n_ctx, score }) => ({ compute_flops, n_pmt, n_ctx, score }));

async function refused(points: FitPoint[], code: string, message: RegExp, variant: Law = "full") {
  const k = await sharedKernel();
  assert.throws(
    () => k.fit(variant, points),
    (err: unknown) => err instanceof FitError && err.code === code && message.test(err.message),
  );
}

test("fewer points than parameters", () => refused(rows().slice(0, 3), "too-few-points", /4 parameters and needs at least 5 observations; got 3/));

test("all scores 0", () => refused(rows().map((p) => ({ ...p, score: 0 })), "all-zero", /every score is 0/));

// Data the kernel accepts that still determine nothing (issue 18): refused like all scores 0,
// for the laws where the kernel alone reports every parameter undetermined and for those where
// it does not (a fitted floor, the decay, a fixed compute factor on its bound).
test("all scores 1 is refused (constant-score), whatever the law", async () => {
  for (const law of ["full", "decay-penalty", "fixed-compute", "context-blind-fitted-floor"] as const) {
    await refused(rows().map((p) => ({ ...p, score: 1 })), "constant-score", /every score is 1: the task is saturated/, law);
  }
});

test("a constant score is refused (constant-score), naming the value", async () => {
  for (const law of ["full", "context-blind"] as const) await refused(rows().map((p) => ({ ...p, score: 0.5 })), "constant-score", /every score is 0\.5: the scores do not vary/, law);
});

test("every point past n_ctx is refused for a law with the step penalty (past-context), not for a fitted penalty", async () => {
  // far past (the kernel alone finds every parameter undetermined) and 40 tokens past (it does not)
  const k = await sharedKernel();
  for (const past of [(p: FitPoint) => 2 * p.n_ctx, (p: FitPoint) => p.n_ctx + 40]) {
    const pts = rows().map((p) => ({ ...p, n_pmt: past(p) }));
    for (const law of ["full", "additive", "fixed-compute"] as const) await refused(pts, "past-context", /every point lies past its model's context window .*penalty=soft or penalty=decay/, law);
    assert.ok(Number.isFinite(k.fit("decay-penalty", pts).sse), "a fitted penalty can fit them");
  }
  // One point inside the window (n_pmt = n_ctx) lifts the rule; one point cannot determine the
  // law either, which the net below finds after the fit.
  const pts = rows().map((p, i) => ({ ...p, n_pmt: i === 0 ? p.n_ctx : 2 * p.n_ctx }));
  assert.throws(() => k.fit("full", pts), (e: unknown) => e instanceof FitError && e.code === "undetermined");
});

test("a fit that determines none of its parameters is refused (undetermined)", async () => {
  // Inside the window every score is 1, past it 0: the step explains the zeros whatever the
  // parameters, and any saturating factors the ones. No data rule applies; the fit finds nothing.
  const pts: FitPoint[] = [
    { compute_flops: 1e22, n_ctx: 4096, n_pmt: 1000, score: 1 },
    { compute_flops: 1e23, n_ctx: 4096, n_pmt: 2000, score: 1 },
    { compute_flops: 1e22, n_ctx: 4096, n_pmt: 8000, score: 0 },
    { compute_flops: 1e23, n_ctx: 4096, n_pmt: 16000, score: 0 },
    { compute_flops: 1e23, n_ctx: 4096, n_pmt: 32000, score: 0 },
  ];
  for (const law of ["full", "additive"] as const) await refused(pts, "undetermined", /none of the 4 parameters of .* is determined by these data/, law);
  // A law that determines some of them is returned, with the rest listed.
  const fit = (await sharedKernel()).fit("no-penalty", pts);
  assert.ok(fit.undetermined.length > 0 && fit.undetermined.length < fit.paramNames.length, fit.undetermined.join(", "));
});

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
