// `npm run bench:site`: each page of the built site as a reader meets it: a cold cache, a network
// emulated by Chromium's DevTools protocol (default 20 Mbit/s down, 40 ms round trip), and the
// site served compressed as static hosts serve it (brotli). Per page: the time until the first
// figure is in the document (static or live), the bytes received before it and in all, the
// requests, and the page's own marks (src/components/notebook/timing.js): kernel and DuckDB ready,
// page ready (everything computed and shown, the browser's rerun included). Median of RUNS loads
// (BENCH_SITE_RUNS, default 3), each in a browser of its own, with page ready's range.
//
// In the same run, the same measures of a baseline: the site of another commit
// (BENCH_SITE_BASELINE, default HEAD~1), built in a temporary git worktree with this checkout's
// node_modules, so the two columns differ by the code alone. BENCH_SITE_BASELINE=none skips it.
// Then, on this checkout's site: the code editor's compressed size (it is fetched only when a
// reader presses Edit: the table's loads say whether any fetched it), and on penalty-ablation
// (its 3 tasks at BENCH_SITE_EDIT_RESAMPLES, default 200) the time from a valid edit of the plan
// (the last keystroke of the first plan's seed changed, 1 → 2) to its new results on the page;
// median of RUNS edits, no emulation.
// A benchmark, not a test: it asserts nothing, and its numbers depend on the machine.
//
//   BENCH_SITE_MBPS=20 BENCH_SITE_RTT_MS=40 npm run bench:site
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { cpus, tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { startStaticServer } from "../src/lib/node/static-server.js";
import { launchChromium, type LaunchedBrowser } from "../src/lib/node/chromium.js";
import { table } from "../src/lib/format.js";
import { experimentPages } from "../src/lib/node/site-pages.js";

const RUNS = Number(process.env.BENCH_SITE_RUNS ?? 3);
const MBPS = Number(process.env.BENCH_SITE_MBPS ?? 20);
const RTT_MS = Number(process.env.BENCH_SITE_RTT_MS ?? 40);
const BASELINE = process.env.BENCH_SITE_BASELINE ?? "HEAD~1";
const EDIT_RESAMPLES = Number(process.env.BENCH_SITE_EDIT_RESAMPLES ?? 200);
/** The code editor's module in a built site (scripts/bundle-editor.ts), which only Edit fetches. */
const EDITOR = /\/_import\/components\/vendor\/editor\.[0-9a-f]+\.js$/;
let editorFetchedOnLoad = 0;
// Home, every experiment page (as they list themselves), and the other pages.
const ALL_PAGES = ["", ...experimentPages().map((p) => p.path), "data", "method", "beyond", "your-data", "snapshots"];
// BENCH_SITE_PAGES: a comma-separated list of some of them ("index" for the home page).
const PAGES = process.env.BENCH_SITE_PAGES ? process.env.BENCH_SITE_PAGES.split(",").map((p) => (p === "index" ? "" : p)).filter((p) => ALL_PAGES.includes(p)) : ALL_PAGES;

interface Load {
  firstFigure: number | null;
  bytesBeforeFigure: number | null;
  bytes: number;
  requests: number;
  kernel: number | null;
  duckdb: number | null;
  ready: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * Chromium's network emulation sometimes stops delivering bytes for 40 s to two minutes (seen in
 * about one load in four on these machines, at this commit and at older ones alike; never without
 * the emulation; our server had sent everything within milliseconds). Such a load measures the
 * emulator, not the page: when no request has been sent or has ended for STALL_MS while some are
 * open, the load is abandoned and run again in a new browser, and the table says how many were.
 */
const STALL_MS = Number(process.env.BENCH_SITE_STALL_MS ?? 20_000);
const MAX_TRIES = 5;
let stalledLoads = 0;

class Stalled extends Error {}

/** One cold load of a page: times in ms from navigation start, bytes as received (compressed). */
async function load(siteUrl: string, path: string): Promise<Load> {
  for (let attempt = 1; ; attempt++) {
    // A browser of its own for each load: a cold start in every way (caches, and connections).
    const chromium = await launchChromium();
    try {
      return await loadIn(chromium, siteUrl, path);
    } catch (e) {
      if (!(e instanceof Stalled)) throw e;
      stalledLoads++;
      console.error(`${siteUrl}${path}: ${e.message}; loading it again (${attempt} of ${MAX_TRIES})`);
      if (attempt === MAX_TRIES) throw new Error(`${siteUrl}${path} stalled in Chromium's network emulation ${MAX_TRIES} times in a row; rerun, or set BENCH_SITE_STALL_MS higher if the page really waits that long`);
    } finally {
      await chromium.close();
    }
  }
}

async function loadIn(chromium: LaunchedBrowser, siteUrl: string, path: string): Promise<Load> {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Nothing may leave the site, in a benchmark as in the tests: the browser's flags (chromium.ts)
  // resolve no host but the loopback, and a request elsewhere stops the benchmark. Not by
  // intercepting requests (context.route): that turns the browser's HTTP cache off, so a page's
  // prefetched files would be fetched twice, which no reader's browser does.
  const outside: string[] = [];
  page.on("request", (r) => {
    if (!/^(data|blob):/.test(r.url()) && !r.url().startsWith(siteUrl)) outside.push(r.url());
    if (EDITOR.test(r.url())) editorFetchedOnLoad++;
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: RTT_MS, downloadThroughput: (MBPS * 1e6) / 8, uploadThroughput: (MBPS * 1e6) / 8,
  });
  // The first figure, static or live, as the page's own clock sees it.
  await page.addInitScript(`(() => {
    const seen = () => document.querySelector("figure.vl-figure svg, figure svg");
    const note = () => { if (!window.__firstFigure && seen()) window.__firstFigure = performance.now(); };
    new MutationObserver(note).observe(document, { childList: true, subtree: true });
  })()`);
  // The page's own document counts before its first figure whatever its end's time: a static
  // figure is in it, and is parsed before the last of the document arrives.
  const received: { at: number; bytes: number; document: boolean }[] = [];
  const start = Date.now();
  page.on("requestfinished", async (request) => {
    const at = Date.now() - start;
    const sizes = await request.sizes().catch(() => null);
    if (sizes) received.push({ at, bytes: sizes.responseBodySize + sizes.responseHeadersSize, document: request.isNavigationRequest() });
  });
  // The stall watchdog (STALL_MS): the time of the last request sent or ended, and those open.
  const open = new Set<unknown>();
  let lastActivity = Date.now();
  page.on("request", (r) => { open.add(r); lastActivity = Date.now(); });
  const ended = (r: unknown) => { open.delete(r); lastActivity = Date.now(); };
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      if (open.size > 0 && Date.now() - lastActivity > STALL_MS) reject(new Stalled(`no request sent or ended for ${STALL_MS / 1000} s with ${open.size} open`));
    }, 1000);
  });
  try {
    await Promise.race([
      stalled,
      (async () => {
        await page.goto(siteUrl + path, { waitUntil: "commit", timeout: 300_000 });
        await page.waitForFunction('performance.getEntriesByName("page-ready").length > 0', undefined, { timeout: 300_000, polling: 50 });
      })(),
    ]);
  } finally {
    clearInterval(watchdog);
  }
  const marks: Record<string, number> = await page.evaluate(
    `Object.fromEntries([...performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]), ["first-figure", window.__firstFigure ?? null]])`,
  );
  const firstFigure = marks["first-figure"] ?? null;
  await context.close();
  if (outside.length) throw new Error(`${siteUrl + path} asked for a file off the site: ${outside.join(", ")}`);
  // Node's clock and the page's differ by the time to navigation start: small against the
  // network's; bytes before the figure count every response finished by then, by Node's clock.
  return {
    firstFigure,
    bytesBeforeFigure: firstFigure === null ? null : received.filter((r) => r.document || r.at <= firstFigure).reduce((n, r) => n + r.bytes, 0),
    bytes: received.reduce((n, r) => n + r.bytes, 0),
    requests: received.length,
    kernel: marks["kernel-ready"] ?? null,
    duckdb: marks["duckdb-ready"] ?? null,
    ready: marks["page-ready"] ?? null,
  };
}

