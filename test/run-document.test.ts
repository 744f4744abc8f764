// `npm run fit -- --plan FILE` runs a run document (docs/run-document.md): its query on DuckDB,
// its plans on the query's rows, the numbers runExperiment computes for those rows; a bad
// document is refused with exit 2, one line per problem, before anything runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/temp-dir.js";
import { ROOT, bundledObservations, sharedKernel } from "./helpers/fixtures.js";
import { runExperiment } from "../src/lib/run.js";
import { REGISTRY, plan, type ExperimentPlan } from "../src/lib/experiments.js";
import { runDocument, documentPlans, experimentQuery, fillQuery } from "../src/lib/run-document.js";
import { planProblems } from "../src/lib/plan-check.js";
import { firstDifference } from "../src/lib/diff.js";

const dir = tempDir("run-document-");
const fit = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
};

const EIGHT_K = ["Yarn-Llama-2-7b-8k", "Yarn-Llama-2-13b-8k"];
const QUERY = `SELECT * FROM observations WHERE model IN ('${EIGHT_K.join("', '")}') AND shots <= 127`;
/** A document as a page makes it: the penalty ablation's plans for two tasks, on the 8k models' shorter prompts. */
function pageDocument() {
  const rows = bundledObservations().filter((o) => EIGHT_K.includes(o.model) && o.shots <= 127);
  const plans = ["arithmetic", "translation"].map((t) => plan("penalty-ablation", t, { resamples: 10, restarts: 2, variant: "penalty=decay" }, rows));
  return { doc: runDocument(QUERY, plans, "penalty-ablation"), rows, plans };
}

test("--plan runs a document's query and plans: the numbers runExperiment computes on the query's rows", async () => {
  const { doc, rows, plans } = pageDocument();
  assert.ok(!("settings" in doc.plans[0]!), "the settings are said once, at the top");
  const out = fit(["--plan", write("doc.json", doc), "--json"]);
  assert.equal(out.status, 0, out.stderr);
  const got = JSON.parse(out.stdout);
  assert.equal(got.query, QUERY);
  const kernel = await sharedKernel();
  plans.forEach((p, i) => assert.equal(firstDifference(JSON.parse(JSON.stringify(runExperiment(kernel, p, rows))), got.results[i], p.task, "--plan"), null));
  // The document's plans, completed, are the page's plans.
  assert.deepEqual(documentPlans(doc, "doc.json"), plans);
});

test("--plan refuses a bad document with exit 2, one line per problem, and runs nothing", () => {
  const { doc } = pageDocument();
  const cases: [string, unknown, RegExp[]][] = [
    ["unknown.json", { ...doc, extra: 1, settings: { ...doc.settings, restarts: 0, speed: 2 } }, [
      /unknown\.json: extra: not a field of a run document; valid: format, version, experiment, query, settings, plans/,
      /unknown\.json: settings\.restarts: must be an integer from 1 to 64, got 0/,
      /unknown\.json: settings\.speed: not a setting; valid: seed, variant/]],
    ["fails.json", { ...doc, query: "SELECT * FROM nowhere" }, [/fails\.json: query: DuckDB cannot run it: .*nowhere/]],
    ["columns.json", { ...doc, query: "SELECT task, model, score FROM observations" }, [/columns\.json: query: the query returns no column base_model, n_ctx, compute_flops, n_pmt/]],
    ["two.json", { ...doc, query: "SELECT * FROM observations; SELECT * FROM models" }, [/two\.json: query: /]],
    ["install.json", { ...doc, query: "INSTALL httpfs" }, [/install\.json: query: must be a query that only reads the site's tables .*INSTALL is not run/]],
    ["copy.json", { ...doc, query: `/* a comment */ COPY observations TO '${join(dir, "copied.csv")}'` }, [/copy\.json: query: .*COPY is not run/]],
    ["attach.json", { ...doc, query: "ATTACH 'x.db'" }, [/attach\.json: query: .*ATTACH is not run/]],
    ["file.json", { ...doc, query: "SELECT * FROM read_csv('/etc/hostname')" }, [/file\.json: query: DuckDB cannot run it: Permission Error: Cannot access file "\/etc\/hostname"/]],
    ["empty.json", { ...doc, query: "SELECT * FROM observations WHERE task = 'arithmetic'" }, [/empty\.json: plans\[1\]\.task: "translation" is not a task of the query's rows; they have: arithmetic/]],
    ["plan.json", { ...doc, plans: [{ ...doc.plans[0], fits: [{ ...doc.plans[0]!.fits[0], fitOn: { model: ["x"] }, colour: "red" }] }] }, [
      /plan\.json: plans\[0\]\.fits\[0\]\.colour: not a field of a fit/, /plan\.json: plans\[0\]\.fits\[0\]\.fitOn\.model: not a selection key/]],
    ["format.json", { ...doc, format: "something", version: 2 }, [/format\.json: format: must be "context-scaling-run"/, /format\.json: version: must be 1, got 2/]],
  ];
  for (const [name, value, patterns] of cases) {
    const out = fit(["--plan", write(name, value)]);
    assert.equal(out.status, 2, `${name}: ${out.stderr}`);
    assert.equal(out.stdout, "", `${name}: nothing run`);
    for (const p of patterns) assert.match(out.stderr, p, name);
    assert.doesNotMatch(out.stderr, /\bat .*\.ts:\d+/, `${name}: no stack trace`);
  }
  assert.ok(!existsSync(join(dir, "copied.csv")), "nothing was written");
  const opts = fit(["--plan", write("ok.json", doc), "--seed", "3"]);
  assert.equal(opts.status, 2);
  assert.match(opts.stderr, /--plan and --seed: a document holds its own query and settings/);
});

test("every plan the registry makes passes the document's checks (no field the checks do not know)", () => {
  const rows = bundledObservations();
  for (const d of REGISTRY.filter((x) => x.data === "bundled"))
    for (const t of d.tasks(rows)) {
      const p: ExperimentPlan = plan(d.id as never, t, {}, rows);
      assert.deepEqual(planProblems(JSON.parse(JSON.stringify(p)), d.id, null), [], `${d.id} · ${t}`);
    }
  assert.match(fillQuery(experimentQuery({ data: "bundled" }), { tasks: ["a"], models: ["it's"] }), /model IN \('it''s'\)/);
});
