// The page's DuckDB database: the observations and models tables, loaded once per page from
// the same bytes the fits use (hashes shown in the provenance block), and on demand, when a
// query names them, the baked results as tables beside them (src/lib/result-tables.ts: fits,
// errors, predictions, curves) and the public models' tables (public_observations, public_models).
// A query that comes from a reader (an edit, a link) runs by runReaderQuery: on every table loaded
// and the database locked to them, checked as the command line checks a document's query.
import { csvFormat } from "d3-dsv";
import { openDatabase, makeSql, lockDatabase, queryDatabase, OBSERVATION_TYPES, MODEL_TYPES } from "./duckdb.js";
import { createTable } from "./sql-text.js";
import { siteData } from "./site-data.js";
import { bakedResults } from "./snapshot.js";
import { sourceData } from "./data-sources.js";
import { Kernel, parseObservationsCsv, resultTables, RESULT_TYPES, checkQuery, MAX_QUERY_ROWS } from "../lib.js";

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
      await handle.db.registerFileBuffer(pub.files[kind], pub[`${kind}Bytes`].slice()); // a copy: the worker takes the buffer (duckdb.js)
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

export { MAX_QUERY_ROWS };

/** How long a reader's query may run (after the tables are loaded) before it is stopped. */
export const READER_QUERY_SECONDS = 30;
/** How long DuckDB has to stop a cancelled query before its worker is ended. */
const SETTLE_MS = 1000;
/** How often a running query reports its time. */
const PROGRESS_MS = 250;

let locked;

/**
 * The database with every table a reader's query may name (the bundled ones, the public
 * models', the results), then locked to them (duckdb.js lockDatabase), once per page; and a
 * connection of its own for the reader's queries, so cancelling one touches no other query.
 */
function lockedDatabase() {
  locked ??= (async () => {
    const handle = await withResults();
    await withPublic();
    await lockDatabase(handle.conn);
    return { ...handle, reader: await handle.db.connect() };
  })().catch((err) => {
    locked = undefined;
    throw err;
  });
  return locked;
}

/** Ends the database's worker and forgets it: the next query opens a new database (and loads and locks it again). */
async function restart(handle) {
  await handle.db.terminate();
  opened = withBaked = withPublicTables = locked = undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One reader's query at a time: the next waits for the one before to finish or be stopped.
let turn = Promise.resolve();

/**
 * Runs a query that comes from a reader (an edit of a page's query, a link carrying one) on the
 * locked database: checked and run by checkQuery (src/lib/run-document.ts), the command line's
 * check of a document's query, so it must read only, be one statement, return at most
 * MAX_QUERY_ROWS rows and the columns the fits read. `onProgress(elapsedMs, {stage, rows})` hears
 * every PROGRESS_MS while it runs (stage "loading" while the tables load, then "running"). On
 * `signal`'s abort, or after READER_QUERY_SECONDS, the query is cancelled; a DuckDB that does not
 * stop within SETTLE_MS has its worker ended, and the next query opens a new database.
 *
 * Resolves (never rejects) to {rows, columns, problems, cancelled?, restarted?}: the rows as
 * `database().sql.raw(text)` returns them (plain objects, `.text` the query), none when there is
 * a problem; problems {message, from?, to?} (offsets into the text where DuckDB names a place).
 */
export async function runReaderQuery(text, { signal, onProgress } = {}) {
  const started = performance.now();
  let stage = "loading";
  let read = 0;
  const progress = () => onProgress?.(Math.round(performance.now() - started), { stage, rows: read });
  const ticker = setInterval(progress, PROGRESS_MS);
  const previous = turn;
  let done;
  turn = new Promise((resolve) => (done = resolve));
  const answer = (problems, extra = {}, rows = [], columns = []) => ({ rows: Object.assign(rows, { text }), columns, problems, ...extra });
  const cancelled = () => answer([{ message: "query: cancelled" }], { cancelled: true });
  const aborted = new Promise((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  let timer;
  try {
    // Wait for the query before (cancelled by its own signal, or finishing) and for the tables.
    if ((await Promise.race([previous.then(() => "ready"), aborted.then(() => "aborted")])) === "aborted") return cancelled();
    const opening = lockedDatabase();
    const ready = await Promise.race([opening.then((handle) => ({ handle }), (error) => ({ error })), aborted.then(() => null)]);
    if (!ready) return cancelled();
    if (ready.error) return answer([{ message: `query: the page's database could not be opened: ${ready.error?.message ?? ready.error}` }]);
    const { handle } = ready;
    stage = "running";
    const limit = new Promise((resolve) => (timer = setTimeout(resolve, READER_QUERY_SECONDS * 1000)));
    let stop = null;
    await readOnly(handle.reader);
    const work = checkQuery(queryDatabase(handle.reader, { progress: (n) => (read = n), stopped: () => stop !== null }), text, "query");
    const outcome = await Promise.race([
      work.then((result) => ({ result })),
      aborted.then(() => ({ stop: "query: cancelled" })),
      limit.then(() => ({ stop: `query: stopped after ${READER_QUERY_SECONDS} s: the query ran too long; select fewer rows (add a WHERE or a LIMIT) or ask for less` })),
    ]);
    if (outcome.result) {
      await rollback(handle.reader);
      const { rows, columns, problems } = outcome.result;
      return answer(problems, {}, problems.length ? [] : rows, columns);
    }
    // Stopped: ask DuckDB to cancel, and end its worker if it does not stop in time.
    stop = outcome.stop;
    handle.reader.cancelSent().catch(() => {});
    const settled = await Promise.race([work.then(() => true), sleep(SETTLE_MS).then(() => false)]);
    if (settled) await rollback(handle.reader);
    else await restart(handle);
    return answer([{ message: settled ? stop : `${stop} (DuckDB did not stop, so this page's database was restarted)` }], { cancelled: true, ...(settled ? {} : { restarted: true }) });
  } catch (err) {
    return answer([{ message: `query: DuckDB failed: ${String(err?.message ?? err).split("\n")[0]}` }]);
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
    done();
  }
}

/** A read-only transaction around a reader's query: whatever got past the checks could not write. */
async function readOnly(conn) {
  try {
    await conn.query("BEGIN TRANSACTION READ ONLY");
  } catch {
    await rollback(conn); // a transaction left open by a query that was stopped
    await conn.query("BEGIN TRANSACTION READ ONLY");
  }
}

async function rollback(conn) {
  try {
    await conn.query("ROLLBACK");
  } catch {
    // no transaction open (DuckDB ends it when a query is cancelled)
  }
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
