// The page's DuckDB database: the observations and models tables, loaded once per page from
// the same bytes the fits use (hashes shown in the provenance block).
import { openDatabase, makeSql, OBSERVATION_TYPES, MODEL_TYPES } from "./duckdb.js";
import { siteData } from "./site-data.js";

let opened;

/** Resolves to {sql, conn, loads}: `sql` is a tagged template returning rows with `.text`. */
export function database() {
  opened ??= (async () => {
    const data = await siteData();
    const { conn, loads } = await openDatabase([
      { name: "observations", file: "observations.csv", bytes: data.observationsBytes, types: OBSERVATION_TYPES },
      { name: "models", file: "models.csv", bytes: data.modelsBytes, types: MODEL_TYPES },
    ]);
    return { sql: makeSql(conn), conn, loads };
  })();
  return opened;
}

/** A query shown as the reader can copy it, above its result. */
export function queryBlock(text, resultNode) {
  const wrap = document.createElement("div");
  wrap.className = "sql-block";
  const pre = document.createElement("pre");
  pre.className = "sql";
  pre.textContent = text;
  wrap.append(pre, resultNode);
  return wrap;
}
