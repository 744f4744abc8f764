// One experiment page: inputs (kept in the URL) → plans → fits in the worker → for each task
// the paper's kind of figure, the comparison with the paper, the fitted parameters and the
// error table, with provenance. A page calls experimentPage(config) with its configuration
// block; everything shown is computed in this browser by the WebAssembly kernel.
import * as Inputs from "@observablehq/inputs";
import { plan, parseObservationsCsv, VARIANTS, VARIANT_DESCRIPTIONS, num, PAPER } from "./lib.js";
import { siteData } from "./site-data.js";
import { createFitClient, Cancelled } from "./fit-client.js";
import { readState, writeState } from "./url-state.js";
import { chart } from "./vega.js";
import { experimentSpec, hasBands } from "./figures.js";
import { htmlTable, signed, objectTable } from "./tables.js";
import { database, queryBlock } from "./db.js";
import { provenanceBlock, cliCommand } from "./provenance.js";
import { mark } from "./timing.js";
import { bakedResults, sameSettings, firstDifference, reproductionLine, pageFooter, currentPage } from "./snapshot.js";
import { el, checkInteger } from "./dom.js";

export const TASK_NAMES = { arithmetic: "Arithmetic", common_sense: "Common sense", translation: "Translation" };
export const taskName = (t) => TASK_NAMES[t] ?? t;


/** The plan of one task, from the library. */
export function planFor(experiment, task, settings, rows) {
  return plan(experiment, task, settings, rows);
}

export const SCHEMES = ["observations", "models"];

function settingsOf(state) {
  return { seed: state.seed, variant: state.variant, threshold: state.threshold, restarts: state.restarts, resamples: state.resamples, scheme: state.scheme };
}

/** Problems with the inputs, in the command line's words (src/cli/fit.ts). */
function invalid(state) {
  const bad = [];
  checkInteger(bad, "seed", state.seed, 0, 0xffffffff);
  checkInteger(bad, "threshold", state.threshold, 1, 1e9);
  checkInteger(bad, "restarts", state.restarts, 1, 64);
  checkInteger(bad, "resamples", state.resamples, 0, 1_000_000);
  if (!SCHEMES.includes(state.scheme)) bad.push(`unknown bootstrap scheme "${state.scheme}"; valid: ${SCHEMES.join(", ")}`);
  if (!VARIANTS.includes(state.variant)) bad.push(`unknown variant "${state.variant}"`);
  if (state.tasks.length === 0) bad.push("choose at least one task");
  if (state.models !== "all" && state.models.length === 0) bad.push("choose at least one model");
  return bad;
}

function inputsForm(config, state, tasks, models) {
  const shown = new Set(config.inputs ?? ["tasks", "variant", "threshold", "models", "seed", "restarts", "resamples", "scheme"]);
  const inputs = {};
  if (shown.has("tasks")) inputs.tasks = Inputs.checkbox(tasks, { label: "tasks", value: state.tasks, format: taskName });
  if (shown.has("variant"))
    inputs.variant = Inputs.select(VARIANTS, { label: "law under test", value: state.variant, format: (v) => `${v}: ${VARIANT_DESCRIPTIONS[v]}` });
  if (shown.has("threshold")) inputs.threshold = Inputs.number([1, 1e9], { label: "hold out n_pmt ≥", value: state.threshold, step: 1 });
  if (shown.has("models")) inputs.models = Inputs.checkbox(models, { label: "models", value: state.models === "all" ? models : state.models });
  if (shown.has("seed")) inputs.seed = Inputs.number([0, 0xffffffff], { label: "seed", value: state.seed, step: 1 });
  if (shown.has("restarts")) inputs.restarts = Inputs.number([1, 64], { label: "global searches per fit", value: state.restarts, step: 1 });
  if (shown.has("resamples")) inputs.resamples = Inputs.number([0, 1_000_000], { label: "bootstrap resamples (0: none)", value: state.resamples, step: 1 });
  if (shown.has("scheme"))
    inputs.scheme = Inputs.radio(SCHEMES, { label: "bootstrap unit", value: state.scheme, format: (x) => (x === "observations" ? "single observations" : "whole models") });
  for (const [k, input] of Object.entries(inputs)) input.dataset.input = k;
  return inputs;
}

