// The "Your data" page: a reader drops evaluation results (files or whole folders), the
// library's importers check them here in the browser (the same code as `npm run import`), every
// problem is listed one per line, and only a clean import is shown and fitted, in the fitting
// Web Worker (fit-worker.js, plans given as data). Files are read with the File API and never
// leave the browser: nothing here sends a request with their contents.
import * as Inputs from "@observablehq/inputs";
import { csvParseRows } from "d3-dsv";
import { Kernel, VARIANTS, VARIANT_DESCRIPTIONS, num } from "./lib.js";
import { formatProblem } from "../lib/observations.js";
import {
  FORMATS, FORMAT_INFO, FORMAT_OPTIONS, detectFormat, filesFor, runImport, userPlan, curvesFor, xDomain, defaultShownModels,
  documentedTableLabel, cliCommands, DEFAULT_FIT_SETTINGS,
} from "../lib/import/your-data.js";
import { siteData } from "./site-data.js";
import { createFitClient, Cancelled } from "./fit-client.js";
import { chart } from "./vega.js";
import { yourDataSpec } from "./your-data-figure.js";
import { htmlTable } from "./tables.js";
import { mark } from "./timing.js";
import { el, checkInteger } from "./dom.js";


const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Files larger than this inside a folder are skipped (a folder drop may hold anything). */
const FOLDER_FILE_LIMIT = 64 * 1024 * 1024;
/** The kinds of file a folder contributes: every format reads CSV or JSON. */
const READABLE = /\.(csv|json)$/i;

/** UTF-8 text as Node's readFileSync(…, "utf8") gives it: a byte-order mark kept, invalid bytes as U+FFFD, so the importers report both. */
async function textOf(file) {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.arrayBuffer());
}

const hidden = (path) => path.split("/").some((part) => part.startsWith(".") || part === "node_modules");

/** Reads File objects into {name, text, fromFolder}; folder files only if a format could read them. */
async function readAll(items, skipped) {
  const out = [];
  for (const { file, name, fromFolder } of items) {
    if (fromFolder && (hidden(name) || !READABLE.test(name))) {
      skipped.push(`${name} (not CSV or JSON)`);
      continue;
    }
    if (fromFolder && file.size > FOLDER_FILE_LIMIT) {
      skipped.push(`${name} (${(file.size / 1e6).toFixed(0)} MB, larger than ${FOLDER_FILE_LIMIT / 1024 / 1024} MB)`);
      continue;
    }
    out.push({ name, text: await textOf(file), fromFolder, size: file.size });
  }
  return out;
}

// --- Drag and drop: folders through the File and Directory Entries API -----------------------

const entryFile = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));

