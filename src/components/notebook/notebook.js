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
import { NAMED_LAWS, DEFAULT_SETTINGS, descriptor, isExperiment, settingSpec, inputSpecs, settingsProblems, settingsFromSearch, searchFromSettings, fitSettings, experimentCommand, runDocument, experimentRowsQuery, taskProblems, documentPlans, editedName } from "../lib.js";
import { siteData } from "./site-data.js";
import { sourceData } from "./data-sources.js";
import { createFitClient } from "./fit-client.js";
import { fitRun } from "./fit-run.js";
import { databaseFor, queryBlock } from "./db.js";
import { taskFigure, taskTables, sameNumbersLine } from "../render/result-sections.js";
import { provenanceBlock } from "../render/provenance.js";
import { bakedExperiment, sameSettings, firstDifference, reproductionLine, pageFooter, currentPage, snapshotInfo } from "./snapshot.js";
import { createEditing } from "./edit.js";
import { EDITABLE_CELLS } from "./edit-link.js";
import { mark } from "./timing.js";
import { el, downloadLink } from "../render/dom.js";
import { widget } from "./inputs.js";

/** What a fit's status says in the page's static copy (src/lib/node/static-outputs.ts). */
export const STATIC_STATUS = "Fitted in Chromium when this page was built, from the same plan and data; with JavaScript on, your browser fits them again here.";

/** The library's Settings from the inputs' value and the experiment's defaults (src/lib/settings.ts fitSettings): the command line's shape. */
export function settingsOf(value, defaults = DEFAULT_SETTINGS) {
  return fitSettings(value, defaults);
}

/** Problems with the settings of a run, in the command line's words (src/lib/settings.ts), and with its rows. */
export function invalid(settings, plans, rows, source = "bundled") {
  const bad = settingsProblems(settings, source);
  if (plans.length === 0) bad.push("choose at least one task");
  else if (rows.length === 0) bad.push("choose at least one model");
  else if (settings.weights === "binomial" && rows.some((r) => !(r.n_instances > 0)))
    bad.push("binomial weights need the number of evaluated instances behind every score (column n_instances), and these rows have none (the paper published no instance counts); choose weights none, or fit data with counts on Your data");
  else bad.push(...taskProblems(plans, rows, ""));
  return bad;
}

/** A list input's value as the address and the baked results name it: "all" when it holds every option. */
const asAll = (value, options) => (Array.isArray(value) && value.length === options.length && options.every((o) => value.includes(o)) ? "all" : value);

// The notebooks of this page that have not yet shown this browser's results.
const unfinished = new Set();
function finished(nb) {
  unfinished.delete(nb);
  if (unfinished.size === 0) mark("page-ready");
}

/**
 * The part of the address one notebook of a page owns: every parameter when `prefix` is "", else
 * those named `prefix` + setting (a page's second notebook, so its tasks are not the first's).
 */
function ownParams(search, prefix) {
  if (!prefix) return search;
  const out = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(search)) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out.toString();
}

/** The address with this notebook's part replaced by `own` (the rest of the page's parameters kept). */
function withOwnParams(search, own, prefix) {
  if (!prefix) return own;
  const out = new URLSearchParams([...new URLSearchParams(search)].filter(([k]) => !k.startsWith(prefix)));
  for (const [k, v] of new URLSearchParams(own)) out.set(prefix + k, v);
  return out.toString();
}

/** Which cells of the page each setting feeds: the others feed the plan only. An input is set aside while every cell it feeds is edited. */
const FEEDS = { tasks: ["query", "plan"], models: ["query"] };
const feeds = (key) => FEEDS[key] ?? ["plan"];

/**
 * One experiment page's state (its fit workers, its baked results, what it shows); `urlPrefix`
 * names its address parameters when it is not the page's first notebook; `data` the data source
 * of a page's own plan when it is not the bundled tables (a page made from an edit of the public
 * models' section).
 */
