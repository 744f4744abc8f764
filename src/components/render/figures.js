// Vega-Lite specs of the paper's kind of figure: score against prompt length n_pmt on a log
// axis, one panel per model, observed points as dots (held-out points marked apart), fitted
// curves as lines, and the model's context limit n_ctx as a dashed rule.
import { select } from "../lib.js";

const X_DOMAIN = [40, 200000]; // the paper's axes run from ≈40 to 2×10^5 tokens

/** Whether any curve of the result carries a bootstrap band (for the caption). */
export function hasBands(result) {
  return result.fits.some((f) => f.curves.some((c) => c.band));
}

export const FIT_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"];

/** Legend name of a fit's curve: its label and, when different, the law actually fitted. */
export function curveName(fit) {
  const variant = fit.fit?.variant ?? fit.variant;
  return fit.label === variant ? variant : `${fit.label} (${variant})`;
}

/**
 * Rows of the figure: observed points, curve points and n_ctx rules, one `kind` each.
 * @param result an ExperimentResult (src/lib/run.ts)
 * @param taskRows the task's observations that were given to the experiment
 */
export function figureRows(result, taskRows) {
  const present = new Set(taskRows.map((o) => o.model));
  const drawn = result.plan.curveModels.filter((m) => present.has(m));
  const models = drawn.length ? drawn : [...present];
  const rows = [];
  for (const f of result.fits)
    for (const c of f.curves)
      if (models.includes(c.model))
        c.n_pmt.forEach((n, i) => rows.push({ kind: "curve", model: c.model, fit: curveName(f), n_pmt: n, score: c.predicted[i] }));
  // 95 % bootstrap bands, computed by run.ts on a log-spaced grid (bandGrid).
  for (const f of result.fits)
    for (const c of f.curves)
      if (models.includes(c.model) && c.band)
        c.band.n_pmt.forEach((n, i) => rows.push({ kind: "band", model: c.model, fit: curveName(f), n_pmt: n, lo: c.band.lo[i], hi: c.band.hi[i] }));
  for (const model of models) {
    const points = taskRows.filter((o) => o.model === model);
    // A point is "fitted" if the fit that draws this model's curve saw it (else held out).
    const spec = result.plan.fits.find((s, i) => result.fits[i].curves.some((c) => c.model === model)) ?? result.plan.fits[0];
    const fitted = new Set(spec ? select(points, spec.fitOn) : []);
    for (const o of points)
      rows.push({ kind: "observed", model, shots: o.shots, n_pmt: o.n_pmt, score: o.score, role: fitted.has(o) ? "fitted" : "held out (predicted)" });
    rows.push({ kind: "n_ctx", model, n_pmt: points[0]?.n_ctx ?? null, label: `n_ctx = ${(points[0]?.n_ctx ?? 0).toLocaleString("en-US")}` });
  }
  return { rows, models };
}

/** The figure spec for one task. `width` is the width available to the whole figure. */
export function experimentSpec(result, taskRows, { width = 640, title } = {}) {
  const { rows, models } = figureRows(result, taskRows);
  const columns = models.length > 1 && width >= 560 ? 2 : 1;
  const panelWidth = Math.max(220, Math.floor((width - 60) / columns - 70));
  const fits = [...new Set(rows.filter((r) => r.kind === "curve").map((r) => r.fit))];
  const x = { field: "n_pmt", type: "quantitative", scale: { type: "log", domain: X_DOMAIN, nice: false }, axis: { title: "prompt length n_pmt (tokens, log scale)", format: "~s", grid: true } };
  const y = { field: "score", type: "quantitative", scale: { zero: true }, axis: { title: "score", grid: true } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", // an identifier only: nothing is fetched
    ...(title ? { title } : {}),
    data: { values: rows },
    facet: { field: "model", type: "nominal", sort: models, title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } },
    columns,
    spec: {
      width: panelWidth,
      height: 200,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'n_ctx'" }],
          mark: { type: "rule", strokeDash: [4, 3], color: "#777" },
          encoding: { x: { field: "n_pmt", type: "quantitative" } },
        },
        {
          transform: [{ filter: "datum.kind === 'n_ctx'" }],
          mark: { type: "text", align: "right", baseline: "top", dx: -3, dy: 3, y: 0, color: "#555", fontSize: 10 },
          encoding: { x: { field: "n_pmt", type: "quantitative" }, text: { field: "label" } },
        },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: "line", strokeWidth: 2, clip: true },
          encoding: {
            x, y,
            color: { field: "fit", type: "nominal", scale: { domain: fits, range: FIT_COLORS }, legend: { title: "fitted curve", orient: "bottom", labelLimit: 320 } },
            strokeDash: { field: "fit", type: "nominal", scale: { domain: fits, range: [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]] }, legend: null },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'band'" }],
          mark: { type: "area", opacity: 0.18, clip: true },
          encoding: {
            x,
            y: { field: "lo", type: "quantitative" },
            y2: { field: "hi" },
            color: { field: "fit", type: "nominal", scale: { domain: fits, range: FIT_COLORS }, legend: null },
            detail: { field: "fit" },
          },
        },
        observedLayer(x, y),
      ],
    },
    resolve: { scale: { y: "shared" } },
    config: { font: "system-ui, sans-serif", view: { stroke: "#ddd" }, legend: { labelFontSize: 11 } },
  };
}

/**
 * The observed points of a figure: filled circles for fitted points, open diamonds for held-out
 * ones that the fit predicted (shared with the Your data figure).
 */
export function observedLayer(x, y, { size = 45, clip = false } = {}) {
  return {
    transform: [{ filter: "datum.kind === 'observed'" }],
    mark: { type: "point", size, strokeWidth: 1.5, ...(clip ? { clip: true } : {}) },
    encoding: {
      x, y,
      shape: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["circle", "diamond"] }, legend: { title: "observed", orient: "bottom" } },
      fill: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["#222", "#fff"] }, legend: null },
      stroke: { value: "#222" },
      tooltip: [
        { field: "model" }, { field: "shots", title: "shots" },
        { field: "n_pmt", title: "n_pmt", format: ",.0f" }, { field: "score", format: ".4f" }, { field: "role" },
      ],
    },
  };
}
