// Runs an experiment plan (experiments.ts) with the kernel: the single place where fits,
// held-out errors, curves and comparisons with the paper are computed, for the command line,
// the build and the pages alike.
import type { Observation } from "./types.js";
import { Kernel, FitError, type FitResult, type BootstrapSamples } from "./kernel.js";
import { fixedComputeForm, isFixedCompute, resolveLaw } from "./named-laws.js";
import { percentileInterval, parameterIntervals, type Interval } from "./intervals.js";
import { identifiability, type IdentifiabilityReport } from "./identifiability.js";
import { select, describeSelection } from "./select.js";
import { errorSummary, linspace, type ErrorSummary } from "./metrics.js";
import { PAPER } from "./paper.js";
import { fitWeighted } from "./weights.js";
import type { ExperimentPlan, FitSpec, Quantity, ContrastSpec } from "./experiments.js";
import { heldOutDetermination, type Determination } from "./determined.js";
import { pairedMaeDifference, type PairedDifference } from "./compare.js";

export interface SplitResult {
  name: string;
  selection: string;
  /** null when the number cannot be computed; `reason` then says why */
  errors: ErrorSummary | null;
  /** mean of the predictions on the split (the level of a flat line) */
  meanPrediction: number | null;
  reason?: string;
  /** bootstrap intervals (when the plan asks for resamples) */
  maeInterval?: Interval;
  meanPredictionInterval?: Interval;
  /** each point's observed and predicted score, when the split asks for them */
  points?: SplitPoint[];
  /** present when the fitted points leave the error here open (determined.ts): the parameters
   *  and the range of MAE their equally good values give */
  undetermined?: Determination;
}

export interface SplitPoint {
  model: string;
  compute_flops: number;
  observed: number;
  predicted: number;
}

/** A fitted curve over training compute at one prompt length (FitSpec.computeCurve). */
export interface ComputeCurveResult {
  n_pmt: number;
  n_ctx: number;
  /** 60 points evenly spaced in log C over the task's models */
  compute_flops: number[];
  predicted: number[];
  band?: { lo: number[]; hi: number[] };
}

export interface CurveResult {
  model: string;
  compute_flops: number;
  n_ctx: number;
  n_pmt: number[];
  predicted: number[];
  /** maximum of the curve on the paper's drawing grid */
  plateau: number;
  /** bootstrap band on a log-spaced grid (bandGrid), and the plateau's interval */
  band?: { n_pmt: number[]; lo: number[]; hi: number[] };
  plateauInterval?: Interval;
}

/** How the bootstrap went, for the page and the table to state. */
export interface UncertaintySummary {
  scheme: "observations" | "models";
  level: number;
  requested: number;
  completed: number;
  kept: number;
  dropped: number;
  cancelled: boolean;
  globalImprovements: number;
  params: Record<string, Interval>;
}

export interface FitRunResult {
  label: string;
  variant: string;
  fitOn: string;
  nFit: number;
  /** the fit that produced the numbers (the requested law, or its fallback) */
  fit: FitResult | null;
  /** when the requested law was refused: why, and which fallback was fitted instead */
  refused?: {
    code: string; message: string; fallback: string | null;
    /** the fixed-compute form tried on one compute level, refused too, and why (nothing was fitted) */
    fallbackRefused?: { law: string; code: string; message: string };
  };
  splits: SplitResult[];
  curves: CurveResult[];
  computeCurve?: ComputeCurveResult;
  identifiability?: IdentifiabilityReport;
  uncertainty?: UncertaintySummary;
  /** only for a weighted fit: how it was weighted and how many reweighting rounds it took */
  weighting?: { weights: string; reweights: number; converged: boolean };
}

export interface Comparison {
  label: string;
  ours: number | null;
  paper: number | null;
  difference: number | null;
  note?: string;
  oursInterval?: Interval | null;
}

export interface RunOptions {
  /** progress of each fit: its global search and local refinement (by generation and step;
   *  `total` absent), and its bootstrap (by resample); return true to cancel a bootstrap
   *  (intervals then use the resamples done); the searches are not cancelled */
  onProgress?: (event: { fit: string; stage: "global search" | "local refinement" | "bootstrap"; done: number; total?: number }) => boolean | void;
}

const LEVEL = 0.95;

/**
 * Where bands are computed: 200 points evenly spaced in log n_pmt over the figures' axis
 * (40 to 2×10^5 tokens), plus one point 8 tokens either side of n_ctx so the band drops
 * where the curve does. The figures use a log axis, so the paper's linear grid would leave
 * the short prompts without a band.
 */
