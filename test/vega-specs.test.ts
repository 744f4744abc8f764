// Every Vega-Lite spec the site draws compiles with no warning and runs in Vega with none (the
// pages' consoles stay quiet): the experiment figure of every bundled-data experiment and task,
// with and without bootstrap bands, and the figures of Your data, Beyond, the explorer, the
// public models and the kernel benchmark, built by the site's own spec builders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compile } from "vega-lite";
import * as vega from "vega";
import { ROOT, bundledObservations, sharedKernel, syntheticPublicRows } from "./helpers/fixtures.js";
import { REGISTRY, plan, type ExperimentId } from "../src/lib/experiments.js";
import { runExperiment, type ExperimentResult } from "../src/lib/run.js";
import { curvesFor, xDomain, defaultShownModels } from "../src/lib/import/your-data.js";
import { parsePublicTables, PUBLIC_LAWS } from "../src/lib/public-compute.js";
import { publicModelsData } from "../src/lib/node/public-data.js";
import { locateExternal } from "../src/lib/node/import-files.js";
import type { Observation } from "../src/lib/types.js";

// The builders are the pages' plain JavaScript (no .d.ts): imported by a computed path, untyped.
const load = (path: string) => import(new URL(path, import.meta.url).href);
const figures = await load("../src/components/render/figures.js");
const beyond = await load("../src/components/pages/beyond-figures.js");
const { yourDataSpec } = await load("../src/components/pages/your-data-figure.js");
const { benchmarkJobs, benchmarkSpec } = await load("../src/components/pages/benchmark.js");

/** What Vega-Lite's compile and then (with `run`) Vega's run of the compiled spec log, one line per call. */
async function logged(spec: object, run: boolean): Promise<string[]> {
  const lines: string[] = [];
  const logger = (source: string) => {
    const l = {
      level: () => l,
      warn: (...a: unknown[]) => (lines.push(`${source} warn: ${a.join(" ")}`), l),
      error: (...a: unknown[]) => (lines.push(`${source} error: ${a.join(" ")}`), l),
      info: () => l,
      debug: () => l,
    };
    return l;
  };
  const compiled = compile(spec as Parameters<typeof compile>[0], { logger: logger("vega-lite") as never }).spec;
  if (!run) return lines;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger: logger("vega") as never, logLevel: vega.Warn });
  await view.runAsync();
  view.finalize();
  return lines;
}

async function assertQuiet(name: string, spec: object, { run = true } = {}) {
  assert.deepEqual(await logged(spec, run), [], `${name}: logged while compiling${run ? " or running" : ""}`);
}

const obs = bundledObservations();
const rowsOf = (task: string) => obs.filter((o) => o.task === task);
// Small runs: the warnings depend on the spec's layers and legends, not on the fits' precision.
const run = async (experiment: ExperimentId, task: string, resamples: number): Promise<ExperimentResult> =>
  runExperiment(await sharedKernel(), plan(experiment, task, { resamples, restarts: 1 }, obs), obs);

test("the experiment figure of every bundled-data experiment and task, with and without bands, logs nothing", async () => {
  for (const d of REGISTRY.filter((x) => x.data === "bundled"))
    for (const [i, task] of d.tasks(obs).entries())
      for (const resamples of [0, 20]) {
        const r = await run(d.id, task, resamples);
        assert.equal(figures.hasBands(r), resamples > 0, `${d.id} ${task}: bands with resamples ${resamples}`);
        // Vega's run is the slow part (≈ 80 ms a figure): on the first task of each experiment only.
        await assertQuiet(`${d.id} ${task}, ${resamples} resamples`, figures.experimentSpec(r, rowsOf(task), { width: 640 }), { run: i === 0 });
      }
});