type Summary = Record<keyof Load, number | null>;

/** A built site served compressed, every file asked for once first. */
async function serve(dist: string) {
  const site = await startStaticServer(dist, { port: 0, compress: true });
  // A static host sends files it compressed ahead: every file is asked for once first, so no
  // load waits while this server compresses it (each file once; DuckDB's takes a second).
  for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
    if (statSync(join(dist, file)).isFile()) await (await fetch(site.url + file.split(sep).map(encodeURIComponent).join("/"), { headers: { "accept-encoding": "br" } })).arrayBuffer();
  }
  return site;
}

const summarise = (loads: Load[]): Summary => Object.fromEntries((Object.keys(loads[0]) as (keyof Load)[]).map((k) => {
  const xs = loads.map((l) => l[k]).filter((x): x is number => x !== null);
  return [k, xs.length ? median(xs) : null];
})) as Summary;

/**
 * Each page of each site, RUNS times. The sites' loads take turns (now, before, before, now, …)
 * so that a slow minute of the machine falls on both columns alike, not on one of them.
 */
async function measure(dists: string[]): Promise<Map<string, Load[]>[]> {
  const sites = [];
  try {
    for (const dist of dists) sites.push(await serve(dist));
    const loads = dists.map(() => new Map<string, Load[]>());
    for (const path of PAGES) {
      for (let run = 0; run < RUNS; run++) {
        const order = run % 2 === 0 ? sites.map((_, i) => i) : sites.map((_, i) => sites.length - 1 - i);
        for (const i of order) loads[i].set(path, [...(loads[i].get(path) ?? []), await load(sites[i].url, path)]);
      }
      console.error(`/${path} measured`);
    }
    return loads;
  } finally {
    for (const site of sites) await site.close();
  }
}