function readInputs(inputs, state, models) {
  const next = { ...state };
  for (const [k, input] of Object.entries(inputs)) next[k] = input.value;
  if (inputs.models) next.models = next.models.length === models.length ? "all" : [...next.models];
  return next;
}

/** "[lo, hi]" as the command line prints a 95 % interval (src/lib/format.ts). */
export function interval(iv) {
  return iv ? `[${num(iv[0])}, ${num(iv[1])}]` : "—";
}

function fitSection(f) {
  const parts = [];
  const fitted = f.fit?.variant ?? f.variant;
  parts.push(el("h4", {}, `Fit “${f.label}” — ${fitted} — on ${f.fitOn}: ${f.nFit} points`));
  if (f.refused)
    parts.push(el("p", { class: "refused" }, `${f.variant} refused: ${f.refused.message}.` + (f.refused.fallback ? ` Fitted ${f.refused.fallback} instead, for the fitted points only.` : "")));
  if (f.fit) {
    const fit = f.fit;
    const iv = f.uncertainty?.params ?? {};
    const withIv = f.uncertainty !== undefined;
    parts.push(
      htmlTable(
        [{ label: "parameter" }, { label: "value", align: "right" }, { label: "standard error", align: "right" }, ...(withIv ? [{ label: "95 % bootstrap interval", align: "right" }] : [])],
        fit.paramNames.map((p) => [p, num(fit.params[p]), fit.se[p] === null ? "undetermined" : num(fit.se[p]), ...(withIv ? [interval(iv[p])] : [])]),
        { table: "params", fit: f.label },
      ),
    );
    parts.push(
      el("p", { class: "fit-meta" },
        `SSE ${num(fit.sse, 6)}, status ${fit.status}, best reached by ${fit.globalSearch.restartsAtBest} of ${fit.globalSearch.restarts} global searches, ` +
          `${fit.globalSearch.generations} generations, ${fit.evaluations} evaluations, condition number ${num(fit.conditionNumber, 1)}.` +
          (fit.undetermined.length ? ` Not determined by these data: ${fit.undetermined.join(", ")}.` : "")),
    );
    if (f.uncertainty) {
      const u = f.uncertainty;
      parts.push(el("p", { class: "fit-meta" },
        `Intervals: ${Math.round(u.level * 100)} % percentile bootstrap from ${u.kept} of ${u.requested} resamples of ${u.scheme}` +
          (u.dropped ? ` (${u.dropped} dropped: one compute level, α undetermined)` : "") + (u.cancelled ? " (cancelled)" : "") + "."));
    }
    for (const w of f.identifiability?.warnings ?? []) parts.push(el("p", { class: "refused" }, `Warning: ${w}`));
  }
  const withIntervals = f.uncertainty !== undefined;
  parts.push(
    htmlTable(
      [{ label: "split" }, { label: "n", align: "right" }, { label: "MAE", align: "right" }, ...(withIntervals ? [{ label: "95 % interval", align: "right" }] : []), { label: "max |err|", align: "right" }, { label: "SSE", align: "right" }],
      f.splits.map((s) =>
        s.errors
          ? [s.name, s.errors.n, num(s.errors.mae), ...(withIntervals ? [interval(s.maeInterval)] : []), num(s.errors.maxAbs), num(s.errors.sse, 6)]
          : [s.name, "—", "—", ...(withIntervals ? ["—"] : []), "—", "—"]),
      { table: "splits", fit: f.label },
    ),
  );
  const reasons = f.splits.filter((s) => !s.errors && s.reason);
  if (reasons.length) parts.push(el("ul", { class: "reasons" }, ...reasons.map((s) => el("li", {}, `${s.name}: ${s.reason}`))));
  return parts;
}

