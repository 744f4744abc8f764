// A query that comes from a reader (an edit of a page's query, a link carrying one) runs by
// runReaderQuery (src/components/notebook/db.js) in the built site: on the page's DuckDB with
// every table loaded and then locked to them, checked by the command line's checkQuery
// (src/lib/run-document.ts). Its rows are those of `sql.raw`; whatever would install, attach,
// copy, set, write or read a file is refused with its message; a query of endless rows stops at
// the row limit; a long query is cancelled when its signal aborts, and one DuckDB cannot stop has
// its worker ended and the next query gets a new database, locked again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startSite, launchBrowser, openPage, DIST, type TestBrowser, type PageLog } from "./site.js";
import { MAX_QUERY_ROWS } from "../../src/lib/run-document.js";
import type { StaticServer } from "../../src/lib/node/static-server.js";

let site: StaticServer;
let browser: TestBrowser;
let page: Page;
let log: PageLog;
/** The built db module's address in the site (its name carries its content's hash). */
let dbModule: string;

before(async () => {
  site = await startSite();
  browser = await launchBrowser();
  const file = readdirSync(join(DIST, "_import/components/notebook")).find((n) => /^db\.[0-9a-f]{8}\.js$/.test(n));
  assert.ok(file, "the built site has the db module");
  dbModule = `/_import/components/notebook/${file}`;
  // The page's own fits at 0 resamples: its database is what is tested, not its numbers.
  ({ page, log } = await openPage(browser, site.url, "penalty-ablation?resamples=0"));
});

after(async () => {
  await page?.close();
  await browser?.close();
  await site?.close();
});

interface Answer {
  rows: number;
  text: string;
  /** the rows, equal to sql.raw's for the same query (JSON, BigInts already converted) */
  json: string;
  problems: { message: string; from?: number; to?: number }[];
  cancelled?: boolean;
  restarted?: boolean;
}

/** runReaderQuery in the page for each query, one after another; `abortAfter` (ms) aborts that query's signal. */
function run(queries: { text: string; abortAfter?: number; raw?: boolean }[]): Promise<(Answer & { raw?: string })[]> {
  return page.evaluate(async ({ path, queries }) => {
    const m = await import(path);
    const out = [];
    for (const q of queries) {
      const control = new AbortController();
      if (q.abortAfter !== undefined) setTimeout(() => control.abort(), q.abortAfter);
      const r = await m.runReaderQuery(q.text, { signal: control.signal });
      const raw = q.raw ? JSON.stringify(await (await m.database()).sql.raw(q.text)) : undefined;
      out.push({ rows: r.rows.length, text: r.rows.text, json: JSON.stringify(r.rows), problems: r.problems, cancelled: r.cancelled, restarted: r.restarted, raw });
    }
    return out;
  }, { path: dbModule, queries });
}

const NORMAL = "SELECT *, count(*) OVER () AS n, (1::BIGINT << 62) AS big FROM observations WHERE task = 'arithmetic' ORDER BY model, n_pmt";
/** A query whose rows show the database's settings (and which the fits could read). */
const SETTINGS = "SELECT o.*, current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked, current_setting('autoload_known_extensions') AS autoload FROM observations o LIMIT 1";

