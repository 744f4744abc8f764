// Browser tests of the built site (dist/), served on 127.0.0.1 and driven in headless Debian
// Chromium: every page renders with no console error, no failed request and no request to
// another host; every figure has marks; the numbers on the pages equal what the command line
// prints; inputs rerun the fits, live in the URL and are restored from it. Screenshots of every
// page go to test/browser/.screenshots/ (gitignored) for a person to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startSite, launchBrowser, openPage, settled, tableCells, assertSameNumbers, interval, signed, PAGES, EXPERIMENT_PAGES, ROOT, SCREENSHOTS, SharedPages, type TestBrowser } from "./site.js";
import type { StaticServer } from "../../src/lib/node/static-server.js";
import { num } from "../../src/lib/format.js";
import { summaryTableModel, summaryPages } from "../../src/lib/summary.js";
import { runExperiment, type ExperimentResult } from "../../src/lib/run.js";
import { DEFAULT_SETTINGS, EXPERIMENTS, plan, type Settings } from "../../src/lib/experiments.js";
import { parseObservationsCsv } from "../../src/lib/observations.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";
import { locateExternal } from "../../src/lib/node/import-files.js";
import { publicComputeTables, publicComputeCells } from "../../src/lib/public-compute.js";
import { OBSSCALING_FILE } from "../../src/lib/node/public-data.js";

let site: StaticServer;
let browser: TestBrowser;
// Every page at its default address is opened once, in its own tab, and read by every
// test below that only reads it; a test that changes inputs or carries them in the URL opens
// its own page.
const shared = new SharedPages(() => browser, () => site.url);

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await startSite();
  browser = await launchBrowser();
  shared.prefetch(PAGES);
  void cli([]); // every experiment × task at the defaults, which several tests compare with
});

after(async () => {
  await shared.closeAll();
  await browser?.close();
  await site?.close();
});

const DATA = readFileSync(`${ROOT}data/observations.csv`);
// The other studies' files (../shared/external): absent in a clone elsewhere; pages built without them say so.
const HAVE_EXTERNAL = locateExternal() !== null;
const HAVE_OBSSCALING = HAVE_EXTERNAL && existsSync(join(locateExternal()!, OBSSCALING_FILE));
const DATA_SHA256 = createHash("sha256").update(DATA).digest("hex");
const observations = parseObservationsCsv(DATA.toString("utf8"), "data/observations.csv");

/** What `npm run fit -- --json` prints for these settings (the command line itself, run now). */
const PUBLIC_TITLE = "Compute generalisation (public models)";
const cliCache = new Map<string, Promise<ExperimentResult[]>>();
/**
 * The command line's results for these arguments, run once per file in a child process (not
 * blocking this process, which drives the browser meanwhile). `strict`: only exit 0 is
 * accepted (no fit may be refused), as for public-compute.
 */
function cli(args: string[], { strict = false } = {}): Promise<ExperimentResult[]> {
  const key = args.join(" ");
  if (!cliCache.has(key)) {
    const run = runCli(args, strict);
    run.catch(() => {}); // reported to the test that awaits it
    cliCache.set(key, run);
  }
  return cliCache.get(key)!;
}

function runCli(args: string[], strict: boolean): Promise<ExperimentResult[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/fit.ts", "--json", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      // Exit 3 says a requested fit was refused: the compute-holdout plan's full law always is on the
      // bundled data (one model size per side), by design, and its fallback is in the results.
      if (status !== 0 && (strict || status !== 3)) reject(new Error(`fit --json ${args.join(" ")} exited ${status}: ${stderr}`));
      else resolve(JSON.parse(stdout).results);
    });
  });
}

function cliArgs(s: Partial<Settings>): string[] {
  return Object.entries(s).flatMap(([k, v]) => [`--${k}`, String(v)]);
}

// The experiment pages that run a plan of the library, which the command line runs too.
const LIBRARY_PAGES = EXPERIMENT_PAGES.filter((p) => (EXPERIMENTS as readonly string[]).includes(p.experiment));

