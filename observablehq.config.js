// Observable Framework configuration. The site must build and run with no request to any host
// but its own: no global stylesheet (the default one pulls web fonts from a font service), a
// local theme (src/style.css), and no npm: imports anywhere (pages import node_modules).
// The experiment pages list themselves (front matter `experiment`, src/lib/node/site-pages.js).
import { experimentPages } from "./src/lib/node/site-pages.js";

const citation =
  'Reproducing Montgomery, Park, Tu, Bendersky, Gunel, Song, Wang, “Predicting Task Performance with Context-aware Scaling Laws”, <a href="https://arxiv.org/abs/2510.14919">arXiv:2510.14919</a> (2025). Every number on these pages is computed in your browser.';

export default {
  root: "src",
  title: "Context-aware scaling laws",
  style: "style.css",
  globalStylesheets: [],
  pages: [
    ...experimentPages().map((p) => ({ name: p.nav, path: `/${p.path}` })),
    { name: "Your data", path: "/your-data" },
    { name: "Beyond the paper", path: "/beyond" },
    { name: "Data", path: "/data" },
    { name: "Method", path: "/method" },
    { name: "Snapshots", path: "/snapshots" },
  ],
  // Links end in ".html": a snapshot then works from any static host and from disk.
  preserveExtension: true,
  preserveIndex: true,
  // The site has no icon: saying so stops every browser asking for /favicon.ico and logging the
  // host's 404 as a console error on every page.
  head: '<link rel="icon" href="data:,">',
  footer: citation,
  toc: false,
  search: false,
};