test("a reader's query: the rows sql.raw returns; what would install, attach, copy, set, write or read a file is refused", async () => {
  const [normal, settings, ...hostile] = await run([
    { text: NORMAL, raw: true },
    { text: SETTINGS },
    { text: "INSTALL httpfs" },
    { text: "ATTACH 'x.db'" },
    { text: "COPY observations TO 'x.csv'" },
    { text: "SET enable_external_access = true" },
    { text: "SELECT 1; SELECT 2" },
    { text: "WITH a AS (SELECT 1) DELETE FROM observations" },
    { text: "SELECT * FROM read_csv('observations.csv')" }, // registered with the database, and still refused once it is locked
    { text: "SELECT * FROM range(1000000000000)" },
    { text: "SELECT * FORM observations" },
    { text: "SELECT count(*) AS n FROM observations", raw: true }, // the DELETE above did not run
  ]);
  assert.deepEqual(normal!.problems, []);
  assert.equal(normal!.text, NORMAL, "rows.text is the query");
  assert.ok(normal!.rows > 0);
  assert.equal(normal!.json, normal!.raw, "the same rows as sql.raw, BigInts converted the same way");
  assert.deepEqual([JSON.parse(normal!.json)[0].n, JSON.parse(normal!.json)[0].big], [normal!.rows, "4611686018427387904"], "a count as a number, a BIGINT past 2^53 as its digits");
  assert.deepEqual(JSON.parse(settings!.json).map((r: Record<string, unknown>) => [r.external, r.locked, r.autoload]), [[false, true, false]], "locked: no files, no settings, no extensions");
  const expected: [RegExp, string | null][] = [
    [/^query: must be a query that only reads the site's tables .*INSTALL is not run/, "INSTALL"],
    [/^query: must be a query that only reads .*ATTACH is not run/, "ATTACH"],
    [/^query: must be a query that only reads .*COPY is not run/, "COPY"],
    [/^query: must be a query that only reads .*SET is not run/, "SET"],
    [/^query: DuckDB cannot run it: Invalid Input Error: Cannot prepare multiple statements at once!$/, null],
    [/^query: must be a query that only reads .*DELETE is not run/, "DELETE"],
    [/^query: DuckDB cannot run it: Permission Error: Cannot access file "observations\.csv" - file system operations are disabled by configuration$/, "read_csv"],
    [new RegExp(`^query: the query returns more than ${MAX_QUERY_ROWS.toLocaleString("en-US")} rows, .*add a WHERE .* or a LIMIT$`), null],
    [/^query: DuckDB cannot run it: Parser Error: syntax error at or near "observations"$/, "observations"],
  ];
  hostile.slice(0, expected.length).forEach((r, i) => {
    const [message, place] = expected[i]!;
    assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
    assert.match(r.problems[0]!.message, message);
    assert.equal(r.rows, 0, "no rows with a problem");
    assert.equal(r.cancelled, undefined);
    if (place) assert.equal(r.problems[0]!.from, r.text.indexOf(place), `${r.text}: the problem's place`);
  });
  const count = hostile.at(-1)!;
  assert.equal(count.raw, JSON.stringify([{ n: 120 }]), "the table is whole");
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.consoleErrors, []);
  assert.deepEqual(log.outside, [], "no request left the site");
});

test("a long query is cancelled when its signal aborts; one DuckDB cannot stop ends the worker, and the next query gets a new database, locked again", async () => {
  const [counted, afterCancel, warm, blocked, afterRestart, settings, file] = await run([
    // DuckDB polls this one: cancelSent stops it.
    { text: "SELECT count(*) AS n FROM range(1000000000000)", abortAfter: 1000 },
    { text: NORMAL, raw: true },
    { text: SETTINGS },
    // One call that holds the worker for about a minute (a 20-million-element list made distinct):
    // DuckDB cannot hear the cancel until it is done, so the worker is ended.
    { text: "SELECT o.*, len(list_distinct(range(20000000))) AS x FROM observations o", abortAfter: 300 },
    { text: NORMAL, raw: true },
    { text: SETTINGS },
    { text: "SELECT * FROM read_csv('observations.csv')" },
  ]);
  assert.equal(counted!.cancelled, true);
  assert.equal(counted!.restarted, undefined, "cancelSent stopped it: the database lives on");
  assert.deepEqual(counted!.problems.map((p) => p.message), ["query: cancelled"]);
  assert.equal(counted!.rows, 0);
  assert.deepEqual(afterCancel!.problems, []);
  assert.equal(afterCancel!.json, afterCancel!.raw, "the next query runs, with sql.raw's rows");
  assert.deepEqual(warm!.problems, []);
  assert.equal(blocked!.cancelled, true);
  assert.equal(blocked!.restarted, true);
  assert.deepEqual(blocked!.problems.map((p) => p.message), ["query: cancelled (DuckDB did not stop, so this page's database was restarted)"]);
  assert.deepEqual(afterRestart!.problems, []);
  assert.equal(afterRestart!.json, afterRestart!.raw, "the new database: the same rows as sql.raw");
  assert.equal(afterRestart!.json, afterCancel!.json, "and the same rows as before the restart");
  assert.deepEqual(JSON.parse(settings!.json).map((r: Record<string, unknown>) => [r.external, r.locked, r.autoload]), [[false, true, false]], "the new database is locked too");
  assert.match(file!.problems[0]!.message, /Permission Error: Cannot access file "observations\.csv"/);
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(log.outside, []);
});
