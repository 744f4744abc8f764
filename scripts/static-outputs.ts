// After `observable build`: every page of dist/ is run once in headless Chromium and what its
// cells displayed is written into its HTML (src/lib/node/static-outputs.ts), with each figure's
// SVG and CSV beside it in dist/_static/<page>/. Each page is written to a temporary file, then
// renamed, so a failed run leaves the pages as Framework built them.
//
// Without Chromium (`apt-get install -y chromium`, or $CHROMIUM_PATH) the pages are left without
// static outputs and this says so; the site still works with JavaScript. A page that throws
// while it is captured fails the build: it would fail for a reader too.
//
//   tsx scripts/static-outputs.ts [dist]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_PATH, launchChromiumProfile } from "../src/lib/node/chromium.js";
import { startStaticServer } from "../src/lib/node/static-server.js";
import { writeFileAtomic } from "../src/lib/node/atomic.js";
import { collectInPage, insertStaticOutputs, pageSettled, recordOutputs, type PageCapture } from "../src/lib/node/static-outputs.js";

const dist = process.argv[2] ?? "dist";
const FOLDER = "_static";
const TIMEOUT_MS = 180_000;
// Two pages at a time: a page keeps about one core busy, and these machines have two.
const PARALLEL = Number(process.env.STATIC_PARALLEL ?? 2);

if (!existsSync(CHROMIUM_PATH)) {
  console.warn(`static outputs: skipped, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH). The pages show their figures and tables only with JavaScript.`);
  process.exit(0);
}

const pages = readdirSync(dist).filter((f) => f.endsWith(".html") && f !== "404.html").sort();
rmSync(join(dist, FOLDER), { recursive: true, force: true });
const server = await startStaticServer(dist);
const browser = await launchChromiumProfile();
const started = performance.now();

async function capture(file: string): Promise<PageCapture> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    // esbuild (tsx) names functions with a helper the page does not have.
    await page.addInitScript("globalThis.__name ??= (f) => f");
    await page.addInitScript(recordOutputs);
    await page.goto(`${server.url}${file}`);
    await page.waitForFunction(pageSettled, undefined, { timeout: TIMEOUT_MS, polling: 100 });
    if (errors.length) throw new Error(`${file}: the page threw while it was captured: ${errors.join("; ")}`);
    return await page.evaluate(collectInPage, `${FOLDER}/${file.replace(/\.html$/, "")}`);
  } finally {
    await page.close();
  }
}

let failed = false;
try {
  const queue = [...pages];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const t0 = performance.now();
      const { cells, downloads } = await capture(file);
      const stem = file.replace(/\.html$/, "");
      const folder = join(dist, FOLDER, stem);
      if (downloads.length) mkdirSync(folder, { recursive: true });
      for (const d of downloads) {
        writeFileAtomic(join(folder, `${d.name}.svg`), d.svg);
        if (d.csv !== null) writeFileAtomic(join(folder, `${d.name}.csv`), d.csv);
      }
      const path = join(dist, file);
      writeFileAtomic(path, insertStaticOutputs(readFileSync(path, "utf8"), cells, path));
      console.log(`static outputs: ${file}: ${cells.length} cells, ${downloads.length} figures (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, PARALLEL) }, worker));
  console.log(`static outputs: ${pages.length} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  failed = true;
  console.error(`static outputs: ${(e as Error).message}`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