test("the Your data figure (one panel and several) logs nothing", async () => {
  const kernel = await sharedKernel();
  const task = "arithmetic";
  const taskRows = rowsOf(task);
  const r = await run("in-distribution", task, 0);
  const all = [...new Set(taskRows.map((o) => o.model))];
  for (const models of [all, defaultShownModels(taskRows), all.slice(0, 1)]) {
    const curves = curvesFor(kernel, r.fits[0].fit!, taskRows, taskRows, models);
    for (const width of [900, 500])
      await assertQuiet(`your data, ${models.length} models, width ${width}`, yourDataSpec({ taskRows, fitOn: r.plan.fits[0].fitOn, curves, models, domain: xDomain(taskRows), width, fitName: "full fit" }));
  }
});

test("the explorer's chart, before and after its bootstrap bands, logs nothing", async () => {
  const kernel = await sharedKernel();
  const nCtx = 8192;
  const grid = Array.from({ length: 60 }, (_, i) => 40 * Math.pow(200000 / 40, i / 59));
  for (const withBands of [false, true]) {
    const values: object[] = [];
    for (const task of ["arithmetic", "translation"]) {
      const fit = (await run("in-distribution", task, 0)).fits[0].fit!;
      const predicted = kernel.predict(fit.variant, fit.params, grid.map((n) => ({ compute_flops: 1e23, n_ctx: nCtx, n_pmt: n })));
      grid.forEach((n, i) => values.push({ kind: "curve", task, n_pmt: n, score: predicted[i] }));
      if (withBands) grid.forEach((n, i) => values.push({ kind: "band", task, n_pmt: n, lo: predicted[i] - 0.02, hi: predicted[i] + 0.02 }));
    }
    await assertQuiet(`explorer, bands ${withBands}`, figures.explorerSpec(values, nCtx, 600));
  }
});

/** A public-models table: the study's if ../shared/external has it, else a small synthetic one (three families of five models). */
function publicRows(): Observation[] {
  const data = publicModelsData(locateExternal());
  const rows = data && parsePublicTables(data.observationsText, data.modelsText);
  if (rows && rows.length) return rows.filter((o) => o.task === "mmlu");
  return syntheticPublicRows();
}

test("the public models' figure of every law, with and without bands, logs nothing", async () => {
  const kernel = await sharedKernel();
  const rows = publicRows();
  const threshold = rows.some((o) => o.source === "synthetic") ? { threshold: 1e22 } : {};
  for (const resamples of [0, 10]) {
    const r = runExperiment(kernel, plan("public-compute", "mmlu", { resamples, restarts: 1, ...threshold }, rows), rows);
    for (const law of PUBLIC_LAWS) await assertQuiet(`public compute, ${law.label}, ${resamples} resamples`, figures.publicComputeSpec(r, law.label, rows).spec);
  }
});

test("the kernel benchmark's chart logs nothing", async () => {
  const reference = JSON.parse(readFileSync(`${ROOT}test/reference/scipy.json`, "utf8"));
  const rows = benchmarkJobs(reference).map((j: { task: string; variant: string }, i: number) => ({ task: j.task, variant: j.variant, ratio: 1 + (i % 5 - 2) * 1e-13 }));
  await assertQuiet("benchmark", benchmarkSpec(rows));
});

// ---- Beyond: a small result of the shape src/data/beyond.json.ts writes, from the bundled data ----

