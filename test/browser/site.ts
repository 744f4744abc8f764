// Shared machinery of the browser tests and the page benchmark: serve the built site (dist/)
// on 127.0.0.1 at a free port, drive Debian's Chromium with playwright-core, and record what a
// page does wrong: console errors, page errors, failed requests and any request that would
// leave 127.0.0.1 (those are blocked and recorded, so a test never reaches the network).
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { before, after } from "node:test";
import { deflateRawSync } from "node:zlib";
import type { Page } from "playwright-core";
import { interval, signed, paramsTableModel, splitsTableModel, comparisonsTableModel } from "../../src/lib/format.js";
import type { ExperimentResult } from "../../src/lib/run.js";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { launchChromiumProfile, type LaunchedProfile } from "../../src/lib/node/chromium.js";
import { pageSettled } from "../../src/lib/node/static-outputs.js";
import { experimentPages } from "../../src/lib/node/site-pages.js";
import { EXPERIMENTS } from "../../src/lib/experiments.js";
import { DIST, requireBuiltSite } from "../helpers/shared-site.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export { DIST } from "../helpers/shared-site.js";
export const SCREENSHOTS = `${ROOT}test/browser/.screenshots`;

/** The experiment pages, as they list themselves (front matter `experiment`). */
export const EXPERIMENT_PAGES = experimentPages();

/** Every page of the site, by path relative to the site root. */
export const PAGES: string[] = ["", ...EXPERIMENT_PAGES.map((p) => p.path), "data", "method", "snapshots", "your-data", "beyond"];

export async function startSite(): Promise<StaticServer> {
  requireBuiltSite();
  return startStaticServer(DIST, { port: 0 });
}

/**
 * The browser of a test file: Debian's Chromium, headless, with the flags of
 * src/lib/node/chromium.ts (nothing can leave the machine), one profile on disk for the file,
 * whose tabs share the caches a reader's browser keeps from page to page.
 */
export type TestBrowser = LaunchedProfile;

export function launchBrowser(): Promise<TestBrowser> {
  return launchChromiumProfile();
}

export interface PageLog {
  consoleErrors: string[];
  /** console warnings (Vega-Lite's among them): a page logs none */
  consoleWarnings: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** requests to any host but the site's (blocked before they left) */
  outside: string[];
  requests: string[];
}

/**
 * A new tab whose every request is recorded: any to another host than the site's (which the
 * browser cannot send: src/lib/node/chromium.ts) lands in `log.outside`, and every console
 * error, page error and failed request in the log (`watch`).
 */
export async function sitePage(browser: TestBrowser, siteUrl: string, log: PageLog): Promise<Page> {
  const origin = new URL(siteUrl).origin;
  const page = await browser.context.newPage();
  await page.addInitScript("globalThis.__name ??= (f) => f"); // esbuild's helper, which the page lacks
  await page.addInitScript(recordShown);
  page.on("request", (r) => {
    const url = r.url();
    if (!(url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:"))) log.outside.push(url);
  });
  watch(page, log);
  return page;
}

/**
 * Runs in the page before its scripts: from the moment the HTML has been parsed (with its static
 * copies) until the page settles, how many results it shows (tables, figures, provenance blocks)
 * after each batch of changes, in `__shown`. A static copy that goes before its live twin has
 * come shows as a dip; a live output beside a static copy left over, as a peak. Self-contained.
 */
export function recordShown(): void {
  const w = globalThis as unknown as { __shown: number[] };
  w.__shown = [];
  const count = () => document.querySelectorAll("#observablehq-main table, #observablehq-main figure.vl-figure, #observablehq-main [data-provenance]").length;
  const start = () => {
    w.__shown.push(count());
    new MutationObserver(() => {
      if (w.__shown.length < 100_000) w.__shown.push(count());
    }).observe(document.documentElement, { childList: true, subtree: true });
  };
  // "interactive": parsed, before the deferred module scripts (the runtime) run.
  document.addEventListener("readystatechange", () => { if (document.readyState === "interactive") start(); }, { once: true });
}

export function newLog(): PageLog {
  return { consoleErrors: [], consoleWarnings: [], pageErrors: [], failedRequests: [], outside: [], requests: [] };
}

export function watch(page: Page, log: PageLog): void {
  page.on("console", (m) => {
    if (m.type() === "error") log.consoleErrors.push(m.text());
    if (m.type() === "warning") log.consoleWarnings.push(m.text());
  });
  page.on("pageerror", (e) => log.pageErrors.push(e.message));
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("requestfailed", (r) => log.failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) log.failedRequests.push(`${r.url()}: HTTP ${r.status()}`);
  });
}

/** Waits until the page's computations are done: experiment status "done", summary, benchmark (the predicate the build's static capture waits for). */
export async function settled(page: Page, timeout = 60_000): Promise<void> {
  await page.evaluate("globalThis.__name ??= (f) => f"); // esbuild's helper, which the page lacks
  await page.waitForFunction(pageSettled, undefined, { timeout, polling: 100 });
}

/**
 * Opens a page of the site in a new, checked tab and waits until it has settled (or,
 * with `until`, only until that selector is on the page: for a test that needs no result).
 */
export async function openPage(browser: TestBrowser, siteUrl: string, path: string, options: { until?: string } = {}): Promise<OpenedPage> {
  const log = newLog();
  const page = await sitePage(browser, siteUrl, log);
  await page.goto(siteUrl + path);
  // The live element: a page's static copy (written at build time) has the same at once.
  if (options.until) await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((e) => !e.closest("observablehq-loading[data-static]")), options.until, { timeout: 60_000, polling: 100 });
  else await settled(page);
  return { page, log };
}