test("every page renders with no console error, no failed request, no request off 127.0.0.1, figures with marks, the paper cited", async () => {
  for (const path of PAGES) {
    const { page, log } = await shared.get(path);
    await page.screenshot({ path: `${SCREENSHOTS}/${path || "index"}.png`, fullPage: true });
    const name = `page /${path}`;
    assert.deepEqual(log.consoleErrors, [], `${name}: console errors`);
    assert.deepEqual(log.pageErrors, [], `${name}: uncaught errors`);
    assert.deepEqual(log.failedRequests, [], `${name}: failed requests`);
    assert.deepEqual(log.outside, [], `${name}: requests to other hosts`);
    assert.ok(log.requests.length > 0 && log.requests.every((u) => u.startsWith(site.url.replace(/\/$/, "")) || /^(data|blob):/.test(u)), `${name}: every request goes to the site`);
    const figures = await page.$$eval(".vl-figure", (fs) =>
      fs.map((f) => ({
        name: (f as HTMLElement).dataset.chart,
        marks: f.querySelectorAll("svg g.mark-symbol path, svg g.mark-line path, svg g.mark-area path, svg g.mark-rect path").length,
      })));
    // Pages without a figure until the reader acts or by nature: the data table, the snapshot
    // index, and Your data before anything is dropped; Beyond without the other studies' files.
    const figureless = ["data", "snapshots", "your-data", ...(HAVE_EXTERNAL ? [] : ["beyond"])];
    if (!figureless.includes(path)) assert.ok(figures.length > 0, `${name}: has a figure`);
    for (const f of figures) assert.ok(f.marks > 0, `${name}: figure ${f.name} has no marks`);
    const text = await page.textContent("body");
    assert.match(text ?? "", /2510\.14919/, `${name}: cites the paper`);
    // Every page names the data it was built with: in its provenance block or its footer.
    const hash = await page.textContent('[data-provenance] dd[data-key="data-sha256"], dd[data-key="data-sha256-footer"]');
    assert.ok(hash?.includes(DATA_SHA256), `${name}: shows the SHA-256 of data/observations.csv`);
    assert.ok(await page.$("[data-bibtex=page]"), `${name}: has a "Cite this page" block`);
  }
});

test("each experiment page shows the numbers the command line prints", async () => {
  const results = await cli([]); // every experiment × task, default settings
  for (const { experiment, path } of LIBRARY_PAGES) {
    const { page } = await shared.get(path);
    const shown = await page.$$eval("section.task-result", (ss) => ss.map((s) => (s as HTMLElement).dataset.task));
    assert.ok(shown.length > 0, `${path}: shows results`);
    for (const task of shown) {
      const r = results.find((x) => x.plan.experiment === experiment && x.plan.task === task);
      assert.ok(r, `the command line printed ${experiment} / ${task}`);
      await assertSameNumbers(page, r);
    }
  }
});

test("the extension-technique page shows what runExperiment computes for its plan", async () => {
  const kernel = await loadKernel();
  const { page } = await shared.get("extension-technique");
  for (const task of ["arithmetic", "common_sense", "translation"]) {
    const r = runExperiment(kernel, plan("extension-technique", task, { ...DEFAULT_SETTINGS }, observations), observations);
    await assertSameNumbers(page, r);
  }
  assert.match((await page.textContent("body")) ?? "", /positional.interpolation runs of §4\.3 were never published|No positional-interpolation run was published/);
});

test("the home page's summary equals the command line's comparisons", async () => {
  const results = await cli([]);
  const { page } = await shared.get("");
  const [rows] = await tableCells(page, 'table[data-table="summary"]');
  for (const r of results)
    for (const c of r.comparisons.filter((x) => x.paper !== null)) {
      const row = rows.find((x) => x[2] === c.label && x[1].toLowerCase().replace(" ", "_") === r.plan.task);
      assert.ok(row, `summary has ${r.plan.experiment} / ${r.plan.task} / ${c.label}`);
      assert.deepEqual([row[3], row[4], row[5], row[6]], [num(c.paper), num(c.ours), interval(c.oursInterval), signed(c.difference)], `${r.plan.experiment} / ${r.plan.task} / ${c.label}`);
    }
  // One table model (src/lib/summary.ts): the page's cells are the model's, which `npm run fit` prints as text.
  const model = summaryTableModel(results, summaryPages(EXPERIMENT_PAGES, EXPERIMENTS));
  assert.deepEqual(rows.filter((r) => r[0] !== PUBLIC_TITLE), model.rows);
});