export function bandGrid(kernel: Kernel, nCtx: number): number[] {
  // log10 and 10^x from the kernel, not Math: the grid must have the same bits in every engine.
  const from = kernel.log10(40);
  const to = kernel.log10(2e5);
  const grid = Array.from({ length: 200 }, (_, i) => kernel.exp10(from + ((to - from) * i) / 199));
  for (const n of [nCtx - 8, nCtx + 8]) if (n > 40 && n < 2e5) grid.push(n);
  return grid.sort((a, b) => a - b);
}

/** A paired comparison (ContrastSpec) with its result; `difference` null when it could not be made. */
export type ContrastResult = ContrastSpec & { fitOn: string } & (PairedDifference | { difference: null; interval: null; verdict: "cannot tell"; reason: string });

export interface ExperimentResult {
  plan: ExperimentPlan;
  fits: FitRunResult[];
  comparisons: Comparison[];
  /** present when the plan has contrasts */
  contrasts?: ContrastResult[];
}

/** What a contrast needs of a fit besides its result: its bootstrap, its points and its weights. */
interface FitMaterial {
  samples: BootstrapSamples | null;
  fitRows: readonly Observation[];
  weights: readonly number[] | null;
}

/**
 * Whether any of `rows` lies at another compute level than `fitted` (more than the kernel's
 * 2.3 % from their range). Ratios, not logarithms: exactly rounded products compare the same
 * in every engine.
 */
export function outsideComputeRange(kernel: Kernel, fitted: readonly Pick<Observation, "compute_flops">[], rows: readonly Pick<Observation, "compute_flops">[]): boolean {
  const factor = kernel.exp10(kernel.minComputeSpread);
  const cs = fitted.map((r) => r.compute_flops);
  const lo = Math.min(...cs) / factor;
  const hi = Math.max(...cs) * factor;
  return rows.some((r) => r.compute_flops < lo || r.compute_flops > hi);
}

/** Whether rows lie at one compute level (none more than the kernel's spread above the lowest), where α cannot be fitted. */
export function oneComputeLevel(kernel: Kernel, rows: readonly Pick<Observation, "compute_flops">[]): boolean {
  if (rows.length === 0) return false;
  const lowest = rows.reduce((a, b) => (b.compute_flops < a.compute_flops ? b : a));
  return !outsideComputeRange(kernel, [lowest], rows);
}

/** Compute, context limit and name of each model present in the rows. */
function modelTable(rows: readonly Observation[]): Map<string, { compute_flops: number; n_ctx: number }> {
  const m = new Map<string, { compute_flops: number; n_ctx: number }>();
  for (const r of rows) if (!m.has(r.model)) m.set(r.model, { compute_flops: r.compute_flops, n_ctx: r.n_ctx });
  return m;
}

