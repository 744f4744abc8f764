// `npm run fit -- --plan FILE` runs a run document (docs/run-document.md): its query on DuckDB,
// its plans on the query's rows, the numbers runExperiment computes for those rows; a bad
// document is refused with exit 2, one line per problem, before anything runs.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/temp-dir.js";
import { ROOT, bundledObservations, sharedKernel } from "./helpers/fixtures.js";
import { runExperiment } from "../src/lib/run.js";
import { REGISTRY, plan, type ExperimentPlan } from "../src/lib/experiments.js";
import { runDocument, documentPlans, experimentQuery, fillQuery, checkQuery, errorRange, MAX_QUERY_ROWS } from "../src/lib/run-document.js";
import { openNodeDatabase, type NodeDatabase } from "../src/lib/node/duckdb.js";
import { OBSERVATION_TYPES, MODEL_TYPES } from "../src/components/notebook/sql-text.js";
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
    // Starts like a query, writes like a statement: DuckDB's own parse refuses it.
    ["delete.json", { ...doc, query: "WITH a AS (SELECT 1) DELETE FROM observations" }, [/delete\.json: query: must be a query that only reads .*DELETE is not run/]],
    ["many.json", { ...doc, query: "SELECT o.* FROM observations o, range(1000000)" }, [/many\.json: query: the query returns more than 200,000 rows, .*add a WHERE .* or a LIMIT/]],
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

let nodeDb: Promise<NodeDatabase> | undefined;
/** DuckDB in Node with the bundled tables, as `npm run fit -- --plan` opens it. */
const bundledDb = () => (nodeDb ??= openNodeDatabase([
  { name: "observations", file: "observations.csv", bytes: readFileSync(join(ROOT, "data/observations.csv")), types: OBSERVATION_TYPES },
  { name: "models", file: "models.csv", bytes: readFileSync(join(ROOT, "data/models.csv")), types: MODEL_TYPES },
]));
after(async () => (await nodeDb)?.close());

test("checkQuery: a query of endless rows is refused at the row limit, at once, without holding its rows", async () => {
  const db = await bundledDb();
  for (const query of ["SELECT o.* FROM observations o, range(1000000)", "SELECT * FROM range(1000000000000)"]) {
    const started = Date.now();
    const r = await checkQuery(db, query, "doc.json: query");
    assert.deepEqual(r.problems.map((p) => p.message), [`doc.json: query: the query returns more than ${MAX_QUERY_ROWS.toLocaleString("en-US")} rows, the most a query here may return; select fewer rows: add a WHERE (e.g. WHERE task = 'arithmetic') or a LIMIT`], query);
    assert.equal(r.rows.length, 0, "no rows when refused");
    // Reading everything would take minutes (or forever) and gigabytes: the check stops at the limit.
    assert.ok(Date.now() - started < 20_000, `${query}: ${Date.now() - started} ms`);
  }
  // Exactly at the limit is allowed (and then only the columns the fits read are checked).
  const at = await checkQuery(db, `SELECT o.* FROM observations o, range(${Math.ceil(MAX_QUERY_ROWS / 120)}) LIMIT ${MAX_QUERY_ROWS}`, "q");
  assert.equal(at.rows.length, MAX_QUERY_ROWS);
  assert.deepEqual(at.problems, []);
});

test("checkQuery: the streamed rows are the rows of the whole query, converted the same way", async () => {
  const db = await bundledDb();
  for (const query of ["SELECT * FROM observations", "SELECT m.*, count(*) OVER () AS n, (1::BIGINT << 62) AS big FROM models m ORDER BY model DESC", "SELECT o.*, i FROM observations o, range(30) t(i) ORDER BY i, task"]) {
    const whole = db.query(query);
    const limited = await db.query(query, { maxRows: 1e9 });
    assert.deepEqual(limited, whole, query);
  }
  const r = await checkQuery(db, "SELECT * FROM observations WHERE task = 'arithmetic'", "q");
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.rows, db.query("SELECT * FROM observations WHERE task = 'arithmetic'").rows);
  assert.deepEqual(r.columns.map((c) => c.name), Object.keys(OBSERVATION_TYPES));
});

test("checkQuery: DuckDB's errors name their place in the query as offsets into its text", async () => {
  const db = await bundledDb();
  const cases: [string, string, RegExp][] = [
    // [query, the text the problem must cover, its message]
    ["SELECT * FORM observations", "observations", /^q: DuckDB cannot run it: Parser Error: syntax error at or near "observations"$/],
    ["SELECT *\nFROM observations\r\nWHERE task = 'arithmetic' AND scroe > 0.5", "scroe", /^q: DuckDB cannot run it: Binder Error: Referenced column "scroe" not found/],
    ["SELECT * FROM nowhere", "nowhere", /^q: DuckDB cannot run it: Catalog Error: Table with name nowhere does not exist!$/],
    [`SELECT ${Array.from({ length: 30 }, (_, i) => `score AS s${i}`).join(", ")}, nope FROM observations`, "nope", /Referenced column "nope" not found/],
    ["SELECT '数据' AS 名前, nope FROM observations", "nope", /Referenced column "nope"/],
    ["SELECT * FROM read_csv('/etc/hostname')", "read_csv", /^q: DuckDB cannot run it: Permission Error: Cannot access file "\/etc\/hostname"/],
    ["SELECT * REPLACE (CAST('x' AS DOUBLE) AS score) FROM observations", "CAST", /^q: DuckDB (cannot run it|failed): Conversion Error: Could not convert string 'x' to DOUBLE/],
    ["  /* a comment */ INSTALL httpfs", "INSTALL", /^q: must be a query that only reads .*INSTALL is not run/],
    ["WITH a AS (SELECT 1) DELETE FROM observations", "DELETE", /^q: must be a query that only reads .*DELETE is not run/],
  ];
  for (const [query, place, message] of cases) {
    const { problems, rows } = await checkQuery(db, query, "q");
    assert.equal(problems.length, 1, `${query}: ${JSON.stringify(problems)}`);
    assert.match(problems[0]!.message, message, query);
    assert.equal(rows.length, 0);
    const from = query.indexOf(place);
    assert.deepEqual([problems[0]!.from, problems[0]!.to], [from, from + place.length], `${query}: ${problems[0]!.message} at ${JSON.stringify(query.slice(problems[0]!.from, problems[0]!.to))}`);
  }
  // No place named: no offsets. The end of input is the end of the text.
  const two = await checkQuery(db, "SELECT 1; SELECT 2", "q");
  assert.match(two.problems[0]!.message, /^q: DuckDB cannot run it: Invalid Input Error: Cannot prepare multiple statements at once!$/);
  assert.equal(two.problems[0]!.from, undefined);
  const open = await checkQuery(db, "SELECT (\n", "q");
  assert.deepEqual([open.problems[0]!.from, open.problems[0]!.to], [8, 8]);
  assert.deepEqual(errorRange("Binder Error: no place", "SELECT 1"), {});
  // The DELETE did not run: the table is whole.
  assert.equal(db.query("SELECT count(*) AS n FROM observations").rows[0]!.n, readFileSync(join(ROOT, "data/observations.csv"), "utf8").trim().split("\n").length - 1);
});
