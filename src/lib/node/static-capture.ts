// Runs every page of a built site (dist/ or a snapshot) in headless Chromium and writes its
// static outputs into it (src/lib/node/static-outputs.ts): `npm run build` does it to dist/, and
// `verify` does it to a copy of a snapshot whose static outputs it took out, to compare.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromiumProfile } from "./chromium.js";
import { startStaticServer } from "./static-server.js";
import { writeFileAtomic } from "./atomic.js";
import { lighterSvgPaths } from "./static-svg.js";
import { cellErrorsInPage, collectInPage, insertPrefetches, insertStaticOutputs, pageSettledOrQuiet, recordOutputs, removeStaticOutputs, type PageCapture } from "./static-outputs.js";

/** Where a page's figure files go, relative to the site's root: `_static/<page>/`. */
export const STATIC_FOLDER = "_static";
const TIMEOUT_MS = 180_000;

export interface CapturedPage {
  file: string;
  cells: number;
  figures: number;
  seconds: number;
}

/** The site's pages: its top-level HTML files but the 404 page. */
export function sitePages(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".html") && f !== "404.html").sort();
}

/** What a page displayed, and the WebAssembly it fetched (its workers' included), as paths relative to the page. */
async function capture(context: Awaited<ReturnType<typeof launchChromiumProfile>>["context"], url: string, file: string): Promise<PageCapture & { wasm: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const wasm = new Set<string>();
  const site = new URL(url);
  page.on("request", (r) => {
    const u = new URL(r.url());
    // The site's pages are files at its root, so a path from the root is one from the page.
    if (u.origin === site.origin && u.pathname.startsWith(site.pathname) && u.pathname.endsWith(".wasm")) wasm.add(`./${u.pathname.slice(site.pathname.length)}`);
  });
  try {
    // esbuild (tsx) names functions with a helper the page does not have.
    await page.addInitScript("globalThis.__name ??= (f) => f");
    await page.addInitScript(recordOutputs);
    await page.goto(url + file);
    await page.waitForFunction(pageSettledOrQuiet, undefined, { timeout: TIMEOUT_MS, polling: 100 });
    if (errors.length) throw new Error(`${file}: the page threw while it was captured: ${errors.join("; ")}`);
    const failed = await page.evaluate(cellErrorsInPage);
    if (failed.length) throw new Error(`${file}: ${failed.length === 1 ? "a cell shows an error" : `${failed.length} cells show errors`} after the page ran in Chromium: ${failed.join("; ")}. Open the page under \`npm run dev\` to see the cell, fix it, and build again.`);
    return { ...(await page.evaluate(collectInPage, `${STATIC_FOLDER}/${file.replace(/\.html$/, "")}`)), wasm: [...wasm].sort() };
  } finally {
    await page.close();
  }
}

/**
 * Captures every page of `dir` (parallel tabs at a time) and writes its static outputs into it:
 * each page atomically, each figure's SVG and CSV in _static/<page>/. Throws on the first page
 * that fails; the pages written before it keep their outputs.
 */
export async function captureSite(dir: string, { parallel = 2, onPage }: { parallel?: number; onPage?: (p: CapturedPage) => void } = {}): Promise<CapturedPage[]> {
  const pages = sitePages(dir);
  rmSync(join(dir, STATIC_FOLDER), { recursive: true, force: true });
  const server = await startStaticServer(dir);
  const browser = await launchChromiumProfile();
  const done: CapturedPage[] = [];
  try {
    const queue = [...pages];
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const t0 = performance.now();
        const { cells, downloads, wasm } = await capture(browser.context, server.url, file);
        const folder = join(dir, STATIC_FOLDER, file.replace(/\.html$/, ""));
        if (downloads.length) mkdirSync(folder, { recursive: true });
        for (const d of downloads) {
          writeFileAtomic(join(folder, `${d.name}.svg`), d.svg);
          if (d.csv !== null) writeFileAtomic(join(folder, `${d.name}.csv`), d.csv);
        }
        const path = join(dir, file);
        // The figures in the page's HTML drawn lighter (static-svg.ts); their downloads as Vega drew them.
        const light = cells.map((c) => ({ ...c, html: lighterSvgPaths(c.html) }));
        writeFileAtomic(path, insertPrefetches(insertStaticOutputs(readFileSync(path, "utf8"), light, path), wasm, path));
        const p = { file, cells: cells.length, figures: downloads.length, seconds: (performance.now() - t0) / 1000 };
        done.push(p);
        onPage?.(p);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  } finally {
    await browser.close();
    await server.close();
  }
  return done;
}

/**
 * `verify`'s check of a snapshot's static outputs: its pages are run afresh in Chromium (on a
 * copy with the static outputs taken out) and what they display must be, byte for byte, what
 * the snapshot's HTML and _static/ files hold. Returns one line per problem.
 */
export async function staticProblems(snapshotDir: string): Promise<{ pages: number; problems: string[] }> {
  const copy = mkdtempSync(join(tmpdir(), "cs-verify-static-"));
  try {
    cpSync(snapshotDir, copy, { recursive: true });
    for (const file of sitePages(copy)) writeFileSync(join(copy, file), removeStaticOutputs(readFileSync(join(copy, file), "utf8")));
    const pages = await captureSite(copy);
    const problems: string[] = [];
    for (const { file } of pages) {
      const held = readFileSync(join(snapshotDir, file), "utf8");
      const fresh = readFileSync(join(copy, file), "utf8");
      if (held === fresh) continue;
      let at = 0;
      while (at < held.length && held[at] === fresh[at]) at++;
      const cell = /<!--:([0-9a-f]{8}(?:-\d+)?):-->/.exec(held.slice(at))?.[1] ?? "?";
      problems.push(`${join(snapshotDir, file)}: its static outputs differ from the page run afresh, first in cell ${cell} (…${held.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " ")}… in the snapshot)`);
    }
    const filesOf = (root: string) => (existsSync(join(root, STATIC_FOLDER)) ? readdirSync(join(root, STATIC_FOLDER), { recursive: true, encoding: "utf8" }).filter((f) => f.includes(".")).sort() : []);
    const held = filesOf(snapshotDir);
    const fresh = filesOf(copy);
    for (const f of fresh.filter((f) => !held.includes(f))) problems.push(`${join(snapshotDir, STATIC_FOLDER, f)}: missing (the page run afresh shows this figure)`);
    for (const f of held.filter((f) => !fresh.includes(f))) problems.push(`${join(snapshotDir, STATIC_FOLDER, f)}: not a figure the page shows when run afresh`);
    for (const f of held.filter((f) => fresh.includes(f)))
      if (!readFileSync(join(snapshotDir, STATIC_FOLDER, f)).equals(readFileSync(join(copy, STATIC_FOLDER, f)))) problems.push(`${join(snapshotDir, STATIC_FOLDER, f)}: differs from the figure the page draws when run afresh`);
    return { pages: pages.length, problems };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
