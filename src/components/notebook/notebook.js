// The pieces of an experiment page written as a notebook (see src/in-distribution.md): inputs
// kept in the URL, the `sql` tag over the page's DuckDB-WASM, the fit as a generator, and the
// cells that show what the fit produced. Framework's runtime does the reactivity: a page
// chains these with ordinary cells, and every piece here is a plain function of its inputs.
// The one thing shared across cells is `shown`: the baked results at once (when the inputs
// are the build's), then the browser's own, so the first chart never waits for DuckDB.
// An experiment of the registry runs on its descriptor's data source (the bundled tables, or
// the public models'); a plan written in a page runs on the bundled tables. A page may hold
// several notebooks (Compute generalisation has two): it is ready when each has shown this
// browser's results.
import * as Inputs from "@observablehq/inputs";
import { Generators } from "observablehq:stdlib";
import { NAMED_LAWS, DEFAULT_SETTINGS, descriptor, isExperiment, fittableLaw, describeLaw } from "../lib.js";
import { siteData } from "./site-data.js";
import { sourceData } from "./data-sources.js";
import { createFitClient } from "./fit-client.js";
import { fitRun } from "./fit-run.js";
import { readState, writeState } from "./url-state.js";
import { databaseFor } from "./db.js";
import { taskName, taskFigure, taskTables } from "../render/result-sections.js";
import { provenanceBlock } from "../render/provenance.js";
import { bakedExperiment, sameSettings, firstDifference, reproductionLine, pageFooter, currentPage } from "./snapshot.js";
import { mark } from "./timing.js";
import { el, checkInteger } from "../render/dom.js";

export const SCHEMES = ["observations", "models"];
/** What a fit's status says in the page's static copy (src/lib/node/static-outputs.ts). */
export const STATIC_STATUS = "Fitted in Chromium when this page was built, from the same plan and data; with JavaScript on, your browser fits them again here.";
const SETTING_KEYS = ["seed", "variant", "threshold", "restarts", "resamples", "scheme"];

/** The library's Settings from the inputs' value and the experiment's defaults (src/lib/experiments.ts); a law as the command line names it (canonical composition). */
export function settingsOf(value, defaults = DEFAULT_SETTINGS) {
  const settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, value[k] ?? defaults[k]]));
  if (!lawProblem(settings.variant)) settings.variant = fittableLaw(settings.variant).name;
  return settings;
}

/**
 * What differs by data source: the threshold, a prompt length in tokens on the bundled tables
 * and a training compute in FLOPs on the public models' (the command line checks it the same
 * way), and whether the law is a setting (the public models' experiment fits a fixed list).
 */
const SOURCES = {
  bundled: {
    input: (value) => Inputs.number([1, 1e9], { label: "hold out n_pmt ≥", value, step: 1 }),
    check: (bad, x) => checkInteger(bad, "threshold", x, 1, 1e9),
    unit: "tokens",
    laws: null, // the law under test is an input
  },
  "public-models": {
    input: (value) => Inputs.number([1e15, 1e30], { label: "fit on C ≤ (FLOPs)", value, step: "any" }),
    check: (bad, x) => { if (!(x > 0) || !Number.isFinite(x)) bad.push(`threshold must be a compute in FLOPs > 0 (e.g. 1e23), got ${x}`); },
    unit: "FLOPs",
    laws: "each of the public-compute laws (PUBLIC_LAWS, src/lib/public-compute.ts)",
  },
};

/** Problems with the settings of a run, in the command line's words (src/cli/fit.ts). */
export function invalid(settings, tasks, rows, source = "bundled") {
  const bad = [];
  checkInteger(bad, "seed", settings.seed, 0, 0xffffffff);
  SOURCES[source].check(bad, settings.threshold);
  checkInteger(bad, "restarts", settings.restarts, 1, 64);
  checkInteger(bad, "resamples", settings.resamples, 0, 1_000_000);
  if (!SCHEMES.includes(settings.scheme)) bad.push(`unknown bootstrap scheme "${settings.scheme}"; valid: ${SCHEMES.join(", ")}`);
  const law = lawProblem(settings.variant);
  if (law) bad.push(law);
  if (tasks.length === 0) bad.push("choose at least one task");
  else if (rows.length === 0) bad.push("choose at least one model");
  return bad;
}

