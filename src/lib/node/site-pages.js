// The registry of experiment pages is the pages themselves: every src/*.md whose front matter
// names an `experiment` (a plan of src/lib/experiments.ts, or any other name for a page that
// writes its own plan). The site's navigation (observablehq.config.js), the home summary (via
// src/data/experiment-pages.json.js), the browser tests and `npm run bench:site` all read this
// list, so a new experiment page is one new .md file. Plain JavaScript: the Framework config
// imports it without a TypeScript loader.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../", import.meta.url));

/** The `key: value` lines of a page's front matter (the simple YAML the pages use). */
export function frontMatter(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const out = {};
  if (!m) return out;
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (kv) out[kv[1]] = kv[2].trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

/**
 * Experiment pages, in navigation order (front matter `order`, then title).
 * @returns {{path: string, file: string, title: string, nav: string, experiment: string, order: number}[]}
 */
export function experimentPages(src = SRC) {
  const pages = [];
  for (const file of readdirSync(src).filter((f) => f.endsWith(".md")).sort()) {
    const fm = frontMatter(readFileSync(`${src}/${file}`, "utf8"));
    if (!fm.experiment) continue;
    const path = file.replace(/\.md$/, "");
    const title = fm.title ?? path;
    pages.push({ path, file, title, nav: fm.nav ?? title, experiment: fm.experiment, order: fm.order === undefined ? Infinity : Number(fm.order) });
  }
  return pages.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}
