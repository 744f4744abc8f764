// The public-compute experiment: its plan (experiments.ts) run by run.ts on the Observational
// Scaling Laws table in ../shared/external, and its command line (skipped when the folder is
// absent); the plan's mechanics (floors, compute splits, family fits) on a small synthetic table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { plan } from "../src/lib/experiments.js";
import { runExperiment } from "../src/lib/run.js";
import { publicComputeTables, parsePublicTables, PUBLIC_COMPUTE_BENCHMARKS, PUBLIC_LAWS, familyFitLabel } from "../src/lib/public-compute.js";
import { publicModelsData, NO_PUBLIC_TABLES } from "../src/lib/node/public-data.js";
import { bake } from "../src/lib/node/bake.js";
import { readRepoFile } from "../src/lib/node/bake.js";
import { loadKernel, KERNEL_PATH } from "../src/lib/node/load-kernel.js";
import { readFileSync } from "node:fs";
import { syntheticPublicRows } from "./helpers/fixtures.js";

const DIR = "../shared/external";
const skip = !existsSync(`${DIR}/obsscaling/base_llm_benchmark_eval.csv`) && "no ../shared/external/obsscaling";

test("public-compute: ≥ 60 models per benchmark fit, held-out MAE with intervals, the paper's named models", { skip }, async () => {
  const data = publicModelsData(DIR)!;
  const rows = parsePublicTables(data.observationsText, data.modelsText)!;
  const kernel = await loadKernel();
  const results = PUBLIC_COMPUTE_BENCHMARKS.map((b) => runExperiment(kernel, plan("public-compute", b, { resamples: 20 }, rows), rows));
  const t = publicComputeTables(results);
  assert.deepEqual([...new Set(t.laws.map((l) => l.benchmark))], [...PUBLIC_COMPUTE_BENCHMARKS]);
  assert.equal(t.laws.length, PUBLIC_COMPUTE_BENCHMARKS.length * PUBLIC_LAWS.length);
  for (const l of t.laws) {
    assert.ok(l.n_fit >= 60, `${l.benchmark} ${l.law}: ${l.n_fit} models fitted`);
    assert.ok(l.n_held_out > 0);
    assert.ok(l.mae_held_out !== null && l.mae_held_out > 0 && l.mae_held_out < 1);
    assert.ok(l.mae_interval && l.mae_interval[0] <= l.mae_interval[1]);
    assert.ok(l.within_005 !== null && l.within_005 >= 0 && l.within_005 <= 1);
  }
  for (const r of results)
    for (const f of r.fits.filter((x) => x.computeCurve)) {
      // every fitted model has compute at or below the threshold, every held-out one above
      const [fitted, held] = f.splits;
      assert.ok(fitted.points!.every((p) => p.compute_flops <= r.plan.settings.threshold));
      assert.ok(held.points!.every((p) => p.compute_flops > r.plan.settings.threshold));
      assert.equal(f.computeCurve!.band?.lo.length, 60);
    }
  for (const b of PUBLIC_COMPUTE_BENCHMARKS) {
    const named = Object.fromEntries(t.named.filter((n) => n.benchmark === b).map((n) => [n.label, n]));
    assert.match(named["Llama-2-70B"]!.model ?? "", /Llama-2-70b/);
    assert.equal(named["Llama-2-70B"]!.role, "held out (above the threshold)");
    assert.equal(Object.keys(named["Llama-2-70B"]!.predicted).length, PUBLIC_LAWS.length);
    for (const g of ["Gemma-2 2B", "Gemma-2 9B", "Gemma-2 27B"]) assert.ok(named[g]!.model, `${g} present`);
    assert.equal(named["Qwen2.5-0.5B"]!.model, null);
    const fams = t.familySummary.filter((f) => f.benchmark === b);
    assert.equal(fams.length, 4, "within vs pooled for each given-floor law");
    assert.ok(fams.every((f) => f.n >= 4), "families with ≥ 4 models");
  }
  // the chance floor changes nothing where there is none (GSM8K)
  const gsm = t.laws.filter((l) => l.benchmark === "gsm8k");
  assert.equal(gsm[0]!.mae_held_out, gsm[1]!.mae_held_out);
});

