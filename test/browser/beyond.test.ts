// Browser tests of the "Beyond the paper" page (src/beyond.md) on the built site. With the other
// studies' files present (../shared/external, as in CI): the page renders with no error and no
// request off 127.0.0.1, every figure has marks, every study is cited with its repository and
// licence, and the headline and per-group numbers equal analyseBeyond's, run here in Node on the
// same files. The build-time loader is deterministic: run again now, it writes the very bytes the
// site was built with. Without the files the page must say where to get them and show no numbers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startSite, launchBrowser, tableCells, ROOT, DIST, SCREENSHOTS, SharedPages, type TestBrowser } from "./site.js";
import type { StaticServer } from "../../src/lib/node/static-server.js";
import { num } from "../../src/lib/format.js";
import { PENALTY_SHAPES } from "../../src/lib/law.js";
import { analyseBeyond, EXTERNAL_STUDIES, type BeyondResult } from "../../src/lib/beyond.js";
import { locateExternal, loadExternal } from "../../src/lib/node/import-files.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";

let site: StaticServer;
let browser: TestBrowser;
const external = locateExternal();
let expected: BeyondResult | null = null;
// The page is opened once and read by every test (none changes it).
const shared = new SharedPages(() => browser, () => site.url);

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await startSite();
  browser = await launchBrowser();
  shared.prefetch(["beyond"]);
  // The analysis the command line runs (`npm run import -- beyond`: seed 1, 4 global searches).
  if (external) expected = analyseBeyond(await loadKernel(), loadExternal(external), { seed: 1, restarts: 4 });
});

after(async () => {
  await shared.closeAll();
  await browser?.close();
  await site?.close();
});

test("the Beyond page renders: no console error, no failed request, nothing off 127.0.0.1, every figure has marks", async () => {
  const { page, log } = await shared.get("beyond");
  await page.screenshot({ path: `${SCREENSHOTS}/beyond.png`, fullPage: true });
  assert.deepEqual(log.consoleErrors, [], "console errors");
  assert.deepEqual(log.pageErrors, [], "uncaught errors");
  assert.deepEqual(log.failedRequests, [], "failed requests");
  assert.deepEqual(log.outside, [], "requests to other hosts");
  assert.ok(log.requests.every((u) => u.startsWith(site.url.replace(/\/$/, "")) || /^(data|blob):/.test(u)), "every request goes to the site");
  assert.match(await page.textContent("body") ?? "", /2510\.14919/, "cites the paper");
  const figures = await page.$$eval(".vl-figure", (fs) => fs.map((f) => ({
    name: (f as HTMLElement).dataset.chart,
    marks: f.querySelectorAll("svg g.mark-symbol path, svg g.mark-line path, svg g.mark-rule line, svg g.mark-rule path").length,
  })));
  if (external) {
    assert.deepEqual(figures.map((f) => f.name).sort(), ["beyond-bertsch2024", "beyond-helmet", "beyond-overview", "beyond-penalty", "beyond-pythia"]);
    for (const f of figures) assert.ok(f.marks > 0, `figure ${f.name} has no marks`);
  }
});

test("each study is cited, with repository and licence, where its numbers appear", { skip: !external && "no ../shared/external" }, async () => {
  const { page } = await shared.get("beyond");
  for (const s of EXTERNAL_STUDIES) {
    const section = `section.beyond-study[data-study="${s.id}"]`;
    const cite = await page.textContent(`${section} [data-cite="${s.id}"]`);
    assert.ok(cite?.includes(s.citation), `${s.name}: its section cites it`);
    assert.ok(cite?.includes(s.repository) && cite.includes(s.licence), `${s.name}: repository and licence in its section`);
    // Every figure and table of the study names it.
    const captions = await page.$$eval(`${section} figcaption, ${section} p.fit-meta`, (xs) => xs.map((x) => x.textContent ?? ""));
    assert.ok(captions.length > 0 && captions.every((c) => c.includes(s.name) && c.includes(s.licence)), `${s.name}: every caption attributes the data`);
    const [studies] = await tableCells(page, 'table[data-table="beyond-studies"]');
    assert.ok(studies.some((r) => r[1] === s.citation && r[2] === s.repository && r[3] === s.licence), `${s.name}: in the table of studies`);
  }
  const headline = (await tableCells(page, 'table[data-table="beyond-headline"]'))[0];
  for (const s of EXTERNAL_STUDIES) assert.ok(headline.some((r) => r[0] === s.name && r.at(-1)!.includes(s.licence)), `${s.name}: attributed in the headline table`);
});