function comparisonTable(result) {
  if (!result.comparisons.length) return el("p", { class: "no-comparison" }, "The paper reports no number for this experiment and task that could be recovered: there is nothing to set ours beside.");
  const withIntervals = result.comparisons.some((c) => c.oursInterval !== undefined);
  return htmlTable(
    [{ label: "ours vs the paper" }, { label: "ours", align: "right" }, ...(withIntervals ? [{ label: "95 % interval", align: "right" }] : []), { label: "paper", align: "right" }, { label: "ours − paper", align: "right" }],
    result.comparisons.map((c) => [c.label, num(c.ours), ...(withIntervals ? [interval(c.oursInterval)] : []), num(c.paper), signed(c.difference)]),
    { table: "comparisons" },
  );
}

async function taskSection(output, rows, width) {
  const { result, ms } = output;
  const task = result.plan.task;
  const section = el("section", { class: "task-result", id: `task-${task}`, dataset: { task } });
  section.append(el("h3", {}, taskName(task)));
  const taskRows = rows.filter((o) => o.task === task);
  if (result.fits.some((f) => f.curves.length) || taskRows.length) {
    const spec = experimentSpec(result, taskRows, { width });
    section.append(await chart(spec, { name: `${result.plan.experiment}-${task}`, caption: `${taskName(task)}: observed scores (dots; open diamonds were held out and predicted), fitted curves on the paper's drawing grid (50 to 131,072 tokens, 1,000 points), each model's context limit n_ctx (dashed)` + (hasBands(result) ? `, and the 95 % bootstrap band of each curve (shaded, ${result.plan.settings.resamples} resamples of ${result.plan.settings.scheme}).` : ".") }));
  }
  section.append(comparisonTable(result));
  for (const f of result.fits) section.append(...fitSection(f));
  const where = ms === null ? "Baked into this page at build time (Node, the same kernel.wasm)" : `Computed in this browser in ${ms.toFixed(0)} ms`;
  section.append(el("p", { class: "fit-meta" }, `${where}. Same numbers from the command line: `, el("code", {}, cliCommand(result.plan))));
  return section;
}

function progressText(p) {
  if (p.progressType === "bootstrap") return `task ${p.job + 1} of ${p.jobs}, fit “${p.fit}”: bootstrap resample ${p.done} of ${p.total}`;
  const stage = p.stage === "global" ? `global search ${p.restart + 1}` : "local refinement";
  return `task ${p.job + 1} of ${p.jobs}, fit ${p.fit + 1}: ${stage}, iteration ${p.iteration}, best SSE ${p.bestSse.toExponential(3)}`;
}

/** Fraction done, from the worker's progress: each task's fits first, then their bootstraps. */
function progressFraction(p, fitsPerJob, restarts) {
  const fits = fitsPerJob[p.job];
  let within;
  if (p.progressType === "bootstrap") {
    const k = Math.max(0, p.fitIndex ?? 0);
    within = 0.3 + (0.7 * (k + p.done / Math.max(1, p.total))) / fits;
  } else {
    const stage = p.stage === "global" ? (p.restart + Math.min(p.iteration / 300, 0.9)) / restarts : 0.95;
    within = (0.3 * (p.fit + Math.min(stage, 1))) / fits;
  }
  return (p.job + Math.min(within, 1)) / p.jobs;
}

