// The fixed-compute forms (the compute factor a free constant c) of every law with a compute
// factor: for data of one compute level, where α cannot be fitted. Each must be its law with
// f_C replaced by c, fit such data, and be what run.ts falls back to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskRows, sharedKernel, bundledObservations } from "./helpers/fixtures.js";
import { FIXED_COMPUTE_FORM, PARAM_NAMES, type NamedLaw } from "../src/lib/named-laws.js";
import { plan } from "../src/lib/experiments.js";
import { runExperiment } from "../src/lib/run.js";

const LAWS: NamedLaw[] = ["full", "no-penalty", "additive", "soft-penalty"];

for (const law of LAWS) {
  const fixed = FIXED_COMPUTE_FORM[law]!;
  test(`${fixed} is ${law} with f_C replaced by a constant`, async () => {
    const k = await sharedKernel();
    const rows = taskRows("arithmetic");
    const fit = k.fit(law, rows);
    const model = rows.filter((r) => r.model === "Yarn-Llama-2-7b-8k");
    const [c] = k.predict("context-blind", { log10_C0: fit.params.log10_C0, alpha: fit.params.alpha }, [model[0]]);
    const fixedParams = Object.fromEntries(PARAM_NAMES[fixed].map((name) => [name, name === "compute_factor" ? c : fit.params[name]]));
    const a = k.predict(law, fit.params, model);
    const b = k.predict(fixed, fixedParams, model);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-15 + 1e-12 * Math.abs(v), `${model[i].n_pmt}: ${v} vs ${b[i]}`));
  });

  test(`${fixed} fits one compute level that ${law} refuses`, async () => {
    const k = await sharedKernel();
    const one = taskRows("translation").filter((r) => r.base_model === "Llama-2-7B");
    assert.throws(() => k.fit(law, one), /not identifiable/);
    const fit = k.fit(fixed, one, { restarts: 4 });
    assert.equal(fit.status, "converged");
    assert.ok(fit.params.compute_factor > 0 && fit.params.compute_factor <= 1);
    assert.ok(fit.mae < 0.05, String(fit.mae));
  });
}

test("the soft penalty, fitted to one model size, does at least as well as the sharp one", async () => {
  const k = await sharedKernel();
  const one = taskRows("arithmetic").filter((r) => r.base_model === "Llama-2-7B");
  const sharp = k.fit("fixed-compute", one, { restarts: 4 });
  const soft = k.fit("fixed-compute-soft", one, { restarts: 4 });
  assert.ok(soft.sse <= sharp.sse * (1 + 1e-9), `soft ${soft.sse} vs sharp ${sharp.sse}`);
});

test("compute hold-out falls back to the fixed form of the law under test", async () => {
  const k = await sharedKernel();
  const obs = bundledObservations();
  const r = runExperiment(k, plan("compute-holdout", "arithmetic", { variant: "soft-penalty", resamples: 0 }, obs), obs);
  for (const f of r.fits) {
    assert.equal(f.refused?.fallback, "fixed-compute-soft");
    assert.equal(f.fit?.variant, "fixed-compute-soft");
  }
});