test("changing an input reruns the fit, changes the table, and goes into the URL", async () => {
  const { page } = await openPage(browser, site.url, "in-distribution?tasks=arithmetic&resamples=50");
  const before = await tableCells(page, 'section.task-result[data-task="arithmetic"] table[data-table="splits"]');
  const run = await page.getAttribute(".fit-status", "data-run");
  await page.selectOption('[data-input="variant"] select', { label: "no-penalty: the paper's ablation: compute factor × context factor, no penalty" });
  await page.waitForFunction((r) => document.querySelector<HTMLElement>(".fit-status")?.dataset.run !== r && document.querySelector<HTMLElement>(".fit-status")?.dataset.state === "done", run, { timeout: 60_000 });
  const afterChange = await tableCells(page, 'section.task-result[data-task="arithmetic"] table[data-table="splits"]');
  assert.notDeepEqual(afterChange, before, "the error table changed");
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("variant"), "no-penalty");
  assert.equal(url.searchParams.get("tasks"), "arithmetic");
  const [r] = await cli(["--experiment", "in-distribution", "--task", "arithmetic", ...cliArgs({ variant: "no-penalty", resamples: 50 })]);
  await assertSameNumbers(page, r);
  await page.close();
});

test("the URL restores the inputs, and the page computes with them", async () => {
  const settings = { seed: 3, threshold: 5000, resamples: 40, scheme: "models" as const, restarts: 2 };
  const query = "tasks=translation&seed=3&threshold=5000&resamples=40&scheme=models&restarts=2";
  const { page } = await openPage(browser, site.url, `context-generalisation?${query}`);
  assert.equal(await page.inputValue('[data-input="seed"] input[type="number"]'), "3");
  assert.equal(await page.inputValue('[data-input="threshold"] input[type="number"]'), "5000");
  assert.equal(await page.inputValue('[data-input="restarts"] input[type="number"]'), "2");
  assert.equal(await page.isChecked('[data-input="scheme"] input[value="1"]'), true, "scheme: whole models");
  const tasks = await page.$$eval('[data-input="tasks"] input:checked', (xs) => xs.length);
  assert.equal(tasks, 1, "one task checked");
  const shown = await page.$$eval("section.task-result", (ss) => ss.map((s) => (s as HTMLElement).dataset.task));
  assert.deepEqual(shown, ["translation"]);
  const [r] = await cli(["--experiment", "context-generalisation", "--task", "translation", ...cliArgs(settings)]);
  await assertSameNumbers(page, r);
  await page.close();
});

test("a law written as a composition (URL or inputs cell) is offered by the select and fitted as on the command line", async () => {
  const { page } = await openPage(browser, site.url, `penalty-ablation?tasks=arithmetic&variant=${encodeURIComponent("penalty=decay,floor=fitted")}&resamples=20`);
  const selected = await page.$eval('[data-input="variant"] select', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
  assert.match(selected, /^penalty=decay,floor=fitted: /, "the select shows the composition, described by its parts");
  const [r] = await cli(["--experiment", "penalty-ablation", "--task", "arithmetic", ...cliArgs({ variant: "penalty=decay,floor=fitted", resamples: 20 })]);
  assert.ok(["log10_decay_rate", "floor"].every((p) => r.fits[0].fit?.paramNames.includes(p)), "the command line fitted the composition's decay rate and floor");
  await assertSameNumbers(page, r);
  await page.close();
});

test("a long fit shows its progress and can be cancelled", async () => {
  const { page } = await openPage(browser, site.url, "figure-1?resamples=0");
  await page.fill('[data-input="resamples"] input[type="number"]', "200000");
  await page.dispatchEvent('[data-input="resamples"] input[type="number"]', "input");
  await page.waitForFunction(() => {
    const s = document.querySelector<HTMLElement>(".fit-status");
    return s?.dataset.state === "running" && Number(s.querySelector("progress")?.value) > 0;
  }, undefined, { timeout: 30_000 });
  assert.match((await page.textContent(".fit-status .status-text")) ?? "", /bootstrap resample \d+ of 200000|global search/);
  await page.click(".fit-status button:has-text('Cancel')");
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".fit-status")?.dataset.state === "cancelled", undefined, { timeout: 10_000 });
  // The page still responds, and a new run starts a fresh worker.
  await page.fill('[data-input="resamples"] input[type="number"]', "0");
  await page.dispatchEvent('[data-input="resamples"] input[type="number"]', "input");
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".fit-status")?.dataset.state === "done", undefined, { timeout: 60_000 });
  await page.close();
});

