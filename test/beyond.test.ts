// "Beyond the paper" (src/lib/beyond.ts): the hold-out schemes select what they say, the
// analysis recovers the law that generated synthetic data and names the failures planted in
// it, the conventions at the window's edge do what their comments claim, and on the other
// studies' real files (when present) the headline findings hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedKernel } from "./helpers/fixtures.js";
import type { Observation } from "../src/lib/types.js";
import type { NamedLaw } from "../src/lib/named-laws.js";
import {
  analyseGroup, analyseBeyond, beyondGroups, splitHoldOut, prepareRows, formatBeyond, EXTERNAL_STUDIES, INSIDE_MARGIN,
  BEYOND_LAWS, penaltyShapeWins, groupPlan, GROUP_FIT_LABELS, type FitGroup,
} from "../src/lib/beyond.js";
import { runExperiment } from "../src/lib/run.js";
import { PYTHIA_ARCHITECTURE, pythiaNonEmbeddingParams, pythiaTotalParams, pythiaModels, PYTHIA_TOKENS_PER_STEP } from "../src/lib/import/index.js";
import { locateExternal, loadExternal } from "../src/lib/node/import-files.js";
import { FIXED_COMPUTE_FORM } from "../src/lib/named-laws.js";

function obs(over: Partial<Observation>): Observation {
  return {
    task: "t", model: "m", base_model: "b", extension: "none", n_ctx: 8192, compute_flops: 1e23, shots: 0, n_pmt: 100, score: 0.5,
    metric: "accuracy", score_uncertainty: null, n_pmt_uncertainty_rel: null, paper_role: "fit", source: "synthetic", ...over,
  };
}

/** Rows whose scores are the law's own predictions (law, params), so the generating law must win. */
async function lawRows(variant: NamedLaw, params: Record<string, number>, rows: Observation[]): Promise<Observation[]> {
  const k = await sharedKernel();
  const y = k.predict(variant, params, rows);
  return rows.map((r, i) => ({ ...r, score: y[i]! }));
}

const LENGTHS = [40, 80, 160, 320, 640, 1280, 2560, 5120, 7000, 9000, 12000];

// ---------------------------------------------------------------------------------------------
// Compute facts

test("Pythia: the architecture reproduces every total parameter count of the external README; N is the non-embedding part", () => {
  for (const [size, a] of Object.entries(PYTHIA_ARCHITECTURE)) assert.equal(pythiaTotalParams(size), a.total, size);
  assert.equal(pythiaNonEmbeddingParams("160m"), 85_056_000);
  assert.equal(pythiaNonEmbeddingParams("12b"), 11_327_027_200);
  const m = pythiaModels().find((x) => x.model === "EleutherAI/pythia-1b-deduped@step65000")!;
  assert.equal(m.pretrain_tokens, 65000 * PYTHIA_TOKENS_PER_STEP);
  assert.ok(Math.abs(m.compute_flops / (6 * m.params_nonembed * m.pretrain_tokens) - 1) < 1e-4);
  assert.throws(() => pythiaNonEmbeddingParams("70m"), /unknown Pythia size "70m"/);
});

// ---------------------------------------------------------------------------------------------
// Hold-out schemes and conventions

test("longest-prompts holds out exactly the k longest prompts; largest-model every checkpoint of the largest size", () => {
  const rows = LENGTHS.map((n, i) => obs({ shots: i, n_pmt: n }));
  const { train, test: held } = splitHoldOut(rows, { kind: "longest-prompts", count: 2 });
  assert.deepEqual(held.map((r) => r.n_pmt), [9000, 12000]);
  assert.equal(train.length, LENGTHS.length - 2);
  const sizes = ["s", "m", "l"].flatMap((b, i) => [1, 2].map((step) => obs({ base_model: b, model: `${b}@${step}`, compute_flops: 10 ** (20 + i) * step })));
  // The smallest checkpoint of the largest size has less compute than the last of the middle one; still held out.
  const split = splitHoldOut(sizes, { kind: "largest-model" });
  assert.deepEqual(split.test.map((r) => r.model), ["l@1", "l@2"]);
  assert.equal(split.train.length, 4);
});

