// The SQL cell of every experiment page (its ```sql id=rows``` block) returns exactly the rows
// the library selects for the same inputs, in the same order: the page's fits see what the
// command line's fits see. The query runs here on DuckDB-WASM's Node build, over the same
// CSV bytes, loaded by the same statement (src/components/notebook/sql-text.js) as on the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { experimentPages } from "../src/lib/node/site-pages.js";
import { createTable, literal, plain, OBSERVATION_TYPES } from "../src/components/notebook/sql-text.js";
import { parseObservationsCsv } from "../src/lib/observations.js";

const require = createRequire(import.meta.url);
const ROOT = new URL("../", import.meta.url);
const DIST = new URL("node_modules/@duckdb/duckdb-wasm/dist/", ROOT).pathname;
const CSV = readFileSync(new URL("data/observations.csv", ROOT));
const observations = parseObservationsCsv(CSV.toString("utf8"), "data/observations.csv");
const COLUMNS = Object.keys(OBSERVATION_TYPES);

let db: any;
let conn: any;
before(async () => {
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  db = await duckdb.createDuckDB(
    { mvp: { mainModule: `${DIST}duckdb-mvp.wasm`, mainWorker: `${DIST}duckdb-node-mvp.worker.cjs` }, eh: { mainModule: `${DIST}duckdb-eh.wasm`, mainWorker: `${DIST}duckdb-node-eh.worker.cjs` } },
    new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  conn = db.connect();
  conn.query("SET autoinstall_known_extensions = false");
  conn.query("SET autoload_known_extensions = false");
  db.registerFileBuffer("observations.csv", CSV);
  conn.query(createTable("observations", "observations.csv", OBSERVATION_TYPES));
});
after(() => { conn?.close(); db?.reset?.(); });

/** The page's ```sql … id=rows``` cell, as a function of the page's `settings` (its `${…}` become SQL literals, as the page's `sql` tag does). */
function rowsQuery(source: string, file: string): (settings: Record<string, unknown>) => string {
  const m = /```sql[^\n]*\bid=rows\b[^\n]*\n([\s\S]*?)```/.exec(source);
  assert.ok(m, `${file}: has a \`\`\`sql id=rows cell`);
  const template = m[1].replace(/\$\{([^}]*)\}/g, "${literal($1)}");
  const fill = new Function("settings", "literal", `return \`${template}\`;`);
  return (settings) => fill(settings, literal);
}

const allTasks = [...new Set(observations.map((o) => o.task))];
const allModels = [...new Set(observations.map((o) => o.model))];
const CASES = [
  { tasks: allTasks, models: allModels },
  { tasks: ["translation"], models: allModels },
  { tasks: ["arithmetic", "common_sense"], models: ["Yarn-Llama-2-13b-8k", "Yarn-Llama-2-7b-128k"] },
];

test("every experiment page's SQL cell returns the library's rows, in order", () => {
  const pages = experimentPages();
  assert.ok(pages.length >= 6, "the six experiment pages list themselves");
  for (const p of pages) {
    const query = rowsQuery(readFileSync(new URL(`src/${p.file}`, ROOT), "utf8"), p.file);
    for (const c of CASES) {
      const got = plain(conn.query(query({ ...c }))).map((r: any) => Object.fromEntries(COLUMNS.map((k) => [k, r[k]])));
      const want = observations.filter((o) => c.tasks.includes(o.task) && c.models.includes(o.model)).map((o: any) => Object.fromEntries(COLUMNS.map((k) => [k, o[k]])));
      assert.ok(want.length > 0);
      assert.deepEqual(got, want, `${p.file}, tasks ${c.tasks.join(",")}, models ${c.models.length}`);
    }
  }
});