/** Context-axis groups (one model and task each, the two longest prompts held out) and compute-axis groups (one task, every model). */
async function beyondData() {
  const kernel = await sharedKernel();
  const fit = (await run("in-distribution", "arithmetic", 0)).fits[0].fit!;
  const predict = (rows: { compute_flops: number; n_ctx: number; n_pmt: number }[]) => kernel.predict(fit.variant, fit.params, rows);
  const logGrid = (lo: number, hi: number) => Array.from({ length: 40 }, (_, i) => lo * Math.pow(hi / lo, i / 39));
  const context = [];
  for (const task of ["arithmetic", "translation"])
    for (const model of [...new Set(rowsOf(task).map((o) => o.model))]) {
      const rows = rowsOf(task).filter((o) => o.model === model).sort((a, b) => a.n_pmt - b.n_pmt);
      const x = logGrid(rows[0].n_pmt / 1.6, rows.at(-1)!.n_pmt * 1.6);
      const y = predict(x.map((n) => ({ compute_flops: rows[0].compute_flops, n_ctx: rows[0].n_ctx, n_pmt: n })));
      const past = rows.filter((o) => o.n_pmt > o.n_ctx);
      const unpenalised = predict(past.map((o) => ({ ...o, n_ctx: 1e9 })));
      context.push({
        study: "ctx", id: `${model} · ${task}`, task, models: [model],
        best: { variants: ["full"], heldOutMae: 0.03 + 0.01 * context.length },
        points: rows.map((o, i) => ({ ...o, heldOut: i >= rows.length - 2 })),
        curves: [{ fit: "train", lines: [{ key: model, x, y }] }, { fit: "all", lines: [{ key: model, x, y }] }],
        penalty: past.map((o, i) => ({ ...o, observed: o.score, unpenalised: unpenalised[i], ratio: o.score / unpenalised[i] })),
      });
    }
  const compute = ["arithmetic", "common_sense"].map((task) => {
    const rows = rowsOf(task);
    const cs = rows.map((o) => o.compute_flops);
    const x = logGrid(Math.min(...cs) / 1.5, Math.max(...cs) * 1.5);
    const shots = [...new Map(rows.map((o) => [o.shots, o])).values()].sort((a, b) => a.shots - b.shots);
    const lines = shots.map((o) => ({ key: String(o.shots), x, y: predict(x.map((c) => ({ compute_flops: c, n_ctx: o.n_ctx, n_pmt: o.n_pmt }))) }));
    const largest = Math.max(...cs);
    return { study: "compute", id: task, task, models: [...new Set(rows.map((o) => o.model))], best: { variants: ["full"], heldOutMae: 0.07 }, points: rows.map((o) => ({ ...o, heldOut: o.compute_flops === largest })), curves: [{ fit: "train", lines }], penalty: [] };
  });
  return {
    settings: { failMae: 0.05 },
    studies: [{ study: { id: "ctx", name: "Context study" } }, { study: { id: "compute", name: "Compute study" } }],
    groups: [...context, ...compute],
  };
}

test("the Beyond figures (overview, penalty, context axis by dataset and plain, compute axis) log nothing", async () => {
  const data = await beyondData();
  const context = data.groups.filter((g) => g.study === "ctx");
  const ns = context.flatMap((g) => g.points.map((p) => p.n_pmt));
  const domain = [Math.min(...ns) / 1.5, Math.max(...ns) * 1.5];
  assert.ok(data.groups.some((g) => g.penalty.length), "some points past n_ctx for the penalty figure");
  for (const width of [1100, 700]) {
    await assertQuiet(`beyond overview, width ${width}`, beyond.overviewSpec(data, width));
    await assertQuiet(`beyond penalty, width ${width}`, beyond.penaltySpec(data, width));
    await assertQuiet(`beyond compute axis, width ${width}`, beyond.computeSpec(data.groups.filter((g) => g.study === "compute"), width));
    for (const colorBy of ["task", "none"]) {
      const columns = width >= 900 ? 3 : 2;
      await assertQuiet(`beyond context axis by ${colorBy}, width ${width}`, beyond.contextSpec(context, { width, columns, panelWidth: Math.floor((width - 40) / columns - 75), panelHeight: 170, colorBy, domain }));
    }
  }
});

test("the claims figure, with and without intervals, logs nothing", async () => {
  const { claimsSpec, claimsRows } = await load("../src/components/render/claims-figure.js");
  const { claimsOf } = await import("../src/lib/summary.js");
  for (const resamples of [0, 20]) {
    const results = [];
    for (const d of REGISTRY.filter((x) => x.data === "bundled" && "claims" in x)) for (const task of d.tasks(obs)) results.push(await run(d.id as ExperimentId, task, resamples));
    const claims = claimsOf(results);
    assert.ok(claims.length > 0 && claimsRows(claims).length > 0, "claims with numbers to draw");
    await assertQuiet(`claims, ${resamples} resamples`, claimsSpec(claims));
  }
});