test("window-edge conventions: HELMET's at-the-limit inputs moved inside, Bertsch's overshooting estimates capped, originals untouched", () => {
  const helmet = [obs({ n_ctx: 8192, n_pmt: 8192 }), obs({ n_ctx: 8192, n_pmt: 16384 })];
  assert.deepEqual(prepareRows("helmet", helmet).map((r) => r.n_pmt), [8192 - INSIDE_MARGIN, 16384]);
  assert.equal(helmet[0]!.n_pmt, 8192);
  const bertsch = [
    obs({ model: "mistralai/Mistral-7B-Instruct-v0.2", n_ctx: 32768, n_pmt: 33540 }),
    obs({ model: "mistralai/Mistral-7B-v0.1", n_ctx: 8192, n_pmt: 12500 }), // run with 32,768: stays past its trained 8,192
    obs({ model: "mistralai/Mistral-7B-v0.1", n_ctx: 8192, n_pmt: 40000 }),
  ];
  assert.deepEqual(prepareRows("bertsch2024", bertsch).map((r) => r.n_pmt), [32768 - INSIDE_MARGIN, 12500, 32768 - INSIDE_MARGIN]);
  assert.deepEqual(prepareRows("pythia", helmet), helmet);
});

test("groups: per (model, task) on the context axis, per task pooled over sizes on the compute axis", () => {
  const rows = [obs({ model: "a", task: "x" }), obs({ model: "b", task: "x" }), obs({ model: "a", task: "y" })];
  assert.deepEqual(beyondGroups("helmet", rows).map((g) => g.id), ["a · x", "a · y", "b · x"]);
  assert.deepEqual(beyondGroups("pythia", rows).map((g) => [g.id, g.rows.length]), [["x", 2], ["y", 1]]);
});

// ---------------------------------------------------------------------------------------------
// The analysis on synthetic data

test("one model generated by the sharp law: fixed-compute predicts the held-out collapse, the other laws are fitted in their fixed-compute forms", async () => {
  const rows = await lawRows("fixed-compute", { compute_factor: 0.8, log10_n0: 2.5, beta: 0.7 }, LENGTHS.map((n, i) => obs({ shots: i, n_pmt: n })));
  const g: FitGroup = { study: "bertsch2024", id: "m · t", task: "t", rows, holdOut: { kind: "longest-prompts", count: 2 } };
  const r = analyseGroup(await sharedKernel(), g);
  assert.ok(r.best?.variants.includes("fixed-compute"), JSON.stringify(r.best));
  assert.ok(!r.best?.variants.includes("no-penalty"), "the collapse past n_ctx separates the penalty from none");
  assert.ok(r.best!.heldOutMae < 1e-3, String(r.best!.heldOutMae));
  // run.ts's rule: every law refused on one compute level is fitted in its fixed-compute form;
  // full's is the fixed-compute column itself, so full repeats that fit and is not ranked.
  const full = r.variants.find((x) => x.variant === "full")!;
  assert.equal(full.fittedAs, "fixed-compute");
  assert.deepEqual(full.heldOut, r.variants.find((x) => x.variant === "fixed-compute")!.heldOut);
  assert.ok(!r.best?.variants.includes("full"), "a repeated fit is not ranked");
  for (const v of ["soft-penalty", "additive", "no-penalty"] as const) {
    const out = r.variants.find((x) => x.variant === v)!;
    assert.equal(out.fittedAs, FIXED_COMPUTE_FORM[v], v);
    assert.ok(out.heldOut, v);
  }
  assert.deepEqual(r.failures, []);
  assert.equal(r.nPastContext, 2);
  assert.ok(r.penalty!.every((p) => p.ratio !== null && p.ratio < 0.01), JSON.stringify(r.penalty));
  assert.deepEqual(r.points.filter((p) => p.heldOut).map((p) => p.n_pmt), [9000, 12000]);
  assert.ok(r.points.every((p) => p.predicted !== null && Math.abs(p.predicted - p.score) < 1e-3));
});