export interface OpenedPage {
  page: Page;
  log: PageLog;
}

/**
 * Pages at their default address opened once per test file and shared by the tests that only
 * read them (each in its own checked tab, so each page's log is its own). At most `parallel`
 * pages load at once (env BROWSER_TEST_PARALLEL, default 1: a page load keeps more than one
 * core busy, and the other test files need the rest); `prefetch` queues a list of pages in
 * order. A test that changes a page opens its own.
 */
export class SharedPages {
  private readonly opened = new Map<string, Promise<OpenedPage>>();
  private loading = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly parallel: number;
  private readonly address: (path: string) => string;
  /**
   * `address` turns a page's path into what is loaded (default: the path itself, the clean URL
   * `npm start` serves; `snapshotFile` gives the file name a plain static host needs).
   */
  constructor(private readonly browser: () => TestBrowser, private readonly siteUrl: () => string, options: { parallel?: number; address?: (path: string) => string } = {}) {
    this.parallel = options.parallel ?? Number(process.env.BROWSER_TEST_PARALLEL ?? 1);
    this.address = options.address ?? ((path) => path);
  }

  get(path: string): Promise<OpenedPage> {
    let p = this.opened.get(path);
    if (!p) {
      p = this.limited(() => openPage(this.browser(), this.siteUrl(), this.address(path)));
      p.catch(() => {}); // reported to the test that awaits it, not as an unhandled rejection
      this.opened.set(path, p);
    }
    return p;
  }

  prefetch(paths: string[]): void {
    for (const path of paths) void this.get(path);
  }

  async closeAll(): Promise<void> {
    for (const p of this.opened.values()) await p.then((o) => o.page.close(), () => {});
  }

  private async limited<T>(load: () => Promise<T>): Promise<T> {
    // A finished load hands its slot to the next in line, so no more than `parallel` ever run.
    if (this.loading < Math.max(1, this.parallel)) this.loading++;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await load();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.loading--;
    }
  }
}

/** A page's file in the built site or a snapshot: what a static host with no clean URLs serves. */
export function snapshotFile(path: string): string {
  return `${path || "index"}.html`;
}

/** Pages that rerun their baked numbers and say whether they are identical: home and every library experiment page. */
export const REPRODUCING_PAGES = new Set(["", ...EXPERIMENT_PAGES.filter((p) => (EXPERIMENTS as readonly string[]).includes(p.experiment)).map((p) => p.path)]);

/**
 * What a page of a snapshot served at `serverUrl` (a sub-path of some host) must do: name its
 * snapshot and the command that verifies it, in the page and its "cite this page" block;
 * reproduce its numbers identically where it reruns them; keep every link and request inside
 * the snapshot's folder; and log no error.
 */
export async function assertSnapshotPage(page: Page, log: PageLog, serverUrl: string, path: string, manifest: { id: string; version: string }, { reproduces = true } = {}): Promise<void> {
  const name = snapshotFile(path);
  await page.waitForSelector("[data-key=snapshot]", { timeout: 30_000 });
  assert.match((await page.textContent("[data-key=snapshot]")) ?? "", new RegExp(`${manifest.version}, id ${manifest.id}`), name);
  assert.match((await page.textContent("[data-bibtex=page]")) ?? "", new RegExp(`snapshot ${manifest.id}`), name);
  assert.equal(await page.textContent("[data-verify]"), `npm run verify -- snapshots/${manifest.version} --id ${manifest.id}`, name);
  if (reproduces && REPRODUCING_PAGES.has(path)) {
    await page.waitForSelector("[data-reproduction=identical], [data-reproduction=different]", { timeout: 120_000 });
    const states = await page.$$eval("[data-reproduction]", (els) => els.map((e) => (e as HTMLElement).dataset.reproduction));
    assert.deepEqual([...new Set(states)], ["identical"], `${name}: ${await page.textContent(".reproduction")}`);
  }
  // Every link to another page stays inside the snapshot's folder.
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
  for (const h of hrefs) if (h.startsWith("http://127.0.0.1")) assert.ok(h.startsWith(serverUrl), `${name}: link ${h} leaves ${serverUrl}`);
  assert.deepEqual(log.outside, [], `${name}: requests outside the snapshot`);
  assert.deepEqual(log.failedRequests, [], `${name}: failed requests`);
  assert.deepEqual(log.pageErrors, [], `${name}: page errors`);
  for (const r of log.requests) if (!r.startsWith("blob:") && !r.startsWith("data:")) assert.ok(r.startsWith(serverUrl), `${name}: request ${r} outside ${serverUrl}`);
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

/** The built site and a browser for one test file: started before its tests, closed after them. */
export function servedSite() {
  let site: StaticServer | undefined;
  let browser: TestBrowser | undefined;
  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get url() { return site!.url; },
    get browser() { return browser!; },
    /** A page of the site, opened and settled as openPage does. */
    open: (path: string, options?: { until?: string }) => openPage(browser!, site!.url, path, options),
  };
}

/** `path` with an edit of `page` after `#`, as the site writes one (src/components/notebook/edit-link.js: JSON, deflated, base64url). */
export function editAddress(path: string, cells: Record<string, string>, { page = "penalty-ablation", site = {} as Record<string, unknown> } = {}): string {
  const payload = { format: "context-scaling-edit", version: 1, page, site, cells };
  return `${path}#edit=${deflateRawSync(Buffer.from(JSON.stringify(payload))).toString("base64url")}`;
}
