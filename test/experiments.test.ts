// The experiment definitions run end to end: the paper's qualitative findings hold on the
// bundled data, the honest refusals appear where the data cannot answer, and the command line
// prints the same numbers as the library.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT, bundledObservations, sharedKernel, PENALTY_OPTIONS_RE } from "./helpers/fixtures.js";
import { EXPERIMENTS, REGISTRY, plan, type ExperimentDescriptor } from "../src/lib/experiments.js";
import { experimentPages } from "../src/lib/node/site-pages.js";
import { runExperiment, type ExperimentResult } from "../src/lib/run.js";
import { TASKS } from "../src/lib/types.js";

const obs = bundledObservations();

// Point estimates unless a test asks for intervals: the bootstrap has tests of its own.
async function run(experiment: (typeof EXPERIMENTS)[number], task: string, settings = {}): Promise<ExperimentResult> {
  return runExperiment(await sharedKernel(), plan(experiment, task, { resamples: 0, ...settings }, obs), obs);
}

function split(r: ExperimentResult, fit: string, name: string) {
  const s = r.fits.find((f) => f.label === fit)!.splits.find((x) => x.name === name);
  assert.ok(s, `no split ${name} in fit ${fit}`);
  return s;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8" });
}

for (const task of TASKS) {
  test(`${task}: the penalty beats no penalty, most of all past n_ctx`, async () => {
    const r = await run("penalty-ablation", task);
    const mae = (fit: string, s: string) => split(r, fit, s).errors!.mae;
    assert.ok(mae("law", "all") < mae("no-penalty", "all"));
    assert.ok(mae("law", "n_pmt > n_ctx") < mae("no-penalty", "n_pmt > n_ctx"));
    const gainBeyond = mae("no-penalty", "n_pmt > n_ctx") - mae("law", "n_pmt > n_ctx");
    const gainWithin = mae("no-penalty", "n_pmt ≤ n_ctx") - mae("law", "n_pmt ≤ n_ctx");
    assert.ok(gainBeyond > gainWithin, `gain past n_ctx ${gainBeyond} vs within ${gainWithin}`);
  });

  test(`${task}: in-distribution MAE is of the paper's size`, async () => {
    const r = await run("in-distribution", task);
    const c = r.comparisons.find((x) => x.label === "MAE, all points")!;
    assert.ok(c.ours !== null && c.paper !== null);
    // 40 digitised points instead of the paper's ~120: agreement to about a point of score.
    assert.ok(Math.abs(c.difference!) < 0.01, `ours ${c.ours} vs paper ${c.paper}`);
    assert.equal(c.difference, c.ours! - c.paper!);
  });

  test(`${task}: compute hold-out refuses to predict across model sizes and says why`, async () => {
    const r = await run("compute-holdout", task);
    for (const f of r.fits) {
      assert.equal(f.refused?.code, "one-compute-level");
      assert.equal(f.fit?.variant, "fixed-compute");
      const held = f.splits.find((s) => s.name.endsWith("(held out)"))!;
      assert.equal(held.errors, null);
      assert.match(held.reason!, /cannot determine α/);
      assert.ok(f.splits.find((s) => s.name.endsWith("(fitted)"))!.errors!.mae < 0.05);
    }
  });

  test(`${task}: the context-blind line of Figure 1 sits at the model's mean score`, async () => {
    const r = await run("figure-1", task);
    const target = obs.filter((o) => o.task === task && o.model === "Yarn-Llama-2-7b-8k");
    const mean = target.reduce((a, o) => a + o.score, 0) / target.length;
    const level = r.comparisons.find((c) => c.label.startsWith("context-blind prediction"))!.ours!;
    assert.ok(Math.abs(level - mean) < 1e-6, `level ${level} vs mean ${mean}`);
    assert.ok(split(r, "law", "Yarn-Llama-2-7b-8k").errors!.mae < split(r, "context-blind", "Yarn-Llama-2-7b-8k").errors!.mae);
  });
}

test("context generalisation: fits only below the threshold, evaluates above it", async () => {
  const r = await run("context-generalisation", "arithmetic", { threshold: 5000 });
  const f = r.fits[0];
  assert.equal(f.nFit, obs.filter((o) => o.task === "arithmetic" && o.n_pmt < 5000).length);
  const held = split(r, "law", "held out (n_pmt ≥ 5000)");
  assert.equal(held.errors!.n, obs.filter((o) => o.task === "arithmetic" && o.n_pmt >= 5000).length);
  // The paper's number belongs to its own threshold only.
  assert.equal(r.comparisons[0].paper, null);
});

test("the command line prints the library's numbers (--json)", async () => {
  const out = cli(["--experiment", "penalty-ablation", "--task", "arithmetic", "--json"]);
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout);
  const mine = await run("penalty-ablation", "arithmetic", { restarts: 4, resamples: 1000 });
  assert.deepEqual(doc.results[0].comparisons, JSON.parse(JSON.stringify(mine.comparisons)));
  assert.match(doc.provenance.dataSha256, /^[0-9a-f]{64}$/);
  assert.match(doc.provenance.kernelSha256, /^[0-9a-f]{64}$/);
});

