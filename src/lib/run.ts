// Runs an experiment plan (experiments.ts) with the kernel: the single place where fits,
// held-out errors, curves and comparisons with the paper are computed, for the command line,
// the build and the pages alike.
import type { Observation } from "./types.ts";
import { Kernel, FitError, type FitResult } from "./kernel.ts";
import { select, describeSelection } from "./select.ts";
import { errorSummary, linspace, type ErrorSummary } from "./metrics.ts";
import { PAPER } from "./paper.ts";
import type { ExperimentPlan, FitSpec, Quantity } from "./experiments.ts";

export interface SplitResult {
  name: string;
  selection: string;
  /** null when the number cannot be computed; `reason` then says why */
  errors: ErrorSummary | null;
  /** mean of the predictions on the split (the level of a flat line) */
  meanPrediction: number | null;
  reason?: string;
}

export interface CurveResult {
  model: string;
  compute_flops: number;
  n_ctx: number;
  n_pmt: number[];
  predicted: number[];
  /** maximum of the curve on the paper's drawing grid */
  plateau: number;
}

export interface FitRunResult {
  label: string;
  variant: string;
  fitOn: string;
  nFit: number;
  /** the fit that produced the numbers (the requested variant, or its fallback) */
  fit: FitResult | null;
  /** when the requested variant was refused: why, and which fallback was fitted instead */
  refused?: { code: string; message: string; fallback: string | null };
  splits: SplitResult[];
  curves: CurveResult[];
}

export interface Comparison {
  label: string;
  ours: number | null;
  paper: number | null;
  difference: number | null;
  note?: string;
}

export interface ExperimentResult {
  plan: ExperimentPlan;
  fits: FitRunResult[];
  comparisons: Comparison[];
}

/** Compute, context limit and name of each model present in the rows. */
function modelTable(rows: readonly Observation[]): Map<string, { compute_flops: number; n_ctx: number }> {
  const m = new Map<string, { compute_flops: number; n_ctx: number }>();
  for (const r of rows) if (!m.has(r.model)) m.set(r.model, { compute_flops: r.compute_flops, n_ctx: r.n_ctx });
  return m;
}

function runFit(kernel: Kernel, spec: FitSpec, taskRows: readonly Observation[], plan: ExperimentPlan): FitRunResult {
  const fitRows = select(taskRows, spec.fitOn);
  const out: FitRunResult = { label: spec.label, variant: spec.variant, fitOn: describeSelection(spec.fitOn), nFit: fitRows.length, fit: null, splits: [], curves: [] };
  let fit: FitResult;
  try {
    fit = kernel.fit(spec.variant, fitRows, { seed: plan.settings.seed, restarts: plan.settings.restarts });
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
    // One compute level: α is not identifiable. Fit what the data do determine (the context
    // factor and a free compute factor) and refuse every prediction that would need α.
    const fallback = err.code === "one-compute-level" && spec.variant !== "context-blind" ? "fixed-compute" : null;
    out.refused = { code: err.code, message: err.message, fallback };
    if (!fallback) {
      out.splits = spec.evaluate.map((s) => ({ name: s.name, selection: describeSelection(s.on), errors: null, meanPrediction: null, reason: err.message }));
      return out;
    }
    fit = kernel.fit(fallback, fitRows, { seed: plan.settings.seed, restarts: plan.settings.restarts });
  }
  out.fit = fit;
  // A fixed-compute fit says nothing about other compute levels: it cannot predict them.
  const fittedLogC = fitRows.map((r) => Math.log10(r.compute_flops));
  const lo = Math.min(...fittedLogC) - kernel.minComputeSpread;
  const hi = Math.max(...fittedLogC) + kernel.minComputeSpread;
  const needsAlpha = (rows: readonly Observation[]) =>
    fit.variant === "fixed-compute" && rows.some((r) => Math.log10(r.compute_flops) < lo || Math.log10(r.compute_flops) > hi);

  for (const s of spec.evaluate) {
    const rows = select(taskRows, s.on);
    const base = { name: s.name, selection: describeSelection(s.on) };
    if (rows.length === 0) {
      out.splits.push({ ...base, errors: null, meanPrediction: null, reason: "no observations in this split" });
    } else if (needsAlpha(rows)) {
      out.splits.push({ ...base, errors: null, meanPrediction: null, reason: "not predictable: these points are at another compute level, and a fit on one compute level cannot determine α" });
    } else {
      const predicted = kernel.predict(fit.variant, fit.params, rows);
      out.splits.push({ ...base, errors: errorSummary(rows.map((r) => r.score), predicted), meanPrediction: predicted.reduce((a, b) => a + b, 0) / predicted.length });
    }
  }

  const grid = linspace(PAPER.curveGrid.from, PAPER.curveGrid.to, PAPER.curveGrid.points);
  const known = modelTable(taskRows);
  for (const model of plan.curveModels) {
    const m = known.get(model);
    if (!m) continue;
    if (needsAlpha(taskRows.filter((r) => r.model === model))) continue;
    const predicted = kernel.predict(fit.variant, fit.params, grid.map((n) => ({ compute_flops: m.compute_flops, n_ctx: m.n_ctx, n_pmt: n })));
    out.curves.push({ model, ...m, n_pmt: grid, predicted, plateau: Math.max(...predicted) });
  }
  return out;
}

function quantity(q: Quantity, fits: FitRunResult[]): { value: number | null; note?: string } {
  const f = fits.find((x) => x.label === q.fit);
  if (!f) return { value: null, note: `no fit labelled ${q.fit}` };
  if (q.kind === "plateau") {
    const c = f.curves.find((x) => x.model === q.model);
    return c ? { value: c.plateau } : { value: null, note: `${q.model} not in the data or not predictable` };
  }
  const s = f.splits.find((x) => x.name === q.split);
  if (!s || !s.errors) return { value: null, note: s?.reason ?? `no split ${q.split}` };
  return { value: q.kind === "level" ? s.meanPrediction : s.errors.mae };
}

/** Runs one plan on the observations of its task. */
export function runExperiment(kernel: Kernel, plan: ExperimentPlan, observations: readonly Observation[]): ExperimentResult {
  const taskRows = observations.filter((o) => o.task === plan.task);
  if (taskRows.length === 0) throw new Error(`no observations for task "${plan.task}"`);
  const fits = plan.fits.map((spec) => runFit(kernel, spec, taskRows, plan));
  const comparisons = plan.comparisons.map((c) => {
    const { value, note } = quantity(c.ours, fits);
    return { label: c.label, ours: value, paper: c.paper, difference: value !== null && c.paper !== null ? value - c.paper : null, ...(note ? { note } : {}) };
  });
  return { plan, fits, comparisons };
}
