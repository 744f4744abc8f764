// The "Your data" page: a reader drops evaluation results (files or whole folders), the
// library's importers check them here in the browser (the same code as `npm run import`), every
// problem is listed one per line, and only a clean import is shown and fitted, in the fitting
// Web Worker (fit-worker.js, plans given as data). Files are read with the File API and never
// leave the browser: nothing here sends a request with their contents.
import { Kernel, formatProblem } from "../lib.js";
import { FORMATS, FORMAT_INFO, FORMAT_OPTIONS, detectFormat, filesFor, runImport, documentedTableLabel } from "../lib-import.js";
import { siteData } from "../notebook/site-data.js";
import { plural, textOf, readAll, droppedItems, fromInput, byName, download } from "./your-data-files.js";
import { fitSection, observationsTable } from "./your-data-fit.js";
import { mark } from "../notebook/timing.js";
import { el } from "../render/dom.js";

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
  const fit = fitSection({ data, kernel, fitSlot });

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
    fit.show(outcome, format, models !== null);
  }

  function clearResults() {
    observationsSlot.replaceChildren();
    fitSlot.replaceChildren();
    fit.clear();
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

  update();
  mark("page-ready");
  return root;
}
