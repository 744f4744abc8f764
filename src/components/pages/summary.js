// The home page's summary: the table model of src/lib/summary.ts (the one `npm run fit` prints
// as text), drawn as HTML with each row's first cell linking to its page.
import { FileAttachment } from "observablehq:stdlib";
import { DEFAULT_SETTINGS, EXPERIMENTS, plan, summaryPages, summaryTableModel, claimsOf, claimsTableModel } from "../lib.js";
import { claimsChart } from "../render/claims-figure.js";
import { htmlTable } from "../render/tables.js";

// The experiment pages, as they list themselves (src/lib/node/site-pages.js): those running a
// plan of the library are rerun here; a page with its own plan is linked, its fits on its page.
const registry = JSON.parse(await FileAttachment("../../data/experiment-pages.json").text());
export const PAGES = summaryPages(registry);

/** Jobs for the worker: every experiment × task, default settings. */
export function summaryJobs(tasks, rows) {
  const settings = { ...DEFAULT_SETTINGS };
  return PAGES.filter((p) => p.library).flatMap((p) => tasks.map((task) => ({ plan: plan(p.experiment, task, settings, rows), models: null })));
}

/** The summary table of the worker's (or the build's) outputs. */
export function summaryTable(outputs) {
  const model = summaryTableModel(outputs.map((o) => o.result), PAGES);
  const link = (i) => Object.assign(document.createElement("a"), { href: model.links[i], textContent: model.rows[i][0] });
  return htmlTable(model.columns, model.rows.map((r, i) => [link(i), ...r.slice(1)]), { table: "summary" });
}

/** The Claims table (src/lib/claims.ts) of the worker's (or the build's) outputs, each row's experiment linking to its page. */
export function claimsTable(outputs) {
  const claims = claimsOf(outputs.map((o) => o.result));
  const model = claimsTableModel(claims);
  const pageOf = (experiment) => PAGES.find((p) => p.experiment === experiment)?.page;
  const cell = (c, text) => {
    const href = pageOf(c.experiment);
    return href ? Object.assign(document.createElement("a"), { href, textContent: text }) : text;
  };
  return htmlTable(model.columns, model.rows.map((r, i) => [r[0], cell(claims[i], r[1]), ...r.slice(2)]), { table: "claims" });
}

/** The Claims figure (src/components/render/claims-figure.js) of the same outputs. */
export function claimsFigure(outputs) {
  return claimsChart(claimsOf(outputs.map((o) => o.result)));
}
