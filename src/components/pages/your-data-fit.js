// The fit of the "Your data" page: inputs, the run in the fitting worker (fit-run.js, shared
// with the experiment pages), and per task the figure and the tables (result-sections.js).
import * as Inputs from "@observablehq/inputs";
import { csvParseRows } from "d3-dsv";
import { NAMED_LAWS, LAW_DESCRIPTIONS, num, inputSpecs, settingsProblems } from "../lib.js";
import { widget } from "../notebook/inputs.js";
import { userPlan, curvesFor, xDomain, defaultShownModels, cliCommands, DEFAULT_FIT_SETTINGS } from "../lib-import.js";
import { createFitClient, Cancelled } from "../notebook/fit-client.js";
import { fitRun } from "../notebook/fit-run.js";
import { chart } from "../render/vega.js";
import { yourDataSpec } from "./your-data-figure.js";
import { htmlTable } from "../render/tables.js";
import { paramsTable, splitsTable } from "../render/result-sections.js";
import { plural } from "./your-data-files.js";
import { el, checkInteger } from "../render/dom.js";

const OBS_COLUMNS = ["task", "model", "n_ctx", "compute_flops", "shots", "n_pmt", "score", "metric", "score_uncertainty", "source"];

/** The observations table: the cells of the project's CSV, exactly as the download holds them. */
export function observationsTable(csv) {
  const [header, ...rows] = csvParseRows(csv);
  const idx = OBS_COLUMNS.map((c) => header.indexOf(c));
  const numeric = new Set(["n_ctx", "compute_flops", "shots", "n_pmt", "score", "score_uncertainty"]);
  const table = htmlTable(
    OBS_COLUMNS.map((c) => ({ label: c, align: numeric.has(c) ? "right" : undefined })),
    rows.map((r) => idx.map((j) => r[j] ?? "")),
    { table: "observations" },
  );
  // The source column is long: shown in full on hover.
  for (const tr of table.tBodies[0].rows) {
    const td = tr.cells[OBS_COLUMNS.length - 1];
    td.title = td.textContent;
    td.className = "source-cell";
  }
  return table;
}

function fitParts(f) {
  const parts = [];
  if (f.refused)
    parts.push(el("p", { class: "refused" }, `${f.variant} refused: ${f.refused.message}.` + (f.refused.fallback ? ` Fitted ${f.refused.fallback} instead (a free compute factor c in place of the compute law).` : "")));
  if (f.fit) {
    const fit = f.fit;
    parts.push(el("h4", {}, `Fitted parameters — ${fit.variant}, ${plural(f.nFit, "point")} (${f.fitOn})`));
    parts.push(paramsTable(f));
    parts.push(el("p", { class: "fit-meta" },
      `SSE ${num(fit.sse, 6)}, status ${fit.status}, best reached by ${fit.globalSearch.restartsAtBest} of ${fit.globalSearch.restarts} global searches, ` +
        `${fit.globalSearch.generations} generations, ${fit.evaluations} evaluations, condition number ${num(fit.conditionNumber, 1)}.` +
        (fit.undetermined.length ? ` Not determined by these data: ${fit.undetermined.join(", ")}.` : "")));
    if (f.uncertainty) {
      const u = f.uncertainty;
      parts.push(el("p", { class: "fit-meta" }, `Intervals: ${Math.round(u.level * 100)} % percentile bootstrap from ${u.kept} of ${u.requested} resamples of ${u.scheme}` + (u.dropped ? ` (${u.dropped} dropped: one compute level)` : "") + "."));
    }
    for (const w of f.identifiability?.warnings ?? []) parts.push(el("p", { class: "refused" }, `Warning: ${w}`));
  }
  parts.push(el("h4", {}, "Errors"));
  parts.push(splitsTable(f));
  const reasons = f.splits.filter((s) => !s.errors && s.reason);
  if (reasons.length) parts.push(el("ul", { class: "reasons" }, ...reasons.map((s) => el("li", {}, `${s.name}: ${s.reason}`))));
  return parts;
}

/** The choices of list inputs (this section offers none). */
const NO_OPTIONS = { tasks: [], models: [], laws: NAMED_LAWS };

