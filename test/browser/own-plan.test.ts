// An ablation is one page: a temporary page, the shipped "Write your own ablation" with a new
// plan in its plan cell and nothing else changed, is built with the site's own configuration
// (in a copy of the project in a temporary folder, never in the working tree), listed in the navigation by itself, and renders its fits; the
// numbers it shows equal runExperiment of the same plan in Node, cell by cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startStaticServer } from "../../src/lib/node/static-server.js";
import { runExperiment } from "../../src/lib/run.js";
import { DEFAULT_SETTINGS, type ExperimentPlan } from "../../src/lib/experiments.js";
import { parseObservationsCsv } from "../../src/lib/observations.js";
import { loadKernel } from "../../src/lib/node/load-kernel.js";
import { projectCopy } from "../helpers/project-copy.js";
import { launchBrowser, openPage, assertSameNumbers, startSite, editAddress, ROOT } from "./site.js";

const NAME = `own-plan-test-${process.pid}`;
const RESAMPLES = 20;
// A plan the shipped page does not have: the paper's law against the additive law, fitted
// on the shorter prompts of every model, judged on the longer ones.
const PLAN = {
  experiment: NAME,
  title: "Temporary ablation of the own-plan test",
  question: "Fitted below 4,000 tokens, which law predicts the longer prompts?",
  fits: [
    { label: "law", variant: "full", fitOn: { n_pmt_below: 4000 }, evaluate: [{ name: "fitted", on: { n_pmt_below: 4000 } }, { name: "held out", on: { n_pmt_at_least: 4000 } }] },
    { label: "additive", variant: "additive", fitOn: { n_pmt_below: 4000 }, evaluate: [{ name: "fitted", on: { n_pmt_below: 4000 } }, { name: "held out", on: { n_pmt_at_least: 4000 } }] },
  ],
  comparisons: [],
  curveModels: ["Yarn-Llama-2-7b-8k", "Yarn-Llama-2-13b-128k"],
  missing: [],
};