function runFit(kernel: Kernel, spec: FitSpec, observedRows: readonly Observation[], plan: ExperimentPlan, options: RunOptions, material: Map<string, FitMaterial>): FitRunResult {
  // A chance floor k in the spec goes with every point (fit, predictions, bootstrap): P = k + (1 − k)·law.
  const taskRows = spec.floor ? observedRows.map((o) => ({ ...o, chance_floor: spec.floor })) : observedRows;
  const fitRows = select(taskRows, spec.fitOn);
  const out: FitRunResult = { label: spec.label, variant: spec.variant, fitOn: describeSelection(spec.fitOn), nFit: fitRows.length, fit: null, splits: [], curves: [] };
  let fit: FitResult;
  const weighting = plan.settings.weights ?? "none";
  let weights: number[] | null = null;
  const fitWith = (law: typeof spec.variant) => {
    const onProgress = options.onProgress && ((stage: "global" | "local", iteration: number) => {
      options.onProgress!({ fit: spec.label, stage: stage === "global" ? "global search" : "local refinement", done: iteration });
    });
    const r = fitWeighted(kernel, law, fitRows, weighting, { seed: plan.settings.seed, restarts: plan.settings.restarts, onProgress });
    weights = r.weights;
    if (weighting !== "none") out.weighting = { weights: weighting, reweights: r.reweights, converged: r.converged };
    return r.fit;
  };
  const refuse = (err: unknown, fallback: string | null): FitRunResult => {
    // Weights that cannot be computed are the caller's mistake, not a property of these rows.
    if (!(err instanceof FitError) || err.code === "bad-weights") throw err;
    out.refused = { code: err.code, message: err.message, fallback };
    out.splits = spec.evaluate.map((s) => ({ name: s.name, selection: describeSelection(s.on), errors: null, meanPrediction: null, reason: err.message }));
    return out;
  };
  try {
    fit = fitWith(spec.variant);
  } catch (err) {
    if (!(err instanceof FitError)) throw err;
    // One compute level: α is not identifiable. Fit what the data do determine (the context
    // factor and a free compute factor) and refuse every prediction that would need α. The
    // rows decide, not which refusal the kernel gives first: on few points it may say "too
    // few points" for the law with α where its fixed-compute form, with fewer parameters, fits.
    const form = err.code === "one-compute-level" || oneComputeLevel(kernel, fitRows) ? fixedComputeForm(spec.variant) : null;
    const fallback = form !== null && form !== resolveLaw(spec.variant).name ? form : null;
    if (!fallback) return refuse(err, null);
    try {
      fit = fitWith(fallback);
    } catch (second) {
      // The fixed-compute form refused too (e.g. still too few points): both reasons are kept.
      refuse(second, null);
      if (second instanceof FitError) out.refused = { code: err.code, message: err.message, fallback: null, fallbackRefused: { law: fallback, code: second.code, message: second.message } };
      return out;
    }
    out.refused = { code: err.code, message: err.message, fallback };
  }
  out.fit = fit;
  out.identifiability = identifiability(fit, fitRows);
  // A fixed-compute fit says nothing about other compute levels: it cannot predict them.
  const needsAlpha = (rows: readonly Observation[]) => isFixedCompute(fit.variant) && outsideComputeRange(kernel, fitRows, rows);

  for (const s of spec.evaluate) {
    const rows = select(taskRows, s.on);
    const base = { name: s.name, selection: describeSelection(s.on) };
    if (rows.length === 0) {
      out.splits.push({ ...base, errors: null, meanPrediction: null, reason: "no observations in this split" });
    } else if (needsAlpha(rows)) {
      out.splits.push({ ...base, errors: null, meanPrediction: null, reason: "not predictable: these points are at another compute level, and a fit on one compute level cannot determine α" });
    } else {
      const predicted = kernel.predict(fit.variant, fit.params, rows);
      const open = heldOutDetermination(kernel, fit, fitRows, rows, { weights });
      out.splits.push({
        ...base, errors: errorSummary(rows.map((r) => r.score), predicted), meanPrediction: predicted.reduce((a, b) => a + b, 0) / predicted.length,
        ...(s.points ? { points: rows.map((r, i) => ({ model: r.model, compute_flops: r.compute_flops, observed: r.score, predicted: predicted[i] })) } : {}),
        ...(open ? { undetermined: open } : {}),
      });
    }
  }
  if (spec.computeCurve) out.computeCurve = computeCurve(kernel, fit, taskRows, spec.floor);

  const grid = linspace(PAPER.curveGrid.from, PAPER.curveGrid.to, PAPER.curveGrid.points);
  const known = modelTable(taskRows);
  for (const model of plan.curveModels) {
    const m = known.get(model);
    if (!m) continue;
    if (needsAlpha(taskRows.filter((r) => r.model === model))) continue;
    const predicted = kernel.predict(fit.variant, fit.params, grid.map((n) => ({ compute_flops: m.compute_flops, n_ctx: m.n_ctx, n_pmt: n })));
    out.curves.push({ model, ...m, n_pmt: grid, predicted, plateau: Math.max(...predicted) });
  }

  if (plan.settings.resamples > 0 && spec.bootstrap !== false) {
    const samples = kernel.bootstrap(fit, fitRows, {
      resamples: plan.settings.resamples,
      scheme: plan.settings.scheme,
      seed: plan.settings.seed,
      // each resample count multiplies the full fit's weights (none: every point counts once)
      weights: weights ?? undefined,
      onProgress: options.onProgress && ((done, total) => options.onProgress!({ fit: spec.label, stage: "bootstrap", done, total })),
    }, fitRows.map((r) => r.model));
    addIntervals(kernel, out, samples, taskRows, spec);
    material.set(spec.label, { samples, fitRows, weights });
  } else material.set(spec.label, { samples: null, fitRows, weights });
  return out;
}

