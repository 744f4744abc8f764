// The "Beyond the paper" page: the analysis of src/lib/beyond.ts, computed at build time by
// src/data/beyond.json.ts from other studies' published results, drawn as tables and figures.
// Every place that shows a study's numbers names the study, its repository and its licence.
import { num } from "./lib.js";
import { chart } from "./vega.js";
import { htmlTable } from "./tables.js";
import { el } from "./dom.js";


const SHORT = { full: "full", "soft-penalty": "soft", additive: "additive", "no-penalty": "no-pen", "fixed-compute": "fixed-C" };
const CONFIG = { font: "system-ui, sans-serif", view: { stroke: "#ddd" }, legend: { labelFontSize: 11 }, axis: { labelFontSize: 11, titleFontSize: 12 } };
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"; // an identifier only: nothing is fetched

/** "Bertsch et al. 2024 (github.com/abertsch72/long-context-icl, Apache-2.0)". */
export const attribution = (s) => `${s.name} (${s.citation}; ${s.repository}; licence ${s.licence})`;
const shortAttribution = (s) => `${s.name}, ${s.repository.split(" ")[0]}, ${s.licence}`;

/** The cells of the headline table, one row per study (the browser test compares them with analyseBeyond's numbers). */
export function headlineRows(result) {
  return result.studies.map((s) => [
    s.study.name,
    s.study.axis.split(":")[0],
    String(s.groups),
    String(s.points),
    String(s.pastContext),
    num(s.medianHeldOutMae, 3),
    `${s.withinFivePoints} of ${s.withHeldOut}`,
    Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ") || "—",
    `${s.study.repository.split(" ")[0]}, ${s.study.licence}`,
  ]);
}

export const HEADLINE_COLUMNS = [
  { label: "study" }, { label: "tests" }, { label: "fit groups", align: "right" }, { label: "points", align: "right" },
  { label: "past n_ctx", align: "right" }, { label: "median best held-out MAE", align: "right" }, { label: "groups with held-out MAE ≤ 0.05", align: "right" },
  { label: "best variant (groups)" }, { label: "data from (licence)" },
];

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function variantRows(result, studyId) {
  const groups = result.groups.filter((g) => g.study === studyId);
  const study = result.studies.find((s) => s.study.id === studyId);
  return result.settings.variants.map((v) => {
    const outs = groups.map((g) => g.variants.find((x) => x.variant === v)).filter(Boolean);
    const all = outs.filter((o) => o.all).length;
    const codes = {};
    for (const o of outs) if (o.refused) codes[o.refused.code] = (codes[o.refused.code] ?? 0) + 1;
    const held = outs.filter((o) => o.heldOut).map((o) => o.heldOut.mae);
    const refusedText = Object.entries(codes).map(([c, n]) => `${n} (${c === "one-compute-level" ? "one compute level" : c === "too-few-points" ? "too few points" : c})`).join(", ");
    return [v, `${all} of ${groups.length}`, refusedText || "0", `${held.length}`, held.length ? num(median(held), 3) : "—", String(study.wins[v] ?? 0)];
  });
}

const FAILURE_RULES = [
  { label: "best held-out MAE above 0.05 (five points)", test: (f) => /^held-out MAE/.test(f) },
  { label: "in-sample MAE above 0.05: the law cannot follow the points even fitted to all of them", test: (f) => /^in-sample MAE/.test(f) },
  { label: "the score falls by more than 0.05 with longer prompts inside the window (the law's context factor only rises)", test: (f) => /^inside the window/.test(f) },
  { label: "points more than 1 % past n_ctx still score ≥ 0.1 (the sharp penalty predicts ≈ 0)", test: (f) => /past n_ctx still score/.test(f) },
  { label: "prompts exactly at n_ctx (the literal sigmoid gives half the score)", test: (f) => /exactly n_ctx/.test(f) },
  { label: "no variant could predict the held-out points", test: (f) => /^no variant/.test(f) },
];

function failureRuleRows(result) {
  const rows = FAILURE_RULES.map((r) => [r.label, ...result.studies.map((s) => {
    const gs = result.groups.filter((g) => g.study === s.study.id);
    return `${gs.filter((g) => g.failures.some(r.test)).length} of ${gs.length}`;
  })]);
  rows.push(["groups failing at least one rule", ...result.studies.map((s) => {
    const gs = result.groups.filter((g) => g.study === s.study.id);
    return `${gs.filter((g) => g.failures.length).length} of ${gs.length}`;
  })]);
  return rows;
}

