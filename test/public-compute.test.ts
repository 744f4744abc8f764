// The public-compute experiment (src/lib/public-compute.ts) and its command line, on the
// Observational Scaling Laws table in ../shared/external (skipped when the folder is absent).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { importObsScaling } from "../src/lib/import/obsscaling.js";
import { runPublicCompute, PUBLIC_COMPUTE_BENCHMARKS, LAWS } from "../src/lib/public-compute.js";
import { loadKernel } from "../src/lib/node/load-kernel.js";

const FILE = "../shared/external/obsscaling/base_llm_benchmark_eval.csv";
const skip = !existsSync(FILE) && "no ../shared/external/obsscaling";

test("public-compute: ≥ 60 models per benchmark fit, held-out MAE with intervals, the paper's named models", { skip }, async () => {
  const imported = importObsScaling({ name: FILE, text: readFileSync(FILE, "utf8") });
  const kernel = await loadKernel();
  const r = runPublicCompute(kernel, imported.observations, imported.families, { resamples: 20 });
  assert.deepEqual(r.benchmarks.map((b) => b.benchmark), [...PUBLIC_COMPUTE_BENCHMARKS]);
  for (const b of r.benchmarks) {
    assert.equal(b.laws.length, LAWS.length);
    for (const l of b.laws) {
      assert.ok(l.n_fit >= 60, `${b.benchmark} ${l.label}: ${l.n_fit} models fitted`);
      assert.ok(l.n_held_out > 0);
      assert.ok(l.mae_held_out !== null && l.mae_held_out > 0 && l.mae_held_out < 1);
      assert.ok(l.mae_interval && l.mae_interval[0] <= l.mae_interval[1]);
      assert.ok(l.within_005 !== null && l.within_005 >= 0 && l.within_005 <= 1);
      // every fitted model has compute at or below the threshold, every held-out one above
      for (const p of l.predictions) assert.equal(p.held_out, p.compute_flops > r.settings.threshold);
    }
    const named = Object.fromEntries(b.named.map((n) => [n.label, n]));
    assert.match(named["Llama-2-70B"]!.model ?? "", /Llama-2-70b/);
    assert.ok(named["Llama-2-70B"]!.rows.every((x) => x.held_out));
    for (const g of ["Gemma-2 2B", "Gemma-2 9B", "Gemma-2 27B"]) assert.ok(named[g]!.model, `${g} present`);
    assert.ok(b.families.length >= 4, "families with ≥ 4 models");
  }
  // the floor changes nothing where there is none (GSM8K)
  const gsm = r.benchmarks.find((b) => b.benchmark === "gsm8k")!;
  assert.equal(gsm.laws[0]!.mae_held_out, gsm.laws[1]!.mae_held_out);
});

test("npm run fit -- --experiment public-compute --json: shape", { skip }, () => {
  const out = spawnSync("npx", ["tsx", "src/cli/fit.ts", "--experiment", "public-compute", "--threshold", "3e22", "--resamples", "0", "--json"], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  const j = JSON.parse(out.stdout);
  assert.ok(j.provenance.dataSha256);
  assert.equal(j.results[0].experiment, "public-compute");
  assert.equal(j.results[0].settings.threshold, 3e22);
  assert.equal(j.models_without_flops.length, 25);
  const l = j.results[0].benchmarks[0].laws[0];
  for (const k of ["mae_held_out", "within_005", "n_fit", "n_held_out", "predictions", "params"]) assert.ok(k in l, k);
  const bad = spawnSync("npx", ["tsx", "src/cli/fit.ts", "--experiment", "public-compute", "--threshold", "lots"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
});