/** The fit section, drawn into `fitSlot`: show(outcome, format, modelsGiven) fits a clean import; clear() stops any run. */
export function fitSection({ data, kernel, fitSlot }) {
  let outcome = null;
  let client = null;
  let clientCsv = null;
  const fitInputs = {
    variant: Inputs.select(NAMED_LAWS, { label: "law to fit", value: DEFAULT_FIT_SETTINGS.variant, format: (v) => `${v}: ${LAW_DESCRIPTIONS[v]}` }),
    holdout: Inputs.text({ label: "hold out n_pmt ≥", placeholder: "empty: fit every point", value: "" }),
    // The fitting settings as every page offers them (src/lib/settings.ts).
    ...Object.fromEntries(inputSpecs(["seed", "restarts", "resamples"], DEFAULT_FIT_SETTINGS, NO_OPTIONS).map((spec) => [spec.key, widget(spec)])),
  };
  for (const [k, input] of Object.entries(fitInputs)) input.dataset.input = k;
  const runButton = el("button", { type: "button", textContent: "Fit again" });
  const cancelButton = el("button", { type: "button", textContent: "Cancel", disabled: true });
  const bar = el("progress", { max: 1, value: 0 });
  const statusText = el("span", { class: "status-text" });
  const status = el("div", { class: "fit-status", role: "status", dataset: { state: "idle" } }, bar, statusText, runButton, cancelButton);
  const results = el("div", { class: "results" });
  const fitHeader = [
    el("h2", {}, "The law fitted to your data"),
    el("p", {}, "One fit per task, in Web Workers of this page (one per task, as many as the browser has cores, at most four), by the WebAssembly kernel the command line runs: differential evolution then a bounded local refinement, as on every page of this site (",
      el("a", { href: "./method.html" }, "Method"), "). With one compute level in a task the compute exponent α cannot be fitted; the kernel refuses and the page fits ",
      el("code", {}, "fixed-compute"), " instead, saying so."),
    el("div", { class: "inputs" }, ...Object.values(fitInputs)),
    status,
  ];

  function settings() {
    const h = fitInputs.holdout.value.trim();
    const threshold = h === "" ? null : Number(h);
    return { ...DEFAULT_FIT_SETTINGS, variant: fitInputs.variant.value, seed: fitInputs.seed.value, restarts: fitInputs.restarts.value, resamples: fitInputs.resamples.value, threshold };
  }

  function invalid(s) {
    const bad = settingsProblems({ seed: s.seed, restarts: s.restarts, resamples: s.resamples });
    if (s.threshold !== null) checkInteger(bad, "hold-out threshold", s.threshold, 1, 1e9);
    return bad;
  }

  let runCount = 0;
  let currentFormat = null;
  let modelsGiven = false;

  function showFit(format, given) {
    currentFormat = format;
    modelsGiven = given;
    if (!fitSlot.contains(status)) fitSlot.replaceChildren(...fitHeader, results);
    results.replaceChildren();
    if (client && clientCsv !== outcome.csv) client.cancel();
    if (!client || clientCsv !== outcome.csv) {
      // The worker is given the validated CSV text (the same bytes the download holds) and parses
      // and cross-checks it again, as `npm run fit -- --data` would.
      client = createFitClient({ kernelUrl: data.kernelUrl, observationsText: outcome.csv, modelsText: outcome.modelsCsv, observationsFile: "your observations", modelsFile: outcome.table.file });
      clientCsv = outcome.csv;
    }
    refit();
  }

  async function refit() {
    if (!outcome?.ok) return;
    const s = settings();
    const bad = invalid(s);
    if (bad.length) {
      status.dataset.state = "invalid";
      statusText.textContent = `Not fitted: ${bad.join("; ")}.`;
      return;
    }
    const run = ++runCount;
    const obs = outcome.observations;
    const tasks = [...new Set(obs.map((o) => o.task))];
    const jobs = tasks.map((task) => ({ plan: userPlan(task, s), models: null }));
    status.dataset.state = "running";
    results.classList.add("stale");
    cancelButton.disabled = false;
    bar.value = 0;
    statusText.textContent = "fitting …";
    const t0 = performance.now();
    try {
      let outputs;
      for await (const state of fitRun(client, jobs, { restarts: s.restarts })) {
        if (run !== runCount) return;
        if (state.state === "running") {
          bar.value = state.fraction;
          statusText.textContent = state.text;
        } else if (state.state === "done") outputs = state.outputs;
        else throw state.error;
      }
      if (run !== runCount) return;
      const width = Math.min(results.clientWidth || 900, 1100);
      const sections = [];
      for (const o of outputs) sections.push(await taskSection(o, obs, width, s));
      results.replaceChildren(...sections);
      bar.value = 1;
      status.dataset.state = "done";
      status.dataset.run = String(run);
      statusText.textContent = `done: ${plural(outputs.length, "task")} fitted in this browser in ${(performance.now() - t0).toFixed(0)} ms (seed ${s.seed}, ${s.restarts} global searches per fit${s.resamples ? `, ${s.resamples} bootstrap resamples` : ""}).`;
    } catch (error) {
      if (run !== runCount && error instanceof Cancelled) return;
      status.dataset.state = error instanceof Cancelled ? "cancelled" : "error";
      statusText.textContent = error instanceof Cancelled ? "Cancelled. Change a setting or press “Fit again”." : `Error: ${error.message}`;
    } finally {
      if (run === runCount) {
        cancelButton.disabled = true;
        results.classList.remove("stale");
      }
    }
  }

  async function taskSection(output, obs, width, s) {
    const { result, ms } = output;
    const task = result.plan.task;
    const taskRows = obs.filter((o) => o.task === task);
    const f = result.fits[0];
    const section = el("section", { class: "task-result", dataset: { task } }, el("h3", {}, `Task: ${task}`));
    const models = [...new Set(taskRows.map((o) => o.model))];
    const figureSlot = el("div", { class: "yd-figure" });
    const drawn = defaultShownModels(taskRows);
    const draw = async (shown) => {
      const fitRows = taskRows.filter((o) => (s.threshold === null ? true : o.n_pmt < s.threshold));
      const curves = f.fit ? curvesFor(kernel, f.fit, taskRows, fitRows, shown) : [];
      const spec = yourDataSpec({ taskRows, fitOn: result.plan.fits[0].fitOn, curves, models: shown, domain: xDomain(taskRows), width, fitName: f.fit ? `${f.fit.variant} fit` : "no fit" });
      const missing = shown.filter((m) => !curves.some((c) => c.model === m));
      const caption = `${task}: observed scores (dots; open diamonds were held out and predicted), the ${f.fit?.variant ?? "—"} law fitted in this browser (line) and each model's context limit n_ctx (dashed, where it falls inside the axis).` +
        (missing.length && f.fit ? ` No line for ${missing.join(", ")}: a fixed-compute fit cannot predict another compute level.` : "");
      figureSlot.replaceChildren(await chart(spec, { name: `your-data-${task}`, caption }));
    };
    if (models.length > drawn.length) {
      const chooser = Inputs.select(models, { label: `models drawn (${drawn.length} of ${models.length}; hold Ctrl or ⌘ to choose several)`, multiple: true, value: drawn, width: 520 });
      chooser.addEventListener("input", () => draw(chooser.value.length ? chooser.value : drawn));
      section.append(chooser);
    }
    section.append(figureSlot);
    await draw(drawn);
    section.append(...fitParts(f));
    const cmd = cliCommands(currentFormat, task, s, modelsGiven);
    section.append(el("p", { class: "fit-meta" }, `Computed in this browser in ${ms.toFixed(0)} ms. The same numbers from the command line, with the two CSVs above saved: `,
      el("code", {}, cmd.fitCommand)));
    return section;
  }

  let timer;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(refit, 300);
  };
  for (const input of Object.values(fitInputs)) input.addEventListener("input", changed);
  runButton.addEventListener("click", refit);
  cancelButton.addEventListener("click", () => client?.cancel());

  return {
    show(o, format, given) {
      outcome = o;
      showFit(format, given);
    },
    clear: () => client?.cancel(),
  };
}
