// Browser tests of the inputs of the built site (dist/, as `npm start` serves it): changing an
// input reruns the fit and goes into the URL, a URL restores the inputs, a law written as a
// composition is fitted as on the command line, a long fit shows progress and can be cancelled,
// charts download, and the explorer keeps its state in the URL. Each test opens its own page
// with inputs set; test/browser/site.test.ts checks the pages at their defaults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { servedSite, tableCells, assertSameNumbers } from "./site.js";
import { cli, cliArgs } from "./cli.js";

const served = servedSite();

test("changing an input reruns the fit, changes the table, and goes into the URL", async () => {
  const { page } = await served.open("in-distribution?tasks=arithmetic&resamples=50");
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
  const { page } = await served.open(`context-generalisation?${query}`);
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
  const { page } = await served.open(`penalty-ablation?tasks=arithmetic&variant=${encodeURIComponent("penalty=decay,floor=fitted")}&resamples=20`);
  const selected = await page.$eval('[data-input="variant"] select', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
  assert.match(selected, /^penalty=decay,floor=fitted: /, "the select shows the composition, described by its parts");
  const [r] = await cli(["--experiment", "penalty-ablation", "--task", "arithmetic", ...cliArgs({ variant: "penalty=decay,floor=fitted", resamples: 20 })]);
  assert.ok(["log10_decay_rate", "floor"].every((p) => r.fits[0].fit?.paramNames.includes(p)), "the command line fitted the composition's decay rate and floor");
  await assertSameNumbers(page, r);
  await page.close();
});

test("a long fit shows its progress and can be cancelled", async () => {
  const { page } = await served.open("figure-1?resamples=0");
  await page.fill('[data-input="resamples"] input[type="number"]', "200000");
  await page.dispatchEvent('[data-input="resamples"] input[type="number"]', "input");
  // The status, its bar and its text read at one moment: fill and the input event can each start
  // a run, and the second run's first state ("fitting …", bar at 0) may replace the first's
  // progress between two separate reads (seen once on a loaded machine).
  const progress = await page.waitForFunction(() => {
    const s = document.querySelector<HTMLElement>(".fit-status");
    const text = s?.querySelector(".status-text")?.textContent ?? "";
    return s?.dataset.state === "running" && Number(s.querySelector("progress")?.value) > 0 && /bootstrap resample \d+ of 200000|global search/.test(text) && text;
    // As long as the other waits for a fit: on a loaded machine the first progress report of the
    // new run (after the global searches of the first fits) took over 30 s once.
  }, undefined, { timeout: 60_000 });
  assert.match(String(await progress.jsonValue()), /bootstrap resample \d+ of 200000|global search/);
  await page.click(".fit-status button:has-text('Cancel')");
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".fit-status")?.dataset.state === "cancelled", undefined, { timeout: 10_000 });
  // The page still responds, and a new run starts a fresh worker.
  await page.fill('[data-input="resamples"] input[type="number"]', "0");
  await page.dispatchEvent('[data-input="resamples"] input[type="number"]', "input");
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".fit-status")?.dataset.state === "done", undefined, { timeout: 60_000 });
  await page.close();
});

test("charts save as SVG and PNG, and their data as CSV", async () => {
  const { page } = await served.open("figure-1?resamples=0");
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

test("the explorer keeps compute and context limit in the URL", async () => {
  // The explorer needs none of the home page's reruns: wait for it alone.
  const { page } = await served.open("?n_ctx=32768&log10C=23.5", { until: ".explorer figcaption" });
  await page.waitForSelector('[data-input="log10C"] input[type="number"]');
  assert.equal(await page.inputValue('[data-input="log10C"] input[type="number"]'), "23.5");
  assert.match((await page.textContent(".explorer figcaption")) ?? "", /n_ctx = 32,768/);
  await page.selectOption('[data-input="n_ctx"] select', { label: "131,072 tokens" });
  await page.waitForFunction(() => new URL(location.href).searchParams.get("n_ctx") === "131072", undefined, { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector(".explorer figcaption")?.textContent?.includes("131,072"), undefined, { timeout: 10_000 });
  await page.close();
});
