// Shared machinery of the browser tests and the page benchmark: serve the built site (dist/)
// on 127.0.0.1 at a free port, drive Debian's Chromium with playwright-core, and record what a
// page does wrong: console errors, page errors, failed requests and any request that would
// leave 127.0.0.1 (those are blocked and recorded, so a test never reaches the network).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { interval, signed, paramsTableModel, splitsTableModel, comparisonsTableModel } from "../../src/lib/format.js";
import type { ExperimentResult } from "../../src/lib/run.js";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { launchChromium } from "../../src/lib/node/chromium.js";
import { experimentPages } from "../../src/lib/node/site-pages.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DIST = `${ROOT}dist`;
export const SCREENSHOTS = `${ROOT}test/browser/.screenshots`;

/** The experiment pages, as they list themselves (front matter `experiment`). */
export const EXPERIMENT_PAGES = experimentPages();

/** Every page of the site, by path relative to the site root. */
export const PAGES: string[] = ["", ...EXPERIMENT_PAGES.map((p) => p.path), "data", "method", "snapshots", "your-data", "beyond"];

export async function startSite(): Promise<StaticServer> {
  if (!existsSync(`${DIST}/index.html`)) throw new Error("dist/ is missing: run `npm run build` (npm run test:browser does)");
  return startStaticServer(DIST, { port: 0 });
}

/** Debian's Chromium, headless, with the flags of src/lib/node/chromium.ts. */
export async function launchBrowser(): Promise<Browser> {
  return (await launchChromium()).browser;
}

export interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** requests to any host but the site's (blocked before they left) */
  outside: string[];
  requests: string[];
}

/** A new context whose every request is checked: only the site's own origin is allowed. */
export async function siteContext(browser: Browser, siteUrl: string, log: PageLog): Promise<BrowserContext> {
  const origin = new URL(siteUrl).origin;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    log.outside.push(url);
    return route.abort("blockedbyclient");
  });
  return context;
}

export function newLog(): PageLog {
  return { consoleErrors: [], pageErrors: [], failedRequests: [], outside: [], requests: [] };
}

export function watch(page: Page, log: PageLog): void {
  page.on("console", (m) => {
    if (m.type() === "error") log.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => log.pageErrors.push(e.message));
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("requestfailed", (r) => log.failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) log.failedRequests.push(`${r.url()}: HTTP ${r.status()}`);
  });
}

/** Waits until the page's computations are done: experiment status "done", summary, benchmark. */
export async function settled(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      if (performance.getEntriesByName("page-ready").length === 0) return false;
      const busy = [...document.querySelectorAll(".fit-status")].some((s) => (s as HTMLElement).dataset.state !== "done");
      const loading = document.querySelector("#observablehq-main .observablehq--loading");
      return !busy && !loading && document.readyState === "complete";
    },
    undefined,
    { timeout, polling: 100 },
  );
}

/** Opens a page of the site in a fresh, checked context and waits until it has settled. */
export async function openPage(browser: Browser, siteUrl: string, path: string): Promise<{ page: Page; log: PageLog; context: BrowserContext }> {
  const log = newLog();
  const context = await siteContext(browser, siteUrl, log);
  const page = await context.newPage();
  watch(page, log);
  await page.goto(siteUrl + path);
  await settled(page);
  return { page, log, context };
}

/** Text of every cell of the tables matching a selector, row by row (header excluded). */
export async function tableCells(page: Page, selector: string): Promise<string[][][]> {
  return page.$$eval(selector, (tables) =>
    tables.map((t) => [...(t as HTMLTableElement).tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent ?? ""))));
}

export { interval, signed };

/** The cells a page must show for one result: the library's table models (src/lib/format.ts), from the command line's numbers. */
function expectedTables(r: ExperimentResult) {
  return {
    comparisons: comparisonsTableModel(r).rows,
    fits: r.fits.map((f) => ({ label: f.label, params: f.fit ? paramsTableModel(f).rows : null, splits: splitsTableModel(f).rows })),
  };
}

/** Asserts that a page's task section shows exactly the numbers of `r`. */
export async function assertSameNumbers(page: Page, r: ExperimentResult) {
  const task = r.plan.task;
  const section = `section.task-result[data-task="${task}"]`;
  const want = expectedTables(r);
  if (want.comparisons.length) {
    const [got] = await tableCells(page, `${section} table[data-table="comparisons"]`);
    assert.deepEqual(got, want.comparisons, `${r.plan.experiment} / ${task}: comparison table`);
  }
  for (const f of want.fits) {
    const [splits] = await tableCells(page, `${section} table[data-table="splits"][data-fit="${f.label}"]`);
    assert.deepEqual(splits, f.splits, `${r.plan.experiment} / ${task} / ${f.label}: error table`);
    if (f.params) {
      const [params] = await tableCells(page, `${section} table[data-table="params"][data-fit="${f.label}"]`);
      assert.deepEqual(params, f.params, `${r.plan.experiment} / ${task} / ${f.label}: parameters`);
    }
  }
}