function variantCell(v) {
  if (v.heldOut && v.fittedAs) return num(v.heldOut.mae, 3) + "*";
  if (v.heldOut) return num(v.heldOut.mae, 3);
  if (v.refused?.code === "one-compute-level") return "1 level";
  if (v.refused?.code === "too-few-points") return "too few";
  if (v.refused) return v.refused.code;
  if (v.heldOutReason?.startsWith("not predictable")) return "other C";
  return "—";
}

function groupRows(result, studyId) {
  return result.groups.filter((g) => g.study === studyId).map((g) => {
    const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all.mae - b.all.mae)[0];
    return [g.id, String(g.n), String(g.nPastContext), bestAll ? num(bestAll.all.mae, 3) : "—", ...g.variants.map(variantCell), g.best ? g.best.variants.map((v) => SHORT[v] ?? v).join(" = ") : "—"];
  });
}

// ---- figures ----

/** Held-out MAE of every group, one row of dots per study. */
function overviewSpec(result, width) {
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
function contextSpec(groups, { width, columns, panelWidth, panelHeight, colorBy, domain, title }) {
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
            fill: { condition: { test: "datum.role === 'fitted'", ...(colorBy === "task" ? { field: "series", type: "nominal", scale: { domain: seriesDomain, scheme: "category10" }, legend: null } : { value: "#1f5f99" }) }, value: "#fff" },
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
function computeSpec(groups, width) {
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
            fill: { condition: { test: "datum.role === 'fitted'", field: "shots", type: "ordinal", scale: { domain: shots, scheme: "viridis" }, legend: null }, value: "#fff" },
            tooltip: [{ field: "model" }, { field: "shots" }, { field: "C", format: ".3e" }, { field: "score", format: ".3f" }, { field: "role" }],
          },
        },
      ],
    },
    config: CONFIG,
  };
}

