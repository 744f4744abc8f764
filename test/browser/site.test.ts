// Browser tests of the built site's pages at their defaults, served on 127.0.0.1 and driven in
// headless Debian Chromium: every page renders with no console error, no failed request and no
// request to another host; every figure has marks; the numbers on the pages equal what the
// command line prints; the snapshot of the build works under a sub-path and reproduces its
// numbers. Screenshots of every page go to test/browser/.screenshots/ (gitignored) for a person
// to look at. The inputs (changed, in the URL, cancelled, downloads) are test/browser/inputs.test.ts's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startSite, launchBrowser, openPage, tableCells, assertSameNumbers, interval, signed, PAGES, EXPERIMENT_PAGES, ROOT, DIST, SCREENSHOTS, SharedPages, snapshotFile, assertSnapshotPage, type TestBrowser } from "./site.js";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { launchChromium } from "../../src/lib/node/chromium.js";
import { cli } from "./cli.js";
import { sharedSnapshot } from "../helpers/shared-site.js";
import { num } from "../../src/lib/format.js";
import { summaryTableModel, summaryPages } from "../../src/lib/summary.js";
import { runExperiment } from "../../src/lib/run.js";
import { DEFAULT_SETTINGS, EXPERIMENTS, plan } from "../../src/lib/experiments.js";
import { parseObservationsCsv } from "../../src/lib/observations.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";
import { locateExternal } from "../../src/lib/node/import-files.js";
import { publicComputeTables, publicComputeCells } from "../../src/lib/public-compute.js";
import { OBSSCALING_FILE } from "../../src/lib/node/public-data.js";

let site: StaticServer;
let snapshotSite: StaticServer;
let manifest: { id: string; version: string };
let browser: TestBrowser;
// Every page at its default address is opened once, in its own tab, and read by every test
// below that only reads it. They are opened from the snapshot of this build that the test files
// share (test/helpers/shared-site.ts: dist/ and its manifest), served under /v/<version>/ and
// loaded by file name as any static host serves them, so the same loads prove the snapshot
// works there. A test that changes inputs or carries them in the URL opens its own page of
// dist/ as `npm start` serves it.
const shared = new SharedPages(() => browser, () => snapshotSite.url, { address: snapshotFile });

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await startSite();
  const snapshot = await sharedSnapshot();
  manifest = JSON.parse(readFileSync(join(snapshot, "manifest.json"), "utf8"));
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
  snapshotSite = await startStaticServer(snapshot, { basePath: `/v/${version}/` });
  browser = await launchBrowser();
  shared.prefetch(PAGES);
  void cli([]); // every experiment × task at the defaults, which several tests compare with
});

after(async () => {
  await shared.closeAll();
  await browser?.close();
  await site?.close();
  await snapshotSite?.close();
});

const DATA = readFileSync(`${ROOT}data/observations.csv`);
// The other studies' files (../shared/external): absent in a clone elsewhere; pages built without them say so.
const HAVE_EXTERNAL = locateExternal() !== null;
const HAVE_OBSSCALING = HAVE_EXTERNAL && existsSync(join(locateExternal()!, OBSSCALING_FILE));
const DATA_SHA256 = createHash("sha256").update(DATA).digest("hex");
const observations = parseObservationsCsv(DATA.toString("utf8"), "data/observations.csv");

const PUBLIC_TITLE = "Compute generalisation (public models)";

// The experiment pages that run a plan of the library, which the command line runs too.
const LIBRARY_PAGES = EXPERIMENT_PAGES.filter((p) => (EXPERIMENTS as readonly string[]).includes(p.experiment));

