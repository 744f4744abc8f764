// The Vega-Lite specs of the "Beyond the paper" figures (drawn by beyond.js with vega.js).
// Legends are opt-in (`disable: true`): only a channel with a `legend` object draws one, and a
// fill sharing the colour's field merges into it (a `legend: null` there makes Vega-Lite warn of a conflict).
const CONFIG = { font: "system-ui, sans-serif", view: { stroke: "#ddd" }, legend: { labelFontSize: 11, disable: true }, axis: { labelFontSize: 11, titleFontSize: 12 } };
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"; // an identifier only: nothing is fetched

// ---- figures ----

/** Held-out MAE of every group, one row of dots per study. */
export function overviewSpec(result, width) {
  const rows = [];
  for (const s of result.studies) {
    const gs = result.groups.filter((g) => g.study === s.study.id && g.best);
    gs.forEach((g, i) => rows.push({
      study: s.study.name, group: g.id, mae: g.best.heldOutMae, best: g.best.variants.join(", "),
      verdict: g.best.heldOutMae <= result.settings.failMae ? "within 0.05" : "above 0.05",
      // A fixed, index-based jitter (no random numbers: the figure is the same on every load).
      jitter: ((i * 0.618034) % 1) - 0.5,
    }));
  }
  const max = Math.max(...rows.map((r) => r.mae), result.settings.failMae) * 1.05;
  return {
    $schema: SCHEMA,
    width: Math.min(width - 260, 760),
    height: { step: 70 },
    data: { values: rows },
    layer: [
      {
        data: { values: [{}] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#777" },
        encoding: { x: { datum: result.settings.failMae, type: "quantitative" } },
      },
      {
        data: { values: [{}] },
        mark: { type: "text", align: "left", dx: 4, baseline: "top", y: 2, fontSize: 10, color: "#555", text: "0.05: the paper's “most errors within 5 points”" },
        encoding: { x: { datum: result.settings.failMae, type: "quantitative" } },
      },
      {
        mark: { type: "point", filled: true, size: 40, opacity: 0.8 },
        encoding: {
          x: { field: "mae", type: "quantitative", scale: { domain: [0, max], nice: false }, axis: { title: "held-out MAE of the best variant (score 0–1)", grid: true } },
          y: { field: "study", type: "nominal", sort: result.studies.map((s) => s.study.name), axis: { title: null, labelFontSize: 12, labelFontWeight: "bold" } },
          yOffset: { field: "jitter", type: "quantitative", scale: { domain: [-0.6, 0.6] } },
          color: { field: "verdict", type: "nominal", scale: { domain: ["within 0.05", "above 0.05"], range: ["#2a7ab0", "#d62728"] }, legend: { title: "held-out MAE", orient: "bottom" } },
          tooltip: [{ field: "study" }, { field: "group" }, { field: "mae", title: "held-out MAE", format: ".3f" }, { field: "best", title: "best variant" }],
        },
      },
    ],
    config: CONFIG,
  };
}

/** Context axis: score against prompt length per model, one panel per model; curves of the fit to the training part. */
export function contextSpec(groups, { width, columns, panelWidth, panelHeight, colorBy, domain, title }) {
  const rows = [];
  const models = [];
  for (const g of groups) {
    const model = g.models[0];
    if (!models.includes(model)) models.push(model);
    const series = colorBy === "task" ? g.task : "points";
    for (const p of g.points) {
      rows.push({ kind: "observed", model, series, n_pmt: p.n_pmt, score: p.score, shots: p.shots, n_ctx: p.n_ctx, role: p.heldOut ? "held out (predicted)" : "fitted", past: p.n_pmt > p.n_ctx ? "past n_ctx" : "inside n_ctx", group: g.id });
    }
    const train = g.curves.find((c) => c.fit === "train") ?? g.curves.find((c) => c.fit === "all");
    if (train) for (const line of train.lines) line.x.forEach((x, i) => {
      if (x >= domain[0] && x <= domain[1]) rows.push({ kind: "curve", model, series, n_pmt: x, score: line.y[i], fit: train.fit, group: g.id });
    });
  }
  for (const model of models) {
    const g = groups.find((x) => x.models[0] === model);
    const nCtx = g.points[0].n_ctx;
    if (nCtx >= domain[0] && nCtx <= domain[1]) rows.push({ kind: "n_ctx", model, n_pmt: nCtx, label: `n_ctx ${Math.round(nCtx / 1024)}k` });
  }
  const x = { field: "n_pmt", type: "quantitative", scale: { type: "log", domain, nice: false }, axis: { title: panelWidth < 160 ? "prompt (tokens, log)" : "prompt length (tokens, log)", format: "~s", tickCount: 5, grid: true } };
  const y = { field: "score", type: "quantitative", scale: { domain: [0, 1] }, axis: { title: "score", tickCount: 4, grid: true } };
  const seriesDomain = [...new Set(rows.filter((r) => r.series).map((r) => r.series))];
  const color = colorBy === "task"
    ? { field: "series", type: "nominal", scale: { domain: seriesDomain, scheme: "category10" }, legend: { title: "dataset", orient: "bottom" } }
    : { value: "#1f5f99" };
  return {
    $schema: SCHEMA,
    ...(title ? { title } : {}),
    data: { values: rows },
    facet: { field: "model", type: "nominal", sort: models, title: null, header: { labelFontSize: panelWidth < 150 ? 10 : 11, labelFontWeight: "bold", labelLimit: panelWidth + 60 } },
    columns,
    spec: {
      width: panelWidth,
      height: panelHeight,
      layer: [
        { transform: [{ filter: "datum.kind === 'n_ctx'" }], mark: { type: "rule", strokeDash: [4, 3], color: "#888" }, encoding: { x: { field: "n_pmt", type: "quantitative" } } },
        { transform: [{ filter: "datum.kind === 'n_ctx'" }], mark: { type: "text", align: "left", baseline: "top", dx: 2, dy: 2, y: 0, fontSize: 9, color: "#555" }, encoding: { x: { field: "n_pmt", type: "quantitative" }, text: { field: "label" } } },
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: "line", strokeWidth: 1.6, clip: true }, encoding: { x, y, color, detail: { field: "group" } } },
        {
          transform: [{ filter: "datum.kind === 'observed'" }],
          mark: { type: "point", size: 28, strokeWidth: 1.3, clip: true },
          encoding: {
            x, y, color,
            shape: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["circle", "diamond"] }, legend: { title: "observed", orient: "bottom", symbolStrokeColor: "#333", symbolStrokeWidth: 1.3 } },
            fill: { condition: { test: "datum.role === 'fitted'", ...(colorBy === "task" ? { field: "series", type: "nominal", scale: { domain: seriesDomain, scheme: "category10" } } : { value: "#1f5f99" }) }, value: "#fff" },
            tooltip: [{ field: "group" }, { field: "shots" }, { field: "n_pmt", format: ",.0f" }, { field: "n_ctx", format: ",.0f" }, { field: "score", format: ".3f" }, { field: "role" }, { field: "past", title: "window" }],
          },
        },
      ],
    },
    resolve: { scale: { y: "shared" } },
    config: CONFIG,
  };
}