/**
 * The fitted curve over compute: 60 points evenly spaced in log C over the task's models, at the
 * task's prompt length and context limit (one of each: a fixed-prompt benchmark). The grid comes
 * from the kernel's log10 and 10^x so that it has the same bits in every engine.
 */
function computeCurve(kernel: Kernel, fit: FitResult, taskRows: readonly Observation[], floor: number | undefined): ComputeCurveResult {
  const logs = taskRows.map((r) => kernel.log10(r.compute_flops));
  const [a, b] = [Math.min(...logs), Math.max(...logs)];
  const { n_pmt, n_ctx } = taskRows[0];
  const compute_flops = Array.from({ length: 60 }, (_, i) => kernel.exp10(a + ((b - a) * i) / 59));
  return { n_pmt, n_ctx, compute_flops, predicted: kernel.predict(fit.variant, fit.params, compute_flops.map((c) => ({ compute_flops: c, n_pmt, n_ctx })), { floor }) };
}

/** Percentile intervals of every number of a fit run, from its bootstrap resamples. */
function addIntervals(kernel: Kernel, out: FitRunResult, samples: BootstrapSamples, taskRows: readonly Observation[], spec: FitSpec): void {
  out.uncertainty = {
    scheme: samples.scheme, level: LEVEL, requested: samples.requested, completed: samples.completed, kept: samples.params.length,
    dropped: samples.dropped, cancelled: samples.cancelled, globalImprovements: samples.globalImprovements,
    params: samples.params.length ? parameterIntervals(samples, LEVEL) : {},
  };
  if (samples.params.length === 0) return;
  const splitSets = spec.evaluate.map((s, k) => ({ result: out.splits[k], rows: select(taskRows, s.on) })).filter((x) => x.result.errors);
  const maes = splitSets.map(() => [] as number[]);
  const means = splitSets.map(() => [] as number[]);
  splitSets.forEach((x, k) => {
    const observed = x.rows.map((r) => r.score);
    kernel.predictEach(samples.variant, samples.params, x.rows, (_, pred) => {
      let abs = 0;
      let sum = 0;
      for (let i = 0; i < pred.length; i++) {
        abs += Math.abs(pred[i] - observed[i]);
        sum += pred[i];
      }
      maes[k].push(abs / pred.length);
      means[k].push(sum / pred.length);
    });
  });
  const plateaus = out.curves.map(() => [] as number[]);
  out.curves.forEach((c, k) => {
    const points = c.n_pmt.map((n) => ({ compute_flops: c.compute_flops, n_ctx: c.n_ctx, n_pmt: n }));
    kernel.predictEach(samples.variant, samples.params, points, (_, pred) => {
      let max = -Infinity;
      for (let i = 0; i < pred.length; i++) if (pred[i] > max) max = pred[i];
      plateaus[k].push(max);
    });
  });
  const bands = out.curves.map((c) => {
    const grid = bandGrid(kernel, c.n_ctx);
    const values = grid.map(() => [] as number[]);
    const points = grid.map((n) => ({ compute_flops: c.compute_flops, n_ctx: c.n_ctx, n_pmt: n }));
    kernel.predictEach(samples.variant, samples.params, points, (_, pred) => pred.forEach((v, i) => values[i].push(v)));
    return { grid, values };
  });
  if (out.computeCurve) {
    const c = out.computeCurve;
    const values = c.compute_flops.map(() => [] as number[]);
    const points = c.compute_flops.map((compute_flops) => ({ compute_flops, n_pmt: c.n_pmt, n_ctx: c.n_ctx }));
    kernel.predictEach(samples.variant, samples.params, points, (_, pred) => pred.forEach((v, i) => values[i].push(v)), { floor: spec.floor });
    const iv = values.map((v) => percentileInterval(v, LEVEL));
    c.band = { lo: iv.map((x) => x[0]), hi: iv.map((x) => x[1]) };
  }
  splitSets.forEach((x, k) => {
    x.result.maeInterval = percentileInterval(maes[k], LEVEL);
    x.result.meanPredictionInterval = percentileInterval(means[k], LEVEL);
  });
  out.curves.forEach((c, k) => {
    const iv = bands[k].values.map((v) => percentileInterval(v, LEVEL));
    c.band = { n_pmt: bands[k].grid, lo: iv.map((x) => x[0]), hi: iv.map((x) => x[1]) };
    c.plateauInterval = percentileInterval(plateaus[k], LEVEL);
  });
}

