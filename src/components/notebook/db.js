// The page's DuckDB database: the observations and models tables, loaded once per page from
// the same bytes the fits use (hashes shown in the provenance block), and on demand, when a
// query names them, the baked results as tables beside them (src/lib/result-tables.ts: fits,
// errors, predictions, curves) and the public models' tables (public_observations, public_models).
import { csvFormat } from "d3-dsv";
import { openDatabase, makeSql, OBSERVATION_TYPES, MODEL_TYPES } from "./duckdb.js";
import { createTable } from "./sql-text.js";
import { siteData } from "./site-data.js";
import { bakedResults } from "./snapshot.js";
import { sourceData } from "./data-sources.js";
import { Kernel, parseObservationsCsv, resultTables, RESULT_TYPES } from "../lib.js";

let opened;

/** Resolves to {sql, conn, db, loads}: `sql` is a tagged template returning rows with `.text`. */
export function database() {
  opened ??= (async () => {
    const data = await siteData();
    const { db, conn, loads } = await openDatabase([
      { name: "observations", file: "observations.csv", bytes: data.observationsBytes, types: OBSERVATION_TYPES },
      { name: "models", file: "models.csv", bytes: data.modelsBytes, types: MODEL_TYPES },
    ]);
    return { sql: makeSql(conn), conn, db, loads };
  })();
  return opened;
}

/** The names of the results tables, for pages that load them only when a query needs them. */
export const RESULT_TABLES = Object.keys(RESULT_TYPES);

let withBaked;

/** The database with the build's results registered as tables (every experiment × task). */
export function withResults() {
  withBaked ??= (async () => {
    const [handle, data, baked] = await Promise.all([database(), siteData(), bakedResults()]);
    const kernel = await Kernel.load(data.kernelBytes);
    const results = Object.values(baked.results).flatMap((byTask) => Object.values(byTask)).filter((r) => r?.plan && Array.isArray(r.fits));
    const tables = resultTables(kernel, results, parseObservationsCsv(data.observationsText, "data/observations.csv"));
    for (const [name, rows] of Object.entries(tables)) {
      await handle.db.registerFileText(`${name}.csv`, csvFormat(rows, Object.keys(RESULT_TYPES[name])));
      const statement = createTable(name, `${name}.csv`, RESULT_TYPES[name]);
      await handle.conn.query(statement);
      handle.loads.push(statement);
    }
    return handle;
  })();
  return withBaked;
}

let withPublicTables;

/** The database with the public models' tables (public_observations, public_models) loaded beside the bundled ones. */
export function withPublic() {
  withPublicTables ??= (async () => {
    const [handle, pub] = await Promise.all([database(), sourceData("public-models")]);
    for (const [kind, types] of [["observations", OBSERVATION_TYPES], ["models", MODEL_TYPES]]) {
      await handle.db.registerFileBuffer(pub.files[kind], pub[`${kind}Bytes`]);
      const statement = createTable(pub.tables[kind], pub.files[kind], types);
      await handle.conn.query(statement);
      handle.loads.push(statement);
    }
    return handle;
  })();
  return withPublicTables;
}

const PUBLIC_TABLES = ["public_observations", "public_models"];
const names = (text, tables) => tables.some((t) => new RegExp(`\\b${t}\\b`, "i").test(text));

/** The database with whatever tables this query names loaded: results and public tables only when asked for. */
export async function databaseFor(text) {
  if (names(text, PUBLIC_TABLES)) await withPublic();
  return names(text, RESULT_TABLES) ? withResults() : database();
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