/** Builds the page body for an experiment. `config` is the page's configuration block. */
export async function experimentPage(config) {
  const root = el("div", { class: "experiment-page", dataset: { experiment: config.experiment } });
  const data = await siteData();
  const rowsAll = parseObservationsCsv(data.observationsText, "data/observations.csv");
  const tasks = [...new Set(rowsAll.map((o) => o.task))];
  const models = [...new Set(rowsAll.map((o) => o.model))];
  const defaults = {
    tasks: config.tasks ?? tasks,
    variant: config.variant ?? "full",
    threshold: config.threshold ?? PAPER.contextGeneralisationThreshold,
    models: config.models ?? "all",
    seed: config.seed ?? 1,
    restarts: config.restarts ?? 4,
    resamples: config.resamples ?? 1000,
    scheme: config.scheme ?? "observations",
  };
  let state = readState(defaults);
  // "models" is "all" or a comma-separated list; readState leaves non-array defaults as text.
  if (typeof state.models === "string" && state.models !== "all") state.models = state.models.split(",");
  state.tasks = state.tasks.filter((t) => tasks.includes(t));
  if (state.models !== "all") state.models = state.models.filter((m) => models.includes(m));

  const client = createFitClient({ kernelUrl: data.kernelUrl, observationsText: data.observationsText, modelsText: data.modelsText });
  const inputs = inputsForm(config, state, tasks, models);
  const runButton = el("button", { type: "button", textContent: "Run again" });
  const cancelButton = el("button", { type: "button", textContent: "Cancel", disabled: true });
  const bar = el("progress", { max: 1, value: 0 });
  const statusText = el("span", { class: "status-text" }, "loading the kernel …");
  const status = el("div", { class: "fit-status", role: "status", dataset: { state: "idle" } }, bar, statusText, runButton, cancelButton);
  const reproduction = el("div", { class: "reproduction-slot" });
  const results = el("div", { class: "results" });
  const provenance = el("div", { class: "provenance-slot" });
  const dataSlot = el("div", { class: "data-slot" });
  const footer = el("div", { class: "footer-slot" });
  root.append(el("div", { class: "inputs" }, ...Object.values(inputs)), status, reproduction, results, provenance, dataSlot, footer);
  const baked = await bakedResults();
  const bakedFor = (task) => baked.results[config.experiment]?.[task];
  pageFooter(currentPage(), document.title.split("|")[0].trim()).then((f) => footer.replaceChildren(f));

  let runCount = 0;
  async function rerun() {
    const problems = invalid(state);
    if (problems.length) {
      status.dataset.state = "invalid";
      statusText.textContent = `Not run: ${problems.join("; ")}.`;
      return;
    }
    const run = ++runCount;
    const settings = settingsOf(state);
    const rows = state.models === "all" ? rowsAll : rowsAll.filter((o) => state.models.includes(o.model));
    const jobs = state.tasks.map((task) => ({ plan: planFor(config.experiment, task, settings, rows), models: state.models === "all" ? null : state.models }));
    const fitsPerJob = jobs.map((j) => Math.max(1, j.plan.fits.length));
    // With the settings the page was baked with, show the baked numbers at once, then check them.
    const comparable = sameSettings(settings, baked.settings, state.models) && state.tasks.every((t) => bakedFor(t));
    if (comparable && run === 1) {
      const width = Math.min(results.clientWidth || 900, 1100);
      const sections = [];
      for (const task of state.tasks) sections.push(await taskSection({ result: bakedFor(task), ms: null }, rows, width));
      results.replaceChildren(...sections);
      results.dataset.source = "baked";
    }
    reproduction.replaceChildren(reproductionLine(comparable ? { state: "pending" } : { state: "not-compared", detail: "the inputs differ from the defaults this page was baked with, so there is nothing to compare these numbers with; they are computed in this browser only" }));
    status.dataset.state = "running";
    results.classList.add("stale");
    cancelButton.disabled = false;
    bar.value = 0;
    statusText.textContent = "fitting …";
    const t0 = performance.now();
    try {
      const outputs = await client.run(jobs, (p) => {
        bar.value = progressFraction(p, fitsPerJob, state.restarts);
        statusText.textContent = progressText(p);
      });
      if (run !== runCount) return;
      const width = Math.min(results.clientWidth || 900, 1100);
      const sections = [];
      for (const o of outputs) sections.push(await taskSection(o, rows, width));
      results.replaceChildren(...sections);
      results.dataset.source = "browser";
      if (comparable) {
        const detail = outputs.map((o) => firstDifference(bakedFor(o.result.plan.task), o.result, o.result.plan.task)).find((d) => d !== null);
        reproduction.replaceChildren(reproductionLine(detail ? { state: "different", detail } : { state: "identical", count: outputs.length }));
      }
      provenance.replaceChildren(provenanceBlock(data, settings, { experiment: config.experiment, ms: performance.now() - t0, models: state.models }));
      bar.value = 1;
      status.dataset.state = "done";
      status.dataset.run = String(run);
      statusText.textContent = `done: ${outputs.length} task${outputs.length > 1 ? "s" : ""} fitted in ${(performance.now() - t0).toFixed(0)} ms (seed ${settings.seed}, ${settings.restarts} global searches per fit, ${settings.resamples} bootstrap resamples).`;
    } catch (error) {
      if (run !== runCount && error instanceof Cancelled) return;
      status.dataset.state = error instanceof Cancelled ? "cancelled" : "error";
      if (comparable) reproduction.replaceChildren(reproductionLine({ state: "not-compared", detail: error instanceof Cancelled ? "the rerun in this browser was cancelled before it finished" : `the rerun failed (${error.message})` }));
      statusText.textContent = error instanceof Cancelled ? "Cancelled. Change an input or press “Run again”." : `Error: ${error.message}`;
    } finally {
      if (run === runCount) {
        cancelButton.disabled = true;
        results.classList.remove("stale");
      }
    }
  }

  let timer;
  const changed = () => {
    state = readInputs(inputs, state, models);
    writeState(state, defaults);
    clearTimeout(timer);
    timer = setTimeout(rerun, 250); // typing a seed should not start a fit per keystroke
  };
  for (const input of Object.values(inputs)) input.addEventListener("input", changed);
  runButton.addEventListener("click", rerun);
  cancelButton.addEventListener("click", () => client.cancel());

  // The page is ready (for the benchmark and the tests) once the first fits are drawn and the
  // DuckDB tables are shown.
  Promise.all([rerun(), dataSection(dataSlot, state)]).then(() => mark("page-ready"));
  return root;
}

