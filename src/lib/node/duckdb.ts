// DuckDB in Node: the same engine the pages run (DuckDB-WASM, its blocking Node build), loading
// the tables by the same statements (src/components/notebook/sql-text.js), so a run document's
// query returns in Node exactly the rows it returns in the page.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createTable, plain } from "../../components/notebook/sql-text.js";
import type { QueryColumn, QueryRows } from "../run-document.js";

const require = createRequire(import.meta.url);

export interface NodeTable {
  name: string;
  file: string;
  bytes: Uint8Array;
  types: Record<string, string>;
}

export interface NodeDatabase {
  /** the rows of one query as plain objects (as the page's `sql` returns them), and its columns */
  query(text: string): QueryRows;
  /**
   * The same, reading no more than `maxRows` rows: the result is streamed and reading stops
   * there, so a query of endless rows is not held in memory (checkQuery, src/lib/run-document.ts).
   */
  query(text: string, limits: { maxRows: number }): Promise<QueryRows>;
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
  const columnsOf = (schema: { fields: { name: string; type: unknown }[] }): QueryColumn[] => schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
  /** The first `maxRows` rows of a streamed result (DuckDB produces the rest only when asked for them, and is never asked). */
  async function streamed(text: string, maxRows: number): Promise<QueryRows> {
    const reader = await conn.send(text, true);
    reader.open(); // reads the schema, which the reader forgets once it has been read to the end
    const columns = columnsOf(reader.schema);
    const rows: Record<string, unknown>[] = [];
    for (const batch of reader) {
      for (const row of plain(batch)) rows.push(row);
      if (rows.length >= maxRows) break;
    }
    return { rows: rows.slice(0, maxRows), columns };
  }
  return {
    query: ((text: string, limits?: { maxRows: number }) => {
      if (limits) return streamed(text, limits.maxRows);
      const table = conn.query(text);
      return { rows: plain(table), columns: columnsOf(table.schema) };
    }) as NodeDatabase["query"],
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
