// What the public models' section of the Compute generalisation page draws: its notebook
// (notebook("public-compute"), run on the public models' tables) shows the results of the
// experiment's plan per benchmark, and these draw them: the figure of one benchmark and law, and
// the tables of src/lib/public-compute.ts (publicComputeTables, which `npm run fit -- --experiment
// public-compute` prints). The data are the Observational Scaling Laws study's table (Ruan,
// Maddison, Hashimoto 2024, Apache-2.0), imported at build time. The home page reruns the same
// plans with publicJobs.
import * as Inputs from "@observablehq/inputs";
import { plan, PUBLIC_COMPUTE_SETTINGS, publicComputeTables, publicComputeCells, PUBLIC_COMPUTE_BENCHMARKS, PUBLIC_LAWS } from "../lib.js";
import { createFitClient } from "../notebook/fit-client.js";
import { sourceData } from "../notebook/data-sources.js";
import { chart } from "../render/vega.js";
import { publicComputeSpec } from "../render/figures.js";
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
    el("h3", {}, "Each law against the paper's compute factor"),
    el("p", {}, "The difference of held-out MAE, law A − the paper's saturating compute factor, with a 95 % paired bootstrap interval: both laws refitted on the same resamples of the fitted models, the held-out models resampled too. Below 0 favours A; an interval that holds 0 cannot tell them apart."),
    objectTable(rows.versus, { dataset: { table: "public-compute-versus" } }),
    el("h3", {}, "Pooled vs within family"),
    el("p", {}, "Each family with at least 4 models with FLOPs: its largest model predicted by each law, fitted on the family's smaller models (within family, the setting closest to the paper's Llama-2 7B/13B → 70B) or on every model of any family with less compute (pooled). Mean absolute error over the families with both predictions, and the difference within − pooled with a 95 % interval from resampling the families: the two are fitted on different points, so no paired refit is possible and only the sampling of the families is carried. The fitted-floor laws are left out here: most families have only three smaller models, no more than those laws' three parameters, and on the larger families their floor is often not determined."),
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
  if (!r) return el("p", {}, `No results for ${benchmark}: choose one of the benchmarks fitted above.`);
  const { spec, points } = publicComputeSpec(r, lawLabel, rows);
  const band = r.fits.find((x) => x.label === lawLabel).computeCurve.band;
  const threshold = r.plan.settings.threshold;
  return chart(spec, { name: `public-compute-${benchmark}`, rows: points, caption: `${benchmark}: observed scores (one colour per family; shape: fitted or held out), ${lawLabel} fitted on C ≤ ${threshold.toExponential(0)} FLOPs (dashed)${band ? ` with its 95 % bootstrap band (${r.plan.settings.resamples} resamples)` : ""}. Data: ${STUDY}.` });
}

const ABSENT = () => el("div", { class: "warning", dataset: { publicCompute: "missing" } },
  "The data of this section are absent: the Observational Scaling Laws table (obsscaling/base_llm_benchmark_eval.csv) was not found in ../shared/external when this site was built, so there is nothing to fit and no number is shown. ",
  "It is eval_results/base_llm_benchmark_eval.csv of github.com/ryoungj/ObsScaling (commit 4d6e1e43, Apache-2.0); put it there (or set $CONTEXT_SCALING_EXTERNAL) and rebuild.");

/** The figure's choice: one benchmark of those fitted, one law. */
export function figureInputs(benchmarks) {
  const benchmark = Inputs.select(benchmarks, { label: "benchmark" });
  const law = Inputs.select(PUBLIC_LAWS.map((l) => l.label), { label: "law", value: "saturating + chance floor" });
  benchmark.dataset.input = "benchmark";
  law.dataset.input = "law";
  return Inputs.form({ benchmark, law });
}

/** The figure of the chosen benchmark and law, for the notebook's figures cell; none when the data are absent. */
export async function publicFigures(shown, { benchmark, law }) {
  if (shown.outputs.length === 0) return [];
  return [await figure(shown.outputs.map((o) => o.result), shown.rows, benchmark, law)];
}

/** The tables of every benchmark shown, for the notebook's tables cell, or the absence of the data said plainly. */
export function publicTables(shown, line) {
  if (shown.source === "absent") return [ABSENT()];
  return [el("div", { class: "public-compute" }, tablesOf(shown.outputs.map((o) => o.result)),
    el("p", { class: "fit-meta" }, `Data: ${STUDY}, imported at build time into the two tables this site ships.`),
    // Each benchmark's numbers, and the command that prints them.
    ...shown.outputs.map((o) => el("section", { class: "task-reproduce", dataset: { task: o.result.plan.task } }, el("strong", {}, `${o.result.plan.task}: `), line(o))))];
}

/** The public models' tables as the home page reruns them: {observationsText, modelsText, observations}. */
export const publicData = () => sourceData("public-models");

/** A fit worker holding the public tables (the bundled data's worker holds data/observations.csv). */
export function publicFitClient(kernelUrl, tables) {
  return createFitClient({ kernelUrl, observationsText: tables.observationsText, modelsText: tables.modelsText, observationsFile: tables.files.observations, modelsFile: tables.files.models });
}

/** The worker jobs of every benchmark the build baked, at the experiment's default settings. */
export function publicJobs(baked, rows) {
  return PUBLIC_COMPUTE_BENCHMARKS.filter((b) => rows.length && baked.results["public-compute"]?.[b]).map((b) => ({ plan: plan("public-compute", b, PUBLIC_COMPUTE_SETTINGS, rows), models: null }));
}