test("npm run fit -- --experiment public-compute --json: shape", { skip }, () => {
  const out = spawnSync("npx", ["tsx", "src/cli/fit.ts", "--experiment", "public-compute", "--threshold", "3e22", "--resamples", "0", "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(out.status, 0, out.stderr);
  const j = JSON.parse(out.stdout);
  assert.ok(j.provenance.dataSha256 && j.source.sha256);
  assert.deepEqual(j.results.map((r: any) => r.plan.task), [...PUBLIC_COMPUTE_BENCHMARKS]);
  assert.ok(j.results.every((r: any) => r.plan.experiment === "public-compute" && r.plan.settings.threshold === 3e22));
  assert.equal(j.models_without_flops.length, 25);
  const bad = spawnSync("npx", ["tsx", "src/cli/fit.ts", "--experiment", "public-compute", "--threshold", "lots"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
});

const synthetic = syntheticPublicRows;

test("the public-compute plan: the chance floor goes into every fit point, compute splits by the threshold, family fits", async () => {
  const rows = synthetic();
  const p = plan("public-compute", "mmlu", { threshold: 1e22, resamples: 10 }, rows);
  assert.equal(p.settings.threshold, 1e22);
  const floored = p.fits.find((f) => f.label === "saturating + chance floor")!;
  assert.equal(floored.floor, 0.25);
  assert.equal(p.fits.find((f) => f.label === "saturating (paper's compute factor)")!.floor, undefined);
  // each family has 5 models: within-family and pooled fits for the four given-floor laws, no bootstrap
  for (const fam of ["A", "B", "C"]) {
    const within = p.fits.find((f) => f.label === familyFitLabel("within family", fam, "saturating + chance floor"))!;
    assert.deepEqual(within.fitOn, { base_models: [fam], compute_below: 10 ** (19 + { A: 0, B: 0.4, C: 0.8 }[fam]! + 4) });
    assert.equal(within.bootstrap, false);
  }
  assert.equal(p.fits.length, PUBLIC_LAWS.length + 3 * 4 * 2);
  const kernel = await loadKernel();
  const r = runExperiment(kernel, p, rows);
  const t = publicComputeTables([r]);
  const law = (label: string) => t.laws.find((l) => l.law === label)!;
  // The data were made with the chance floor: the floored law fits them closer than the bare one.
  assert.ok(law("saturating + chance floor").mae_fit! < law("saturating (paper's compute factor)").mae_fit!);
  assert.equal(law("saturating + chance floor").n_fit, rows.filter((o) => o.compute_flops <= 1e22).length);
  // A floored prediction never falls below the floor: the curve starts at or above 0.25.
  const curve = r.fits.find((f) => f.label === "saturating + chance floor")!.computeCurve!;
  assert.ok(curve.predicted.every((v) => v >= 0.25) && curve.band!.lo.every((v) => v >= 0.25));
  assert.equal(t.families.length, 3 * 4);
  assert.ok(t.families.every((f) => f.within_family !== null && f.pooled !== null));
  // the family fits ran without resamples, the law fits with them
  assert.ok(r.fits.filter((f) => f.label.startsWith("within family")).every((f) => f.uncertainty === undefined));
  assert.ok(r.fits.filter((f) => f.computeCurve).every((f) => f.uncertainty?.kept === 10));
});

test("bake: no public-compute results when the public tables hold no rows (the study's table was absent)", async () => {
  const kernel = await loadKernel();
  const bytes = readFileSync(KERNEL_PATH);
  const obs = readRepoFile("data/observations.csv");
  const models = readRepoFile("data/models.csv");
  const none = bake(kernel, bytes, obs, models, NO_PUBLIC_TABLES);
  assert.equal(none.results["public-compute"], undefined);
  assert.equal(parsePublicTables(NO_PUBLIC_TABLES.observationsText, NO_PUBLIC_TABLES.modelsText), null);
});
