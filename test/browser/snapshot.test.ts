// A snapshot works from any static host under any sub-path: served twice, under two sub-paths
// on two ports, every page loads with no request outside its folder, names its snapshot, and
// the experiment pages report "reproduced in this browser: identical".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startStaticServer, type StaticServer } from "../../src/lib/node/static-server.js";
import { launchBrowser, newLog, sitePage, settled, ROOT, PAGES as SITE_PAGES, EXPERIMENT_PAGES, type TestBrowser } from "./site.js";
import { EXPERIMENTS } from "../../src/lib/experiments.js";
import { sharedSnapshot } from "../helpers/shared-site.js";

const PAGES = SITE_PAGES.map((p) => `${p || "index"}.html`);
// Pages that rerun baked numbers and say whether they are identical: home and every library experiment page.
const REPRODUCED = new Set(["index.html", ...EXPERIMENT_PAGES.filter((p) => (EXPERIMENTS as readonly string[]).includes(p.experiment)).map((p) => `${p.path}.html`)]);

let servers: StaticServer[] = [];
let browser: TestBrowser;
let manifest: { id: string; version: string };

before(async () => {
  const dir = await sharedSnapshot(); // made once for every test file that needs one; only read here
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
  manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  servers = [
    await startStaticServer(dir, { basePath: `/v/${version}/` }),
    await startStaticServer(dir, { basePath: "/archive/context-scaling/" }),
  ];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

for (const [i, where] of [[0, "/v/<version>/"], [1, "/archive/context-scaling/ on a second port"]] as const) {
  test(`the snapshot served under ${where}: every page works, names its snapshot, and reproduces identically`, async () => {
    const server = servers[i];
    assert.notEqual(new URL(servers[0].url).port, new URL(servers[1].url).port);
    for (const path of PAGES) {
      const log = newLog();
      const page = await sitePage(browser, server.url, log);
      await page.goto(server.url + path);
      await settled(page, 120_000);
      await page.waitForSelector("[data-key=snapshot]", { timeout: 30_000 });
      assert.match((await page.textContent("[data-key=snapshot]")) ?? "", new RegExp(`${manifest.version}, id ${manifest.id}`), path);
      assert.match((await page.textContent("[data-bibtex=page]")) ?? "", new RegExp(`snapshot ${manifest.id}`), path);
      assert.equal(await page.textContent("[data-verify]"), `npm run verify -- snapshots/${manifest.version} --id ${manifest.id}`, path);
      if (REPRODUCED.has(path)) {
        await page.waitForSelector("[data-reproduction=identical], [data-reproduction=different]", { timeout: 120_000 });
        const states = await page.$$eval("[data-reproduction]", (els) => els.map((e) => (e as HTMLElement).dataset.reproduction));
        assert.deepEqual([...new Set(states)], ["identical"], `${path}: ${await page.textContent(".reproduction")}`);
      }
      // Every link to another page stays inside the snapshot's folder.
      const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const h of hrefs) if (h.startsWith("http://127.0.0.1")) assert.ok(h.startsWith(server.url), `${path}: link ${h} leaves ${server.url}`);
      assert.deepEqual(log.outside, [], `${path}: requests outside the snapshot`);
      assert.deepEqual(log.failedRequests, [], `${path}: failed requests`);
      assert.deepEqual(log.pageErrors, [], `${path}: page errors`);
      for (const r of log.requests) if (!r.startsWith("blob:") && !r.startsWith("data:")) assert.ok(r.startsWith(server.url), `${path}: request ${r} outside ${server.url}`);
      await page.close();
    }
  });
}