test("charts save as SVG and PNG, and their data as CSV", async () => {
  const { page } = await openPage(browser, site.url, "figure-1?resamples=0");
  const figure = page.locator(".vl-figure").first();
  for (const [label, check] of [
    ["SVG", (b: Buffer) => b.toString("utf8").includes("<svg")],
    ["PNG", (b: Buffer) => b.subarray(1, 4).toString("latin1") === "PNG"],
    ["CSV", (b: Buffer) => b.toString("utf8").split("\n")[0].includes("n_pmt")],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent("download"), figure.locator(`button:has-text("${label}")`).click()]);
    const path = await download.path();
    assert.ok(check(readFileSync(path)), `${label} download has the right content`);
  }
  await page.close();
});

test("the data page filters with visible SQL, keeps the filter in the URL, and runs the reader's query", async () => {
  const { page } = await openPage(browser, site.url, "data?task=translation");
  const sql = await page.textContent(".sql-block pre.sql");
  assert.match(sql ?? "", /FROM observations/);
  assert.match(sql ?? "", /'translation'/, "the query shown carries the filter");
  const rowCount = await page.$eval(".sql-block form table, .sql-block table", (t) => (t as HTMLTableElement).tBodies[0]?.rows.length ?? 0);
  assert.ok(rowCount > 0);
  assert.match((await page.textContent("body")) ?? "", /Download these 40 rows as CSV/);
  await page.locator("select").first().selectOption("all");
  await page.waitForFunction(() => document.body.textContent?.includes("Download these 120 rows as CSV"), undefined, { timeout: 20_000 });
  assert.equal(new URL(page.url()).searchParams.get("task"), null, "the default is left out of the URL");
  // The baked results are tables too: every held-out error equals the command line's.
  const [heldOut] = await tableCells(page, 'table[data-table="held-out-errors"]');
  // Every experiment the build baked: the bundled data's, and public-compute's when the study's table was there.
  const results = [...(await cli([])), ...(HAVE_OBSSCALING ? await cli(["--experiment", "public-compute"], { strict: true }) : [])];
  const wanted = results.flatMap((r) => r.fits.flatMap((f) => f.splits.filter((x) => /held out/i.test(x.name)).map((x) => ({ key: [r.plan.experiment, r.plan.task, f.label, x.name].join(" | "), mae: x.errors?.mae ?? null }))));
  assert.equal(heldOut.length, wanted.length, "one row per held-out split of every experiment");
  for (const w of wanted) {
    const row = heldOut.find((c) => c.slice(0, 4).join(" | ") === w.key);
    assert.ok(row, `held-out errors table has ${w.key}`);
    if (w.mae === null) assert.equal(row[5], "", `${w.key}: not computable`);
    else assert.ok(Math.abs(Number(row[5]) - w.mae) <= 5e-5 + 1e-12, `${w.key}: ${row[5]} vs ${w.mae}`);
  }
  await page.fill("textarea", "SELECT count(*) AS n FROM observations WHERE paper_role = 'held_out'");
  await page.click("button:has-text('Run query')");
  await page.waitForFunction(() => document.querySelector('table[data-table="user-query"] td')?.textContent === "12", undefined, { timeout: 20_000 });
  await page.close();
});

test("the method page's benchmark reaches SciPy's minimum on every task and variant", async () => {
  const { page } = await shared.get("method");
  const [rows] = await tableCells(page, 'table[data-table="benchmark"]');
  const reference = JSON.parse(readFileSync(`${ROOT}test/reference/scipy.json`, "utf8"));
  const count = Object.values<Record<string, unknown>>(reference.results).reduce((n, v) => n + Object.keys(v).length, 0);
  assert.equal(rows.length, count);
  for (const r of rows) assert.ok(Number(r[4]) <= 1 + 1e-6, `${r[0]} ${r[1]}: kernel SSE / SciPy SSE = ${r[4]}`);
});

