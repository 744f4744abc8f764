// DuckDB-WASM, self-hosted: the worker and the .wasm are copied from node_modules into the
// build by import.meta.resolve, so no request leaves the site (Framework's built-in DuckDB
// client would fetch both, and extensions, from CDNs). The "eh" bundle needs no special
// headers (the "coi" one needs cross-origin isolation, which a plain static host lacks).
import * as duckdb from "@duckdb/duckdb-wasm";
import { mark } from "./timing.js";

const WORKER_URL = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");
const WASM_URL = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");

/** Column types of data/observations.csv, stated rather than sniffed so that every page sees
 *  the types of src/lib/types.ts (a sniffed n_ctx would be BIGINT, a JS BigInt on the page). */
export const OBSERVATION_TYPES = {
  task: "VARCHAR", model: "VARCHAR", base_model: "VARCHAR", extension: "VARCHAR", n_ctx: "INTEGER",
  compute_flops: "DOUBLE", shots: "INTEGER", n_pmt: "DOUBLE", score: "DOUBLE", metric: "VARCHAR",
  score_uncertainty: "DOUBLE", n_pmt_uncertainty_rel: "DOUBLE", paper_role: "VARCHAR", source: "VARCHAR",
};
export const MODEL_TYPES = {
  model: "VARCHAR", base_model: "VARCHAR", params_nonembed: "BIGINT", pretrain_tokens: "DOUBLE",
  extension_tokens: "DOUBLE", n_ctx: "INTEGER", extension: "VARCHAR", compute_flops: "DOUBLE", source: "VARCHAR",
};

const typesLiteral = (types) => `{${Object.entries(types).map(([k, v]) => `'${k}': '${v}'`).join(", ")}}`;

/**
 * Starts DuckDB and loads the given CSV files as tables.
 * @param {{name: string, file: string, bytes: Uint8Array, types: Record<string,string>}[]} tables
 */
export async function openDatabase(tables) {
  const worker = new Worker(WORKER_URL, { type: "module" }); // the eh worker is an ES module
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(WASM_URL);
  const conn = await db.connect();
  // Without these DuckDB tries to download extensions on first use and fails with a
  // misleading "table index is out of bounds".
  await conn.query("SET autoinstall_known_extensions = false");
  await conn.query("SET autoload_known_extensions = false");
  const loads = [];
  for (const t of tables) {
    await db.registerFileBuffer(t.file, t.bytes);
    const statement = `CREATE TABLE ${t.name} AS SELECT * FROM read_csv('${t.file}', header = true, columns = ${typesLiteral(t.types)})`;
    await conn.query(statement);
    loads.push(statement);
  }
  mark("duckdb-ready");
  return { db, conn, loads };
}

/** A SQL literal for a value interpolated into a query: the text shown is the text run. */
export function literal(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot put ${value} into SQL`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (Array.isArray(value)) return `(${value.length ? value.map(literal).join(", ") : "NULL"})`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Arrow rows → plain objects; BigInt (COUNT(*), BIGINT columns) → Number when exact. */
function plain(table) {
  return table.toArray().map((row) => {
    const o = row.toJSON();
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === "bigint") o[k] = Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
    }
    return o;
  });
}

/**
 * A `sql` tagged template over one connection: interpolated values become SQL literals, so
 * the query text a page shows (`.text` of the result) is exactly the query that ran.
 */
export function makeSql(conn) {
  const run = async (text) => {
    const rows = plain(await conn.query(text));
    return Object.assign(rows, { text });
  };
  const sql = (strings, ...values) => run(strings.reduce((s, str, i) => s + str + (i < values.length ? literal(values[i]) : ""), ""));
  sql.text = (strings, ...values) => strings.reduce((s, str, i) => s + str + (i < values.length ? literal(values[i]) : ""), "");
  sql.raw = run;
  return sql;
}