/** Compute axis (Pythia): score against training compute, one line per shot count, one panel per task. */
export function computeSpec(groups, width) {
  const rows = [];
  const tasks = groups.map((g) => g.task);
  for (const g of groups) {
    for (const p of g.points) rows.push({ kind: "observed", task: g.task, shots: String(p.shots), C: p.compute_flops, score: p.score, model: p.model, role: p.heldOut ? "held out (predicted)" : "fitted" });
    const train = g.curves.find((c) => c.fit === "train");
    if (train) for (const line of train.lines) line.x.forEach((c, i) => rows.push({ kind: "curve", task: g.task, shots: line.key, C: c, score: line.y[i] }));
  }
  const shots = [...new Set(rows.map((r) => r.shots))].sort((a, b) => Number(a) - Number(b));
  const x = { field: "C", type: "quantitative", scale: { type: "log" }, axis: { title: "training compute C (FLOPs, log)", format: ".0e", grid: true, tickCount: 5 } };
  const y = { field: "score", type: "quantitative", scale: { domain: [0, 1] }, axis: { title: "accuracy", grid: true } };
  const color = { field: "shots", type: "ordinal", sort: shots, scale: { domain: shots, scheme: "viridis" }, legend: { title: "shots", orient: "bottom" } };
  return {
    $schema: SCHEMA,
    data: { values: rows },
    facet: { field: "task", type: "nominal", sort: tasks, title: null, header: { labelFontSize: 12, labelFontWeight: "bold" } },
    columns: width >= 760 ? 2 : 1,
    spec: {
      width: Math.max(260, Math.floor((width >= 760 ? width / 2 : width) - 110)),
      height: 230,
      layer: [
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: "line", strokeWidth: 1.8 }, encoding: { x, y, color } },
        {
          transform: [{ filter: "datum.kind === 'observed'" }],
          mark: { type: "point", size: 30, strokeWidth: 1.3 },
          encoding: {
            x, y, color,
            shape: { field: "role", type: "nominal", scale: { domain: ["fitted", "held out (predicted)"], range: ["circle", "diamond"] }, legend: { title: "observed", orient: "bottom", symbolStrokeColor: "#333", symbolStrokeWidth: 1.3 } },
            fill: { condition: { test: "datum.role === 'fitted'", field: "shots", type: "ordinal", scale: { domain: shots, scheme: "viridis" } }, value: "#fff" },
            tooltip: [{ field: "model" }, { field: "shots" }, { field: "C", format: ".3e" }, { field: "score", format: ".3f" }, { field: "role" }],
          },
        },
      ],
    },
    config: CONFIG,
  };
}

