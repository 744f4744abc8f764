// The home page's summary as a table model (format.ts): every experiment run with the default
// settings, one row per number the paper reports, a headline row for the experiments whose
// paper numbers were never published, and a row per page that writes its own plan. The page
// draws it as HTML (src/components/pages/summary.js), `npm run fit` prints it as text after running
// every experiment, and the browser tests compare the two cell by cell.
import type { ExperimentResult } from "./run.js";
import { num, interval, signed, type TableModel } from "./format.js";
import { REGISTRY, type ExperimentDescriptor } from "./experiments.js";
import type { Claim } from "./claims.js";

/** A page that shows an experiment's results, as the summary links it. */
export interface SummaryPage {
  experiment: string;
  title: string;
  /** the page's address relative to the site's root, e.g. "./in-distribution.html" */
  page: string;
  /** runs a plan of the registry on the bundled data (src/lib/experiments.ts) */
  library: boolean;
  /** runs on another data source than the bundled observations (the public models' tables) */
  publicData?: boolean;
}

export const TASK_NAMES: Readonly<Record<string, string>> = { arithmetic: "Arithmetic", common_sense: "Common sense", translation: "Translation" };
export const taskName = (t: string): string => TASK_NAMES[t] ?? t;

/**
 * The pages the summary names: every page that lists itself ({experiment, path, nav}: its front
 * matter, src/lib/node/site-pages.ts), and every experiment of the registry that is a section
 * of another experiment's page.
 */
export function summaryPages(pages: readonly { experiment: string; path: string; nav: string }[], registry: readonly ExperimentDescriptor[] = REGISTRY): SummaryPage[] {
  const bundled = (id: string) => registry.some((d) => d.id === id && d.data === "bundled");
  return [
    ...pages.map((p) => ({ experiment: p.experiment, page: `./${p.path}.html`, title: p.nav, library: bundled(p.experiment) })),
    ...registry.filter((d) => d.section !== undefined && !pages.some((p) => p.experiment === d.id)).map((d) =>
      ({ experiment: d.id, page: `./${d.page}.html`, title: d.section!, library: false, publicData: d.data !== "bundled" })),
  ];
}

/**
 * The summary: its columns, rows of text cells, and the page each row links to (the first
 * cell's). `ownPlans` false leaves out the rows of the pages that write their own plan.
 */
export function summaryTableModel(results: readonly ExperimentResult[], pages: readonly SummaryPage[], { ownPlans = true } = {}): TableModel & { links: string[] } {
  const rows: string[][] = [];
  const links: string[] = [];
  const add = (page: SummaryPage, cells: string[]) => (rows.push([page.title, ...cells]), links.push(page.page));
  const pageOf = (r: ExperimentResult) => {
    const i = pages.findIndex((p) => p.experiment === r.plan.experiment);
    if (i < 0) throw new Error(`summary: no page shows experiment ${r.plan.experiment}`);
    return i;
  };
  // In the pages' order (the navigation's), whatever order the results come in: the command
  // line runs experiment by experiment in the library's order, the home page in the pages'.
  const ordered = [...results].sort((a, b) => pageOf(a) - pageOf(b));
  for (const result of ordered) {
    const page = pages[pageOf(result)]!;
    const task = taskName(result.plan.task);
    const withPaper = result.comparisons.filter((c) => c.paper !== null);
    if (withPaper.length) {
      for (const c of withPaper) add(page, [task, c.label, num(c.paper), num(c.ours), interval(c.oursInterval), signed(c.difference)]);
    } else {
      // No recoverable paper number: the experiment's headline error (its held-out split when
      // it has one), or why it cannot be computed.
      const f = result.fits[0];
      const s = f?.splits.find((x) => /held out/.test(x.name)) ?? f?.splits.find((x) => x.errors) ?? f?.splits[0];
      const label = f ? `MAE, fit “${f.label}”, ${s?.name ?? "—"}` : "no fit: no data";
      add(page, [task, s?.reason ? `${label} (${s.reason})` : label, "not published", s?.errors ? num(s.errors.mae) : "not computable", s?.errors ? interval(s.maeInterval) : "—", "—"]);
    }
  }
  if (ownPlans) for (const page of pages.filter((p) => !p.library && !p.publicData)) add(page, ["—", "a plan written in its page: fitted there", "—", "—", "—", "—"]);
  return {
    columns: [{ label: "experiment" }, { label: "task" }, { label: "quantity" }, { label: "paper", align: "right" }, { label: "ours", align: "right" }, { label: "95 % interval", align: "right" }, { label: "ours − paper", align: "right" }],
    rows,
    links,
  };
}

/** Every claim the registry's experiments state about these results (their descriptors' `claims`), in the results' order. */
export function claimsOf(results: readonly ExperimentResult[], registry: readonly ExperimentDescriptor[] = REGISTRY): Claim[] {
  return results.flatMap((r) => registry.find((d) => d.id === r.plan.experiment)?.claims?.(r) ?? []);
}

/** The claims as a table model: the home page draws it, `npm run fit` prints it. */
export function claimsTableModel(claims: readonly Claim[]): TableModel {
  const R = "right" as const;
  return {
    columns: [{ label: "claim" }, { label: "experiment · task" }, { label: "ours", align: R }, { label: "95 % interval", align: R }, { label: "paper", align: R }, { label: "verdict" }, { label: "because" }],
    rows: claims.map((c) => [
      c.claim, `${c.experiment} · ${taskName(c.task)}`, c.difference ? signed(c.ours) : num(c.ours), interval(c.interval),
      c.paper === null ? "not published" : c.difference ? signed(c.paper) : num(c.paper), c.verdict, c.why,
    ]),
  };
}
