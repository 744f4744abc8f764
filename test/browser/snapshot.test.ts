// A snapshot works from any static host under any sub-path. It is served here under
// /archive/context-scaling/ on a port of its own, every page loaded by its file name as a plain
// static host serves it: every page loads and runs with no request outside its folder and names
// its snapshot. The experiment pages rerun here at 0 resamples (a load-and-requests check: the
// same requests, a fraction of the work); that the numbers reproduce identically is checked in
// test/browser/site.test.ts on the same snapshot served under /v/<version>/, so two sub-paths on
// two ports are covered, the first with the numbers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { join } from "node:path";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { editAddress, launchBrowser, newLog, sitePage, settled, assertSnapshotPage, snapshotFile, PAGES, EXPERIMENT_PAGES, type TestBrowser } from "./site.js";
import { sharedSnapshot } from "../helpers/shared-site.js";

const BASE = "/archive/context-scaling/";
let server: StaticServer;
let browser: TestBrowser;
let manifest: { id: string; version: string };

before(async () => {
  const dir = await sharedSnapshot(); // made once for every test file that needs one; only read here
  manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  server = await startStaticServer(dir, { basePath: BASE });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The address of a page here: an experiment page's fits at 0 resamples (both notebooks of a page with two). */
const lightly = (path: string) => (EXPERIMENT_PAGES.some((p) => p.path === path) ? "?resamples=0&public_resamples=0" : "");

test(`the snapshot served under ${BASE} on a port of its own: every page loads, runs and names its snapshot, with no request outside its folder`, async () => {
  assert.ok(new URL(server.url).pathname === BASE, server.url);
  for (const path of PAGES) {
    const log = newLog();
    const page = await sitePage(browser, server.url, log);
    await page.goto(server.url + snapshotFile(path) + lightly(path));
    await settled(page, 120_000);
    await assertSnapshotPage(page, log, server.url, path, manifest, { reproduces: false });
    await page.close();
  }
});

test("an edit made in the snapshot is an edit of that snapshot: kept under its address, its link names it and stays under the sub-path", async () => {
  const log = newLog();
  const page = await sitePage(browser, server.url, log);
  const cells = { query: "SELECT * FROM observations\nWHERE task = 'arithmetic' AND model LIKE '%-8k'" };
  await page.goto(server.url + editAddress(`${snapshotFile("penalty-ablation")}?tasks=arithmetic&resamples=0&restarts=1`, cells));
  await settled(page, 120_000);
  await page.waitForSelector('.results[data-edited="query"][data-source="browser"]:not([data-stale])', { timeout: 60_000 });
  // The address, rewritten as the page keeps the edit, is the link: under the sub-path, naming the snapshot.
  await page.waitForFunction((site) => location.hash.includes("edit=") && location.href.startsWith(site) && !location.hash.includes(site), server.url);
  const kept = new URLSearchParams(new URL(page.url()).hash.slice(1)).get("edit")!;
  const payload = JSON.parse(inflateRawSync(Buffer.from(kept, "base64url")).toString("utf8"));
  assert.deepEqual(payload.cells, cells);
  assert.equal(payload.site.snapshot, manifest.id, "the edit names the snapshot it was made on");
  const keys: string[] = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(keys.length > 0 && keys.every((k) => k.includes(BASE)), `kept under the snapshot's address: ${keys.join(", ")}`);
  assert.deepEqual([log.pageErrors, log.consoleErrors, log.outside], [[], [], []]);
  await page.close();
});
