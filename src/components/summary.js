// The home page's summary: every experiment run with the default settings (the command
// line's), one row per number the paper reports, plus a headline row for the experiments whose
// paper numbers were never published.
import { FileAttachment } from "observablehq:stdlib";
import { DEFAULT_SETTINGS, EXPERIMENTS, num, plan } from "./lib.js";
import { taskName, interval } from "./result-sections.js";
import { htmlTable, signed } from "./tables.js";

// The experiment pages, as they list themselves (src/lib/node/site-pages.js): those running a
// plan of the library are rerun here; a page with its own plan is linked, its fits on its page.
const registry = JSON.parse(await FileAttachment("../data/experiment-pages.json").text());
export const PAGES = [
  ...registry.map((p) => ({ experiment: p.experiment, page: `./${p.path}.html`, title: p.nav, library: EXPERIMENTS.includes(p.experiment) })),
  // on the public models' tables (src/components/public-compute.js makes its jobs), not the bundled
  // data; its section is on the compute generalisation page, whose own plan is compute-holdout
  { experiment: "public-compute", page: "./compute-generalisation.html", title: "Compute generalisation (public models)", library: false, publicData: true },
];

/** Jobs for the worker: every experiment × task, default settings. */
export function summaryJobs(tasks, rows) {
  const settings = { ...DEFAULT_SETTINGS };
  return PAGES.filter((p) => p.library).flatMap((p) => tasks.map((task) => ({ plan: plan(p.experiment, task, settings, rows), models: null })));
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
  for (const page of PAGES.filter((p) => !p.library && !p.publicData))
    rows.push({ page, task: "—", label: "a plan written in its page: fitted there", ours: "—", interval: "—", paper: "—", difference: "—" });
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
