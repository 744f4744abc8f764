// A reader edits an experiment page in the published site: the query and the plan of
// penalty-ablation in the code editor (the 8k models only, the law penalty=decay), sees the
// results go stale and come back rerun, the diff of each cell, keeps the edit over a reload and
// in the browser's storage, opens its link in a fresh browser, downloads the document (which
// `npm run fit -- --plan` runs to the same bits) and the page, and resets to the published
// numbers. Then bad edits and hostile links: each gets its message, nothing executes, and the
// published numbers stay on the page.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { servedSite, editAddress, launchBrowser, openPage, settled, type PageLog } from "./site.js";
import { ROOT } from "../helpers/fixtures.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("edit-");
const ADDRESS = "penalty-ablation?tasks=arithmetic,translation&resamples=0&restarts=1";
const QUERY = "SELECT * FROM observations\nWHERE task IN ('arithmetic', 'translation') AND model LIKE '%-8k'";
const RESULTS = '.results[data-experiment="penalty-ablation"]';

const served = servedSite();

/** Replaces the whole text of a cell's editor as a reader would: select all, then type (paste) the new text. */
async function type(page: Page, cell: string, text: string): Promise<void> {
  const content = page.locator(`[data-editable="${cell}"] .cm-content`);
  if (!(await content.count())) {
    await page.click(`[data-edit-open="${cell}"]`);
    await content.waitFor();
  }
  await content.click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(text);
}

/** Waits until the page shows this browser's results of the current edit (`edited`: "" for the published cells), not stale. */
async function rerun(page: Page, edited: string): Promise<void> {
  await page.waitForFunction(([sel, want]) => {
    const r = [...document.querySelectorAll(sel)].find((e) => !e.closest("observablehq-loading[data-static]")) as HTMLElement | undefined;
    return r && r.dataset.source === "browser" && (r.dataset.edited ?? "") === want && !r.hasAttribute("data-stale") &&
      document.querySelector(".fit-status")?.getAttribute("data-state") === "done";
  }, [RESULTS, edited] as const, { timeout: 60_000, polling: 100 });
}

/** Every result the page shows, as the JSON its link downloads. */
async function results(page: Page): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const link of await page.$$(`${RESULTS} a[data-results]`)) {
    const [download] = await Promise.all([page.waitForEvent("download"), link.evaluate((a) => (a as HTMLAnchorElement).click())]);
    const r = JSON.parse(readFileSync((await download.path())!, "utf8"));
    out[r.plan.task] = r;
  }
  return out;
}

/** The text of one of the edit bar's downloads. */
async function download(page: Page, which: "document" | "page"): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(`[data-edit-download="${which}"]`)]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, "utf8") };
}

/** The numbers the page shows, as text (without the time they took). */
const numbersText = async (page: Page) => (await page.$eval(RESULTS, (r) => (r as HTMLElement).innerText)).replace(/in this browser in \d+ ms/g, "in this browser");
const quiet = (log: PageLog, where: string) => assert.deepEqual([log.pageErrors, log.consoleErrors, log.consoleWarnings, log.outside, log.failedRequests], [[], [], [], [], []], `${where}: no error or warning, nothing off the host`);

function fit(args: string[]): Promise<{ results: { plan: { task: string } }[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 }, (error, stdout, stderr) =>
      error && error.code !== 3 ? reject(new Error(`fit ${args.join(" ")} failed: ${stderr}`)) : resolve(JSON.parse(stdout)));
  });
}