async function directoryEntries(dir) {
  const reader = dir.createReader();
  const all = [];
  // readEntries returns the entries in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function walkEntry(entry, out, fromFolder) {
  if (entry.isFile) {
    out.push({ file: await entryFile(entry), name: entry.fullPath.replace(/^\//, ""), fromFolder });
  } else if (entry.isDirectory) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return;
    for (const child of await directoryEntries(entry)) await walkEntry(child, out, true);
  }
}

/** The files of a drop: folders walked recursively (paths kept, as the importers read model and dataset from them). */
async function droppedItems(dataTransfer) {
  const out = [];
  const items = [...(dataTransfer.items ?? [])].filter((i) => i.kind === "file");
  if (items.length) {
    // Entries must be taken synchronously, before the first await: the list is emptied after the event.
    const pairs = items.map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
    for (const { entry, file } of pairs) {
      if (entry) await walkEntry(entry, out, false);
      else if (file) out.push({ file, name: file.webkitRelativePath || file.name, fromFolder: false });
    }
  } else {
    for (const file of dataTransfer.files ?? []) out.push({ file, name: file.webkitRelativePath || file.name, fromFolder: false });
  }
  return out;
}

function fromInput(input) {
  return [...input.files].map((file) => ({ file, name: file.webkitRelativePath || file.name, fromFolder: Boolean(file.webkitRelativePath) }));
}

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function download(text, filename, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// --- The page ---------------------------------------------------------------------------------

const OBS_COLUMNS = ["task", "model", "n_ctx", "compute_flops", "shots", "n_pmt", "score", "metric", "score_uncertainty", "source"];

/** The observations table: the cells of the project's CSV, exactly as the download holds them. */
function observationsTable(csv) {
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

function interval(iv) {
  return iv ? `[${num(iv[0])}, ${num(iv[1])}]` : "—";
}

function paramsTable(f) {
  const fit = f.fit;
  const withIv = f.uncertainty !== undefined;
  const iv = f.uncertainty?.params ?? {};
  return htmlTable(
    [{ label: "parameter" }, { label: "value", align: "right" }, { label: "standard error", align: "right" }, ...(withIv ? [{ label: "95 % bootstrap interval", align: "right" }] : [])],
    fit.paramNames.map((p) => [p, num(fit.params[p]), fit.se[p] === null ? "undetermined" : num(fit.se[p]), ...(withIv ? [interval(iv[p])] : [])]),
    { table: "params", fit: f.label },
  );
}

function splitsTable(f) {
  const withIv = f.uncertainty !== undefined;
  return htmlTable(
    [{ label: "split" }, { label: "n", align: "right" }, { label: "MAE", align: "right" }, ...(withIv ? [{ label: "95 % interval", align: "right" }] : []), { label: "max |err|", align: "right" }, { label: "SSE", align: "right" }],
    f.splits.map((s) =>
      s.errors
        ? [s.name, s.errors.n, num(s.errors.mae), ...(withIv ? [interval(s.maeInterval)] : []), num(s.errors.maxAbs), num(s.errors.sse, 6)]
        : [s.name, "—", "—", ...(withIv ? ["—"] : []), "—", "—"]),
    { table: "splits", fit: f.label },
  );
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

function progressText(p) {
  if (p.progressType === "bootstrap") return `task ${p.job + 1} of ${p.jobs}: bootstrap resample ${p.done} of ${p.total}`;
  const stage = p.stage === "global" ? `global search ${p.restart + 1}` : "local refinement";
  return `task ${p.job + 1} of ${p.jobs}: ${stage}, iteration ${p.iteration}, best SSE ${p.bestSse.toExponential(3)}`;
}

function progressFraction(p, restarts, resamples) {
  let within;
  const fitShare = resamples > 0 ? 0.3 : 1;
  if (p.progressType === "bootstrap") within = fitShare + (1 - fitShare) * (p.done / Math.max(1, p.total));
  else within = fitShare * (p.stage === "global" ? Math.min((p.restart + Math.min(p.iteration / 300, 0.9)) / restarts, 0.95) : 0.97);
  return (p.job + within) / p.jobs;
}

/** Builds the page's interactive part. */
export async function yourDataPage() {
  const data = await siteData();
  const kernel = await Kernel.load(data.kernelBytes);

  // ---- inputs ----
  const filesInput = el("input", { type: "file", multiple: true, dataset: { input: "files" } });
  const folderInput = el("input", { type: "file", multiple: true, webkitdirectory: true, dataset: { input: "folder" } });
  const modelsInput = el("input", { type: "file", accept: ".csv,text/csv", dataset: { input: "models" } });
  const taskMapInput = el("input", { type: "file", accept: ".csv,text/csv", dataset: { input: "task-map" } });
  const formatSelect = el("select", { dataset: { input: "format" } });
  const tokensInput = el("input", { type: "text", placeholder: "e.g. 40 or banking77=39,nlu=25", dataset: { input: "tokens-per-shot" }, size: 28 });
  const metricInput = el("input", { type: "text", placeholder: "acc", dataset: { input: "metric" }, size: 12 });
  const tasksInput = el("input", { type: "text", placeholder: "all tasks with the metric", dataset: { input: "tasks" }, size: 28 });
  const clearButton = el("button", { type: "button", textContent: "Forget all files" });
  const clearModels = el("button", { type: "button", textContent: "use the documented table", hidden: true });
  const clearTaskMap = el("button", { type: "button", textContent: "use the default map", hidden: true });

  const pick = (label, input, hint) => el("label", { class: "yd-pick" }, el("span", { class: "yd-button" }, label), input, hint && el("span", { class: "yd-hint" }, hint));
  const dropZone = el("div", { class: "yd-drop", tabIndex: 0, dataset: { dropZone: "" } },
    el("p", { class: "yd-drop-title" }, "Drop files or folders here"),
    el("p", { class: "yd-drop-sub" }, "or ", pick("choose files", filesInput), " ", pick("choose a folder", folderInput)),
    el("p", { class: "yd-drop-sub" }, "Read in this browser only: nothing is uploaded."));

  const fileSummary = el("div", { class: "yd-files", dataset: { files: "0" } });
  const modelsStatus = el("span", { class: "yd-hint" });
  const taskMapStatus = el("span", { class: "yd-hint" });
  const formatStatus = el("span", { class: "yd-hint", dataset: { detected: "" } });
  const row = (label, ...controls) => el("div", { class: "yd-row" }, el("span", { class: "yd-label" }, label), el("span", { class: "yd-controls" }, ...controls));
  const tokensRow = row("tokens per shot", tokensInput, el("span", { class: "yd-hint", dataset: { hint: "tokens" } }));
  const metricRow = row("metric", metricInput);
  const tasksRow = row("tasks", tasksInput, el("span", { class: "yd-hint" }, "comma-separated harness tasks"));
  const taskMapRow = row("task map (optional)", pick("choose a CSV", taskMapInput), clearTaskMap, taskMapStatus);
  const importForm = el("div", { class: "yd-form" },
    row("format", formatSelect, formatStatus),
    row("models table", pick("choose a CSV", modelsInput), clearModels, modelsStatus),
    taskMapRow, tokensRow, metricRow, tasksRow);

  const importStatus = el("p", { class: "yd-import-status", role: "status", dataset: { state: "empty" } }, "No files yet.");
  const problemsList = el("ol", { class: "yd-problems", dataset: { problems: "0" } });
  const notesList = el("ul", { class: "yd-notes" });
  const observationsSlot = el("section", { class: "yd-observations" });
  const fitSlot = el("section", { class: "yd-fit" });

  const root = el("div", { class: "your-data" }, dropZone, fileSummary, importForm, clearButton, importStatus, problemsList, notesList, observationsSlot, fitSlot);

  for (const f of ["detect", ...FORMATS]) formatSelect.append(el("option", { value: f, textContent: f === "detect" ? "detect from the files" : `${f}: ${FORMAT_INFO[f].title}` }));

  // ---- state ----
  let files = []; // {name, text, fromFolder, size}, sorted by name
  let skipped = [];
  let modelsFile = null;
  let taskMapFile = null;
  let outcome = null;
  let client = null;
  let clientCsv = null;

  async function addItems(items) {
    importStatus.dataset.state = "reading";
    importStatus.textContent = `Reading ${plural(items.length, "file")} in this browser …`;
    const read = await readAll(items, skipped);
    const names = new Set(read.map((f) => f.name));
    files = [...files.filter((f) => !names.has(f.name)), ...read].sort(byName);
    update();
  }

  dropZone.addEventListener("dragover", (e) => {
    e.preventDefault();
    dropZone.classList.add("yd-over");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("yd-over"));
  // A file dropped anywhere on the page counts (rather than the browser opening it in place of the page).
  const onDrop = async (e) => {
    e.preventDefault();
    dropZone.classList.remove("yd-over");
    if (e.dataTransfer) await addItems(await droppedItems(e.dataTransfer));
  };
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", onDrop);
  filesInput.addEventListener("change", () => addItems(fromInput(filesInput)).then(() => (filesInput.value = "")));
  folderInput.addEventListener("change", () => addItems(fromInput(folderInput)).then(() => (folderInput.value = "")));
  modelsInput.addEventListener("change", async () => {
    const f = modelsInput.files[0];
    modelsFile = f ? { name: f.name, text: await textOf(f), fromFolder: false } : null;
    modelsInput.value = "";
    update();
  });
  taskMapInput.addEventListener("change", async () => {
    const f = taskMapInput.files[0];
    taskMapFile = f ? { name: f.name, text: await textOf(f), fromFolder: false } : null;
    taskMapInput.value = "";
    update();
  });
  clearModels.addEventListener("click", () => {
    modelsFile = null;
    update();
  });
  clearTaskMap.addEventListener("click", () => {
    taskMapFile = null;
    update();
  });
  clearButton.addEventListener("click", () => {
    files = [];
    skipped = [];
    update();
  });
  for (const input of [formatSelect]) input.addEventListener("change", update);
  for (const input of [tokensInput, metricInput, tasksInput]) input.addEventListener("change", update);

  function showFiles() {
    fileSummary.dataset.files = String(files.length);
    if (!files.length && !skipped.length) {
      fileSummary.replaceChildren();
      return;
    }
    const list = el("ul", {}, ...files.map((f) => el("li", {}, `${f.name} `, el("span", { class: "yd-hint" }, `${(f.size / 1024).toFixed(1)} kB${f.fromFolder ? "" : ", named"}`))));
    const details = el("details", {}, el("summary", {}, `${plural(files.length, "file")} read in this browser` + (skipped.length ? `, ${skipped.length} skipped` : "")), list);
    if (skipped.length) details.append(el("p", { class: "yd-hint" }, `Skipped in folders: ${skipped.slice(0, 20).join("; ")}${skipped.length > 20 ? `; … ${skipped.length - 20} more` : ""}`));
    fileSummary.replaceChildren(details);
  }

  function showProblems(problems) {
    problemsList.dataset.problems = String(problems.length);
    problemsList.replaceChildren(...problems.map((p) => el("li", {
      dataset: { file: p.file, row: p.row === null ? "" : String(p.row), field: p.field ?? "" },
    }, el("code", {}, formatProblem(p)))));
  }

  function update() {
    showFiles();
    const detection = detectFormat(files);
    const chosen = formatSelect.value;
    const format = chosen === "detect" ? detection.format : chosen;
    // A dropped file that looks like a models table or task map is used as one, unless the reader chose one.
    const droppedModels = !modelsFile && detection.modelsTables.length === 1 ? detection.modelsTables[0] : null;
    const droppedMap = !taskMapFile && detection.taskMaps.length === 1 ? detection.taskMaps[0] : null;
    const models = modelsFile ?? droppedModels;
    const taskMap = taskMapFile ?? droppedMap;
    formatStatus.dataset.detected = detection.format ?? "";
    formatStatus.textContent = files.length ? (chosen === "detect" ? `detected: ${detection.reason}` : `chosen by you (detected: ${detection.reason})`) : "";
    clearModels.hidden = !modelsFile;
    clearTaskMap.hidden = !taskMapFile;
    modelsStatus.textContent = models
      ? `using ${models.name}${droppedModels ? " (dropped with the files: it has the columns of a models table)" : ""}`
      : format ? `none given: using ${documentedTableLabel(format) ?? "nothing — this format needs one"}` : "none given";
    taskMapStatus.textContent = taskMap ? `using ${taskMap.name}${droppedMap ? " (dropped with the files)" : ""}` : "none given: the paper's grouping (npm run import -- task-map)";
    const opts = format ? FORMAT_OPTIONS[format] : null;
    tokensRow.hidden = !opts?.tokensPerShot;
    metricRow.hidden = !opts?.metric;
    tasksRow.hidden = !opts?.tasks;
    taskMapRow.hidden = !opts?.taskMap;
    tokensRow.querySelector("[data-hint]").textContent = opts?.tokensPerShot === "required"
      ? "required: the files hold no prompt lengths; n_pmt = (shots + 1) × this"
      : format === "bertsch" ? "default: the study's per-dataset estimates" : format === "pythia" ? "default 12 tokens per example" : "";

    notesList.replaceChildren();
    outcome = null;
    if (!files.length) {
      importStatus.dataset.state = "empty";
      importStatus.textContent = "No files yet.";
      showProblems([]);
      return clearResults();
    }
    if (!format) {
      importStatus.dataset.state = "problems";
      importStatus.textContent = "Could not tell which format these files are in: choose the format above.";
      showProblems([]);
      return clearResults();
    }
    const used = [models, taskMap].filter(Boolean);
    const sources = filesFor(format, files, used);
    outcome = runImport({
      format, files: sources, models, taskMap,
      tokensPerShot: tokensInput.value, metric: metricInput.value, tasks: tasksInput.value, siteModelsText: data.modelsText,
    });
    if (!outcome.ok) {
      importStatus.dataset.state = "problems";
      const n = outcome.problems.length;
      const inFiles = new Set(outcome.problems.map((p) => p.file)).size;
      importStatus.textContent = `${plural(n, "problem")} in ${plural(inFiles, "file")}: nothing is fitted until every one is fixed. One per line: file, row or JSON path, field, what was found, what was expected.`;
      showProblems(outcome.problems);
      return clearResults();
    }
    showProblems([]);
    const obs = outcome.observations;
    importStatus.dataset.state = "ok";
    importStatus.textContent = `Clean: ${plural(obs.length, "observation")} (${plural(new Set(obs.map((o) => o.task)).size, "task")}, ${plural(new Set(obs.map((o) => o.model)).size, "model")}) from ${plural(sources.length, "file")} in the ${format} format, checked against ${outcome.table.file}.`;
    const placeholders = [...new Set(obs.filter((o) => o.compute_flops === 1e24).map((o) => o.model))];
    const notes = [...outcome.notes];
    if (placeholders.length)
      notes.push(`${plural(placeholders.length, "model")} without published training compute carry the placeholder C = 1e24 (see the models table's source column): the fit treats that as one compute level, so only fixed-compute can fit them alone, and a fit that pools them with other models reads the placeholder as a real C.`);
    notesList.replaceChildren(...notes.map((n) => el("li", {}, `Note: ${n}`)));
    showObservations(format, models !== null);
    showFit(format, models !== null);
  }

  function clearResults() {
    observationsSlot.replaceChildren();
    fitSlot.replaceChildren();
    client?.cancel();
  }

  function showObservations(format) {
    const o = outcome;
    const dl = (label, text, name, key) => el("button", { type: "button", textContent: label, dataset: { download: key }, onclick: () => download(text, name) });
    observationsSlot.replaceChildren(
      el("h2", {}, "The validated observations"),
      el("p", {}, `The rows the importer wrote, in the project's CSV format (data/README.md), as `, el("code", {}, `npm run import -- ${format} … --out observations.csv`), " writes them. Compute and context limit come from the models table, never from the result files."),
      el("div", { class: "yd-downloads" },
        dl("Download observations.csv", o.csv, "observations.csv", "observations"),
        dl("Download models.csv (the table used)", o.modelsCsv, "models.csv", "models")),
      el("div", { class: "yd-table-scroll" }, observationsTable(o.csv)),
    );
  }

  // ---- the fit ----
  const fitInputs = {
    variant: Inputs.select(VARIANTS, { label: "law to fit", value: DEFAULT_FIT_SETTINGS.variant, format: (v) => `${v}: ${VARIANT_DESCRIPTIONS[v]}` }),
    holdout: Inputs.text({ label: "hold out n_pmt ≥", placeholder: "empty: fit every point", value: "" }),
    seed: Inputs.number([0, 0xffffffff], { label: "seed", value: DEFAULT_FIT_SETTINGS.seed, step: 1 }),
    restarts: Inputs.number([1, 64], { label: "global searches per fit", value: DEFAULT_FIT_SETTINGS.restarts, step: 1 }),
    resamples: Inputs.number([0, 100_000], { label: "bootstrap resamples (0: none)", value: DEFAULT_FIT_SETTINGS.resamples, step: 1 }),
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
    el("p", {}, "One fit per task, in a Web Worker of this page, by the WebAssembly kernel the command line runs: differential evolution then a bounded local refinement, as on every page of this site (",
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
    const bad = [];
    checkInteger(bad, "seed", s.seed, 0, 0xffffffff);
    checkInteger(bad, "restarts", s.restarts, 1, 64);
    checkInteger(bad, "bootstrap resamples", s.resamples, 0, 100_000);
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
      const outputs = await client.run(jobs, (p) => {
        bar.value = progressFraction(p, s.restarts, s.resamples);
        statusText.textContent = progressText(p);
      });
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

  update();
  mark("page-ready");
  return root;
}