test("the explorer keeps compute and context limit in the URL", async () => {
  // The explorer needs none of the home page's reruns: wait for it alone.
  const { page } = await openPage(browser, site.url, "?n_ctx=32768&log10C=23.5", { until: ".explorer figcaption" });
  await page.waitForSelector('[data-input="log10C"] input[type="number"]');
  assert.equal(await page.inputValue('[data-input="log10C"] input[type="number"]'), "23.5");
  assert.match((await page.textContent(".explorer figcaption")) ?? "", /n_ctx = 32,768/);
  await page.selectOption('[data-input="n_ctx"] select', { label: "131,072 tokens" });
  await page.waitForFunction(() => new URL(location.href).searchParams.get("n_ctx") === "131072", undefined, { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector(".explorer figcaption")?.textContent?.includes("131,072"), undefined, { timeout: 10_000 });
  await page.close();
});

void settled;

test("the compute generalisation page shows the public-compute numbers the command line prints, rerun identically in the browser", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, async () => {
  // The page's defaults are the experiment's (threshold 1e23, seed 1, 200 resamples); so are the CLI's.
  const want = publicComputeCells(publicComputeTables(await cli(["--experiment", "public-compute"], { strict: true })));
  const { page } = await shared.get("compute-generalisation");
  assert.equal(await page.getAttribute(".public-compute .reproduction", "data-reproduction"), "identical", (await page.textContent(".public-compute .reproduction")) ?? "");
  assert.equal(await page.getAttribute(".public-compute .tables-slot", "data-source"), "browser");
  for (const [table, rows] of Object.entries({ laws: want.laws, families: want.families, "per-family": want.perFamily, named: want.named })) {
    const [cells] = await tableCells(page, `table[data-table="public-compute-${table}"]`);
    assert.deepEqual(cells, rows.map((r) => Object.values(r).map(String)), `table ${table}`);
  }
  assert.ok(want.named.some((row) => row.model === "Llama-2-70B" && /Llama-2-70b/.test(row["in the table as"])));
  assert.ok(await page.$("figure[data-chart^='public-compute-'] svg"), "the chart is drawn");
  assert.match((await page.textContent(".public-compute")) ?? "", /Ruan, Maddison, Hashimoto/, "the study is attributed");
});

test("the home page's summary lists public-compute per benchmark, and the home page reproduces every result identically", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, async () => {
  const results = await cli(["--experiment", "public-compute"], { strict: true });
  const { page } = await shared.get("");
  assert.equal(await page.getAttribute("[data-reproduction]", "data-reproduction"), "identical", (await page.textContent(".reproduction")) ?? "");
  const [rows] = await tableCells(page, 'table[data-table="summary"]');
  for (const r of results) {
    const held = r.fits[0].splits.find((x) => x.name.startsWith("held out"))!;
    const row = rows.find((x) => x[0] === PUBLIC_TITLE && x[1] === r.plan.task);
    assert.ok(row, `summary has public-compute / ${r.plan.task}`);
    assert.deepEqual([row[2], row[3], row[4], row[5]], [`MAE, fit “${r.fits[0].label}”, ${held.name}`, "not published", num(held.errors!.mae), interval(held.maeInterval)]);
  }
  // The rows `npm run fit -- --experiment public-compute` prints as its summary: the same table model.
  assert.deepEqual(rows.filter((r) => r[0] === PUBLIC_TITLE), summaryTableModel(results, summaryPages(EXPERIMENT_PAGES, EXPERIMENTS), { ownPlans: false }).rows);
});

test("without the study's table the compute generalisation page says its public-model data are absent and shows none of their numbers", { skip: HAVE_OBSSCALING && "the table is present (the page shows the analysis)" }, async () => {
  const { page } = await shared.get("compute-generalisation");
  assert.match((await page.textContent('[data-public-compute="missing"]')) ?? "", /data of this section are absent/);
  assert.equal(await page.$('table[data-table^="public-compute-"]'), null);
});
