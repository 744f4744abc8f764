// Vega-Lite specs of the paper's kind of figure: score against prompt length n_pmt on a log
// axis, one panel per model, observed points as dots (held-out points marked apart), fitted
// curves as lines, and the model's context limit n_ctx as a dashed rule; and the specs of the
// home page's explorer and of the public models' figure.
import { select } from "../lib.js";

const X_DOMAIN = [40, 200000]; // the paper's axes run from ≈40 to 2×10^5 tokens

/** Whether any curve of the result carries a bootstrap band (for the caption). */
export function hasBands(result) {
  return result.fits.some((f) => f.curves.some((c) => c.band));
}

export const FIT_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"];

/**
 * The config of the paper's kind of figure. Legends are opt-in (`disable: true`): a channel draws
 * one only with a `legend` object, and the channels sharing its field (strokeDash, fill, the
 * bands' colour) merge into it; a `legend: null` on those would conflict and make Vega-Lite warn.
 */
export const FIGURE_CONFIG = { font: "system-ui, sans-serif", view: { stroke: "#ddd" }, legend: { labelFontSize: 11, disable: true } };

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
        // Only with curves to draw (a reader's query may return none of the plan's curve models).
        ...(fits.length ? [{
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: "line", strokeWidth: 2, clip: true },
          encoding: {
            x, y,
            color: { field: "fit", type: "nominal", scale: { domain: fits, range: FIT_COLORS }, legend: { title: "fitted curve", orient: "bottom", labelLimit: 320 } },
            strokeDash: { field: "fit", type: "nominal", scale: { domain: fits, range: [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]] } },
          },
        }] : []),
        // Only with bands to draw: an empty layer makes Vega warn of an infinite extent of lo/hi.
        ...(rows.some((r) => r.kind === "band") ? [{
          transform: [{ filter: "datum.kind === 'band'" }],
          mark: { type: "area", opacity: 0.18, clip: true },
          encoding: {
            x,
            y: { field: "lo", type: "quantitative" },
            y2: { field: "hi" },
            color: { field: "fit", type: "nominal", scale: { domain: fits, range: FIT_COLORS } },
            detail: { field: "fit" },
          },
        }] : []),
        observedLayer(x, y),
      ],
    },
    resolve: { scale: { y: "shared" } },
    config: FIGURE_CONFIG,
  };
}

/**
 * The observed points of a figure: filled circles for fitted points, open diamonds for held-out
 * ones that the fit predicted (shared with the Your data figure). Its fill joins the shape's
 * legend only under FIGURE_CONFIG's opt-in legends.
 */
export function observedLayer(x, y, { size = 45, clip = false } = {}) {
  return {
    transform: [{ filter: "datum.kind === 'observed'" }],
    mark: { type: "point", size, strokeWidth: 1.5, ...(clip ? { clip: true } : {}) },
    encoding: {
      x, y,
      shape: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["circle", "diamond"] }, legend: { title: "observed", orient: "bottom" } },
      fill: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["#222", "#fff"] } },
      stroke: { value: "#222" },
      tooltip: [
        { field: "model" }, { field: "shots", title: "shots" },
        { field: "n_pmt", title: "n_pmt", format: ",.0f" }, { field: "score", format: ".4f" }, { field: "role" },
      ],
    },
  };
}

/**
 * The home page explorer's chart: each task's predicted score against n_pmt (kind "curve"), its
 * 95 % bootstrap band once there is one (kind "band"), and n_ctx dashed. Here, not in explorer.js,
 * so that Node builds it too (test/vega-specs.test.ts).
 */
export function explorerSpec(values, nCtx, width) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width,
    height: 280,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'band'" }],
        mark: { type: "area", opacity: 0.18 },
        encoding: {
          x: { field: "n_pmt", type: "quantitative", scale: { type: "log", domain: X_DOMAIN, nice: false } },
          y: { field: "lo", type: "quantitative" },
          y2: { field: "hi" },
          color: { field: "task", type: "nominal", scale: { range: FIT_COLORS } },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'curve'" }],
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: { field: "n_pmt", type: "quantitative", scale: { type: "log", domain: X_DOMAIN, nice: false }, axis: { title: "prompt length n_pmt (tokens, log scale)", format: "~s" } },
          y: { field: "score", type: "quantitative", scale: { domain: [0, 1] }, axis: { title: "predicted score" } },
          color: { field: "task", type: "nominal", scale: { range: FIT_COLORS }, legend: { title: "task (its fitted parameters)", orient: "right" } },
        },
      },
      { data: { values: [{ n_ctx: nCtx }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#777" }, encoding: { x: { field: "n_ctx", type: "quantitative" } } },
    ],
    config: { font: "system-ui, sans-serif" },
  };
}

/**
 * The public models' figure of one benchmark and law (Compute generalisation): observed scores
 * against training compute (colour: family, shape: fitted or held out), the law's curve with its
 * bootstrap band if any, the threshold dashed. `rows` are the public observations, for the
 * families. Returns the spec and its points (the chart's CSV). Here, not in public-compute.js, so
 * that Node builds it too (test/vega-specs.test.ts).
 */
export function publicComputeSpec(result, lawLabel, rows) {
  const benchmark = result.plan.task;
  const f = result.fits.find((x) => x.label === lawLabel);
  const family = new Map(rows.filter((o) => o.task === benchmark).map((o) => [o.model, o.base_model]));
  const [fitted, held] = f.splits;
  const points = [...fitted.points.map((p) => ({ ...p, role: "fitted" })), ...held.points.map((p) => ({ ...p, role: "held out" }))].map((p) => ({ ...p, family: family.get(p.model) }));
  const c = f.computeCurve;
  const curve = c.compute_flops.map((x, i) => ({ compute_flops: x, predicted: c.predicted[i], lo: c.band?.lo[i] ?? null, hi: c.band?.hi[i] ?? null }));
  const x = { field: "compute_flops", type: "quantitative", scale: { type: "log" }, title: "training compute C (FLOPs, the study's 6·N·D)" };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 640, height: 360,
    layer: [
      ...(c.band ? [{ data: { values: curve }, mark: { type: "area", opacity: 0.2 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } }] : []),
      { data: { values: curve }, mark: "line", encoding: { x, y: { field: "predicted", type: "quantitative", title: `${benchmark} score` } } },
      { data: { values: points }, mark: { type: "point", filled: true }, encoding: {
        x, y: { field: "observed", type: "quantitative" },
        color: { field: "family", type: "nominal", legend: { columns: 2, symbolLimit: 60 } }, shape: { field: "role", type: "nominal" },
        tooltip: [{ field: "model" }, { field: "family" }, { field: "observed", format: ".3f" }, { field: "predicted", format: ".3f" }, { field: "role" }] } },
      { data: { values: [{ t: result.plan.settings.threshold }] }, mark: { type: "rule", strokeDash: [4, 4] }, encoding: { x: { field: "t", type: "quantitative" } } },
    ],
  };
  return { spec, points };
}
