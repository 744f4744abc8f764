// Browser tests of the "Your data" page (src/your-data.md) on the built site: real result files
// are given to the page (a folder through the webkitdirectory input, files through the file
// input, a drop event), and the page must show what the library computes in Node for the same
// files: the same validated observations (and the same CSV to download), the same fitted
// parameters and errors, or, for a malformed input, the same problem lines as the library's
// DataError. After the files are given, the page may request nothing but the site's own static
// files, and no request may carry anything (GET only, no body).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Page } from "playwright-core";
import { startSite, launchBrowser, sitePage, newLog, tableCells, ROOT, DIST, SCREENSHOTS, type PageLog, type TestBrowser } from "./site.js";
import type { StaticServer } from "../../src/lib/node/static-server.js";
import { num } from "../../src/lib/format.js";
import { runExperiment, type ExperimentResult } from "../../src/lib/run.js";
import { plan } from "../../src/lib/experiments.js";
import { DataError, formatProblem, parseModelsCsv, serializeObservationsCsv, type DataProblem } from "../../src/lib/observations.js";
import { importFiles, FORMAT_INFO, type Format, type ModelsTable, type SourceFile } from "../../src/lib/import/index.js";
import { readSourceFiles } from "../../src/lib/node/import-files.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";
import type { Kernel } from "../../src/lib/kernel.js";
import type { Observation } from "../../src/lib/types.js";
import { userPlan, DEFAULT_FIT_SETTINGS, type FitSettings } from "../../src/lib/import/your-data.js";
import { csvParseRows } from "d3-dsv";

const EXTERNAL = join(ROOT, "..", "shared", "external");
const HAVE_EXTERNAL = existsSync(join(EXTERNAL, "bertsch2024")) && existsSync(join(EXTERNAL, "helmet"));
const MALFORMED = join(ROOT, "test", "malformed");

let site: StaticServer;
let browser: TestBrowser;
let kernel: Kernel;
let tmp: string;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await startSite();
  browser = await launchBrowser();
  kernel = await loadKernel();
  tmp = mkdtempSync(join(tmpdir(), "your-data-test-"));
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Req {
  url: string;
  method: string;
  postData: string | null;
}

/** The page, with every request recorded (method and body too). */
async function openYourData(): Promise<{ page: Page; log: PageLog; requests: Req[] }> {
  const log = newLog();
  const page = await sitePage(browser, site.url, log);
  const requests: Req[] = [];
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData() }));
  await page.goto(site.url + "your-data");
  await page.waitForFunction(() => performance.getEntriesByName("page-ready").length > 0 && document.querySelector("[data-drop-zone]") !== null, undefined, { timeout: 60_000 });
  return { page, log, requests };
}

/** Waits until the import is judged: clean and fitted, or refused with problems. */
async function importSettled(page: Page, want: "fitted" | "problems"): Promise<void> {
  await page.waitForFunction((w) => {
    const s = document.querySelector(".yd-import-status") as HTMLElement | null;
    if (w === "problems") return s?.dataset.state === "problems";
    const f = document.querySelector(".your-data .fit-status") as HTMLElement | null;
    return s?.dataset.state === "ok" && (f?.dataset.state === "done" || f?.dataset.state === "error");
  }, want, { timeout: 120_000, polling: 100 });
}

