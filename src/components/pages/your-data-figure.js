// The paper's kind of figure for data a reader brought: score against prompt length on a log
// axis, one panel per model, observed points (held-out ones open), the fitted law as a line and
// each model's context limit as a dashed rule. Unlike figures.js (the paper's fixed axis, 40 to
// 2×10^5 tokens), the axis follows the data: other studies' prompts run from a dozen tokens
// (Pythia) to 128k (HELMET).
import { select } from "../lib.js";
import { observedLayer, FIGURE_CONFIG } from "../render/figures.js";

const fmtInt = (x) => Math.round(x).toLocaleString("en-US");

/**
 * @param taskRows the task's observations
 * @param fitRun the FitRunResult of the plan's one fit (its fitOn selection tells fitted from held out)
 * @param fitOn the fit's selection (plan.fits[0].fitOn)
 * @param curves from src/lib/import/your-data.ts curvesFor()
 * @param models the models to draw, in order
 * @param domain [lo, hi] of the x axis
 */
export function yourDataSpec({ taskRows, fitOn, curves, models, domain, width = 900, fitName = "fitted law" }) {
  const fitted = new Set(select(taskRows, fitOn));
  const rows = [];
  for (const c of curves)
    if (models.includes(c.model)) c.n_pmt.forEach((n, i) => rows.push({ kind: "curve", model: c.model, fit: fitName, n_pmt: n, score: c.predicted[i] }));
  for (const model of models) {
    const points = taskRows.filter((o) => o.model === model);
    for (const o of points)
      rows.push({ kind: "observed", model, shots: o.shots, n_pmt: o.n_pmt, score: o.score, role: fitted.has(o) ? "fitted" : "held out (predicted)" });
    const nCtx = points[0]?.n_ctx;
    if (nCtx !== undefined && nCtx >= domain[0] && nCtx <= domain[1]) rows.push({ kind: "n_ctx", model, n_pmt: nCtx, label: `n_ctx = ${fmtInt(nCtx)}` });
  }
  const columns = models.length === 1 ? 1 : width >= 900 ? 3 : width >= 560 ? 2 : 1;
  const panelWidth = Math.max(200, Math.floor((width - 40) / columns - 75));
  const x = { field: "n_pmt", type: "quantitative", scale: { type: "log", domain, nice: false }, axis: { title: "prompt length (tokens, log)", format: "~s", grid: true, tickCount: 6 } };
  const y = { field: "score", type: "quantitative", scale: { zero: true }, axis: { title: "score", grid: true } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", // an identifier only: nothing is fetched
    data: { values: rows },
    facet: { field: "model", type: "nominal", sort: models, title: null, header: { labelFontSize: 12, labelFontWeight: "bold", labelLimit: panelWidth + 40 } },
    columns,
    spec: {
      width: panelWidth,
      height: 180,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'n_ctx'" }],
          mark: { type: "rule", strokeDash: [4, 3], color: "#777" },
          encoding: { x: { field: "n_pmt", type: "quantitative", scale: { type: "log", domain, nice: false } } },
        },
        {
          transform: [{ filter: "datum.kind === 'n_ctx'" }],
          mark: { type: "text", align: "right", baseline: "top", dx: -3, dy: 3, y: 0, color: "#555", fontSize: 10 },
          encoding: { x: { field: "n_pmt", type: "quantitative", scale: { type: "log", domain, nice: false } }, text: { field: "label" } },
        },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: "line", strokeWidth: 2, clip: true, color: "#1f77b4" },
          encoding: { x, y, detail: { field: "fit" } },
        },
        observedLayer(x, y, { size: 42, clip: true }),
      ],
    },
    resolve: { scale: { y: "shared" } },
    config: FIGURE_CONFIG, // opt-in legends: observedLayer's fill joins its shape legend
  };
}