/** The fastest and slowest page ready of a page's loads. */
function readyRange(loads: Load[]): [number, number] | null {
  const xs = loads.map((l) => l.ready).filter((x): x is number => x !== null);
  return xs.length ? [Math.min(...xs), Math.max(...xs)] : null;
}

/** The baseline commit's site, built in a temporary worktree with this checkout's node_modules. */
function buildBaseline(ref: string): { dist: string; commit: string; cleanup: () => void } {
  const commit = execFileSync("git", ["rev-parse", "--short", ref], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "cs-bench-site-"));
  execFileSync("git", ["worktree", "add", "--detach", dir, commit], { stdio: "ignore" });
  const cleanup = () => {
    execFileSync("git", ["worktree", "remove", "--force", dir], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
    // ../shared beside the checkout (the paper's and other studies' files) is found from the worktree too.
    const env = { ...process.env, CONTEXT_SCALING_EXTERNAL: process.env.CONTEXT_SCALING_EXTERNAL ?? resolve("../shared/external") };
    console.error(`building the baseline ${commit} in ${dir} …`);
    execFileSync("npm", ["run", "-s", "build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env });
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dist: join(dir, "dist"), commit, cleanup };
}

/**
 * On penalty-ablation at EDIT_RESAMPLES: load it, open the plan's editor, edit the first plan's
 * seed as a reader would (1 → 2) and time from the keystroke until the page shows the edit's
 * results (every task's, not stale).
 */
async function editToResults(siteUrl: string): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const chromium = await launchChromium();
    try {
      const page = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${siteUrl}penalty-ablation?resamples=${EDIT_RESAMPLES}`);
      await page.waitForFunction('performance.getEntriesByName("page-ready").length > 0', undefined, { timeout: 300_000, polling: 50 });
      const text = (await page.textContent('[data-editable="plan"] pre.editable-text'))!;
      // The first plan's seed, as a reader edits it: go to its line, delete the 1, type 2.
      const line = text.split("\n").findIndex((l) => /^\s*"seed": 1,$/.test(l));
      if (line < 0) throw new Error("penalty-ablation's plan has no \"seed\": 1 to edit");
      await page.click('[data-edit-open="plan"]');
      await page.locator('[data-editable="plan"] .cm-content').click();
      await page.keyboard.press("Control+Home");
      for (let i = 0; i < line; i++) await page.keyboard.press("ArrowDown");
      await page.keyboard.press("End");
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("Backspace");
      const t0 = Date.now();
      await page.keyboard.type("2");
      await page.waitForFunction(() => {
        const r = document.querySelector('.results[data-experiment="penalty-ablation"][data-edited="plan"]');
        return r && !r.hasAttribute("data-stale") && document.querySelector(".fit-status")?.getAttribute("data-state") === "done";
      }, undefined, { timeout: 300_000, polling: 20 });
      times.push(Date.now() - t0);
      const now = (await page.textContent('[data-editable="plan"] pre.editable-text'))!.split("\n");
      if (!/^\s*"seed": 2,$/.test(now[line] ?? "")) throw new Error(`the edit went astray: line ${line + 1} reads ${now[line]}`);
    } finally {
      await chromium.close();
    }
  }
  return times;
}

/** The editor module's bytes: raw, gzip and brotli (as the bench's server sends it). */
function editorSize(dist: string): { file: string; raw: number; gzip: number; brotli: number } | null {
  const file = readdirSync(dist, { recursive: true, encoding: "utf8" }).find((f) => EDITOR.test(`/${f.split(sep).join("/")}`));
  if (!file) return null;
  const bytes = readFileSync(join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
}

const kb = (x: number | null) => (x === null ? "—" : (x / 1024).toFixed(0));
const ms = (x: number | null) => (x === null ? "—" : x.toFixed(0));

if (!existsSync("dist/index.html")) throw new Error("dist/ is missing: `npm run bench:site` builds it first");
const baseline = BASELINE === "none" ? null : buildBaseline(BASELINE);
try {
  const [current, before] = await measure(baseline ? ["dist", baseline.dist] : ["dist"]);
  const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  console.log(`Each page as a reader meets it: cold cache, ${MBPS} Mbit/s with ${RTT_MS} ms round trip (Chromium's emulation), served compressed (brotli); median of ${RUNS} loads${baseline ? ", the two sites' loads taking turns" : ""}. ms from navigation start; kB as received.`);
  console.log(`now: this checkout (${head}${execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim() ? ", with uncommitted changes" : ""})${baseline ? `; before: ${baseline.commit}` : ""}. "—": the page has none (no figure, or no kernel or DuckDB). Page ready's range: the fastest and slowest of the loads.`);
  const cols = ["first figure ms", "kB before it", "kB in all", "requests", "page ready ms", "ready range"];
  const header = ["page", ...cols.flatMap((c) => (before ? [`${c} before`, `${c} now`] : [c]))];
  const range = (r: [number, number] | null) => (r ? `${ms(r[0])}–${ms(r[1])}` : "—");
  const cells = (loads: Load[] | undefined) => {
    if (!loads) return ["—", "—", "—", "—", "—", "—"];
    const s = summarise(loads);
    return [ms(s.firstFigure), kb(s.bytesBeforeFigure), kb(s.bytes), String(s.requests ?? "—"), ms(s.ready), range(readyRange(loads))];
  };
  const rows = PAGES.map((p) => {
    const now = cells(current.get(p));
    const old = before ? cells(before.get(p)) : null;
    return [`/${p}`, ...now.flatMap((c, i) => (old ? [old[i], c] : [c]))];
  });
  console.log(table(header, rows));
  const editor = editorSize("dist");
  if (editor) {
    console.log(`\nThe code editor (${editor.file}): ${kb(editor.brotli)} kB brotli, ${kb(editor.gzip)} kB gzip, ${kb(editor.raw)} kB raw; fetched by ${editorFetchedOnLoad} of the page loads above (it is fetched only when a reader presses Edit).`);
    const site = await serve("dist");
    try {
      const times = await editToResults(site.url);
      console.log(`penalty-ablation, 3 tasks at ${EDIT_RESAMPLES} resamples: a valid edit of the plan (one keystroke) → its results shown, median ${ms(median(times))} ms (${times.map(ms).join(", ")}; ${cpus().length} cores; includes the editor's 300 ms pause before it checks).`);
    } finally {
      await site.close();
    }
  }
  if (stalledLoads) console.log(`${stalledLoads} load${stalledLoads === 1 ? "" : "s"} stalled in Chromium's network emulation (no request sent or ended for ${STALL_MS / 1000} s while some were open) and ${stalledLoads === 1 ? "was" : "were"} run again; the table counts only the loads that finished.`);
} finally {
  baseline?.cleanup();
}
