// `npm run bench:site`: how fast each page of the built site becomes useful, from the browser's
// own performance marks (set by src/components/notebook/timing.js): time to the first chart, until
// DuckDB-WASM is ready, until the fitting kernel is ready in its Web Worker, and until the page
// has computed everything it shows. Milliseconds from navigation start, median of RUNS loads
// (env BENCH_SITE_RUNS, default 3), each in a fresh browser context (cold caches).
// A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
import { startStaticServer } from "../src/lib/node/static-server.js";
import { launchChromium } from "../src/lib/node/chromium.js";
import { table } from "../src/lib/format.js";
import { experimentPages } from "../src/lib/node/site-pages.js";

const RUNS = Number(process.env.BENCH_SITE_RUNS ?? 3);
// Home, every experiment page (as they list themselves), the data and method pages.
const PAGES = ["", ...experimentPages().map((p) => p.path), "data", "method"];
const MARKS = ["kernel-ready", "duckdb-ready", "first-chart", "page-ready"] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const site = await startStaticServer("dist", { port: 0 });
const { browser, close } = await launchChromium();
const rows: (string | number)[][] = [];
try {
  for (const path of PAGES) {
    const samples: Record<string, number[]> = Object.fromEntries(MARKS.map((m) => [m, []]));
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // Nothing may leave the site, in a benchmark as in the tests.
      await context.route("**/*", (route) => (route.request().url().startsWith(site.url) ? route.continue() : route.abort()));
      const page = await context.newPage();
      await page.goto(site.url + path);
      await page.waitForFunction('performance.getEntriesByName("page-ready").length > 0', undefined, { timeout: 120_000, polling: 50 });
      const marks: Record<string, number> = await page.evaluate(
        `Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]))`,
      );
      for (const m of MARKS) if (marks[m] !== undefined) samples[m].push(marks[m]);
      await context.close();
    }
    const cell = (m: string) => (samples[m].length ? median(samples[m]).toFixed(0) : "—");
    rows.push([`/${path}`, ...MARKS.map(cell)]);
    console.error(`/${path} done`);
  }
} finally {
  await close();
  await site.close();
}
console.log(`Page timings, ms from navigation start, median of ${RUNS} cold loads (— : the page does not use it)`);
console.log(table(["page", "kernel ready", "DuckDB ready", "first chart", "page ready"], rows));
