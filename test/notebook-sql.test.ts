// The rows query of every experiment page is its experiment's, declared once (src/lib/run-document.ts,
// or the registry descriptor's own), and it returns exactly the rows the library parses for the
// same inputs, in the same order. The query runs here on DuckDB-WASM's Node build
// (src/lib/node/duckdb.ts, which `npm run fit` runs documents on), over the same CSV bytes, loaded
// by the same statement (src/components/notebook/sql-text.js) as on the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { experimentPages } from "../src/lib/node/site-pages.js";
import { OBSERVATION_TYPES, MODEL_TYPES } from "../src/components/notebook/sql-text.js";
import { parseObservationsCsv } from "../src/lib/observations.js";
import { openNodeDatabase, type NodeDatabase } from "../src/lib/node/duckdb.js";
import { experimentQuery, fillQuery, rowsProblems } from "../src/lib/run-document.js";
import { descriptor, isExperiment } from "../src/lib/experiments.js";

const ROOT = new URL("../", import.meta.url);
const CSV = readFileSync(new URL("data/observations.csv", ROOT));
const observations = parseObservationsCsv(CSV.toString("utf8"), "data/observations.csv");
const COLUMNS = Object.keys(OBSERVATION_TYPES);

let db: NodeDatabase;
before(async () => {
  db = await openNodeDatabase([
    { name: "observations", file: "observations.csv", bytes: CSV, types: OBSERVATION_TYPES },
    { name: "models", file: "models.csv", bytes: readFileSync(new URL("data/models.csv", ROOT)), types: MODEL_TYPES },
  ]);
});
after(() => db?.close());

const allTasks = [...new Set(observations.map((o) => o.task))];
const allModels = [...new Set(observations.map((o) => o.model))];
const CASES = [
  { tasks: allTasks, models: allModels },
  { tasks: ["translation"], models: allModels },
  { tasks: ["arithmetic", "common_sense"], models: ["Yarn-Llama-2-13b-8k", "Yarn-Llama-2-7b-128k"] },
];

test("every experiment page runs its experiment's declared query, which returns the library's rows, in order", () => {
  const pages = experimentPages();
  assert.ok(pages.length >= 6, "the six experiment pages list themselves");
  for (const p of pages) {
    const source = readFileSync(new URL(`src/${p.file}`, ROOT), "utf8");
    // The page writes no query of its own: its rows cell runs the declared one.
    // (or the reader's edit of it, which the page checks and runs instead: test/browser/edit.test.ts)
    assert.match(source, /const query = view\(await nb\.editable\("query", nb\.query\(settings\)\)\)/, `${p.file}: its query cell is nb.query, editable`);
    assert.match(source, /const rows = await nb\.rows\(query\)/, `${p.file}: its rows cell runs that query`);
    assert.doesNotMatch(source, /```sql[^\n]*\bid=rows\b/, `${p.file}: no second copy of the query`);
    const d = isExperiment(p.experiment) ? descriptor(p.experiment) : { data: "bundled" as const };
    if (d.data !== "bundled") continue;
    for (const c of CASES) {
      const { rows, columns } = db.query(fillQuery(experimentQuery(d), c));
      assert.deepEqual(rowsProblems(rows, columns.map((x) => x.name), p.file), []);
      const got = rows.map((r) => Object.fromEntries(COLUMNS.map((k) => [k, r[k]])));
      const want = observations.filter((o) => c.tasks.includes(o.task) && c.models.includes(o.model)).map((o: any) => Object.fromEntries(COLUMNS.map((k) => [k, o[k]])));
      assert.ok(want.length > 0);
      assert.deepEqual(got, want, `${p.file}, tasks ${c.tasks.join(",")}, models ${c.models.length}`);
    }
  }
});

test("a query's rows are checked: missing columns, values of the wrong kind and no rows are each named", () => {
  const cols = (q: string) => { const r = db.query(q); return rowsProblems(r.rows, r.columns.map((c) => c.name), "doc.json: query"); };
  assert.deepEqual(cols("SELECT * FROM observations"), []);
  assert.match(cols("SELECT task, model, score FROM observations").join("\n"), /doc\.json: query: the query returns no column base_model, n_ctx, compute_flops, n_pmt/);
  assert.match(cols("SELECT * FROM observations WHERE false").join("\n"), /returns no rows/);
  assert.match(cols("SELECT * REPLACE ('many' AS n_pmt) FROM observations").join("\n"), /column n_pmt must hold finite numbers; row 1 of the result has "many"/);
  assert.match(db.statementProblem("SELECT 1; SELECT 2") ?? "", /./, "two statements are not one query");
  assert.equal(db.statementProblem("SELECT * FROM observations"), null);
});
