// A snapshot works from any static host under any sub-path. It is served here under
// /archive/context-scaling/ on a port of its own, every page loaded by its file name as a plain
// static host serves it: every page loads with no request outside its folder, names its
// snapshot, and the experiment pages report "reproduced in this browser: identical". The same
// checks run in test/browser/site.test.ts on the same snapshot served under /v/<version>/ (the
// pages that file reads for its other checks), so two sub-paths on two ports are covered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { launchBrowser, newLog, sitePage, settled, assertSnapshotPage, snapshotFile, PAGES, type TestBrowser } from "./site.js";
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

test(`the snapshot served under ${BASE} on a port of its own: every page works, names its snapshot, and reproduces identically`, async () => {
  assert.ok(new URL(server.url).pathname === BASE, server.url);
  for (const path of PAGES) {
    const log = newLog();
    const page = await sitePage(browser, server.url, log);
    await page.goto(server.url + snapshotFile(path));
    await settled(page, 120_000);
    await assertSnapshotPage(page, log, server.url, path, manifest);
    await page.close();
  }
});
