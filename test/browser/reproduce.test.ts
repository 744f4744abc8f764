// Page = command line, for any inputs: on every experiment page (the public models' section and
// a plan written in a page among them), each combination of inputs below is opened by its address;
// every result the page shows is downloaded as JSON (its link under the tables) and compared, bit
// for bit, with the output of the very command its reproduction line names (with the document its
// line offers, for a page's own plan), run as a reader would run it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { servedSite } from "./site.js";
import { ROOT } from "../helpers/fixtures.js";
import { tempDir } from "../helpers/temp-dir.js";
import { publicModelsData } from "../../src/lib/node/public-data.js";
import { locateExternal } from "../../src/lib/node/import-files.js";

const HAVE_PUBLIC = publicModelsData(locateExternal(undefined)) !== null;
const dir = tempDir("reproduce-");
const E8K = "Yarn-Llama-2-7b-8k,Yarn-Llama-2-13b-8k";
const E128K = "Yarn-Llama-2-7b-128k,Yarn-Llama-2-13b-128k";

/** [page, address parameters, the experiment whose results are compared (a page may hold two)]. */
const CASES: [string, string, string][] = [
  ["penalty-ablation", `models=${E8K}&tasks=arithmetic&resamples=0`, "penalty-ablation"],
  ["penalty-ablation", "tasks=translation&variant=penalty%3Ddecay&resamples=10&restarts=2", "penalty-ablation"],
  ["penalty-ablation", "tasks=common_sense&scheme=models&resamples=10&restarts=1", "penalty-ablation"],
  ["penalty-ablation", `tasks=arithmetic,translation&models=${E128K}&seed=7&resamples=0&restarts=1`, "penalty-ablation"],
  ["in-distribution", "tasks=arithmetic&variant=no-penalty&resamples=0&restarts=1", "in-distribution"],
  ["in-distribution", "tasks=common_sense&models=Yarn-Llama-2-7b-8k,Yarn-Llama-2-13b-8k,Yarn-Llama-2-7b-128k&seed=3&resamples=10&restarts=2", "in-distribution"],
  ["in-distribution", "tasks=translation&variant=penalty%3Ddecay%2Cfloor%3Dfitted&resamples=0&restarts=1", "in-distribution"],
  ["context-generalisation", "tasks=arithmetic&threshold=5000&resamples=0&restarts=1", "context-generalisation"],
  ["context-generalisation", `tasks=common_sense&threshold=20000&models=${E128K}&resamples=10&restarts=2`, "context-generalisation"],
  ["extension-technique", "tasks=arithmetic&resamples=0&restarts=1", "extension-technique"],
  ["extension-technique", "tasks=translation&models=Yarn-Llama-2-7b-8k,Yarn-Llama-2-7b-128k&resamples=0&restarts=2", "extension-technique"],
  ["figure-1", "resamples=0&restarts=1", "figure-1"],
  ["figure-1", "tasks=common_sense,translation&variant=soft-penalty&resamples=10&restarts=2", "figure-1"],
  ["compute-generalisation", "tasks=arithmetic&resamples=0&restarts=1", "compute-holdout"],
  ["compute-generalisation", `tasks=translation&models=${E8K},Yarn-Llama-2-13b-128k&seed=2&resamples=0&restarts=1`, "compute-holdout"],
  ["write-your-own-ablation", "tasks=arithmetic&resamples=0&restarts=1", "write-your-own-ablation"],
  ["write-your-own-ablation", "tasks=translation&models=Yarn-Llama-2-7b-8k,Yarn-Llama-2-13b-8k,Yarn-Llama-2-13b-128k&resamples=10&restarts=2", "write-your-own-ablation"],
  ["write-your-own-ablation", "tasks=common_sense&seed=11&scheme=models&resamples=10&restarts=1", "write-your-own-ablation"],
  ...(HAVE_PUBLIC ? [
    ["compute-generalisation", "tasks=arithmetic&public_tasks=mmlu&public_resamples=0&resamples=0&public_restarts=1&restarts=1", "public-compute"],
    ["compute-generalisation", "tasks=arithmetic&public_tasks=gsm8k,winogrande&public_threshold=3e22&public_resamples=0&public_restarts=2&resamples=0&restarts=1", "public-compute"],
    ["compute-generalisation", "tasks=arithmetic&public_tasks=arc_challenge&public_seed=5&public_resamples=0&resamples=0&public_restarts=1&restarts=1", "public-compute"],
  ] as [string, string, string][] : []),
];