/** Why a law (a name or a composition such as "penalty=decay") cannot be fitted, or null. */
function lawProblem(law) {
  try {
    fittableLaw(String(law));
    return null;
  } catch (err) {
    return err.message;
  }
}

/** The laws the select offers: every named law, and the page's own composition when it is not one of them. */
function lawOptions(current) {
  return NAMED_LAWS.includes(current) || lawProblem(current) ? NAMED_LAWS : [...NAMED_LAWS, current];
}

const INPUTS = {
  // The threshold's input is its data source's (SOURCES).
  tasks: (o, s) => Inputs.checkbox(o.tasks, { label: "tasks", value: s.tasks, format: taskName }),
  // A name or a composition written in the inputs cell (or the URL), e.g. variant: "penalty=decay,floor=fitted".
  variant: (o, s) => Inputs.select(lawOptions(s.variant), { label: "law under test", value: s.variant, format: (v) => (lawProblem(v) ? v : `${v}: ${describeLaw(v)}`) }),
  models: (o, s) => Inputs.checkbox(o.models, { label: "models", value: s.models === "all" ? o.models : s.models }),
  seed: (o, s) => Inputs.number([0, 0xffffffff], { label: "seed", value: s.seed, step: 1 }),
  restarts: (o, s) => Inputs.number([1, 64], { label: "global searches per fit", value: s.restarts, step: 1 }),
  resamples: (o, s) => Inputs.number([0, 1_000_000], { label: "bootstrap resamples (0: none)", value: s.resamples, step: 1 }),
  scheme: (o, s) => Inputs.radio(SCHEMES, { label: "bootstrap unit", value: s.scheme, format: (x) => (x === "observations" ? "single observations" : "whole models") }),
};

// The notebooks of this page that have not yet shown this browser's results.
const unfinished = new Set();
function finished(nb) {
  unfinished.delete(nb);
  if (unfinished.size === 0) mark("page-ready");
}