function quantity(q: Quantity, fits: FitRunResult[]): { value: number | null; interval?: Interval; note?: string } {
  const f = fits.find((x) => x.label === q.fit);
  if (!f) return { value: null, note: `no fit labelled ${q.fit}` };
  if (q.kind === "plateau") {
    const c = f.curves.find((x) => x.model === q.model);
    return c ? { value: c.plateau, interval: c.plateauInterval } : { value: null, note: `${q.model} not in the data or not predictable` };
  }
  const s = f.splits.find((x) => x.name === q.split);
  if (!s || !s.errors) return { value: null, note: s?.reason ?? `no split ${q.split}` };
  return q.kind === "level" ? { value: s.meanPrediction, interval: s.meanPredictionInterval } : { value: s.errors.mae, interval: s.maeInterval };
}

/** Runs one plan on the observations of its task. */
export function runExperiment(kernel: Kernel, plan: ExperimentPlan, observations: readonly Observation[], options: RunOptions = {}): ExperimentResult {
  const taskRows = observations.filter((o) => o.task === plan.task);
  if (taskRows.length === 0) throw new Error(`no observations for task "${plan.task}"`);
  const material = new Map<string, FitMaterial>();
  const fits = plan.fits.map((spec) => runFit(kernel, spec, taskRows, plan, options, material));
  const comparisons = plan.comparisons.map((c) => {
    const { value, interval, note } = quantity(c.ours, fits);
    return {
      label: c.label, ours: value, paper: c.paper, difference: value !== null && c.paper !== null ? value - c.paper : null,
      ...(plan.settings.resamples > 0 ? { oursInterval: interval ?? null } : {}),
      ...(note ? { note } : {}),
    };
  });
  return { plan, fits, comparisons, ...(plan.contrasts ? { contrasts: plan.contrasts.map((c) => contrast(kernel, c, fits, material, taskRows, plan)) } : {}) };
}

/** One paired comparison (compare.ts) of two fits of the run on one split. */
function contrast(kernel: Kernel, c: ContrastSpec, fits: FitRunResult[], material: Map<string, FitMaterial>, taskRows: readonly Observation[], plan: ExperimentPlan): ContrastResult {
  const [a, b] = [fits.find((f) => f.label === c.a), fits.find((f) => f.label === c.b)];
  const fitOn = a?.fitOn ?? "";
  const none = (reason: string): ContrastResult => ({ ...c, fitOn, difference: null, interval: null, verdict: "cannot tell", reason });
  if (!a || !b) return none(`no fit labelled ${!a ? c.a : c.b}`);
  if (!a.fit || !b.fit) return none(`${!a.fit ? c.a : c.b}: ${(!a.fit ? a : b).refused?.message ?? "not fitted"}`);
  const [ma, mb] = [material.get(c.a)!, material.get(c.b)!];
  if (a.fitOn !== b.fitOn || ma.fitRows.length !== mb.fitRows.length) return none(`${c.a} and ${c.b} are fitted on different points (${a.fitOn}; ${b.fitOn}): no paired comparison`);
  const [sa, sb] = [a.splits.find((s) => s.name === c.split), b.splits.find((s) => s.name === c.split)];
  if (!sa?.errors || !sb?.errors) return none(`${c.split}: ${(!sa?.errors ? sa : sb)?.reason ?? "no such split"}`);
  if (!ma.samples || !mb.samples) return none(plan.settings.resamples > 0 ? "no bootstrap for one of the fits" : "no resamples asked for (settings.resamples is 0)");
  const spec = (label: string) => plan.fits.find((f) => f.label === label)!;
  const on = (label: string) => spec(label).evaluate.find((s) => s.name === c.split)!.on;
  if (JSON.stringify(on(c.a)) !== JSON.stringify(on(c.b))) return none(`${c.a} and ${c.b} name different points "${c.split}" (${describeSelection(on(c.a))}; ${describeSelection(on(c.b))})`);
  // A spec's chance floor goes with its own fit's predictions (compare.ts sets it on the rows).
  const rows = select(taskRows, on(c.a));
  return {
    ...c, fitOn,
    ...pairedMaeDifference(kernel,
      { name: c.a, fit: a.fit, samples: ma.samples, undetermined: !!sa.undetermined, floor: spec(c.a).floor },
      { name: c.b, fit: b.fit, samples: mb.samples, undetermined: !!sb.undetermined, floor: spec(c.b).floor }, rows),
  };
}
