// After `observable build`: every page of dist/ is run once in headless Chromium and what its
// cells displayed is written into its HTML (src/lib/node/static-capture.ts and
// static-outputs.ts), with each figure's SVG and CSV beside it in dist/_static/<page>/. Each
// page is written to a temporary file, then renamed.
//
// Without Chromium (`apt-get install -y chromium`, or $CHROMIUM_PATH) the pages are left without
// static outputs and this says so; the site still works with JavaScript. A page that throws
// while it is captured fails the build: it would fail for a reader too.
//
//   tsx scripts/static-outputs.ts [dist]
import { existsSync } from "node:fs";
import { CHROMIUM_PATH } from "../src/lib/node/chromium.js";
import { captureSite } from "../src/lib/node/static-capture.js";

const dist = process.argv[2] ?? "dist";
// Two pages at a time: a page keeps about one core busy, and these machines have two.
const parallel = Number(process.env.STATIC_PARALLEL ?? 2);

if (!existsSync(CHROMIUM_PATH)) {
  console.warn(`static outputs: skipped, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH). The pages show their figures and tables only with JavaScript.`);
  process.exit(0);
}
const started = performance.now();
try {
  const pages = await captureSite(dist, { parallel, onPage: (p) => console.log(`static outputs: ${p.file}: ${p.cells} cells, ${p.figures} figures (${p.seconds.toFixed(1)} s)`) });
  console.log(`static outputs: ${pages.length} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`static outputs: ${(e as Error).message}`);
  process.exit(1);
}
