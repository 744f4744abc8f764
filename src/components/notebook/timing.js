// Performance marks the pages set (read by `npm run bench:site`, scripts/bench-site.ts):
// "duckdb-ready", "kernel-ready", "first-chart", and "page-ready" once the page has
// computed and shown everything it shows on load (the tests wait for it). Each is set once per page load.
const seen = new Set();

export function mark(name) {
  if (seen.has(name)) return;
  seen.add(name);
  performance.mark(name);
}

/** Whether a mark was set (for pages that mark readiness from several places). */
export function marked(name) {
  return seen.has(name);
}