/** The penalty the data show past n_ctx: observed / unpenalised prediction, against n_pmt / n_ctx. */
function penaltySpec(result, width) {
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

// ---- sections ----

function studiesTable(studies, files) {
  return htmlTable(
    [{ label: "study" }, { label: "citation" }, { label: "repository (files read)" }, { label: "licence" }, { label: "files", align: "right" }],
    studies.map((s) => [s.name, s.citation, s.repository, s.licence, String(files?.find((f) => f.study === s.id)?.files.length ?? "—")]),
    { table: "beyond-studies" },
  );
}

function citeLine(s) {
  return el("p", { class: "beyond-cite", dataset: { cite: s.id } },
    el("strong", {}, "Data: "), `${s.citation}. `, el("span", {}, `Files from ${s.repository}, licence ${s.licence}. `),
    "Their numbers, analysed by this project; the study's authors did not take part.");
}

function failuresTable(groups) {
  const rows = groups.filter((g) => g.failures.length).flatMap((g) => g.failures.map((f, i) => [i === 0 ? g.id : "", f]));
  return rows.length
    ? htmlTable([{ label: "group" }, { label: "what fails" }], rows, { table: "beyond-failures" })
    : el("p", {}, "No group fails any rule.");
}

function penaltyTable(groups) {
  const rows = groups.flatMap((g) => (g.penalty ?? []).map((p) => [g.id, String(p.shots), Math.round(p.n_pmt).toLocaleString("en-US"), p.n_ctx.toLocaleString("en-US"), num(p.n_pmt / p.n_ctx, 2), num(p.observed, 3), num(p.unpenalised, 3), p.ratio === null ? "—" : num(p.ratio, 2)]));
  if (!rows.length) return null;
  return htmlTable(
    [{ label: "group" }, { label: "shots", align: "right" }, { label: "n_pmt", align: "right" }, { label: "n_ctx", align: "right" }, { label: "n_pmt / n_ctx", align: "right" }, { label: "observed", align: "right" }, { label: "unpenalised prediction", align: "right" }, { label: "observed / unpenalised", align: "right" }],
    rows, { table: "beyond-penalty" },
  );
}

const SHAPES = ["step", "soft", "decay"];
const PENALTY_PARAMS = ["delta", "log10_width", "log10_decay_rate"];

/** Step vs soft vs decay past n_ctx (src/lib/beyond.ts, comparePenaltyShapes): one row per group with points there. */
function penaltyShapesTable(groups) {
  const withShapes = groups.filter((g) => g.penaltyShapes);
  if (!withShapes.length) return null;
  const by = (g, p) => g.penaltyShapes.find((s) => s.penalty === p);
  const inside = (s) => (s.inside ? num(s.inside.maePast, 3) + (s.inside.undetermined.some((x) => PENALTY_PARAMS.includes(x)) ? "?" : "") : "—");
  const all = (s) => (s.all ? `${num(s.all.mae, 3)} / ${num(s.all.maePast, 3)}` : "—");
  const rows = withShapes.map((g) => [g.id, String(g.nPastContext), ...SHAPES.map((p) => inside(by(g, p))), ...SHAPES.map((p) => all(by(g, p))),
    by(g, "decay").all ? num(by(g, "decay").all.params.log10_decay_rate, 2) : "—"]);
  return htmlTable(
    [{ label: "group" }, { label: "past n_ctx", align: "right" }, ...SHAPES.map((p) => ({ label: `(a) ${p}`, align: "right" })), ...SHAPES.map((p) => ({ label: `(b) ${p}`, align: "right" })), { label: "(b) log10 decay rate", align: "right" }],
    rows, { table: "beyond-penalty-shapes" },
  );
}

async function studySection(result, s, width) {
  const study = s.study;
  const groups = result.groups.filter((g) => g.study === study.id);
  const section = el("section", { class: "beyond-study", id: `study-${study.id}`, dataset: { study: study.id } });
  section.append(el("h2", {}, study.name), citeLine(study));
  section.append(el("p", {}, el("strong", {}, "What it tests: "), `${study.axis}. `, el("strong", {}, "Hold-out: "), `${groups[0]?.holdOut.scheme ?? "—"}.`));
  section.append(el("details", { class: "beyond-caveats" }, el("summary", {}, "What the files do not say, and how it is handled"),
    el("ul", {}, ...study.unknowns.map((u) => el("li", {}, u)), ...s.notes.map((n) => el("li", {}, `import: ${n}`)))));
  const held = groups.filter((g) => g.best);
  section.append(el("p", { class: "beyond-summary", dataset: { summary: study.id } },
    `${s.groups} fit groups, ${s.points.toLocaleString("en-US")} points (${s.pastContext} past n_ctx). Median best held-out MAE ${num(s.medianHeldOutMae, 3)}; ` +
      `${s.withinFivePoints} of ${s.withHeldOut} groups within 0.05. Best variant by held-out MAE: ${Object.entries(s.wins).map(([v, n]) => `${v} in ${n} group${n > 1 ? "s" : ""}`).join(", ") || "—"}` +
      `${held.length < groups.length ? `; ${groups.length - held.length === 1 ? "1 group had" : `${groups.length - held.length} groups had`} nothing any variant could predict` : ""}.`));

  // The figure of the paper's kind.
  let spec;
  let caption;
  if (study.id === "pythia") {
    spec = computeSpec(groups, width);
    caption = `${shortAttribution(study)}: accuracy against training compute for each shot count, 7 sizes × 6 checkpoints. Lines: the best variant (${groups.map((g) => `${g.task}: ${g.variant}`).join("; ")}) fitted to every size but the largest; open diamonds: pythia-12b, held out and predicted.`;
  } else if (study.id === "bertsch2024") {
    const ns = groups.flatMap((g) => g.points.map((p) => p.n_pmt));
    const domain = [Math.min(...ns) / 1.5, Math.max(...ns) * 1.5];
    const columns = width >= 900 ? 3 : width >= 600 ? 2 : 1;
    spec = contextSpec(groups, { width, columns, panelWidth: Math.floor((width - 40) / columns - 75), panelHeight: 170, colorBy: "task", domain });
    caption = `${shortAttribution(study)}: accuracy against the estimated prompt length, one panel per model, one colour per dataset. Lines: fixed-compute fitted to all but the two longest prompts of each model and dataset; open diamonds: those two, held out and predicted. Dashed: the model's trained context limit n_ctx.`;
  } else {
    const domain = [5000, 170000];
    const columns = width >= 1000 ? 8 : width >= 760 ? 6 : width >= 560 ? 4 : 2;
    spec = contextSpec(groups, { width, columns, panelWidth: Math.floor((width - 20) / columns - 42), panelHeight: 80, colorBy: "none", domain });
    caption = `${shortAttribution(study)}: ICL score against input length (8k–128k) for each of the ${groups.length} models. Lines: fixed-compute fitted to 8k–64k; open diamonds: 128k, held out and predicted. Dashed: the model's context window where it falls inside the axis.`;
  }
  section.append(await chart(spec, { name: `beyond-${study.id}`, caption }));

  section.append(el("h3", {}, "Held-out error of each variant"));
  section.append(el("p", { class: "fit-meta" }, `MAE on the held-out points of each group (score on a 0–1 scale). *: the variant fitted in its fixed-compute form, because the group has one compute level (α not identifiable, the compute factor a free constant): so soft vs sharp penalty and additive vs multiplicative are compared on the context axis. “1 level”: refused for one compute level (full's fixed form is the fixed-C column); “too few”: fewer points than the variant has parameters plus one; “other C”: fixed-compute cannot predict another compute level. Fit MAE: the best in-sample MAE. Data: ${shortAttribution(study)}.`));
  section.append(el("div", { class: "beyond-scroll" }, htmlTable(
    [{ label: "group" }, { label: "n", align: "right" }, { label: "past n_ctx", align: "right" }, { label: "fit MAE", align: "right" }, ...result.settings.variants.map((v) => ({ label: SHORT[v] ?? v, align: "right" })), { label: "best" }],
    groupRows(result, study.id), { table: "beyond-groups", study: study.id },
  )));

  section.append(el("h3", {}, "Where it fails"));
  section.append(el("div", { class: "beyond-scroll" }, failuresTable(groups)));
  const pt = penaltyTable(groups);
  if (pt) {
    section.append(el("h3", {}, "The penalty past n_ctx the data show"));
    section.append(el("p", {}, `Observed score divided by the unpenalised prediction of a fixed-compute fit to the points inside the window. The paper's sharp penalty says ≈ 0 here. Data: ${shortAttribution(study)}.`));
    section.append(el("div", { class: "beyond-scroll" }, pt));
  }
  const shapes = penaltyShapesTable(groups);
  if (shapes) {
    const w = s.penaltyShapeWins;
    const list = (wins) => SHAPES.map((p) => `${p} in ${wins[p] ?? 0}`).join(", ");
    section.append(el("h3", {}, "Step, soft or decay past n_ctx"));
    section.append(el("p", {}, `The law with each penalty (in its fixed-compute form where the group has one compute level): (a) fitted to the points inside the window, MAE on the points past it; (b) fitted to all points, in-sample MAE over all points / over those past n_ctx. “?”: the points inside the window leave the penalty's parameters undetermined, so (a) rests on whatever value the search stopped at. Lowest error of ${w.groups} groups (ties within ${result.settings.tieMae} count for each): (a) ${list(w.inside)}; (b) ${list(w.all)}. Data: ${shortAttribution(study)}.`));
    section.append(el("div", { class: "beyond-scroll" }, shapes));
  }
  return section;
}

function provenance(data, build) {
  const box = el("div", { class: "provenance", dataset: { provenance: "" } }, el("h3", {}, "Provenance"));
  const dl = el("dl");
  const item = (term, value, key) => dl.append(el("dt", {}, term), el("dd", { dataset: { key } }, value));
  item("computed", "when the site was built, by src/data/beyond.json.ts (the analysis of src/lib/beyond.ts); the page only draws it", "computed");
  item("same numbers from the command line", el("code", {}, data.command), "command");
  item("settings", `seed ${data.settings.seed}, ${data.settings.restarts} global searches per fit, variants ${data.settings.variants.join(", ")}`, "settings");
  item("files read", `${data.files.reduce((a, f) => a + f.files.length, 0)} files from ${data.folder}`, "files");
  item("kernel", `kernel.wasm, SHA-256 ${data.kernel.sha256}`, "kernel-sha256");
  if (build) item("code version", `${build.package} ${build.version}, ${build.gitCommit ? `commit ${build.gitCommit.slice(0, 12)}${build.gitDirty ? " with uncommitted changes" : ""}` : "no git commit recorded"}`, "code-version");
  box.append(dl);
  const list = el("details", {}, el("summary", {}, "SHA-256 of every file read"),
    el("div", { class: "beyond-scroll" }, htmlTable([{ label: "study" }, { label: "file" }, { label: "SHA-256" }],
      data.files.flatMap((f) => f.files.map((x) => [f.study, x.path, x.sha256])), { table: "beyond-files" })));
  box.append(list);
  return box;
}

/** The page body when the other studies' files were absent at build time: where to get them, nothing else. */
function absent(data) {
  return el("div", { class: "beyond-absent", dataset: { available: "false" } },
    el("p", { class: "refused" }, el("strong", {}, "The other studies' files were not there when this site was built"),
      ` (${data.reason}), so this page shows no numbers: it would rather show nothing than something made up.`),
    data.error ? el("pre", { class: "error" }, data.error) : null,
    el("p", {}, "To see the analysis, put the files where the build looks and build again (", el("code", {}, "npm run build"), "), or print it with ", el("code", {}, "npm run import -- beyond"), ":"),
    el("pre", { class: "beyond-where" }, data.whereToGet),
    el("p", {}, "The studies, to cite wherever their numbers are used:"),
    studiesTable(data.studies, null));
}

export async function beyondPage(data, build) {
  const root = el("div", { class: "beyond-page", dataset: { available: String(data.available) } });
  if (!data.available) {
    root.append(absent(data));
    return root;
  }
  const width = Math.min(root.clientWidth || document.querySelector("#observablehq-main")?.clientWidth || 1000, 1100);
  const studies = data.studies.map((s) => s.study);

  root.append(el("p", { dataset: { computed: "" } }, `Computed when this site was built, from the ${data.files.reduce((a, f) => a + f.files.length, 0)} files in ${data.folder}; `,
    el("code", {}, data.command), " prints the same numbers (provenance at the end of the page)."));
  root.append(el("h2", {}, "How well it holds"));
  root.append(el("p", {}, "One row per study. A fit group is one model and dataset (context axis) or one task pooled over model sizes and checkpoints (compute axis). Every variant is fitted to the training part of the group's hold-out and predicts the rest; the best variant is the one with the lowest held-out MAE (ties within 0.005 count for each). ",
    "Data: ", ...studies.flatMap((s, i) => [i ? "; " : "", shortAttribution(s)]), " (full citations under ", el("a", { href: "#the-studies" }, "The studies"), ")."));
  root.append(htmlTable(HEADLINE_COLUMNS, headlineRows(data), { table: "beyond-headline" }));
  root.append(await chart(overviewSpec(data, width), {
    name: "beyond-overview",
    caption: `Held-out MAE of the best variant in every fit group (one dot each; the vertical spread only separates the dots). Data: ${studies.map(shortAttribution).join("; ")}.`,
  }));

  root.append(el("h2", {}, "Which variant fits best"));
  root.append(el("p", {}, "On the context axis (Bertsch et al., HELMET) each group is one model, one compute level: α cannot be identified, so every law is fitted in its fixed-compute form (the compute factor a free constant, marked *), and sharp against soft penalty, multiplicative against additive, are compared by held-out error there. HELMET's groups have five points, too few for the soft penalty's five parameters. On the compute axis (Pythia) every variant is fitted; prompts stay far inside the 2,048-token window, so full and no-penalty coincide."));
  for (const s of data.studies) {
    root.append(el("h4", {}, `${s.study.name}`, el("span", { class: "fit-meta" }, ` — data from ${s.study.repository.split(" ")[0]}, ${s.study.licence}`)));
    root.append(htmlTable(
      [{ label: "variant" }, { label: "fitted to all points", align: "right" }, { label: "refused" }, { label: "groups with a held-out MAE", align: "right" }, { label: "median held-out MAE", align: "right" }, { label: "best in (groups)", align: "right" }],
      variantRows(data, s.study.id), { table: "beyond-variants", study: s.study.id },
    ));
  }

  root.append(el("h2", {}, "Where it fails"));
  root.append(el("p", {}, "By stated rules (src/lib/beyond.ts), counted per study; each study's section lists every group and rule."));
  root.append(htmlTable([{ label: "rule" }, ...data.studies.map((s) => ({ label: s.study.name, align: "right" }))], failureRuleRows(data), { table: "beyond-rules" }));
  if (data.groups.some((g) => g.penalty?.some((p) => p.ratio !== null))) {
    const penaltyStudies = studies.filter((s) => data.groups.some((g) => g.study === s.id && g.penalty?.length));
    root.append(el("p", {}, "Past the context limit the paper's law switches performance off within about ten tokens. Where the studies ran models past their window, the data show how much of the score survives:"));
    root.append(await chart(penaltySpec(data, width), {
      name: "beyond-penalty",
      caption: `Observed score / the unpenalised prediction of a fixed-compute fit to the points inside the window, for every point past n_ctx. Above 0 the model still works past its stated window. Data: ${penaltyStudies.map(shortAttribution).join("; ")}.`,
    }));
  }

  root.append(el("h2", { id: "the-studies" }, "The studies"));
  root.append(studiesTable(studies, data.files));
  for (const s of data.studies) root.append(await studySection(data, s, width));
  root.append(provenance(data, build));
  return root;
}
