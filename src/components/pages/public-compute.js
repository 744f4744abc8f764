// The public-compute section of the Compute generalisation page: the plan of experiments.ts for
// each benchmark of the Observational Scaling Laws table (Ruan, Maddison, Hashimoto 2024,
// Apache-2.0), imported at build time into two tables the site ships. The numbers baked at build
// time show at once; a Web Worker then reruns every benchmark's plan in this browser and says
// whether each number is identical. The tables come from publicComputeTables (src/lib), the
// function `npm run fit -- --experiment public-compute` prints them with.
import { FileAttachment } from "observablehq:stdlib";
import * as Inputs from "@observablehq/inputs";
import { plan, PUBLIC_COMPUTE_SETTINGS, publicComputeTables, publicComputeCells, parsePublicTables, PUBLIC_COMPUTE_BENCHMARKS, PUBLIC_FILES, PUBLIC_LAWS } from "../lib.js";
import { siteData, sha256 } from "../notebook/site-data.js";
import { createFitClient } from "../notebook/fit-client.js";
import { bakedExperiment, firstDifference, reproductionLine } from "../notebook/snapshot.js";
import { chart } from "../render/vega.js";
import { objectTable } from "../render/tables.js";
import { el } from "../render/dom.js";

export { PUBLIC_COMPUTE_SETTINGS };

export const STUDY = "Observational Scaling Laws (Ruan, Maddison, Hashimoto, NeurIPS 2024, arXiv:2405.10938; github.com/ryoungj/ObsScaling, Apache-2.0)";

function tablesOf(results) {
  const rows = publicComputeCells(publicComputeTables(results));
  return el("div", { class: "public-compute-tables" },
    el("h3", {}, "Held-out error per benchmark and law"),
    el("p", {}, "Each law fitted on the models with C ≤ the threshold, judged on those above it; 95 % intervals from bootstrap resamples of the fitted models. “within 0.05”: the share of held-out models predicted within 5 points, the paper's yardstick."),
    objectTable(rows.laws, { dataset: { table: "public-compute-laws" } }),
    el("h3", {}, "Pooled vs within family"),
    el("p", {}, "Each family with at least 4 models with FLOPs: its largest model predicted by each law, fitted on the family's smaller models (within family, the setting closest to the paper's Llama-2 7B/13B → 70B) or on every model of any family with less compute (pooled). Mean absolute error over the families with both predictions. The fitted-floor laws are left out here: most families have only three smaller models, no more than those laws' three parameters, and on the larger families their floor is often not determined."),
    objectTable(rows.families, { dataset: { table: "public-compute-families" } }),
    el("details", {}, el("summary", {}, "Per family: the largest model, observed and predicted"), objectTable(rows.perFamily, { dataset: { table: "public-compute-per-family" } })),
    el("h3", {}, "The paper's held-out models"),
    el("p", {}, "The models the paper held out (§4.1), where the study's table has them: observed, and predicted by each law [95 % bootstrap interval]."),
    objectTable(rows.named, { dataset: { table: "public-compute-named" } }),
    el("h3", {}, "What these data are not"),
    el("ul", { class: "reasons" }, ...[...new Set(results.flatMap((r) => r.plan.missing))].map((m) => el("li", {}, m))),
  );
}

async function figure(results, rows, benchmark, lawLabel) {
  const r = results.find((x) => x.plan.task === benchmark);
  const f = r.fits.find((x) => x.label === lawLabel);
  const family = new Map(rows.filter((o) => o.task === benchmark).map((o) => [o.model, o.base_model]));
  const [fitted, held] = f.splits;
  const pts = [...fitted.points.map((p) => ({ ...p, role: "fitted" })), ...held.points.map((p) => ({ ...p, role: "held out" }))].map((p) => ({ ...p, family: family.get(p.model) }));
  const c = f.computeCurve;
  const curve = c.compute_flops.map((x, i) => ({ compute_flops: x, predicted: c.predicted[i], lo: c.band?.lo[i] ?? null, hi: c.band?.hi[i] ?? null }));
  const x = { field: "compute_flops", type: "quantitative", scale: { type: "log" }, title: "training compute C (FLOPs, the study's 6·N·D)" };
  const threshold = r.plan.settings.threshold;
  return chart({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: 640, height: 360,
    layer: [
      ...(c.band ? [{ data: { values: curve }, mark: { type: "area", opacity: 0.2 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } }] : []),
      { data: { values: curve }, mark: "line", encoding: { x, y: { field: "predicted", type: "quantitative", title: `${benchmark} score` } } },
      { data: { values: pts }, mark: { type: "point", filled: true }, encoding: {
        x, y: { field: "observed", type: "quantitative" },
        color: { field: "family", type: "nominal", legend: { columns: 2, symbolLimit: 60 } }, shape: { field: "role", type: "nominal" },
        tooltip: [{ field: "model" }, { field: "family" }, { field: "observed", format: ".3f" }, { field: "predicted", format: ".3f" }, { field: "role" }] } },
      { data: { values: [{ t: threshold }] }, mark: { type: "rule", strokeDash: [4, 4] }, encoding: { x: { field: "t", type: "quantitative" } } },
    ],
  }, { name: `public-compute-${benchmark}`, rows: pts, caption: `${benchmark}: observed scores (one colour per family; shape: fitted or held out), ${lawLabel} fitted on C ≤ ${threshold.toExponential(0)} FLOPs (dashed)${c.band ? ` with its 95 % bootstrap band (${r.plan.settings.resamples} resamples)` : ""}. Data: ${STUDY}.` });
}