test("every page renders with no console error, no failed request, no request off 127.0.0.1, figures with marks, the paper cited", async () => {
  for (const path of PAGES) {
    const { page, log } = await shared.get(path);
    await page.screenshot({ path: `${SCREENSHOTS}/${path || "index"}.png`, fullPage: true });
    const name = `page /${path}`;
    assert.deepEqual(log.consoleErrors, [], `${name}: console errors`);
    assert.deepEqual(log.consoleWarnings, [], `${name}: console warnings`);
    assert.deepEqual(log.pageErrors, [], `${name}: uncaught errors`);
    assert.deepEqual(log.failedRequests, [], `${name}: failed requests`);
    assert.deepEqual(log.outside, [], `${name}: requests to other hosts`);
    assert.ok(log.requests.length > 0 && log.requests.every((u) => u.startsWith(snapshotSite.url) || /^(data|blob):/.test(u)), `${name}: every request goes to the site`);
    // The head's prefetch hints (written by the build's capture) name exactly the WebAssembly the
    // page fetches, and the page (or its workers) asks for each itself, beside the hint's request.
    const hinted = await page.$$eval("link[rel=prefetch][data-static-prefetch]", (ls) => ls.map((l) => (l as HTMLLinkElement).href));
    const wasm = [...new Set(log.requests.filter((u) => /^https?:/.test(u) && new URL(u).pathname.endsWith(".wasm")))];
    assert.deepEqual([...hinted].sort(), wasm.sort(), `${name}: hints for prefetch the WebAssembly it fetches, and only that`);
    for (const h of hinted) assert.ok(log.requests.filter((u) => u === h).length >= 2, `${name}: asks for ${h} itself, not only as a hint`);
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
    // Vega comes as the one module scripts/bundle-vega.ts builds, not as a module per package
    // (an import of "vega-embed" itself would bring back 58 requests).
    const paths = log.requests.filter((u) => u.startsWith(snapshotSite.url)).map((u) => new URL(u).pathname);
    assert.deepEqual(paths.filter((p) => /\/_node\/(vega|d3-(?!dsv)|topojson)/.test(p)), [], `${name}: fetches Vega's packages one by one`);
    if (figures.length > 0) assert.ok(paths.some((p) => /\/_import\/components\/vendor\/vega-embed\.[0-9a-f]{8}\.js$/.test(p)), `${name}: draws with the bundled vega-embed`);
    const text = await page.textContent("body");
    assert.match(text ?? "", /2510\.14919/, `${name}: cites the paper`);
    // Every page names the data it was built with: in its provenance block or its footer.
    // (Compute generalisation has two provenance blocks: the public models' section's names its own tables.)
    const hashes = await page.$$eval('[data-provenance] dd[data-key="data-sha256"], dd[data-key="data-sha256-footer"]', (ds) => ds.map((d) => d.textContent ?? ""));
    assert.ok(hashes.some((h) => h.includes(DATA_SHA256)), `${name}: shows the SHA-256 of data/observations.csv`);
    assert.ok(await page.$("[data-bibtex=page]"), `${name}: has a "Cite this page" block`);
  }
});

// What a page shows, read the same way from the live page and from its static copy: each
// figure's name and whether it has marks, and every table's text (an element a page marks with
// data-static-text, such as a timing, read as its static copy says it).
const SHOWN = `(() => {
  const text = (e) => { const c = e.cloneNode(true); c.querySelectorAll("[data-static-text]").forEach((x) => { x.textContent = x.dataset.staticText; }); return c.textContent.replace(/\\s+/g, " ").trim(); };
  const main = document.querySelector("#observablehq-main");
  return {
    figures: [...main.querySelectorAll("figure.vl-figure")].map((f) => f.dataset.chart + (f.querySelector("svg g.mark-symbol path, svg g.mark-line path, svg g.mark-area path, svg g.mark-rect path") ? "" : " (no marks)")),
    tables: [...main.querySelectorAll("table")].map(text),
    placeholders: main.querySelectorAll("observablehq-loading").length,
  };
})()`;

test("with JavaScript off every page shows the figures and tables of the live page, with the same numbers; once live, no static copy is left", async () => {
  const { browser: plain, close } = await launchChromium();
  try {
    const off = await plain.newContext({ javaScriptEnabled: false });
    for (const path of PAGES) {
      const name = `page /${path}`;
      const { page: livePage } = await shared.get(path);
      const live = (await livePage.evaluate(SHOWN)) as { figures: string[]; tables: string[]; placeholders: number };
      const page = await off.newPage();
      await page.goto(snapshotSite.url + snapshotFile(path));
      const still = (await page.evaluate(SHOWN)) as typeof live; // evaluate runs even with the page's own scripts off
      // Off screen a static figure or table is drawn only when near (content-visibility, style.css);
      // printed, every one is drawn.
      const copies = `[...document.querySelectorAll("#observablehq-main observablehq-loading[data-static] :is(figure, table)")]`;
      const skipped = `${copies}.filter((e) => getComputedStyle(e).contentVisibility !== "visible").length`;
      const [count, skippedOnScreen] = (await page.evaluate(`[${copies}.length, ${skipped}]`)) as [number, number];
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.evaluate(skipped), 0, `${name}: printed, a static figure or table is left undrawn`);
      assert.equal(skippedOnScreen, count, `${name}: on screen, a static figure or table is drawn even when far from the screen`);
      await page.close();
      assert.equal(live.placeholders, 0, `${name}: a placeholder or static copy is left once the live cells have run`);
      assert.deepEqual(still.figures, live.figures, `${name}: the static copy's figures`);
      assert.equal(still.tables.length, live.tables.length, `${name}: the static copy's tables`);
      still.tables.forEach((t, i) => assert.equal(t, live.tables[i], `${name}: table ${i + 1}`));
    }
  } finally {
    await close();
  }
});

test("no result flickers: from the parsed HTML (its static copies) until the page settles, it shows as many tables, figures and provenance blocks as at the end", async () => {
  for (const path of PAGES) {
    const { page } = await shared.get(path);
    // Recorded in the page after every batch of changes (recordShown in site.ts).
    const shown = (await page.evaluate("globalThis.__shown")) as number[];
    assert.ok(shown.length > 0, `page /${path}: nothing recorded`);
    const final = shown.at(-1)!;
    assert.ok(final > 0, `page /${path}: shows no result`);
    const first = shown.findIndex((n) => n !== final);
    assert.equal(first, -1, `page /${path}: ${first < 0 ? "" : shown[first]! < final ? "a static copy went before its live output came" : "a live output stood beside a static copy"} (${shown[first]} instead of ${final} at change ${first}: ${JSON.stringify(shown.slice(Math.max(0, first - 3), first + 4))})`);
  }
});

