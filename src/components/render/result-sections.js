// What an experiment page draws from one result of src/lib/run.ts: the paper's kind of figure,
// and the tables (ours beside the paper, each fit's parameters, its errors per split), in the
// command line's formatting (num() of src/lib/format.ts), with data-* attributes the browser
// tests read back.
import { num, interval, paramsTableModel, splitsTableModel, comparisonsTableModel, contrastsTableModel, undeterminedNote, taskName, TASK_NAMES } from "../lib.js";
import { chart } from "./vega.js";
import { experimentSpec, hasBands } from "./figures.js";
import { htmlTable } from "./tables.js";
import { el } from "./dom.js";

export { interval, taskName, TASK_NAMES };

const drawn = (model, dataset) => htmlTable(model.columns, model.rows, dataset);

/** A fit's parameters (the table model of src/lib/format.ts, as HTML). */
export const paramsTable = (f) => drawn(paramsTableModel(f), { table: "params", fit: f.label });

/** A fit's errors on each split. */
export const splitsTable = (f) => drawn(splitsTableModel(f), { table: "splits", fit: f.label });

function fitSection(f) {
  const parts = [];
  const fitted = f.fit?.variant ?? f.variant;
  parts.push(el("h4", {}, `Fit “${f.label}” — ${fitted} — on ${f.fitOn}: ${f.nFit} points`));
  if (f.refused)
    parts.push(el("p", { class: "refused" }, `${f.variant} refused: ${f.refused.message}.` + (f.refused.fallback ? ` Fitted ${f.refused.fallback} instead, for the fitted points only.` : "") + (f.refused.fallbackRefused ? ` Its fixed-compute form ${f.refused.fallbackRefused.law} was refused too: ${f.refused.fallbackRefused.message}.` : "")));
  if (f.fit) {
    const fit = f.fit;
    const iv = f.uncertainty?.params ?? {};
    const withIv = f.uncertainty !== undefined;
    parts.push(paramsTable(f));
    parts.push(
      el("p", { class: "fit-meta" },
        `SSE ${num(fit.sse, 6)}, status ${fit.status}, best reached by ${fit.globalSearch.restartsAtBest} of ${fit.globalSearch.restarts} global searches, ` +
          `${fit.globalSearch.generations} generations, ${fit.evaluations} evaluations, condition number ${num(fit.conditionNumber, 1)}.` +
          (fit.undetermined.length ? ` Not determined by these data: ${fit.undetermined.join(", ")}.` : "")),
    );
    if (f.uncertainty) {
      const u = f.uncertainty;
      parts.push(el("p", { class: "fit-meta" },
        `Intervals: ${Math.round(u.level * 100)} % percentile bootstrap from ${u.kept} of ${u.requested} resamples of ${u.scheme}` +
          (u.dropped ? ` (${u.dropped} dropped: one compute level, α undetermined)` : "") + (u.cancelled ? " (cancelled)" : "") + "."));
    }
    for (const w of f.identifiability?.warnings ?? []) parts.push(el("p", { class: "refused" }, `Warning: ${w}`));
  }
  parts.push(splitsTable(f));
  const reasons = [...f.splits.filter((s) => !s.errors && s.reason).map((s) => `${s.name}: ${s.reason}`), ...f.splits.map(undeterminedNote).filter(Boolean)];
  if (reasons.length) parts.push(el("ul", { class: "reasons" }, ...reasons.map((text) => el("li", {}, text))));
  return parts;
}

function comparisonTable(result) {
  if (!result.comparisons.length) return el("p", { class: "no-comparison" }, "The paper reports no number for this experiment and task that could be recovered: there is nothing to set ours beside.");
  return drawn(comparisonsTableModel(result), { table: "comparisons" });
}

/** Paired comparisons of two fits (the difference of their MAE with its paired bootstrap interval and verdict). */
function contrastTable(result) {
  if (!result.contrasts?.length) return null;
  return el("div", { class: "contrasts" },
    el("p", {}, "Which fit is better, where the data can tell: the difference of MAE, A − B, with a 95 % paired bootstrap interval (both fits refitted on the same resamples; the points compared on resampled too). Below 0 favours A; an interval that holds 0 cannot tell them apart."),
    drawn(contrastsTableModel(result), { table: "contrasts" }));
}

/** The figure of one task: observed points, fitted curves, n_ctx, bootstrap bands. */
export async function taskFigure(result, taskRows, width) {
  const task = result.plan.task;
  const spec = experimentSpec(result, taskRows, { width });
  return chart(spec, {
    name: `${result.plan.experiment}-${task}`,
    caption: `${taskName(task)}: observed scores (dots; open diamonds were held out and predicted), fitted curves on the paper's drawing grid (50 to 131,072 tokens, 1,000 points), each model's context limit n_ctx (dashed)` +
      (hasBands(result) ? `, and the 95 % bootstrap band of each curve (shaded, ${result.plan.settings.resamples} resamples of ${result.plan.settings.scheme}).` : "."),
  });
}

/**
 * Where a result was computed and the command that prints the same numbers (`ms` is null for
 * baked results); `document` (a link to download the run document the command names) goes with
 * it, and `results` (a link to download the numbers themselves) ends the line.
 */
export function sameNumbersLine(ms, command, document = null, results = null) {
  const where = ms === null ? "Baked into this page at build time (Node, the same kernel.wasm)" : `Computed in this browser in ${ms.toFixed(0)} ms`;
  // The page's static copy has no timing: it says where the numbers were computed.
  const staticText = "Computed in Chromium when this page was built, and baked in Node (the same kernel.wasm)";
  return el("p", { class: "fit-meta reproduce" }, el("span", { dataset: { staticText } }, where), ". Same numbers from the command line: ", el("code", { dataset: { command: "" } }, command), ...(document ? [" (the document: ", document, ")"] : []), results);
}

/** The tables of one task, ending with `line` (sameNumbersLine). */
export function taskTables(result, line) {
  const task = result.plan.task;
  const section = el("section", { class: "task-result", id: `task-${task}`, dataset: { task } });
  section.append(el("h3", {}, taskName(task)), comparisonTable(result));
  const contrasts = contrastTable(result);
  if (contrasts) section.append(contrasts);
  for (const f of result.fits) section.append(...fitSection(f));
  section.append(line);
  return section;
}