test("the headline and per-group numbers equal analyseBeyond's in Node", { skip: !external && "no ../shared/external" }, async () => {
  const r = expected!;
  const { page } = await shared.get("beyond");
  const [headline] = await tableCells(page, 'table[data-table="beyond-headline"]');
  const want = r.studies.map((s) => [
    s.study.name, s.study.axis.split(":")[0], String(s.groups), String(s.points), String(s.pastContext), num(s.medianHeldOutMae, 3),
    `${s.withinFivePoints} of ${s.withHeldOut}`, Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ") || "—", String(s.cannotTell),
    `${s.study.repository.split(" ")[0]}, ${s.study.licence}`,
  ]);
  assert.deepEqual(headline, want, "the headline table");
  for (const s of r.studies) {
    const [rows] = await tableCells(page, `table[data-table="beyond-groups"][data-study="${s.study.id}"]`);
    const groups = r.groups.filter((g) => g.study === s.study.id);
    assert.equal(rows.length, groups.length, `${s.study.name}: one row per group`);
    groups.forEach((g, i) => {
      const row = rows[i]!;
      const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
      assert.deepEqual(row.slice(0, 4), [g.id, String(g.n), String(g.nPastContext), bestAll ? num(bestAll.all!.mae, 3) : "—"], `${g.id}: n, past n_ctx, fit MAE`);
      g.variants.forEach((v, j) => {
        const cell = row[4 + j]!;
        // "*" marks a law fitted in its fixed-compute form (one compute level); "?" an error the
        // training part leaves open, with the range of the equally good fits.
        const open = v.undetermined ? `? (${num(v.undetermined.maeRange[0], 3)}–${num(v.undetermined.maeRange[1], 3)})` : "";
        if (v.heldOut) assert.equal(cell, num(v.heldOut.mae, 3) + (v.fittedAs ? "*" : "") + open, `${g.id} / ${v.variant}: held-out MAE`);
        else assert.ok(!/^\d+\.\d+\*?$/.test(cell), `${g.id} / ${v.variant}: no number where the analysis has none (${cell})`);
      });
      // The best: one law where the paired comparisons decide, else "cannot tell" and the laws.
      assert.equal(row.at(-1)!.startsWith("cannot tell"), !!g.best && !g.best.decided, `${g.id}: best ${row.at(-1)}`);
    });
  }
  // Step vs soft vs decay: every group with points past n_ctx, its (b) in-sample MAEs and the decay's rate.
  const shapes = (await tableCells(page, 'table[data-table="beyond-penalty-shapes"]')).flat();
  const withShapes = r.groups.filter((g) => g.penaltyShapes);
  assert.ok(withShapes.length > 0, "some group has points past n_ctx");
  assert.deepEqual(shapes.map((row) => row[0]), withShapes.map((g) => g.id), "one row per group with points past n_ctx");
  withShapes.forEach((g, i) => {
    const all = (p: string) => g.penaltyShapes!.find((s) => s.penalty === p)!.all;
    // Columns: group, past n_ctx, (a) per shape, (b) per shape, the decay's rate.
    const n = PENALTY_SHAPES.length;
    assert.deepEqual(shapes[i]!.slice(2 + n, 2 + 2 * n), PENALTY_SHAPES.map((p) => (all(p) ? `${num(all(p)!.mae, 3)} / ${num(all(p)!.maePast, 3)}` : "—")), `${g.id}: in-sample MAE per penalty`);
  });
  // Issue 18's example: the soft penalty's held-out error on LLaMA-2-7B-32K · banking77 rests on
  // parameters its training part leaves free, and the page says so.
  const bank = r.groups.find((g) => g.id === "togethercomputer/LLaMA-2-7B-32K · banking77");
  if (bank) {
    assert.ok(bank.variants.find((v) => v.variant === "soft-penalty")!.undetermined, "banking77: soft penalty undetermined");
    const [rows] = await tableCells(page, 'table[data-table="beyond-groups"][data-study="bertsch2024"]');
    const row = rows.find((x) => x[0] === bank.id)!;
    assert.match(row[4 + r.settings.variants.indexOf("soft-penalty")]!, /\?/);
  }
  // The failures listed are the analysis's, every one.
  const failures = (await tableCells(page, 'table[data-table="beyond-failures"]')).flat().map((row) => row[1]);
  assert.deepEqual(failures, r.groups.flatMap((g) => g.failures), "where it fails");
});

test("the build-time loader is deterministic: run again, it writes the bytes the site was built with", { skip: !external && "no ../shared/external" }, () => {
  const built = readdirSync(join(DIST, "_file", "data")).filter((f) => /^beyond\.[0-9a-f]+\.json$/.test(f));
  assert.equal(built.length, 1, "one beyond.json in the build");
  const again = execFileSync(process.execPath, ["--import", "tsx", "src/data/beyond.json.ts"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(again, readFileSync(join(DIST, "_file", "data", built[0]!), "utf8"));
  const data = JSON.parse(again);
  assert.equal(data.available, true);
  assert.deepEqual(data.studies.map((s: { medianHeldOutMae: number }) => s.medianHeldOutMae), expected!.studies.map((s) => s.medianHeldOutMae));
});

test("without the other studies' files the page says where to get them and shows no numbers", { skip: !!external && "the files are present (the page shows the analysis)" }, async () => {
  const { page } = await shared.get("beyond");
  assert.equal(await page.getAttribute(".beyond-page", "data-available"), "false");
  const text = await page.textContent(".beyond-page") ?? "";
  for (const s of EXTERNAL_STUDIES) assert.ok(text.includes(s.repository) && text.includes(s.folder), `${s.name}: where to get it`);
  assert.equal(await page.$$eval('table[data-table="beyond-headline"], .vl-figure', (x) => x.length), 0, "no numbers, no figures");
});
