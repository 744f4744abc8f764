// DuckDB-WASM, self-hosted: the worker and the .wasm are copied from node_modules into the
// build by import.meta.resolve, so no request leaves the site (Framework's built-in DuckDB
// client would fetch both, and extensions, from CDNs). The "eh" bundle needs no special
// headers (the "coi" one needs cross-origin isolation, which a plain static host lacks).
import * as duckdb from "@duckdb/duckdb-wasm";
import { mark } from "./timing.js";
import { createTable, literal, plain } from "./sql-text.js";

export { OBSERVATION_TYPES, MODEL_TYPES, literal } from "./sql-text.js";

const WORKER_URL = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");
const WASM_URL = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");

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
    // A copy: the worker takes the buffer it is given (transferred, so detached here), and the
    // page's bytes must stay whole for a database opened again (db.js runReaderQuery).
    await db.registerFileBuffer(t.file, t.bytes.slice());
    const statement = createTable(t.name, t.file, t.types);
    await conn.query(statement);
    loads.push(statement);
  }
  mark("duckdb-ready");
  return { db, conn, loads };
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

/**
 * From here on the database reads only what it holds: no file (not even the ones registered
 * with it), no extension, no network, and no setting can be changed back (as the command line's,
 * src/lib/node/duckdb.ts). Load every table first.
 */
export async function lockDatabase(conn) {
  await conn.query("SET enable_external_access = false");
  await conn.query("SET lock_configuration = true");
}

/**
 * checkQuery's database (src/lib/run-document.ts) over one connection: DuckDB's prepare, and the
 * query streamed (`conn.send(text, true)`) and read only up to `maxRows` rows, each batch's rows
 * converted by plain() exactly as `sql` converts a whole result. `progress(rows)` hears the rows
 * read so far; reading stops early when `stopped()` says so.
 */
export function queryDatabase(conn, { progress = () => {}, stopped = () => false } = {}) {
  return {
    async statementProblem(text) {
      try {
        const prepared = await conn.prepare(text);
        await prepared.close();
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
    async query(text, { maxRows }) {
      const reader = await conn.send(text, true);
      await reader.open(); // reads the schema, which the reader forgets once read to the end
      const columns = reader.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
      const rows = [];
      for await (const batch of reader) {
        for (const row of plain(batch)) rows.push(row);
        progress(rows.length);
        if (rows.length >= maxRows || stopped()) break;
      }
      return { rows: rows.slice(0, maxRows), columns };
    },
  };
}