/** The shipped page with PLAN in its plan cell, its own front matter, one task and few resamples. */
function temporaryPage(): string {
  const source = readFileSync(join(ROOT, "src/write-your-own-ablation.md"), "utf8");
  const replace = (text: string, pattern: RegExp, by: string) => {
    assert.match(text, pattern, `the shipped page still has ${pattern}`);
    return text.replace(pattern, by);
  };
  let page = replace(source, /^---\n[\s\S]*?\n---\n/, `---\ntitle: ${PLAN.title}\nexperiment: ${NAME}\norder: 99\n---\n`);
  page = replace(page, /```js echo\n[^`]*const plans = [\s\S]*?```\n/,
    "```js echo\nconst PLAN = " + JSON.stringify(PLAN) + ";\nconst plans = settings.tasks.map((task) => ({ ...PLAN, task, settings: nb.settings(settings) }));\ndisplay(plans);\n```\n");
  page = replace(page, /\{ resamples: \d+ \}/, `{ tasks: ["arithmetic"], resamples: ${RESAMPLES} }`);
  return page;
}

/** An edit of penalty-ablation, as its link carries it: the 8k models only, and a plan of the reader's own (one task). */
const EDIT = {
  query: "SELECT * FROM observations\nWHERE task = 'arithmetic' AND model LIKE '%-8k'",
  plan: JSON.stringify([{ ...PLAN, experiment: "penalty-ablation", task: "arithmetic", settings: { ...DEFAULT_SETTINGS, resamples: RESAMPLES }, curveModels: ["Yarn-Llama-2-7b-8k"] }], null, 2),
};

/** The page an edit of the published site downloads (its "Download the page"), with the results that page showed. */
async function downloadedEditPage(browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<{ text: string; results: unknown[] }> {
  const site = await startSite();
  try {
    const { page, log } = await openPage(browser, site.url, editAddress("penalty-ablation", EDIT));
    await page.waitForSelector('.results[data-edited="query plan"][data-source="browser"]:not([data-stale])', { timeout: 120_000 });
    const results = [];
    for (const link of await page.$$(".results a[data-results]")) {
      const [d] = await Promise.all([page.waitForEvent("download"), link.evaluate((a) => (a as HTMLAnchorElement).click())]);
      results.push(JSON.parse(readFileSync((await d.path())!, "utf8")));
    }
    const [d] = await Promise.all([page.waitForEvent("download"), page.click('[data-edit-download="page"]')]);
    assert.deepEqual([log.pageErrors, log.outside], [[], []]);
    return { text: readFileSync((await d.path())!, "utf8"), results };
  } finally {
    await site.close();
  }
}

test("a page written like \"Write your own ablation\" with a new plan is listed, builds and renders its fits", { timeout: 15 * 60_000 }, async () => {
  // A copy with the main build's loader cache, so Framework reuses its loaders' outputs.
  const { dir: project, env } = projectCopy("cs-own-plan-", { loaderCache: true });
  const out = join(project, "dist");
  writeFileSync(join(project, "src", `${NAME}.md`), temporaryPage());
  let site: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    // And the page an edit in the published site downloads, built beside it.
    browser = await launchBrowser();
    const edited = await downloadedEditPage(browser);
    writeFileSync(join(project, "src", "penalty-ablation-edited.md"), edited.text);
    const built = spawnSync(join(ROOT, "node_modules/.bin/observable"), ["build"], {
      cwd: project, encoding: "utf8", env: { ...env, OBSERVABLE_TELEMETRY_DISABLE: "true" },
    });
    assert.equal(built.status, 0, built.stderr);
    site = await startStaticServer(out, { port: 0 });
    const { page, log } = await openPage(browser, site.url, NAME);
    assert.deepEqual(log.pageErrors, [], "uncaught errors");
    assert.deepEqual(log.outside, [], "requests to other hosts");
    // Listed in the navigation by itself.
    assert.ok(await page.$(`#observablehq-sidebar a[href$="${NAME}.html"]`), "the page is in the navigation");
    // Its fits, labelled as in the plan, with their curves drawn.
    const labels = await page.$$eval('section.task-result table[data-table="splits"]', (ts) => ts.map((t) => (t as HTMLElement).dataset.fit));
    assert.deepEqual(labels, PLAN.fits.map((f) => f.label));
    const marks = await page.$$eval(".vl-figure svg g.mark-line path", (ps) => ps.length);
    assert.ok(marks > 0, "the figure draws the fitted curves");
    // The same numbers as the plan run in Node on the same rows.
    const observations = parseObservationsCsv(readFileSync(join(ROOT, "data/observations.csv"), "utf8"), "data/observations.csv");
    const plan = { ...PLAN, task: "arithmetic", settings: { ...DEFAULT_SETTINGS, resamples: RESAMPLES } } as unknown as ExperimentPlan;
    await assertSameNumbers(page, runExperiment(await loadKernel(), plan, observations));
    await page.close();
    // The downloaded edit, built as a page of its own: listed, and the numbers the edit showed, bit for bit.
    const { page: own, log: ownLog } = await openPage(browser, site.url, "penalty-ablation-edited");
    assert.deepEqual([ownLog.pageErrors, ownLog.outside], [[], []]); // a bare `observable build` has no manifest.json: its 404 is logged
    assert.ok(await own.$('#observablehq-sidebar a[href$="penalty-ablation-edited.html"]'), "the edited page is in the navigation");
    const links = await own.$$(".results a[data-results]");
    assert.equal(links.length, edited.results.length);
    for (const [i, link] of links.entries()) {
      const [d] = await Promise.all([own.waitForEvent("download"), link.evaluate((a) => (a as HTMLAnchorElement).click())]);
      assert.equal(readFileSync((await d.path())!, "utf8").trim(), JSON.stringify(edited.results[i], null, 1), "the edited page's numbers");
    }
    await own.close();
  } finally {
    await browser?.close();
    await site?.close();
    rmSync(project, { recursive: true, force: true });
  }
});