export function notebook(experiment, { urlPrefix = "", data: ownSource = "bundled" } = {}) {
  const described = isExperiment(experiment) ? descriptor(experiment) : null;
  const source = described?.data ?? ownSource;
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
  const status = el("div", { class: "fit-status", role: "status", dataset: { state: "idle", staticText: STATIC_STATUS, experiment } });
  const bar = el("progress", { max: 1, value: 0 });
  const text = el("span", { class: "status-text" }, "waiting for the data …");
  const cancel = el("button", { type: "button", textContent: "Cancel", disabled: true });
  cancel.addEventListener("click", () => client?.cancel());
  status.append(bar, text, cancel);
  let options; // the inputs' choices: the data's tasks and models, the laws
  let pageDefaults; // the page's starting values (the experiment's defaults and the page's own)
  let observations; // the source's rows as parsed by the library, for the baked first chart
  let tables; // the source's tables: texts, files, hashes
  const data = Promise.all([siteData(), sourceData(source)]).then(([site, src]) => ((observations = src.observations), (tables = src), site));
  // The reader's edit of the query and plan cells (edit.js), read from the address or the browser's storage before any cell is drawn.
  let lastRows = [];
  let shownEpoch = 0;
  const drawn = new Set(); // the result nodes on the page, marked stale while an edit has not yet rerun
  const editing = createEditing({ experiment, prefix: urlPrefix, source, pageName: currentPage(), title: document.title.split("|")[0].trim(), rows: () => lastRows, changed: () => paintStale() });
  // The snapshot's id (a request of its own) is not waited for: the storage key's page address
  // already tells a snapshot's edits from the live site's; an edit kept or linked names it.
  const restored = data.then((site) => {
    const b = site.build ?? {};
    return editing.restore({ version: b.version ?? "unknown", commit: b.gitCommit ?? null, key: `${b.version ?? "unknown"}+${b.gitCommit ?? "none"}` }, snapshotInfo().then((snap) => snap?.id ?? null));
  });
  let inputsForm = null;
  let setAside = null;
  function paintStale() {
    const stale = editing.pending() || shownEpoch !== editing.epoch();
    for (const node of drawn) {
      // A node not yet on the page is a cell's new output; one that has left it is forgotten.
      if (node.isConnected) node.shownOnce = true;
      else if (node.shownOnce) drawn.delete(node);
      if (stale) node.dataset.stale = "";
      else delete node.dataset.stale;
    }
    if (!inputsForm) return;
    const edited = editing.editedCells();
    const aside = [];
    for (const input of inputsForm.querySelectorAll("[data-input]")) {
      const off = feeds(input.dataset.input).every((c) => edited.includes(c));
      for (const control of input.querySelectorAll("input, select, button")) control.disabled = off;
      if (off) aside.push(settingSpec(input.dataset.input, source)?.label ?? input.dataset.input);
    }
    setAside.hidden = aside.length === 0;
    setAside.textContent = `Set aside while your edit replaces the cells they feed: ${aside.join(", ")}. Reset the edit to use them again.`;
  }
  const keepDrawn = (node) => (drawn.add(node), paintStale(), node);
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

  /**
   * The command that prints one result's numbers, and the document it needs: an experiment of
   * the registry is named with its options (only those that differ from its defaults); a plan
   * written in the page is run as the document this page offers for download.
   */
  function reproducer(shown) {
    if (described && !shown.edited?.length) return (result) => {
      const p = result.plan;
      const values = { ...p.settings, tasks: [p.task], models: shown.source === "browser" ? shown.models : "all" };
      return [experimentCommand(experiment, values, defaults, source), null];
    };
    // One document for the whole run (every task's plan), offered under each task's result.
    const file = shown.edited?.length ? `${editedName(currentPage())}.json` : `${experiment}.json`;
    const href = documentHref(runDocument(shown.query ?? nb.query({ tasks: shown.outputs.map((o) => o.result.plan.task) }), shown.outputs.map((o) => o.result.plan), experiment));
    return () => [`npm run fit -- --plan ${file}`, el("a", { href, download: file, dataset: { document: file } }, file)];
  }

  const nb = {
    experiment,
    settings,

    /**
     * The page's inputs: `keys` names the settings it offers (src/lib/settings.ts), each starting
     * from the experiment's default or `overrides`; restored from and written to the address.
     */
    async inputs(keys, overrides = {}) {
      const d = await data;
      await restored; // an edit's link may carry its own inputs
      document.querySelector("#observablehq-main h1, main h1")?.after(editing.bar);
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
      options = { tasks: described ? described.tasks(observations) : [...new Set(observations.map((o) => o.task))], models: [...new Set(observations.map((o) => o.model))], laws: NAMED_LAWS };
      pageDefaults = { ...defaults, tasks: "all", models: "all", ...overrides };
      const { values: state, problems: unread } = settingsFromSearch(ownParams(location.search, urlPrefix), keys, pageDefaults, source);
      for (const k of ["tasks", "models"]) {
        if (!Array.isArray(state[k])) continue;
        const unknown = state[k].filter((x) => !options[k].includes(x));
        if (unknown.length) unread.push(`${k}: ${unknown.map((x) => JSON.stringify(x).slice(0, 80)).join(", ")} ${unknown.length === 1 ? "is" : "are"} not among the ${k} of these data`);
        state[k] = asAll(state[k].filter((x) => options[k].includes(x)), options[k]);
      }
      const inputs = {};
      for (const spec of inputSpecs(keys, state, options, source)) {
        inputs[spec.key] = widget(spec);
        inputs[spec.key].dataset.input = spec.key;
      }
      const form = Inputs.form(inputs);
      inputsForm = form;
      setAside = el("p", { class: "inputs-set-aside", hidden: true, dataset: { inputsSetAside: "" } });
      form.append(setAside);
      // A link whose settings do not parse, or are out of their ranges, still opens the page: it says what it did not use.
      if (unread.length) form.append(el("p", { class: "inputs-unread", role: "alert", dataset: { inputsUnread: "", liveOnly: "" } }, `Not used from this page's address: ${unread.map((m) => urlPrefix + m).join("; ")}. The inputs show the page's own values instead.`));
      paintStale();
      // Other inputs than the build's (from the URL, or changed): the page's static copies show
      // the defaults until the live cells replace them, and say so (style.css).
      const stale = () => (document.documentElement.dataset.staticStale = "");
      if (searchFromSettings(state, pageDefaults, "", source) !== "") stale();
      form.addEventListener("input", stale);
      const changed = async () => {
        current = form.value;
        const value = current;
        const baked = await baselineFor(value);
        if (baked?.length && value === current && !editing.edited()) show({ source: "baked", outputs: baked.map((result) => ({ result, ms: null })), rows: observations, check: { state: "pending" } });
      };
      changed();
      form.addEventListener("input", changed);
      form.addEventListener("input", () => {
        const v = { ...form.value };
        for (const k of ["tasks", "models"]) if (k in v) v[k] = asAll(v[k], options[k]);
        const query = withOwnParams(location.search, searchFromSettings(v, pageDefaults, ownParams(location.search, urlPrefix), source), urlPrefix);
        history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
      });
      return form;
    },

    /** The experiment's rows query with these inputs (src/lib/run-document.ts): the text shown is the text run. */
    query: (value) => experimentRowsQuery(described ?? { data: source }, value, observations ?? []),

    /**
     * An editable cell (`cell` "query" or "plan") for the page's `view`: its value is `published`
     * (the experiment's query or plans with these inputs) until the reader edits it with its Edit
     * control, then the edit, once it is checked (src/components/notebook/edit.js).
     */
    editable: async (cell, published) => (await restored, editing.editable(cell, published)),

    /** The rows of a query on this page's DuckDB (with the tables it names), as plain objects with `.text`; an edited query's rows are those its check returned. */
    async rows(text) {
      const rows = editing.checkedRows(text) ?? (await (await databaseFor(text)).sql.raw(text));
      lastRows = rows;
      return rows;
    },

    /** The rows the fits receive (with the query above them where no editable cell shows it). */
    rowsTable: (rows) => {
      const table = Inputs.table(rows, { rows: 12, layout: "auto" });
      const count = el("p", { class: "fit-meta", dataset: { rowCount: String(rows.length) } }, `${rows.length.toLocaleString("en")} rows, in the order the fits receive them.`);
      return editing.hasCell("query") ? el("div", { class: "sql-block" }, count, table) : queryBlock(rows.text, table);
    },

    /** A run document's plans with their settings complete (a page made from an edit runs its document). */
    documentPlans: (doc) => documentPlans(doc, "DOCUMENT"),

    /** `sql` for fenced ```sql cells: a tagged template over this page's DuckDB (with the tables the query names). */
    sql: async (strings, ...values) => (await databaseFor(strings.join(" "))).sql(strings, ...values),

    /** The fit of `plans` on `rows` (the SQL cell's result): a generator of the run's state. */
    async *fit(plans, rows) {
      const run = ++runs;
      const epoch = editing.epoch();
      const d = await data;
      if (observations.length === 0) return yield { state: "absent", run, text: `Nothing to fit: the data of this experiment (${tables.files.observations}) are absent from this build.` };
      const settings = plans[0]?.settings ?? { ...defaults };
      const problems = invalid(settings, plans, rows, source);
      if (problems.length) return yield { state: "invalid", run, text: `Not run: ${problems.join("; ")}.` };
      client ??= newClient(d);
      const plain = rows.map((r) => ({ ...r })); // what the worker receives is exactly the SQL's rows
      for await (const state of fitRun(client, plans.map((plan) => ({ plan, rows: plain })), { restarts: settings.restarts })) {
        const edited = editing.editedCells().length > 0; // cells the reader edited and that are applied
        if (state.state === "done" && (edited ? epoch === editing.epoch() : !current || sameRun(current, { settings, outputs: state.outputs, rows: plain }, defaults))) {
          const baked = edited ? null : await baselineFor(current);
          shownEpoch = epoch;
          show({ source: "browser", run, outputs: state.outputs, ms: state.ms, rows: plain, settings, edited: editing.editedCells(), models: edited ? "all" : asAll(current?.models ?? "all", options?.models ?? []), query: rows.text, check: edited ? EDITED : baked?.length ? check(baked, state.outputs) : baked ? NOT_BAKED : NOT_COMPARED });
          paintStale();
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
      return keepDrawn(el("div", { class: "task-figures", dataset: { source: shown.source, experiment } }, ...(await draw(shown, Math.min(width, 1100)))));
    },

    /**
     * The tables of what is shown (by default each task's; `draw(shown, line)` draws others, with
     * `line(output)` the line under a result naming its command); the notebook is done once this
     * browser's results are shown.
     */
    tables(shown, draw = (x, line) => x.outputs.map((o) => taskTables(o.result, line(o)))) {
      const reproduce = reproducer(shown);
      const line = (o) => sameNumbersLine(o.ms, ...reproduce(o.result), resultsLink(o.result));
      const div = keepDrawn(el("div", { class: "results", dataset: { source: shown.source, experiment, ...(shown.edited?.length ? { edited: shown.edited.join(" ") } : {}) } }, ...draw(shown, line)));
      if (shown.source === "browser" || shown.source === "absent")
        requestAnimationFrame(() => {
          drawnRun = shown.run; // the status cell may update before or after this cell
          if (status.dataset.run === String(shown.run)) status.dataset.state = shown.source === "absent" ? "absent" : "done";
          finished(nb);
        });
      return div;
    },

    /** "identical" (bit for bit the baked numbers), the first difference, or why not compared. */
    reproduction: (shown) => keepDrawn(withExperiment(reproductionLine(shown.check ?? { state: "not-compared", detail: "this page's plan is not baked at build time" }), experiment)),

    /** Data and kernel hashes, settings and timing of what is shown. */
    async provenance(shown, value) {
      const edited = shown.edited ?? [];
      const models = shown.source !== "browser" ? "all" : edited.includes("query") ? "query" : asAll(value.models ?? "all", options?.models ?? []);
      // An edit's settings are its plan's, not the inputs'.
      const used = edited.length ? shown.settings : settings(value);
      return keepDrawn(provenanceBlock(await data, used, { experiment, ms: shown.ms, models, tables, edited: edited.map((c) => EDITABLE_CELLS[c]), thresholdUnit: settingSpec("threshold", source).unit, laws: settingSpec("variant", source) ? null : LAWS_NOT_A_SETTING }));
    },

    /** Snapshot identity, "Cite this page" (saying so when the page shows an edit), the page's source. */
    async footer() {
      const box = await pageFooter(currentPage(), document.title.split("|")[0].trim());
      box.querySelector(".cite summary")?.after(editing.citeNote);
      return box;
    },
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

/** A link that downloads one result exactly as computed (JSON), made when it is clicked; a running page's only. */
function resultsLink(result) {
  const name = `${result.plan.experiment}-${result.plan.task}-results.json`;
  const a = downloadLink(name, name, "application/json", () => `${JSON.stringify(result, null, 1)}\n`, { dataset: { results: result.plan.task } });
  return el("span", { dataset: { liveOnly: "" } }, "; these numbers as JSON: ", a);
}

/** The laws' provenance where the law is not a setting (the public models' experiment fits a fixed list). */
const LAWS_NOT_A_SETTING = "each of the public-compute laws (PUBLIC_LAWS, src/lib/public-compute.ts)";

/** The address of a run document (docs/run-document.md) that a link downloads with no script: its bytes are in the address. */
const documentHref = (doc) => `data:application/json;charset=utf-8,${encodeURIComponent(`${JSON.stringify(doc, null, 1)}\n`)}`;

const withExperiment = (node, experiment) => (node.dataset.experiment = experiment, node);

const EDITED = { state: "not-compared", detail: "these are the numbers of your edit of this page, computed in this browser; the published page's numbers are the baked ones, which Reset brings back" };

const NOT_COMPARED = { state: "not-compared", detail: "the inputs differ from the defaults this page was baked with, so there is nothing to compare these numbers with; they are computed in this browser only" };

/** Whether a finished run is of these inputs (a run of older inputs may finish after they changed). */
function sameRun(value, shown, defaults) {
  const settings = settingsOf(value, defaults);
  return JSON.stringify(settings) === JSON.stringify(shown.settings) &&
    shown.outputs.map((o) => o.result.plan.task).join("\n") === value.tasks.join("\n") &&
    shown.rows.every((r) => !value.models || value.models.includes(r.model));
}

const NOT_BAKED = { state: "not-compared", detail: "this page's plan is written in the page, so the build has no numbers of it to compare with; test/browser/own-plan.test.ts checks that Node's runExperiment gives the same numbers for such a plan" };

function check(baked, outputs) {
  const detail = outputs.map((o, i) => firstDifference(baked[i], o.result, o.result.plan.task)).find((d) => d !== null);
  return detail ? { state: "different", detail } : { state: "identical", count: outputs.length };
}