/** The observations behind the page, from DuckDB with the SQL shown (loads after the fits). */
async function dataSection(slot, state) {
  const details = el("details", { class: "data-used" }, el("summary", {}, "The observations behind this page (SQL over DuckDB-WASM)"));
  slot.append(details);
  try {
    const { sql } = await database();
    const tasks = state.tasks;
    const models = state.models;
    const counts = await (models === "all"
      ? sql`SELECT task, model, n_ctx, count(*) AS points, count(*) FILTER (WHERE n_pmt > n_ctx) AS beyond_n_ctx, count(*) FILTER (WHERE paper_role = 'held_out') AS paper_held_out, min(n_pmt) AS min_n_pmt, max(n_pmt) AS max_n_pmt
FROM observations WHERE task IN ${tasks} GROUP BY task, model, n_ctx ORDER BY task, n_ctx, model`
      : sql`SELECT task, model, n_ctx, count(*) AS points, count(*) FILTER (WHERE n_pmt > n_ctx) AS beyond_n_ctx, count(*) FILTER (WHERE paper_role = 'held_out') AS paper_held_out, min(n_pmt) AS min_n_pmt, max(n_pmt) AS max_n_pmt
FROM observations WHERE task IN ${tasks} AND model IN ${models} GROUP BY task, model, n_ctx ORDER BY task, n_ctx, model`);
    details.append(el("p", {}, "Points per model (the fits above see these rows; the hold-out and within/beyond-context splits are the experiment's):"));
    details.append(queryBlock(counts.text, objectTable(counts, { dataset: { table: "sql-counts" } })));
    details.append(el("p", {}, "Every observation is on the ", el("a", { href: "./data.html" }, "Data"), " page, with its provenance."));
    root(slot).dataset.duckdb = "ready";
  } catch (error) {
    details.append(el("p", { class: "error" }, `DuckDB failed: ${error.message}`));
  }
}

const root = (slot) => slot.closest(".experiment-page") ?? slot;
