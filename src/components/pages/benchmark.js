// The Method page's comparison of the kernel with SciPy: the kernel fits every task × law
// of the reference (test/reference/scipy.json: SciPy's differential_evolution + curve_fit,
// best of 10 seeds) in this browser, and each row sets the two side by side.
// taskName from lib.js, not result-sections.js (which draws with vega-embed): Node builds benchmarkSpec too.
import { num, taskName } from "../lib.js";
import { htmlTable } from "../render/tables.js";

/** Worker jobs: one bare fit per (task, law) of the reference, as the kernel tests run them. */
export function benchmarkJobs(reference, { seed = 1, restarts = 4 } = {}) {
  return Object.entries(reference.results).flatMap(([task, variants]) =>
    Object.keys(variants).map((variant) => ({ kind: "fit", task, variant, seed, restarts })));
}

/** One row per fit: SSE of each, the largest parameter difference in standard errors, cost. */
export function benchmarkRows(reference, jobs, outputs) {
  return jobs.map((job, i) => {
    const { fit, ms } = outputs[i];
    const ref = reference.results[job.task][job.variant];
    let worst = 0;
    fit.paramNames.forEach((name, j) => {
      const se = Math.max(fit.se[name] ?? Infinity, ref.se[j] ?? Infinity);
      worst = Math.max(worst, Math.abs(fit.params[name] - ref.params[j]) / se);
    });
    return {
      task: job.task, variant: job.variant, sseKernel: fit.sse, sseScipy: ref.sse,
      ratio: fit.sse / ref.sse, worstSe: worst, evalKernel: fit.evaluations,
      evalScipy: ref.de.nfev + (ref.curve_fit?.nfev ?? 0), ms,
    };
  });
}

// A timing is this browser's: the page's static copy shows none (src/lib/node/static-outputs.ts).
function msCell(ms) {
  const span = document.createElement("span");
  span.textContent = ms.toFixed(0);
  span.dataset.staticText = "—";
  return span;
}

export function benchmarkTable(rows) {
  return htmlTable(
    [
      { label: "task" }, { label: "variant" }, { label: "SSE kernel", align: "right" }, { label: "SSE SciPy", align: "right" },
      { label: "kernel / SciPy", align: "right" }, { label: "max |Δθ| / SE", align: "right" },
      { label: "evaluations kernel (4 searches)", align: "right" }, { label: "evaluations SciPy (best seed)", align: "right" }, { label: "ms here", align: "right" },
    ],
    rows.map((r) => [taskName(r.task), r.variant, num(r.sseKernel, 6), num(r.sseScipy, 6), r.ratio.toFixed(6), r.worstSe.toFixed(3), r.evalKernel, r.evalScipy, msCell(r.ms)]),
    { table: "benchmark" },
  );
}

export function benchmarkSpec(rows) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 520,
    height: { step: 16 },
    data: { values: rows.map((r) => ({ fit: `${taskName(r.task)} · ${r.variant}`, "SSE kernel / SSE SciPy − 1": r.ratio - 1 })) },
    layer: [
      { mark: { type: "rule", color: "#999" }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: "point", filled: true, size: 60, color: "#1f77b4" },
        encoding: {
          y: { field: "fit", type: "nominal", sort: null, axis: { title: null } },
          x: { field: "SSE kernel / SSE SciPy − 1", type: "quantitative", axis: { format: ".1e", title: "SSE kernel / SSE SciPy − 1 (below 0: the kernel fits better)" } },
          tooltip: [{ field: "fit" }, { field: "SSE kernel / SSE SciPy − 1", format: ".2e" }],
        },
      },
    ],
    config: { font: "system-ui, sans-serif" },
  };
}