test("edit the query and the plan of penalty-ablation in the page: stale, rerun, diff, kept, linked, downloaded, reset", { timeout: 10 * 60_000 }, async () => {
  const { page, log } = await served.open(ADDRESS);
  const published = await numbersText(page);
  const publishedResults = await results(page);
  assert.equal(await page.$(".cm-editor"), null, "no editor before Edit");

  // The query: the 8k models only.
  await type(page, "query", QUERY);
  await page.waitForSelector(`${RESULTS}[data-stale]`, { timeout: 10_000 }); // marked stale at the first keystroke
  await rerun(page, "query");
  assert.notEqual(await numbersText(page), published);
  assert.match(await page.textContent('[data-edit-diff="query"]') ?? "", /\+ WHERE task IN \('arithmetic', 'translation'\) AND model LIKE '%-8k'/);
  assert.equal(await page.isVisible("[data-edit-bar]"), true, "the page says it shows an edit");
  assert.match(await page.textContent('[data-key="edited"]') ?? "", /the SQL query/, "provenance says the query is edited");

  // The plan: the law under test penalty=decay (its text is the plan the edited rows give).
  const planText = (await page.textContent('[data-editable="plan"] pre.editable-text'))!;
  assert.match(planText, /"variant": "full"/);
  await type(page, "plan", planText.replaceAll('"variant": "full"', '"variant": "penalty=decay"'));
  await page.waitForSelector(`${RESULTS}[data-stale]`, { timeout: 10_000 });
  await rerun(page, "query plan");
  assert.match(await page.textContent('[data-edit-diff="plan"] .diff-del') ?? "", /"variant": "full"/);
  assert.match(await page.textContent('[data-edit-diff="plan"] .diff-add') ?? "", /"variant": "penalty=decay"/);
  assert.match(await page.textContent(".page-footer [data-edit-cite]") ?? "", /shows your edit/, "Cite this page says so");
  const edited = await numbersText(page);
  const editedResults = await results(page);
  assert.deepEqual(Object.keys(editedResults), ["arithmetic", "translation"]);
  for (const r of Object.values(editedResults) as { plan: { fits: { variant: string }[] } }[]) assert.equal(r.plan.fits[0]!.variant, "penalty=decay");

  // The document: the command line prints the same numbers, bit for bit.
  const doc = await download(page, "document");
  assert.equal(doc.name, "penalty-ablation-edited.json");
  const file = join(dir, doc.name);
  writeFileSync(file, doc.text);
  const printed = await fit(["--plan", file]);
  for (const r of printed.results) assert.equal(JSON.stringify(r), JSON.stringify(editedResults[r.plan.task]), `npm run fit -- --plan ${doc.name}: ${r.plan.task}`);
  // The page: a notebook holding exactly that document (test/browser/own-plan.test.ts builds one).
  const md = await download(page, "page");
  assert.equal(md.name, "penalty-ablation-edited.md");
  const literal = /const DOCUMENT = ([\s\S]*?);\n```/.exec(md.text)?.[1];
  assert.deepEqual(JSON.parse(literal!), JSON.parse(doc.text));
  assert.match(md.text, /^---\ntitle: "Sigmoid-penalty ablation, edited"\nexperiment: penalty-ablation-edited\n/);

  // Kept over a reload (the address holds it), and in the browser's storage (an address without it).
  const link = page.url();
  assert.match(link, /#edit=[A-Za-z0-9_-]+$/);
  await page.reload();
  await settled(page);
  await rerun(page, "query plan");
  assert.equal(await numbersText(page), edited, "reloaded: the edit's numbers");
  const { page: again, log: againLog } = await served.open(ADDRESS);
  await rerun(again, "query plan");
  assert.equal(await numbersText(again), edited, "from storage: the edit's numbers");
  quiet(againLog, "the page from storage");
  await again.close();

  // Its link, in a fresh browser (no storage): the same numbers.
  const fresh = await launchBrowser();
  try {
    assert.ok(link.startsWith(served.url));
    const { page: other, log: otherLog } = await openPage(fresh, served.url, link.slice(served.url.length));
    await rerun(other, "query plan");
    assert.deepEqual(await results(other), editedResults, "the link reruns the edit to the same bits");
    quiet(otherLog, "the link in a fresh browser");
  } finally {
    await fresh.close();
  }

  // Reset: the published numbers again, nothing kept.
  await page.click("[data-edit-reset-all]");
  await rerun(page, "");
  assert.equal(await numbersText(page), published);
  assert.deepEqual(await results(page), publishedResults);
  assert.doesNotMatch(page.url(), /#edit=/);
  assert.equal(await page.isVisible("[data-edit-bar]"), false);
  const { page: after, log: afterLog } = await served.open(ADDRESS);
  assert.equal(await after.$(`${RESULTS}[data-edited]`), null, "the discarded edit is not kept");
  await after.close();
  quiet(log, "the edited page");
  quiet(afterLog, "the page after reset");
  await page.close();
});

test("bad edits and hostile links: each says why, nothing executes, the published numbers stay", { timeout: 10 * 60_000 }, async () => {
  const path = "penalty-ablation?tasks=arithmetic&resamples=0&restarts=1";
  const browser = await launchBrowser(); // its own storage: no edit kept by the test above
  after(() => browser.close());
  const { page, log } = await openPage(browser, served.url, path);
  const dialogs: string[] = [];
  page.on("dialog", (d) => (dialogs.push(d.message()), d.dismiss()));
  const published = await numbersText(page);
  const problem = async (cell: string, text: string, expected: RegExp) => {
    await type(page, cell, text);
    await page.waitForFunction(([c, re]) => new RegExp(re).test(document.querySelector(`[data-edit-problems="${c}"]`)?.textContent ?? ""), [cell, expected.source] as const, { timeout: 30_000, polling: 100 });
    assert.equal(await numbersText(page), published, `${text.slice(0, 60)}: the published numbers stay`);
    assert.equal(await page.$(`${RESULTS}[data-edited]`), null, `${text.slice(0, 60)}: nothing reran`);
  };
  await problem("query", "INSTALL httpfs", /INSTALL is not run/);
  await problem("query", "ATTACH 'other.db' AS other", /ATTACH is not run/);
  await problem("query", "COPY observations TO 'out.csv'", /COPY is not run/);
  await problem("query", "SELECT * FROM observations; SELECT 1", /statement/i);
  await problem("query", "SELECT * FROM read_csv('observations.csv')", /./);
  await problem("query", "SELECT * FROM range(1e12)", /DuckDB cannot run it/); // 1e12 is a DOUBLE, which range() does not take
  await problem("query", "SELECT * FROM range(1000000000000)", /more than 200,000 rows/);
  await problem("query", "SELECT 1 AS x", /no column task/);
  await problem("query", "SELECT * FROM observations WHERE false", /no rows/);
  await problem("query", "SELECT * FORM observations", /syntax error/i);
  assert.ok(await page.$('[data-editable="query"] .cm-lintRange-error, [data-editable="query"] .cm-lint-marker-error'), "the syntax error is marked in the editor");
  // A valid query whose rows lack the plan's task: said at the query, and the fit does not run.
  await type(page, "query", "SELECT * FROM observations WHERE task = 'translation'");
  await page.waitForFunction(() => /These rows hold no arithmetic, which the plan runs/.test(document.querySelector('[data-editable="query"] .edit-state')?.textContent ?? ""), undefined, { timeout: 30_000 });
  await page.waitForSelector('.fit-status[data-state="invalid"]', { timeout: 30_000 });
  assert.equal(await numbersText(page), published);
  // A query that runs for long: Cancel stops it.
  await type(page, "query", "SELECT count(*) AS n FROM range(100000000000) a, range(10) b");
  await page.click('[data-edit-cancel="query"]', { timeout: 10_000 });
  await page.waitForFunction(() => /cancel/i.test(document.querySelector('[data-edit-problems="query"]')?.textContent ?? ""), undefined, { timeout: 15_000 });
  assert.equal(await numbersText(page), published);
  await page.click('[data-edit-reset="query"]');

  // The plan: not a list, not a plan, not JSON, a setting out of range.
  const planText = (await page.textContent('[data-editable="plan"] pre.editable-text'))!;
  await problem("plan", "5", /must be a list of plans/);
  await problem("plan", "[5]", /plans\[0\]: must be a plan, an object/);
  await problem("plan", "[{", /./);
  await problem("plan", planText.replace('"resamples": 0', '"resamples": -1'), /plans\[0\]\.settings\.resamples: must be an integer from 0/);
  // Script in a label and in a model name: shown as text, never run.
  const payload = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
  assert.match(planText, /"label": "MAE full, all"/);
  await type(page, "plan", planText.replace('"label": "MAE full, all"', `"label": ${JSON.stringify(payload)}`));
  await rerun(page, "plan");
  await type(page, "query", `SELECT * REPLACE ('${payload.replaceAll("'", "''")}' || model AS model) FROM observations WHERE task = 'arithmetic'`);
  await page.waitForFunction(() => document.querySelector('[data-edit-problems="query"]:not([hidden])') || document.querySelector('.results[data-edited~="query"]:not([data-stale])'), undefined, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, "no script ran");
  assert.equal(await page.$(`${RESULTS} img[src="x"]`), null, "no element made of a label");
  assert.match(await numbersText(page), /<img src=x onerror/, "the label is shown as text");
  await page.click("[data-edit-reset-all]");
  await rerun(page, "");
  assert.equal(await numbersText(page), published);
  quiet(log, "the page with bad edits");
  await page.close();

  // Links: 1 MB, not an edit, an edit of another version; each opens the published page with a note.
  for (const [address, expected] of [
    [`${path}#edit=${"A".repeat(1_000_000)}`, /more than the 64 kB a link may carry/],
    [`${path}#edit=AAAA`, /cannot be opened/],
    [editAddress(path, { plan: "[5]" }), /must be a plan/],
    [editAddress(path, { query: QUERY }, { site: { version: "0.0.1", commit: "0".repeat(40) } }), /was made on 0\.0\.1/],
  ] as [string, RegExp][]) {
    const { page: p, log: l } = await openPage(browser, served.url, address);
    const text = (await p.textContent("[data-edit-bar]")) + ((await p.textContent('[data-edit-problems="plan"]')) ?? "");
    assert.match(text, expected, address.slice(0, 120));
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    quiet(l, address.slice(0, 80));
    await p.close();
  }
  // Settings in the address: out of range, not a number, unknown models (script among them): named, not used.
  const bad = `${path.replace("resamples=0", "resamples=-5")}&seed=abc&models=${encodeURIComponent('<img src=x onerror="window.__pwned=3">,Yarn-Llama-2-7b-8k')}`;
  const { page: p, log: l } = await openPage(browser, served.url, bad);
  const said = (await p.textContent("[data-inputs-unread]")) ?? "";
  assert.match(said, /resamples: must be an integer from 0/);
  assert.match(said, /seed: /);
  assert.match(said, /models: "<img src=x onerror=\\"window.__pwned=3\\">" is not among the models of these data/);
  assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  quiet(l, "bad settings in the address");
  await p.close();
  assert.deepEqual(dialogs, [], "no dialog opened");
});
