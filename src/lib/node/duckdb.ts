// DuckDB in Node: the same engine the pages run (DuckDB-WASM, its blocking Node build), loading
// the tables by the same statements (src/components/notebook/sql-text.js), so a run document's
// query returns in Node exactly the rows it returns in the page.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createTable, plain } from "../../components/notebook/sql-text.js";

const require = createRequire(import.meta.url);

export interface NodeTable {
  name: string;
  file: string;
  bytes: Uint8Array;
  types: Record<string, string>;
}

export interface NodeDatabase {
  /** the rows of one query as plain objects (as the page's `sql` returns them), and its columns */
  query(text: string): { rows: Record<string, unknown>[]; columns: { name: string; type: string }[] };
  /** why the text is not exactly one statement DuckDB can prepare, or null */
  statementProblem(text: string): string | null;
  close(): void;
}

/** Opens DuckDB with these tables loaded; extensions are never installed or loaded, no file is read or written after. */
export async function openNodeDatabase(tables: readonly NodeTable[]): Promise<NodeDatabase> {
  const entry = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = dirname(entry);
  const duckdb = require(entry);
  const db = await duckdb.createDuckDB(
    { mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: join(dist, "duckdb-node-mvp.worker.cjs") }, eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: join(dist, "duckdb-node-eh.worker.cjs") } },
    new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  conn.query("SET autoinstall_known_extensions = false");
  conn.query("SET autoload_known_extensions = false");
  for (const t of tables) {
    db.registerFileBuffer(t.file, t.bytes);
    conn.query(createTable(t.name, t.file, t.types));
  }
  // The tables are loaded: from here a query (a document's, which may come from anyone) reads
  // them and nothing else, and cannot turn that back on.
  conn.query("SET enable_external_access = false");
  conn.query("SET lock_configuration = true");
  return {
    query(text) {
      const table = conn.query(text);
      return { rows: plain(table), columns: table.schema.fields.map((f: { name: string; type: unknown }) => ({ name: f.name, type: String(f.type) })) };
    },
    statementProblem(text) {
      try {
        conn.prepare(text).close();
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
    close() {
      conn.close();
      db.reset?.();
    },
  };
}