const served = servedSite();

/** The words of a command as a POSIX shell reads them (plain words and '…' quoting, which is all the pages write). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m; (m = re.exec(command)); ) words.push(m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]!);
  return words;
}

/** What the command prints with --json, run as `npm run fit -- …` runs it (exit 3, a fit the plan asked for was refused, prints the results too: the page shows the refusal). */
function run(args: string[]): Promise<{ results: unknown[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 }, (error, stdout, stderr) =>
      error && error.code !== 3 ? reject(new Error(`fit ${args.join(" ")} failed: ${stderr}`)) : resolve(JSON.parse(stdout)));
  });
}

test(`${CASES.length} combinations of inputs: each result a page shows is, bit for bit, what its reproduction line's command prints`, { timeout: 20 * 60_000 }, async () => {
  assert.ok(CASES.length >= 20 || !HAVE_PUBLIC, "at least 20 combinations");
  const commands = new Set<string>(); // each combination's command, with its document's text
  let documents = 0;
  // The commands run one at a time beside the browser, which goes on to the next page meanwhile.
  let queue: Promise<unknown> = Promise.resolve();
  const checks: Promise<void>[] = [];
  for (const [path, params, experiment] of CASES) {
    const { page, log } = await served.open(`${path}?${params}`);
    const where = `${path}?${params}`;
    const sections = await page.$$(`.results[data-experiment="${experiment}"][data-source="browser"] :is(section.task-result, section.task-reproduce)`);
    assert.ok(sections.length > 0, `${where}: the page shows results of ${experiment}`);
    for (const section of sections) {
      const command = (await section.$eval("code[data-command]", (c) => c.textContent ?? ""));
      const words = shellWords(command);
      assert.deepEqual(words.slice(0, 3), ["npm", "run", "fit"], `${where}: ${command}`);
      assert.equal(words[3], "--");
      let args = words.slice(4);
      // A plan written in the page: the command runs the document the line offers.
      const documentLink = await section.$("a[data-document]");
      if (documentLink) {
        const href = (await documentLink.getAttribute("href"))!;
        const name = (await documentLink.getAttribute("download"))!;
        assert.ok(href.startsWith("data:application/json"), `${where}: the document needs no script`);
        const file = join(dir, `${++documents}-${name}`);
        writeFileSync(file, decodeURIComponent(href.slice(href.indexOf(",") + 1)));
        args = args.map((a) => (a === name ? file : a));
        commands.add(`${command}\n${readFileSync(file, "utf8")}`);
      } else commands.add(command);
      const [download] = await Promise.all([page.waitForEvent("download"), section.$eval("a[data-results]", (a) => (a as HTMLAnchorElement).click())]);
      const shown = JSON.parse(readFileSync((await download.path())!, "utf8"));
      const task = shown.plan.task;
      const printed = queue.then(() => run(args));
      queue = printed.catch(() => {});
      const check = printed.then(({ results }) => {
        const same = (results as { plan: { task: string } }[]).find((r) => r.plan.task === task);
        assert.ok(same, `${where}: \`${command}\` prints ${task}`);
        // JSON numbers round-trip exactly: equal text is equal bits.
        if (JSON.stringify(same) !== JSON.stringify(shown)) assert.deepEqual(same, shown, `${where}: \`${command}\` prints the page's numbers`);
      });
      check.catch(() => {}); // reported by Promise.all below, not as an unhandled rejection
      checks.push(check);
    }
    assert.deepEqual([log.pageErrors, log.consoleErrors, log.consoleWarnings, log.outside], [[], [], [], []], `${where}: no error or warning, nothing off the host`);
    await page.close();
  }
  await Promise.all(checks);
  assert.ok(commands.size >= CASES.length, "every combination names its own command (or document)");
});

test("binomial weights on data without counts: the page and the command line both refuse, saying why", async () => {
  const { page } = await served.open("penalty-ablation?tasks=arithmetic&weights=binomial&resamples=0", { until: '.fit-status[data-state="invalid"]' });
  assert.match((await page.textContent(".fit-status")) ?? "", /binomial weights need the number of evaluated instances behind every score \(column n_instances\)/);
  await page.close();
  await assert.rejects(run(["--experiment", "penalty-ablation", "--task", "arithmetic", "--weights", "binomial"]), /--weights binomial needs the number of evaluated instances/);
});