test("planted failures are named: a fall inside the window, scores that survive past n_ctx, a large held-out error", async () => {
  const clean = await lawRows("fixed-compute", { compute_factor: 0.8, log10_n0: 2.5, beta: 0.7 }, LENGTHS.map((n, i) => obs({ shots: i, n_pmt: n })));
  const rows = clean.map((r) => (r.n_pmt === 5120 ? { ...r, score: r.score - 0.3 } : r.n_pmt > 8192 ? { ...r, score: 0.6 } : r));
  const r = analyseGroup(await sharedKernel(), { study: "bertsch2024", id: "m · t", task: "t", rows, holdOut: { kind: "longest-prompts", count: 2 } });
  // Scores that survive past n_ctx make a law that does not switch off there (soft or no
  // penalty, in its fixed-compute form) the best predictor of the held-out points, and still
  // not a good one. With two held-out points the paired comparison may not tell the two apart
  // (issue 18: no win without an interval that excludes 0), but it puts no other law with them.
  const winner = r.best!.variants[0]!;
  assert.ok(winner === "soft-penalty" || winner === "no-penalty", winner);
  assert.ok(r.best!.variants.every((v) => v === "soft-penalty" || v === "no-penalty"), JSON.stringify(r.best));
  assert.equal(r.variants.find((v) => v.variant === winner)!.fittedAs, FIXED_COMPUTE_FORM[winner]);
  const failures = r.failures.join("\n");
  // A held-out failure is named exactly when the best held-out MAE exceeds 0.05.
  assert.equal(r.failures.some((f) => f.startsWith("held-out MAE")), r.best!.heldOutMae > 0.05, failures);
  // From the best score at a shorter prompt (2,560 tokens) down to the planted dip.
  assert.match(failures, /inside the window the score falls by 0\.2\d\d \(0\.\d+ at 2560 tokens → 0\.\d+ at 5120\); the law's context factor can only rise/);
  assert.match(failures, /2 point\(s\) past n_ctx still score ≥ 0\.1 \(up to 0\.600/);
  // The empirical penalty shows the survival: observed / unpenalised well above the sharp law's 0.
  assert.ok(r.penalty!.every((p) => p.ratio! > 0.5), JSON.stringify(r.penalty));
});

test("several compute levels generated by the full law, penalty binding on the held-out model: full wins, fixed-compute cannot predict", async () => {
  const base: Observation[] = [];
  const sizes = [["s", 1e20], ["m", 1e21], ["l", 1e22]] as const;
  for (const [b, c] of sizes) for (const step of [1, 2, 4]) for (const n of [50, 200, 800, 3000, 6000, 9000]) {
    base.push(obs({ base_model: b, model: `${b}@${step}`, compute_flops: c * step, n_pmt: n, shots: n, n_ctx: 8192 }));
  }
  const rows = await lawRows("full", { log10_C0: 21, alpha: 0.4, log10_n0: 2.5, beta: 0.6 }, base);
  const r = analyseGroup(await sharedKernel(), { study: "pythia", id: "t", task: "t", rows, holdOut: { kind: "largest-model" } });
  assert.equal(r.computeLevels, 9);
  assert.ok(r.best!.variants.includes("full"), JSON.stringify(r.best));
  assert.ok(!r.best!.variants.includes("no-penalty"), "the points past n_ctx separate full from no-penalty");
  assert.ok(r.best!.heldOutMae < 1e-3);
  const fixed = r.variants.find((v) => v.variant === "fixed-compute")!;
  assert.equal(fixed.heldOut, null);
  assert.match(fixed.heldOutReason!, /another compute level/);
  assert.ok(fixed.all !== null, "fitted in-sample as a compute-blind baseline");
  for (const v of ["full", "soft-penalty", "additive", "no-penalty"]) assert.ok(r.variants.find((x) => x.variant === v)!.heldOut, v);
});

test("a group's fits are a plan of plain data that run.ts runs: the analysis's numbers are that run's", async () => {
  const kernel = await sharedKernel();
  const rows = await lawRows("fixed-compute", { compute_factor: 0.8, log10_n0: 2.5, beta: 0.7 }, LENGTHS.map((n, i) => obs({ shots: i, n_pmt: n })));
  const g: FitGroup = { study: "bertsch2024", id: "m · t", task: "t", rows, holdOut: { kind: "longest-prompts", count: 2 } };
  const plan = groupPlan(g);
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, "plain data");
  assert.deepEqual(plan.fits.find((f) => f.label === GROUP_FIT_LABELS.train("full"))!.fitOn, { n_pmt_below: 9000 });
  const run = runExperiment(kernel, plan, rows);
  const r = analyseGroup(kernel, g);
  for (const v of r.variants) {
    const train = run.fits.find((f) => f.label === GROUP_FIT_LABELS.train(v.variant))!;
    assert.deepEqual(train.splits[0]!.errors, v.heldOut, v.variant);
    assert.deepEqual(run.fits.find((f) => f.label === GROUP_FIT_LABELS.all(v.variant))!.fit?.params, v.all?.params, v.variant);
  }
  const shapes = r.penaltyShapes!;
  for (const s of shapes) assert.equal(run.fits.find((f) => f.label === GROUP_FIT_LABELS.shapeInside(s.penalty))!.splits[0]!.errors?.mae, s.inside?.maePast);
});

test("run.ts: on one compute level a law refused for too few points is fitted in its fixed-compute form (the rows decide, not the kernel's first refusal)", async () => {
  const kernel = await sharedKernel();
  // Six points: soft-penalty (6 parameters) needs 7, its fixed-compute form (5) needs 6.
  const rows = await lawRows("fixed-compute", { compute_factor: 0.8, log10_n0: 2.5, beta: 0.7 }, LENGTHS.slice(0, 6).map((n, i) => obs({ shots: i, n_pmt: n })));
  const settings = { seed: 1, variant: "full", threshold: 0, restarts: 2, resamples: 0, scheme: "observations" } as const;
  const fit = (variant: NamedLaw, on = rows) => runExperiment(kernel, { experiment: "t", title: "t", question: "t", task: "t", settings, fits: [{ label: "x", variant, fitOn: {}, evaluate: [{ name: "all", on: {} }] }], comparisons: [], curveModels: [], missing: [] }, on).fits[0]!;
  const soft = fit("soft-penalty");
  assert.equal(soft.refused?.code, "too-few-points");
  assert.equal(soft.refused?.fallback, FIXED_COMPUTE_FORM["soft-penalty"]);
  assert.equal(soft.fit?.variant, FIXED_COMPUTE_FORM["soft-penalty"]);
  // Five points: the fixed-compute form is refused too, and both reasons are kept; nothing is fitted.
  const five = fit("soft-penalty", rows.slice(0, 5));
  assert.equal(five.fit, null);
  assert.equal(five.refused?.fallback, null);
  assert.equal(five.refused?.fallbackRefused?.law, FIXED_COMPUTE_FORM["soft-penalty"]);
  assert.match(five.refused!.fallbackRefused!.message, /needs at least 6 observations; got 5/);
  assert.equal(five.splits[0]!.errors, null);
});

// ---------------------------------------------------------------------------------------------
// The other studies' real files

const EXTERNAL = locateExternal();

test("real data: the law on Bertsch et al., HELMET and Pythia", { skip: EXTERNAL ? false : "the other studies' files are not in ../shared/external" }, async () => {
  const data = loadExternal(EXTERNAL!);
  assert.deepEqual(data.map((d) => d.study), ["bertsch2024", "helmet", "pythia"]);
  const r = analyseBeyond(await sharedKernel(), data);
  const groups = (s: string) => r.groups.filter((g) => g.study === s);
  assert.equal(groups("bertsch2024").length, 28);
  assert.equal(groups("helmet").length, 64);
  assert.equal(groups("pythia").length, 2);
  // Placeholder compute never reaches a compute-factor fit: every context-axis group is one level.
  for (const g of [...groups("bertsch2024"), ...groups("helmet")]) {
    assert.equal(g.computeLevels, 1, g.id);
    // full is refused there and fitted as fixed-compute (run.ts's rule): the same fit as that column, never ranked.
    const full = g.variants.find((x) => x.variant === "full")!;
    assert.equal(full.fittedAs, "fixed-compute", `${g.id} full`);
    assert.deepEqual(full.all, g.variants.find((x) => x.variant === "fixed-compute")!.all, `${g.id} full`);
    assert.ok(!g.best?.variants.includes("full"), `${g.id} full ranked`);
    for (const v of g.variants.filter((x) => !["full", "fixed-compute"].includes(x.variant)))
      assert.equal(v.fittedAs, FIXED_COMPUTE_FORM[v.variant], `${g.id} ${v.variant}`);
  }
  // Mistral-7B-v0.1 past its 8,192-token training length (nlu): about half the unpenalised
  // score at 1.5× n_ctx, nothing from 2× on: a collapse, but softer and later than the step.
  const nlu = r.groups.find((g) => g.id === "mistralai/Mistral-7B-v0.1 · nlu")!;
  const ratio = (x: number) => nlu.penalty!.find((p) => Math.abs(p.n_pmt / p.n_ctx - x) < 0.05)!.ratio!;
  assert.ok(ratio(1.53) > 0.2 && ratio(1.53) < 0.7, String(ratio(1.53)));
  assert.ok(ratio(2.29) < 0.05);
  assert.ok(nlu.failures.some((f) => f.includes("past n_ctx still score")));
  // Pythia: every compute-factor law predicts the held-out 12B model.
  for (const g of groups("pythia")) {
    for (const v of BEYOND_LAWS.filter((x) => x !== "fixed-compute")) assert.ok(g.variants.find((x) => x.variant === v)!.heldOut, `${g.id} ${v}`);
    assert.equal(g.holdOut.test, 30);
  }
  const text = formatBeyond(r);
  for (const s of EXTERNAL_STUDIES) assert.ok(text.includes(s.citation) && text.includes(s.licence), s.id);
  assert.match(text, /full\* is then the fixed-C fit again and is not ranked/);
});

test("step vs soft vs decay: on points simulated with a decay past n_ctx, the decay fits them best, and groups with nothing past n_ctx get no comparison", async () => {
  const kernel = await sharedKernel();
  const lengths = [200, 400, 800, 1600, 3200, 6400, 8000, 10000, 12000, 14000, 16000];
  const rows = await lawRows("fixed-compute-decay", { compute_factor: 0.9, log10_n0: 2.5, beta: 0.8, log10_decay_rate: 0.3 }, lengths.map((n, i) => obs({ shots: i, n_pmt: n })));
  const g = analyseGroup(kernel, { study: "bertsch2024", id: "synthetic", task: "t", rows, holdOut: { kind: "longest-prompts", count: 2 } }, { restarts: 2 });
  const by = (p: string) => g.penaltyShapes!.find((s) => s.penalty === p)!;
  assert.equal(by("decay").law, "fixed-compute-decay");
  assert.ok(by("decay").all!.mae < 1e-6, `decay in-sample MAE ${by("decay").all!.mae}`);
  assert.ok(by("step").all!.maePast > 0.1, `step past n_ctx ${by("step").all!.maePast}`);
  assert.ok(Math.abs(by("decay").all!.params.log10_decay_rate! - 0.3) < 1e-3);
  // Fitted inside the window, nothing determines the rate.
  assert.ok(by("decay").inside!.undetermined.includes("log10_decay_rate"));
  const inside = analyseGroup(kernel, { study: "bertsch2024", id: "inside", task: "t", rows: rows.filter((r) => r.n_pmt <= r.n_ctx), holdOut: { kind: "longest-prompts", count: 2 } }, { restarts: 1 });
  assert.equal(inside.penaltyShapes, null);
  // In-sample, the paired comparison decides decay over step (the data follow the decay exactly).
  const stepVsDecay = g.penaltyRankings!.all!.contrasts.find((c) => c.a.startsWith("step") && c.b.startsWith("decay"));
  assert.equal(g.penaltyRankings!.all!.best[0], "decay");
  assert.equal(stepVsDecay?.verdict, "b", JSON.stringify(stepVsDecay));
  assert.match(formatBeyond({ settings: { seed: 1, restarts: 2, variants: BEYOND_LAWS, failMae: 0.05, resamples: 200, level: 0.95 }, studies: [{ study: EXTERNAL_STUDIES[0]!, groups: 1, points: rows.length, pastContext: 4, medianHeldOutMae: null, withinFivePoints: 0, withHeldOut: 0, wins: {}, cannotTell: 0, penaltyShapeWins: penaltyShapeWins([g]), notes: [] }], groups: [{ ...g, study: EXTERNAL_STUDIES[0]!.id }] }), /step vs soft vs decay[^]*\(b\) step 0, soft \d, decay \d; cannot tell \d/);
  assert.deepEqual(penaltyShapeWins([g, inside]).groups, 1);
});