/** The penalty the data show past n_ctx: observed / unpenalised prediction, against n_pmt / n_ctx. */
export function penaltySpec(result, width) {
  const rows = [];
  for (const g of result.groups) {
    const s = result.studies.find((x) => x.study.id === g.study).study;
    for (const p of g.penalty ?? []) if (p.ratio !== null) rows.push({ study: s.name, group: g.id, over: p.n_pmt / p.n_ctx, ratio: p.ratio, n_pmt: p.n_pmt, n_ctx: p.n_ctx, observed: p.observed, unpenalised: p.unpenalised });
  }
  const studies = [...new Set(rows.map((r) => r.study))];
  const maxOver = Math.max(2, ...rows.map((r) => r.over)) * 1.1;
  return {
    $schema: SCHEMA,
    width: Math.min(width - 200, 720),
    height: 260,
    data: { values: rows },
    layer: [
      { data: { values: [{}] }, mark: { type: "rule", color: "#999", strokeDash: [4, 3] }, encoding: { y: { datum: 1, type: "quantitative" } } },
      { data: { values: [{}] }, mark: { type: "text", align: "right", dy: -6, fontSize: 10, color: "#555", text: "1: no penalty at all", x: "width" }, encoding: { y: { datum: 1, type: "quantitative" } } },
      { data: { values: [{}] }, mark: { type: "rule", color: "#d62728" }, encoding: { y: { datum: 0, type: "quantitative" } } },
      { data: { values: [{}] }, mark: { type: "text", align: "right", dy: -6, fontSize: 10, color: "#d62728", text: "0: the paper's sharp penalty (a step ten tokens wide at n_ctx)", x: "width" }, encoding: { y: { datum: 0, type: "quantitative" } } },
      {
        mark: { type: "point", filled: true, size: 45, opacity: 0.85 },
        encoding: {
          x: { field: "over", type: "quantitative", scale: { type: "log", domain: [1, maxOver], nice: false }, axis: { title: "n_pmt / n_ctx (log)", grid: true, values: [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32].filter((v) => v <= maxOver) } },
          y: { field: "ratio", type: "quantitative", scale: { domainMin: 0 }, axis: { title: "observed / unpenalised prediction", grid: true } },
          color: { field: "study", type: "nominal", scale: { domain: studies, range: ["#ff7f0e", "#2a7ab0", "#2ca02c"] }, legend: { title: "study", orient: "bottom" } },
          tooltip: [{ field: "study" }, { field: "group" }, { field: "n_pmt", format: ",.0f" }, { field: "n_ctx", format: ",.0f" }, { field: "over", title: "n_pmt / n_ctx", format: ".2f" }, { field: "observed", format: ".3f" }, { field: "unpenalised", format: ".3f" }, { field: "ratio", format: ".2f" }],
        },
      },
    ],
    config: CONFIG,
  };
}
