// `npm run fit -- --plan FILE.json`: a plan given as plain data (the shape of a page's plan
// cell, src/write-your-own-ablation.md) is fitted from the command line with the numbers the
// library computes for it, and a bad plan is refused before any fit, naming file and field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT, bundledObservations, sharedKernel } from "./helpers/fixtures.js";
import { runExperiment } from "../src/lib/run.js";
import { DEFAULT_SETTINGS, type ExperimentPlan } from "../src/lib/experiments.js";
import { firstDifference } from "../src/lib/diff.js";
import { planProblems } from "../src/lib/plan-check.js";

const dir = tempDir("plan-file-");
const fit = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });

const fitted = ["Yarn-Llama-2-7b-8k", "Yarn-Llama-2-13b-8k"];
const heldOut = ["Yarn-Llama-2-7b-128k", "Yarn-Llama-2-13b-128k"];
/** The plan of the "Write your own ablation" page for one task, as its plan cell builds it. */
const pagePlan = (task: string): ExperimentPlan => ({
  experiment: "write-your-own-ablation",
  title: "The paper's law against the soft penalty, from 8k to 128k",
  question: "Fitted on the 8k models only, which law predicts the 128k models?",
  task,
  settings: { ...DEFAULT_SETTINGS, resamples: 20 },
  fits: ["full", "soft-penalty"].map((variant) => ({
    label: variant, variant, fitOn: { models: fitted },
    evaluate: [{ name: "128k models (held out)", on: { models: heldOut } }, { name: "128k, n_pmt > 8192", on: { models: heldOut, n_pmt_at_least: 8193 } }],
  })),
  comparisons: [],
  curveModels: [...fitted, ...heldOut],
  missing: ["The paper reports no such ablation."],
});

test("--plan fits the plans of a JSON file: the numbers runExperiment computes for them", async () => {
  const plans = [pagePlan("arithmetic"), pagePlan("translation")];
  const file = join(dir, "plans.json");
  writeFileSync(file, JSON.stringify(plans));
  const out = fit(["--plan", file, "--json"]);
  assert.equal(out.status, 0, out.stderr);
  const { results } = JSON.parse(out.stdout);
  const kernel = await sharedKernel();
  const obs = bundledObservations();
  assert.equal(results.length, 2);
  plans.forEach((p, i) => {
    const expected = JSON.parse(JSON.stringify(runExperiment(kernel, p, obs)));
    assert.equal(firstDifference(expected, results[i], p.task, "--plan"), null);
  });
  // As text: the same tables as any experiment, under the plan's title.
  const text = fit(["--plan", file]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /== The paper's law against the soft penalty, from 8k to 128k · arithmetic/);
  assert.match(text.stdout, /plan .*plans\.json/);
});

test("--plan: one plan (not a list) with settings left out runs with the default settings", () => {
  const { settings: _s, ...bare } = pagePlan("arithmetic");
  const file = join(dir, "one.json");
  writeFileSync(file, JSON.stringify({ ...bare, settings: { resamples: 0 } }));
  const out = fit(["--plan", file, "--json"]);
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout).results[0].plan.settings, { ...DEFAULT_SETTINGS, resamples: 0 });
});

test("--plan: a bad plan is refused with exit 2, every problem naming the file and the field", () => {
  const bad = { ...pagePlan("arithmetc"), fits: [{ label: "a", variant: "fulll", fitOn: { model: ["x"] }, evaluate: [{ name: "s", on: { n_pmt_below: "10" } }] }] };
  const file = join(dir, "bad.json");
  writeFileSync(file, JSON.stringify([bad]));
  const out = fit(["--plan", file]);
  assert.equal(out.status, 2);
  assert.equal(out.stdout, "");
  assert.match(out.stderr, /bad\.json: plans\[0\]\.task: "arithmetc" is not a task of the data/);
  assert.match(out.stderr, /bad\.json: plans\[0\]\.fits\[0\]\.variant: unknown law "fulll"/);
  assert.match(out.stderr, /bad\.json: plans\[0\]\.fits\[0\]\.fitOn\.model: not a selection key; valid: models,/);
  assert.match(out.stderr, /bad\.json: plans\[0\]\.fits\[0\]\.evaluate\[0\]\.on\.n_pmt_below: must be a number of tokens, got "10"/);
  writeFileSync(file, "{ not json");
  const broken = fit(["--plan", file]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /bad\.json: not JSON/);
  assert.equal(fit(["--plan", file, "--experiment", "figure-1"]).status, 2);
});

test("planProblems: a plan from the library passes; labels must differ and comparisons name a fit", () => {
  const tasks = ["arithmetic"];
  assert.deepEqual(planProblems(pagePlan("arithmetic"), "plan", tasks), []);
  const p = pagePlan("arithmetic");
  const twice = { ...p, fits: [p.fits[0], p.fits[0]], comparisons: [{ label: "c", ours: { kind: "plateau", fit: "nope", model: "m" }, paper: null }] };
  const problems = planProblems(twice, "plan", tasks);
  assert.ok(problems.includes('plan.fits[1].label: "full" is the label of an earlier fit; labels must differ'), problems.join("\n"));
  assert.ok(problems.some((m) => m.startsWith("plan.comparisons[0].ours.fit: must be the label of one of the plan's fits")), problems.join("\n"));
});

test("planProblems: a plan's paired comparisons name two of its fits and a split both evaluate", async () => {
  const { plan } = await import("../src/lib/experiments.js");
  const { bundledObservations } = await import("./helpers/fixtures.js");
  const rows = bundledObservations();
  const ablation = plan("penalty-ablation", "arithmetic", { ...(await import("../src/lib/experiments.js")).DEFAULT_SETTINGS }, rows);
  assert.deepEqual(planProblems(ablation, "plan", ["arithmetic"]), []);
  const bad = { ...ablation, contrasts: [{ a: "law", b: "nope", split: "all" }, { a: "law", b: "no-penalty", split: "nowhere" }, "x"] };
  const problems = planProblems(bad, "plan", ["arithmetic"]);
  assert.ok(problems.includes('plan.contrasts[0].b: must be the label of one of the plan\'s fits, got "nope"'), problems.join("\n"));
  assert.ok(problems.includes('plan.contrasts[1].split: fit "law" evaluates no split named "nowhere"'), problems.join("\n"));
  assert.ok(problems.some((m) => m.startsWith("plan.contrasts[2]: must be a paired comparison")), problems.join("\n"));
  assert.ok(planProblems({ ...ablation, contrasts: {} }, "plan", ["arithmetic"]).some((m) => m.startsWith("plan.contrasts: must be a list")));
});