test("the readable table shows ours with its interval, the paper's and the difference", () => {
  const out = cli(["--experiment", "penalty-ablation", "--task", "arithmetic", "--resamples", "200"]);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /ours vs the paper\s+ours\s+95 % interval\s+paper\s+ours − paper/);
  assert.match(out.stdout, /MAE no-penalty, n_pmt > n_ctx\s+0\.\d{4}\s+\[0\.\d{4}, 0\.\d{4}\]\s+0\.1040\s+[+-]/);
  assert.match(out.stdout, /95 % bootstrap intervals from 200 of 200 resamples of observations/);
  assert.match(out.stdout, /provenance: .*data sha256 [0-9a-f]{16}/);
});

for (const [flag, value, valid] of [
  ["--experiment", "in-distributon", /valid: in-distribution, context-generalisation/],
  ["--task", "poetry", /the data have: arithmetic, common_sense, translation/],
  // A law is a name or a composition: the message lists the names and the parts.
  ["--variant", "quadratic", new RegExp(`unknown law "quadratic": give a name \\(full, no-penalty, context-blind.*${PENALTY_OPTIONS_RE.source}`)],
  ["--law", "penalty=wiggle", new RegExp(`unknown penalty option "wiggle".*valid: ${PENALTY_OPTIONS_RE.source}`)],
  ["--seed=-3", "--task=arithmetic", /--seed must be an integer/],
  ["--bogus", "1", /Unknown option '--bogus'/],
] as const) {
  test(`bad argument ${flag} ${value}: exit code 2 and the valid names`, () => {
    const out = cli([flag, value]);
    assert.equal(out.status, 2);
    assert.match(out.stderr, valid);
    assert.equal(out.stdout, "");
  });
}

test("bad data file: exit code 2 naming the file, row and field", () => {
  const dir = tempDir("cs-");
  const bad = readFileSync(`${ROOT}data/observations.csv`, "utf8").replace("0.0974", "lots");
  writeFileSync(join(dir, "obs.csv"), bad);
  const out = cli(["--data", join(dir, "obs.csv"), "--experiment", "in-distribution"]);
  assert.equal(out.status, 2);
  assert.match(out.stderr, /obs\.csv row 3, field "score": found "lots"/);
  const missing = cli(["--data", join(dir, "nope.csv")]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read .*nope\.csv/);
});

test("intervals: every split and comparison of a bootstrapped run has one, and the fit's own parameters lie inside", async () => {
  const r = await run("context-generalisation", "translation", { resamples: 200 });
  const f = r.fits[0];
  assert.equal(f.uncertainty!.kept, 200);
  for (const name of f.fit!.paramNames) {
    const [lo, hi] = f.uncertainty!.params[name];
    assert.ok(lo <= f.fit!.params[name] && f.fit!.params[name] <= hi, name);
  }
  for (const s of f.splits) assert.ok(s.maeInterval && s.maeInterval[0] <= s.maeInterval[1]);
  for (const c of f.curves) {
    assert.equal(c.band!.lo.length, c.band!.n_pmt.length);
    assert.ok(c.band!.lo.every((lo, i) => lo <= c.band!.hi[i]));
  }
  for (const c of r.comparisons) assert.ok(c.oursInterval, c.label);
});

test("identifiability warnings name the two compute levels and the C₀–α correlation", async () => {
  const r = await run("in-distribution", "arithmetic");
  const w = r.fits[0].identifiability!.warnings.join("\n");
  assert.match(w, /two compute levels \(a factor of 1\.96 in C\)/);
  assert.match(w, /log10_C0 and alpha are strongly correlated/);
});

test("every experiment runs for every task", async () => {
  for (const e of EXPERIMENTS)
    for (const t of TASKS) {
      const r = await run(e, t);
      assert.ok(r.fits.length > 0);
      for (const f of r.fits) assert.ok(f.fit !== null || f.refused, `${e}/${t}/${f.label}`);
    }
});

test("every experiment of the registry names the page that shows it: its own, or one it is a section of", () => {
  const pages = experimentPages();
  for (const d of REGISTRY as readonly ExperimentDescriptor[]) {
    assert.ok(existsSync(join(ROOT, "src", `${d.page}.md`)), `${d.id}: its page src/${d.page}.md exists`);
    const own = pages.find((p) => p.experiment === d.id);
    if (own) assert.equal(own.path, d.page, `${d.id}: the page that lists itself as it is ${own.path}`);
    else assert.ok(d.section, `${d.id}: no page lists itself as it, so it is a section of src/${d.page}.md and says under which title`);
  }
  // And every page that names an experiment of the registry is that experiment's page.
  for (const p of pages) {
    const d = REGISTRY.find((x) => x.id === p.experiment);
    if (d) assert.equal(d.page, p.path, `src/${p.path}.md names ${d.id}, whose page is ${d.page}`);
  }
});