/** One experiment page's state: its fit worker, its baked results, what it shows. */
export function notebook(experiment) {
  const described = isExperiment(experiment) ? descriptor(experiment) : null;
  const source = described?.data ?? "bundled";
  const defaults = described?.defaults ?? DEFAULT_SETTINGS;
  const settings = (value) => settingsOf(value, defaults);
  let client = null;
  let runs = 0;
  let drawnRun = 0;
  // What the page shows, as one generator for the page's lifetime (a cell `const shown =
  // nb.results`): the baked results whenever the inputs are the build's, then each finished run.
  let current = null; // the inputs' current value
  let latest = null;
  let publish = null;
  const show = (x) => ((latest = x), publish?.(x));
  const results = Generators.observe((notify) => {
    publish = notify;
    if (latest) notify(latest);
  });
  const status = el("div", { class: "fit-status", role: "status", dataset: { state: "idle", staticText: STATIC_STATUS } });
  const bar = el("progress", { max: 1, value: 0 });
  const text = el("span", { class: "status-text" }, "waiting for the data …");
  const cancel = el("button", { type: "button", textContent: "Cancel", disabled: true });
  cancel.addEventListener("click", () => client?.cancel());
  status.append(bar, text, cancel);
  let observations; // the source's rows as parsed by the library, for the baked first chart
  let tables; // the source's tables: texts, files, hashes
  const data = Promise.all([siteData(), sourceData(source)]).then(([site, src]) => ((observations = src.observations), (tables = src), site));
  const newClient = (site) => createFitClient({ kernelUrl: site.kernelUrl, observationsText: tables.observationsText, modelsText: tables.modelsText, observationsFile: tables.files.observations, modelsFile: tables.files.models });

  /** The baked results for these inputs: the results, or null (other inputs), or [] (a plan the build does not bake). */
  async function baselineFor(value) {
    const baked = await bakedExperiment(experiment);
    if (!value) return null;
    const models = value.models?.length === new Set(observations.map((o) => o.model)).size ? "all" : value.models;
    const results = value.tasks.map((t) => baked.results[experiment]?.[t]);
    const comparable = results.length > 0 && results.every(Boolean) && results.every((r) => sameSettings(settings(value), r.plan.settings, models ?? "all"));
    return comparable ? results : baked.results[experiment] ? null : [];
  }

  const nb = {
    experiment,
    settings,

    /** Inputs.form over `defaults` (the page's settings), restored from and written to the URL. */
    async inputs(defaults) {
      const d = await data;
      // Start the kernel's worker and DuckDB now, while the baked results are drawn: the fit
      // cell needs both, and waiting for the SQL cell to ask would add their start-up times
      // (no worker when the source has no rows: there is nothing to fit).
      if (observations.length) client ??= newClient(d);
      databaseFor(tables.tables.observations);
      if (observations.length === 0) {
        // The build had no data for this experiment (the public models' tables are empty when
        // the study's table was absent): nothing to fit, and the cells that show results say so.
        show({ source: "absent", outputs: [], rows: [], check: { state: "not-compared", detail: `the data of this experiment (${tables.files.observations}) are absent from this build` } });
      }
      // The tasks in the order the experiment runs them (the command line's), else the data's.
      const options = { tasks: described ? described.tasks(observations) : [...new Set(observations.map((o) => o.task))], models: [...new Set(observations.map((o) => o.model))] };
      const urlDefaults = { ...defaults, models: "all" };
      const state = readState(urlDefaults);
      if (typeof state.models === "string" && state.models !== "all") state.models = state.models.split(",").filter((m) => options.models.includes(m));
      if (Array.isArray(state.tasks)) state.tasks = state.tasks.filter((t) => options.tasks.includes(t));
      const inputs = {};
      for (const key of Object.keys(defaults)) {
        inputs[key] = key === "threshold" ? SOURCES[source].input(state.threshold) : INPUTS[key](options, state);
        inputs[key].dataset.input = key;
      }
      const form = Inputs.form(inputs);
      // Other inputs than the build's (from the URL, or changed): the page's static copies show
      // the defaults until the live cells replace them, and say so (style.css).
      const stale = () => (document.documentElement.dataset.staticStale = "");
      if (Object.keys(defaults).some((k) => JSON.stringify(state[k]) !== JSON.stringify(urlDefaults[k]))) stale();
      form.addEventListener("input", stale);
      const changed = async () => {
        current = form.value;
        const value = current;
        const baked = await baselineFor(value);
        if (baked?.length && value === current) show({ source: "baked", outputs: baked.map((result) => ({ result, ms: null })), rows: observations, check: { state: "pending" } });
      };
      changed();
      form.addEventListener("input", changed);
      form.addEventListener("input", () => {
        const v = { ...form.value };
        if ("models" in v) v.models = v.models.length === options.models.length ? "all" : v.models;
        writeState(v, urlDefaults);
      });
      return form;
    },

    /** `sql` for fenced ```sql cells: a tagged template over this page's DuckDB (with the tables the query names). */
    sql: async (strings, ...values) => (await databaseFor(strings.join(" "))).sql(strings, ...values),

    /** The fit of `plans` on `rows` (the SQL cell's result): a generator of the run's state. */
    async *fit(plans, rows) {
      const run = ++runs;
      const d = await data;
      if (observations.length === 0) return yield { state: "absent", run, text: `Nothing to fit: the data of this experiment (${tables.files.observations}) are absent from this build.` };
      const settings = plans[0]?.settings ?? { ...defaults };
      const problems = invalid(settings, plans, rows, source);
      if (problems.length) return yield { state: "invalid", run, text: `Not run: ${problems.join("; ")}.` };
      client ??= newClient(d);
      const plain = rows.map((r) => ({ ...r })); // what the worker receives is exactly the SQL's rows
      for await (const state of fitRun(client, plans.map((plan) => ({ plan, rows: plain })), { restarts: settings.restarts })) {
        if (state.state === "done" && (!current || sameRun(current, { settings, outputs: state.outputs, rows: plain }, defaults))) {
          const baked = await baselineFor(current);
          show({ source: "browser", run, outputs: state.outputs, ms: state.ms, rows: plain, settings, check: baked?.length ? check(baked, state.outputs) : baked ? NOT_BAKED : NOT_COMPARED });
        }
        yield { ...state, run };
      }
    },

    /** The status line of a run (one element, updated in place): progress, cancel. */
    status(state) {
      // "done" is set by tables(), once this run's numbers are on the page.
      status.dataset.state = state.state === "done" && drawnRun !== state.run ? "drawing" : state.state;
      status.dataset.run = String(state.run);
      cancel.disabled = state.state !== "running";
      bar.value = state.state === "done" ? 1 : (state.fraction ?? 0);
      text.textContent = state.state === "running" ? state.text
        : state.state === "done" ? `done: ${state.outputs.length} task${state.outputs.length === 1 ? "" : "s"} fitted in ${state.ms.toFixed(0)} ms.`
        : state.state === "cancelled" ? "Cancelled. Change an input to run again."
        : state.state === "error" ? `Error: ${state.error.message}` : state.text;
      return status;
    },

    results,

    /** The figures of what is shown: by default the paper's kind, one per task; `draw(shown, width)` draws others. */
    async figures(shown, width = 900, draw = taskFigures) {
      return el("div", { class: "task-figures", dataset: { source: shown.source, experiment } }, ...(await draw(shown, Math.min(width, 1100))));
    },

    /** The tables of what is shown (by default each task's; `draw(shown)` draws others); the notebook is done once this browser's results are shown. */
    tables(shown, draw = taskTablesOf) {
      const div = el("div", { class: "results", dataset: { source: shown.source, experiment } }, ...draw(shown));
      if (shown.source === "browser" || shown.source === "absent")
        requestAnimationFrame(() => {
          drawnRun = shown.run; // the status cell may update before or after this cell
          if (status.dataset.run === String(shown.run)) status.dataset.state = shown.source === "absent" ? "absent" : "done";
          finished(nb);
        });
      return div;
    },

    /** "identical" (bit for bit the baked numbers), the first difference, or why not compared. */
    reproduction: (shown) => withExperiment(reproductionLine(shown.check ?? { state: "not-compared", detail: "this page's plan is not baked at build time" }), experiment),

    /** Data and kernel hashes, settings and timing of what is shown. */
    async provenance(shown, value) {
      return provenanceBlock(await data, settings(value), { experiment, ms: shown.ms, models: shown.source === "browser" && value.models?.length < new Set(observations.map((o) => o.model)).size ? value.models : "all", tables, thresholdUnit: SOURCES[source].unit, laws: SOURCES[source].laws });
    },

    /** Snapshot identity, "Cite this page", the page's source. */
    footer: () => pageFooter(currentPage(), document.title.split("|")[0].trim()),
  };
  unfinished.add(nb);
  return nb;
}

