// The home page's summary: every experiment run with the default settings (the command
// line's), one row per number the paper reports, plus a headline row for the experiments whose
// paper numbers were never published.
import { DEFAULT_SETTINGS, num } from "./lib.js";
import { planFor, taskName } from "./experiment-page.js";
import { htmlTable, signed } from "./tables.js";
import { interval } from "./experiment-page.js";

export const PAGES = [
  { experiment: "in-distribution", page: "./in-distribution.html", title: "In-distribution fit" },
  { experiment: "context-generalisation", page: "./context-generalisation.html", title: "Context generalisation" },
  { experiment: "compute-holdout", page: "./compute-generalisation.html", title: "Compute generalisation" },
  { experiment: "extension-technique", page: "./extension-technique.html", title: "Extension technique" },
  { experiment: "penalty-ablation", page: "./penalty-ablation.html", title: "Sigmoid-penalty ablation" },
  { experiment: "figure-1", page: "./figure-1.html", title: "Figure 1" },
  // on the public models' tables (src/components/public-compute.js makes its jobs), not the bundled data
  { experiment: "public-compute", page: "./compute-generalisation.html", title: "Compute generalisation (public models)", publicData: true },
];

/** Jobs for the worker: every experiment × task, default settings. */
export function summaryJobs(tasks, rows) {
  const settings = { ...DEFAULT_SETTINGS };
  return PAGES.filter((p) => !p.publicData).flatMap((p) => tasks.map((task) => ({ plan: planFor(p.experiment, task, settings, rows), models: null })));
}

/** Rows of the summary table from the worker's outputs. */
export function summaryRows(outputs) {
  const rows = [];
  for (const { result } of outputs) {
    const page = PAGES.find((p) => p.experiment === result.plan.experiment);
    const withPaper = result.comparisons.filter((c) => c.paper !== null);
    if (withPaper.length) {
      for (const c of withPaper)
        rows.push({ page, task: result.plan.task, label: c.label, ours: num(c.ours), interval: interval(c.oursInterval), paper: num(c.paper), difference: signed(c.difference) });
    } else {
      // No recoverable paper number: the experiment's headline error (its held-out split when
      // it has one), or why it cannot be computed.
      const f = result.fits[0];
      const s = f?.splits.find((x) => /held out/.test(x.name)) ?? f?.splits.find((x) => x.errors) ?? f?.splits[0];
      const label = f ? `MAE, fit “${f.label}”, ${s?.name ?? "—"}` : "no fit: no data";
      const ours = s?.errors ? num(s.errors.mae) : "not computable";
      rows.push({ page, task: result.plan.task, label, ours, interval: s?.errors ? interval(s.maeInterval) : "—", paper: "not published", difference: "—", note: s?.reason });
    }
  }
  return rows;
}

export function summaryTable(rows) {
  const link = (page) => Object.assign(document.createElement("a"), { href: page.page, textContent: page.title });
  return htmlTable(
    [{ label: "experiment" }, { label: "task" }, { label: "quantity" }, { label: "paper", align: "right" }, { label: "ours", align: "right" }, { label: "95 % interval", align: "right" }, { label: "ours − paper", align: "right" }],
    rows.map((r) => [link(r.page), taskName(r.task), r.note ? `${r.label} (${r.note})` : r.label, r.paper, r.ours, r.interval, r.difference]),
    { table: "summary" },
  );
}