/** The path of a URL of the site in dist/, if it is one of the site's static files. */
function staticFile(url: string): string | null {
  const base = site.url.replace(/\/$/, "");
  if (!url.startsWith(base + "/")) return null;
  const path = decodeURIComponent(new URL(url).pathname);
  for (const candidate of [join(DIST, path), `${join(DIST, path)}.html`, join(DIST, path, "index.html")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Nothing left 127.0.0.1, and after `from` only GETs without a body for the site's own static files. */
function assertNothingSent(log: PageLog, requests: Req[], from: number, what: string, secrets: string[]): void {
  assert.deepEqual(log.outside, [], `${what}: requests to other hosts`);
  assert.deepEqual(log.failedRequests, [], `${what}: failed requests`);
  assert.deepEqual(log.consoleErrors, [], `${what}: console errors`);
  assert.deepEqual(log.pageErrors, [], `${what}: uncaught errors`);
  const after = requests.slice(from).filter((r) => !/^(blob|data):/.test(r.url));
  for (const r of after) {
    assert.equal(r.method, "GET", `${what}: ${r.method} ${r.url} after the files were given`);
    assert.equal(r.postData, null, `${what}: a request body was sent to ${r.url}`);
    assert.ok(staticFile(r.url), `${what}: ${r.url} is not one of the site's static files`);
    for (const s of secrets) assert.ok(!r.url.includes(s), `${what}: ${r.url} carries file contents`);
  }
}

const interval = (iv: [number, number] | null | undefined) => (iv ? `[${num(iv[0])}, ${num(iv[1])}]` : "—");

/** The parameter and error cells the page must show for one result (the experiment pages' formatting). */
function expectedCells(r: ExperimentResult) {
  const f = r.fits[0]!;
  return {
    params: f.fit ? f.fit.paramNames.map((p) => [p, num(f.fit!.params[p]), f.fit!.se[p] === null ? "undetermined" : num(f.fit!.se[p]), ...(f.uncertainty ? [interval(f.uncertainty.params[p])] : [])]) : null,
    splits: f.splits.map((s) =>
      s.errors
        ? [s.name, String(s.errors.n), num(s.errors.mae), ...(f.uncertainty ? [interval(s.maeInterval)] : []), num(s.errors.maxAbs), num(s.errors.sse, 6)]
        : [s.name, "—", "—", ...(f.uncertainty ? ["—"] : []), "—", "—"]),
  };
}

/** Every task's fit on the page equals the library's run of the same plan in Node. */
async function assertSameFits(page: Page, observations: Observation[], s: FitSettings, what: string): Promise<number> {
  const tasks = [...new Set(observations.map((o) => o.task))];
  const shown = await page.$$eval(".your-data section.task-result", (ss) => ss.map((x) => (x as HTMLElement).dataset.task));
  assert.deepEqual(shown, tasks, `${what}: one section per task`);
  for (const task of tasks) {
    const r = runExperiment(kernel, userPlan(task, s), observations);
    const want = expectedCells(r);
    const section = `.your-data section.task-result[data-task="${task}"]`;
    const [splits] = await tableCells(page, `${section} table[data-table="splits"]`);
    assert.deepEqual(splits, want.splits, `${what} / ${task}: errors`);
    if (want.params) {
      const [params] = await tableCells(page, `${section} table[data-table="params"]`);
      assert.deepEqual(params, want.params, `${what} / ${task}: fitted parameters`);
    }
    const marks = await page.$eval(section, (el) => el.querySelectorAll(".vl-figure svg g.mark-symbol path, .vl-figure svg g.mark-line path").length);
    assert.ok(marks > 0, `${what} / ${task}: the figure has marks`);
  }
  return tasks.length;
}

const byName = (a: SourceFile, b: SourceFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The files of a folder as the page names them (webkitRelativePath: the folder's own name, then the path inside it). */
function folderFiles(dir: string, format: Format): SourceFile[] {
  const parent = join(dir, "..");
  return readSourceFiles([dir], FORMAT_INFO[format].picks, "any")
    .map((f) => ({ name: relative(parent, f.name).split("\\").join("/"), text: f.text }))
    .sort(byName);
}

/** The validated observations on the page, and the CSV the download gives, equal the library's. */
async function assertSameObservations(page: Page, observations: Observation[], what: string): Promise<void> {
  const csv = serializeObservationsCsv(observations);
  const [cells] = await tableCells(page, 'table[data-table="observations"]');
  assert.equal(cells.length, observations.length, `${what}: one row per observation`);
  const columns = ["task", "model", "n_ctx", "compute_flops", "shots", "n_pmt", "score", "metric", "score_uncertainty", "source"];
  // The table shows these columns' cells of the CSV as written.
  const parsed = csvParseRows(csv);
  const idx = columns.map((c) => parsed[0]!.indexOf(c));
  assert.deepEqual(cells, parsed.slice(1).map((r) => idx.map((j) => r[j] ?? "")), `${what}: the observations table`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-download="observations"]')]);
  const saved = readFileSync((await download.path())!, "utf8");
  assert.equal(saved, csv, `${what}: the downloaded CSV is the library's, byte for byte`);
}

function cli(args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

test("Bertsch et al. folder + its models table: the page's observations and fits are the library's, and nothing is sent", { skip: !HAVE_EXTERNAL && "no ../shared/external" }, async () => {
  const modelsPath = join(tmp, "models-bertsch.csv");
  cli(["models", "bertsch", "--out", modelsPath]);
  const dir = join(EXTERNAL, "bertsch2024");
  const files = folderFiles(dir, "bertsch");
  const table: ModelsTable = { models: parseModelsCsv(readFileSync(modelsPath, "utf8"), "models-bertsch.csv"), file: "models-bertsch.csv" };
  const { observations } = importFiles("bertsch", files, table);

  const { page, log, requests } = await openYourData();
  const from = requests.length;
  await page.setInputFiles('input[data-input="models"]', modelsPath);
  await page.setInputFiles('input[data-input="folder"]', dir);
  await importSettled(page, "fitted");
  assert.equal(await page.getAttribute(".your-data .fit-status", "data-state"), "done", await page.textContent(".your-data .fit-status") ?? "");
  assert.equal(await page.getAttribute("[data-detected]", "data-detected"), "bertsch", "the format is detected");
  assert.match(await page.textContent(".yd-import-status") ?? "", new RegExp(`Clean: ${observations.length} observations`));
  await assertSameObservations(page, observations, "bertsch");
  const tasks = await assertSameFits(page, observations, DEFAULT_FIT_SETTINGS, "bertsch");
  assert.equal(tasks, 5);
  await page.screenshot({ path: `${SCREENSHOTS}/your-data-bertsch.png`, fullPage: true });
  // No request carries the files: checked on the method, the body and the URLs (a model name and a score string from the files).
  assertNothingSent(log, requests, from, "bertsch", ["Mistral-7B", "combined_results", "long-context"]);
  assert.ok(requests.slice(from).length > 0, "the worker and the kernel are loaded after the drop (the check is not vacuous)");
  await page.close();
});

test("HELMET files + the table from `npm run import -- models helmet`: observations and the pooled fit are the library's", { skip: !HAVE_EXTERNAL && "no ../shared/external" }, async () => {
  const helmetDir = join(EXTERNAL, "helmet");
  const paths = readSourceFiles([helmetDir], FORMAT_INFO.helmet.picks, "agg_results").map((f) => f.name);
  assert.equal(paths.length, 5);
  const modelsPath = join(tmp, "models-helmet.csv");
  cli(["models", "helmet", ...paths, "--out", modelsPath]);
  const files = paths.map((p) => ({ name: p.split("/").pop()!, text: readFileSync(p, "utf8") })).sort(byName);
  const table: ModelsTable = { models: parseModelsCsv(readFileSync(modelsPath, "utf8"), "models-helmet.csv"), file: "models-helmet.csv" };
  const { observations } = importFiles("helmet", files, table);

  const { page, log, requests } = await openYourData();
  const from = requests.length;
  await page.setInputFiles('input[data-input="models"]', modelsPath);
  await page.setInputFiles('input[data-input="files"]', paths);
  await importSettled(page, "fitted");
  await assertSameObservations(page, observations, "helmet");
  await assertSameFits(page, observations, DEFAULT_FIT_SETTINGS, "helmet");
  // One compute level (every HELMET model has the placeholder C): the page says the full law was refused and fixed-compute fitted.
  assert.match(await page.textContent('.your-data section.task-result[data-task="helmet_icl"]') ?? "", /full refused: .*one compute level.*Fitted fixed-compute instead/s);
  assertNothingSent(log, requests, from, "helmet", ["GPT-4o", "agg_results", "Jamba"]);
  await page.close();
});

test("the project's own data/observations.csv: fits equal the library's, and with a hold-out threshold equal `npm run fit --experiment context-generalisation`", async () => {
  const path = join(ROOT, "data", "observations.csv");
  const siteModels = readFileSync(join(ROOT, "data", "models.csv"), "utf8");
  const table: ModelsTable = { models: parseModelsCsv(siteModels, "data/models.csv"), file: "data/models.csv" };
  const { observations } = importFiles("project", [{ name: "observations.csv", text: readFileSync(path, "utf8") }], table);

  const { page, log, requests } = await openYourData();
  const from = requests.length;
  await page.setInputFiles('input[data-input="files"]', path);
  await importSettled(page, "fitted");
  await assertSameObservations(page, observations, "project");
  await assertSameFits(page, observations, DEFAULT_FIT_SETTINGS, "project");

  // Hold out n_pmt ≥ 10000: the page's numbers are those of the library's context-generalisation plan.
  const run = await page.getAttribute(".your-data .fit-status", "data-run");
  await page.fill('[data-input="holdout"] input', "10000");
  await page.waitForFunction((r) => {
    const s = document.querySelector(".your-data .fit-status") as HTMLElement;
    return s.dataset.state === "done" && s.dataset.run !== r;
  }, run, { timeout: 60_000 });
  const settings: FitSettings = { ...DEFAULT_FIT_SETTINGS, threshold: 10000 };
  await assertSameFits(page, observations, settings, "project, hold-out 10000");
  for (const task of ["arithmetic", "common_sense", "translation"]) {
    const lib = runExperiment(kernel, plan("context-generalisation", task, { seed: 1, restarts: 4, resamples: 0, threshold: 10000, variant: "full" }), observations);
    const [splits] = await tableCells(page, `.your-data section.task-result[data-task="${task}"] table[data-table="splits"]`);
    assert.deepEqual(splits, expectedCells(lib).splits, `${task}: the page's hold-out equals the library's context-generalisation plan`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/your-data-project.png`, fullPage: true });
  assertNothingSent(log, requests, from, "project", ["Yarn-Llama", "digitised"]);
  await page.close();
});

/** The library's DataError for a malformed case, with the names the page gives the files. */
function libraryProblems(format: Format, files: SourceFile[], table: ModelsTable): DataProblem[] {
  try {
    importFiles(format, files, table);
  } catch (err) {
    if (err instanceof DataError) return err.problems;
    throw err;
  }
  throw new Error("the malformed input was accepted");
}

async function shownProblems(page: Page) {
  return page.$$eval("ol.yd-problems li", (lis) => lis.map((li) => ({
    text: li.textContent ?? "", file: (li as HTMLElement).dataset.file, row: (li as HTMLElement).dataset.row, field: (li as HTMLElement).dataset.field,
  })));
}

function assertSameProblems(got: Awaited<ReturnType<typeof shownProblems>>, want: DataProblem[], what: string): void {
  assert.ok(want.length > 0);
  assert.deepEqual(got.map((p) => p.text), want.map(formatProblem), `${what}: the problem lines`);
  assert.deepEqual(got.map((p) => [p.file, p.row, p.field]), want.map((p) => [p.file, p.row === null ? "" : String(p.row), p.field ?? ""]), `${what}: file, row, field`);
}

test("malformed inputs: the page lists the library's problems, one per line, and fits nothing", async () => {
  const { BERTSCH_MODELS } = await import("../../src/lib/import/index.js");
  const siteModels = readFileSync(join(ROOT, "data", "models.csv"), "utf8");
  const dataTable: ModelsTable = { models: parseModelsCsv(siteModels, "data/models.csv"), file: "data/models.csv" };
  const { page, log, requests } = await openYourData();
  const from = requests.length;

  // 1. A folder (the Bertsch layout) with three bad cells: the documented Bertsch table by default.
  const bertschDir = join(MALFORMED, "bertsch-nan-several", "input");
  await page.setInputFiles('input[data-input="folder"]', bertschDir);
  await importSettled(page, "problems");
  assertSameProblems(await shownProblems(page), libraryProblems("bertsch", folderFiles(bertschDir, "bertsch"),
    { models: [...BERTSCH_MODELS], file: "BERTSCH_MODELS (src/lib/import/external-models.ts)" }), "bertsch-nan-several");
  assert.equal(await page.$$eval(".your-data .fit-status, table[data-table='observations']", (x) => x.length), 0, "nothing shown or fitted");
  await page.screenshot({ path: `${SCREENSHOTS}/your-data-problems.png`, fullPage: true });

  // 2. Dropped (a drop event with the file's bytes: CRLF line endings kept) into a fresh set of files.
  await page.click("text=Forget all files");
  const mine = readFileSync(join(MALFORMED, "project-crlf-and-nan", "input", "mine.csv"));
  await page.evaluate(async (bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "mine.csv", { type: "text/csv" }));
    document.querySelector("[data-drop-zone]")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [...mine]);
  await page.waitForFunction(() => document.querySelector("ol.yd-problems")?.getAttribute("data-problems") !== "0", undefined, { timeout: 30_000 });
  assertSameProblems(await shownProblems(page), libraryProblems("project", [{ name: "mine.csv", text: mine.toString("utf8") }], dataTable), "project-crlf-and-nan (dropped)");

  // 3. A JSON of the study's evaluation format whose instances are wrong (JSON paths as fields).
  await page.click("text=Forget all files");
  const evalDir = join(MALFORMED, "study-eval-bad-instances", "input");
  await page.setInputFiles('input[data-input="folder"]', evalDir);
  await page.waitForFunction(() => document.querySelector("ol.yd-problems li code")?.textContent?.includes("instances"), undefined, { timeout: 30_000 });
  assertSameProblems(await shownProblems(page), libraryProblems("study-eval", folderFiles(evalDir, "study-eval"), dataTable), "study-eval-bad-instances");

  assertNothingSent(log, requests, from, "malformed", ["NaN", "twenty"]);
  await page.close();
});

test("the page says plainly that nothing is uploaded", async () => {
  const { page } = await openYourData();
  const text = await page.textContent("[data-privacy]");
  assert.match(text ?? "", /Nothing is uploaded anywhere/);
  assert.match(text ?? "", /never leave/);
  await page.close();
});