/** The paper's kind of figure, one per task of what is shown. */
async function taskFigures(shown, width) {
  const figures = [];
  for (const { result } of shown.outputs) figures.push(await taskFigure(result, shown.rows.filter((o) => o.task === result.plan.task), width));
  return figures;
}

/** Each task's tables; a plan written in the page names no command (the command line does not know it). */
function taskTablesOf(shown) {
  const command = (p) => (isExperiment(p.experiment) ? undefined : "none: this plan is written in this page (in Node, runExperiment(kernel, plan, rows) of src/lib/run.ts computes the same)");
  return shown.outputs.map((o) => taskTables(o.result, o.ms, command(o.result.plan)));
}

const withExperiment = (node, experiment) => (node.dataset.experiment = experiment, node);

const NOT_COMPARED = { state: "not-compared", detail: "the inputs differ from the defaults this page was baked with, so there is nothing to compare these numbers with; they are computed in this browser only" };

/** Whether a finished run is of these inputs (a run of older inputs may finish after they changed). */
function sameRun(value, shown, defaults) {
  const settings = settingsOf(value, defaults);
  return SETTING_KEYS.every((k) => settings[k] === shown.settings[k]) &&
    shown.outputs.map((o) => o.result.plan.task).join("\n") === value.tasks.join("\n") &&
    shown.rows.every((r) => !value.models || value.models.includes(r.model));
}

const NOT_BAKED = { state: "not-compared", detail: "this page's plan is written in the page, so the build has no numbers of it to compare with; test/browser/own-plan.test.ts checks that Node's runExperiment gives the same numbers for such a plan" };

function check(baked, outputs) {
  const detail = outputs.map((o, i) => firstDifference(baked[i], o.result, o.result.plan.task)).find((d) => d !== null);
  return detail ? { state: "different", detail } : { state: "identical", count: outputs.length };
}