let loaded;
/** The public-compute tables the site ships, parsed: {observationsText, modelsText, rows}; rows is null when they are empty. */
export function publicData() {
  loaded ??= Promise.all([
    FileAttachment("../../data/obsscaling-observations.csv").text(),
    FileAttachment("../../data/obsscaling-models.csv").text(),
  ]).then(([observationsText, modelsText]) => ({ observationsText, modelsText, rows: parsePublicTables(observationsText, modelsText) }));
  return loaded;
}

/** A fit worker holding the public tables (the bundled data's worker holds data/observations.csv). */
export function publicFitClient(kernelUrl, { observationsText, modelsText }) {
  return createFitClient({ kernelUrl, observationsText, modelsText, observationsFile: PUBLIC_FILES.observations, modelsFile: PUBLIC_FILES.models });
}

/** The worker jobs of every benchmark the build baked, at the experiment's default settings. */
export function publicJobs(baked, rows) {
  return PUBLIC_COMPUTE_BENCHMARKS.filter((b) => rows && baked.results["public-compute"]?.[b]).map((b) => ({ plan: plan("public-compute", b, PUBLIC_COMPUTE_SETTINGS, rows), models: null }));
}

/** The section's body: the absence of the data said plainly, or the figure, the tables and the browser's check. */
export async function publicComputeSection() {
  const root = el("div", { class: "public-compute" });
  const baked = await bakedExperiment("public-compute");
  const bakedByTask = baked.results["public-compute"] ?? {};
  const { observationsText, modelsText, rows } = await publicData();
  const jobs = publicJobs(baked, rows);
  const benchmarks = jobs.map((j) => j.plan.task);
  if (jobs.length === 0) {
    root.append(el("div", { class: "warning", dataset: { publicCompute: "missing" } },
      "The data of this section are absent: the Observational Scaling Laws table (obsscaling/base_llm_benchmark_eval.csv) was not found in ../shared/external when this site was built, so there is nothing to fit and no number is shown. ",
      "It is eval_results/base_llm_benchmark_eval.csv of github.com/ryoungj/ObsScaling (commit 4d6e1e43, Apache-2.0); put it there (or set $CONTEXT_SCALING_EXTERNAL) and rebuild."));
    return root;
  }
  const bakedResultsList = benchmarks.map((b) => bakedByTask[b]);
  const data = await siteData();
  const bytes = new TextEncoder().encode(observationsText);
  const dataHash = await sha256(bytes);

  const benchmarkInput = Inputs.select(benchmarks, { label: "benchmark" });
  const lawInput = Inputs.select(PUBLIC_LAWS.map((l) => l.label), { label: "law", value: "saturating + chance floor" });
  benchmarkInput.dataset.input = "benchmark";
  lawInput.dataset.input = "law";
  const figureSlot = el("div", { class: "figure-slot" });
  const reproduction = el("div", { class: "reproduction-slot" }, reproductionLine({ state: "pending" }));
  const status = el("p", { class: "fit-status", dataset: { state: "running" } }, "Rerunning every benchmark's plan in a Web Worker to check the numbers below …");
  const tablesSlot = el("div", { class: "tables-slot", dataset: { source: "baked" } }, tablesOf(bakedResultsList));
  const s = PUBLIC_COMPUTE_SETTINGS;
  root.append(
    el("div", { class: "inputs" }, benchmarkInput, lawInput), figureSlot, status, reproduction, tablesSlot,
    el("p", { class: "fit-meta", dataset: { publicProvenance: "" } },
      `Data: ${STUDY}, imported at build time from obsscaling/base_llm_benchmark_eval.csv into ${PUBLIC_FILES.observations} (${rows.length} scores, SHA-256 ${dataHash ?? baked.publicObservationsSha256}) and ${PUBLIC_FILES.models}, both part of this site. `,
      `Settings: threshold ${s.threshold.toExponential(0)} FLOPs, seed ${s.seed}, ${s.restarts} global searches per fit, ${s.resamples} bootstrap resamples; kernel SHA-256 ${data.hashes.kernel ?? baked.kernelSha256}. `,
      "Same numbers from the command line: ", el("code", {}, "npm run fit -- --experiment public-compute")),
  );
  let current = bakedResultsList;
  const draw = async () => figureSlot.replaceChildren(await figure(current, rows, benchmarkInput.value, lawInput.value));
  benchmarkInput.addEventListener("input", draw);
  lawInput.addEventListener("input", draw);
  await draw();

  // The same plans, run in this browser on the tables the site ships; compared number by number.
  const client = publicFitClient(data.kernelUrl, { observationsText, modelsText });
  const t0 = performance.now();
  const done = client.run(jobs, (p) => { status.textContent = `Rerunning in a Web Worker: benchmark ${p.job + 1} of ${p.jobs} …`; }).then(async (outputs) => {
    current = outputs.map((o) => o.result);
    const detail = current.map((r, i) => firstDifference(bakedResultsList[i], r, `public-compute · ${r.plan.task}`)).find((d) => d !== null);
    reproduction.replaceChildren(reproductionLine(detail ? { state: "different", detail } : { state: "identical", count: current.length }));
    tablesSlot.replaceChildren(tablesOf(current));
    tablesSlot.dataset.source = "browser";
    await draw();
    status.textContent = `All ${current.length} benchmarks recomputed in this browser in ${(performance.now() - t0).toFixed(0)} ms.`;
    status.dataset.state = "done";
  }, (error) => {
    reproduction.replaceChildren(reproductionLine({ state: "not-compared", detail: `the rerun failed (${error.message})` }));
    status.textContent = `Error: ${error.message}`;
    status.dataset.state = "error";
  });
  root.done = done;
  return root;
}