test("the snapshot served under /v/<version>/: every page works, names its snapshot, and reproduces identically", async () => {
  assert.match(new URL(snapshotSite.url).pathname, /^\/v\/[^/]+\/$/);
  for (const path of PAGES) {
    const { page, log } = await shared.get(path);
    await assertSnapshotPage(page, log, snapshotSite.url, path, manifest);
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
  const model = summaryTableModel(results, summaryPages(EXPERIMENT_PAGES));
  assert.deepEqual(rows.filter((r) => r[0] !== PUBLIC_TITLE), model.rows);
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


test("the compute generalisation page shows the public-compute numbers the command line prints, rerun identically in the browser", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, async () => {
  // The page's defaults are the experiment's (threshold 1e23, seed 1, 200 resamples); so are the CLI's.
  const want = publicComputeCells(publicComputeTables(await cli(["--experiment", "public-compute"], { strict: true })));
  const { page } = await shared.get("compute-generalisation");
  // The section is a notebook of its own (notebook("public-compute")): its cells carry the experiment.
  const reproduction = '.reproduction[data-experiment="public-compute"]';
  assert.equal(await page.getAttribute(reproduction, "data-reproduction"), "identical", (await page.textContent(reproduction)) ?? "");
  assert.equal(await page.getAttribute('.results[data-experiment="public-compute"]', "data-source"), "browser");
  for (const [table, rows] of Object.entries({ laws: want.laws, families: want.families, "per-family": want.perFamily, named: want.named })) {
    const [cells] = await tableCells(page, `table[data-table="public-compute-${table}"]`);
    assert.deepEqual(cells, rows.map((r) => Object.values(r).map(String)), `table ${table}`);
  }
  assert.ok(want.named.some((row) => row.model === "Llama-2-70B" && /Llama-2-70b/.test(row["in the table as"])));
  assert.ok(await page.$("figure[data-chart^='public-compute-'] svg"), "the chart is drawn");
  // Its provenance names the table it ran on, with the SHA-256 of the file the site ships.
  const dir = join(DIST, "_file/data");
  const shipped = readdirSync(dir).find((f) => /^obsscaling-observations\..*\.csv$/.test(f))!;
  const sha = createHash("sha256").update(readFileSync(join(dir, shipped))).digest("hex");
  const provenance = await page.$$eval('[data-provenance] dd[data-key="data-sha256"]', (ds) => ds.map((d) => d.textContent ?? ""));
  assert.ok(provenance.includes(`obsscaling-observations.csv, SHA-256 ${sha}`), provenance.join(" | "));
  assert.match((await page.textContent(".public-compute")) ?? "", /Ruan, Maddison, Hashimoto/, "the study is attributed");
});

test("the home page's summary lists public-compute per benchmark, and the home page reproduces every result identically", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, async () => {
  const results = await cli(["--experiment", "public-compute"], { strict: true });
  const { page } = await shared.get("");
  assert.equal(await page.getAttribute("[data-reproduction]", "data-reproduction"), "identical", (await page.textContent(".reproduction")) ?? "");
  // That rerun was spread over several fit workers (one per core, at most four, per data set).
  const cores = (await page.evaluate("navigator.hardwareConcurrency")) as number;
  const fitWorkers = page.workers().filter((w) => w.url().includes("/fit-worker.")).length;
  assert.ok(fitWorkers >= Math.min(2, cores), `${fitWorkers} fit workers on ${cores} cores`);
  const [rows] = await tableCells(page, 'table[data-table="summary"]');
  for (const r of results) {
    const held = r.fits[0].splits.find((x) => x.name.startsWith("held out"))!;
    const row = rows.find((x) => x[0] === PUBLIC_TITLE && x[1] === r.plan.task);
    assert.ok(row, `summary has public-compute / ${r.plan.task}`);
    assert.deepEqual([row[2], row[3], row[4], row[5]], [`MAE, fit “${r.fits[0].label}”, ${held.name}`, "not published", num(held.errors!.mae), interval(held.maeInterval)]);
  }
  // The rows `npm run fit -- --experiment public-compute` prints as its summary: the same table model.
  assert.deepEqual(rows.filter((r) => r[0] === PUBLIC_TITLE), summaryTableModel(results, summaryPages(EXPERIMENT_PAGES), { ownPlans: false }).rows);
});

test("without the study's table the compute generalisation page says its public-model data are absent and shows none of their numbers", { skip: HAVE_OBSSCALING && "the table is present (the page shows the analysis)" }, async () => {
  const { page } = await shared.get("compute-generalisation");
  assert.match((await page.textContent('[data-public-compute="missing"]')) ?? "", /data of this section are absent/);
  assert.equal(await page.$('table[data-table^="public-compute-"]'), null);
});
