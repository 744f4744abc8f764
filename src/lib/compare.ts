// Paired comparison of two laws on the same points: the difference of their errors on an
// evaluated set, with a paired bootstrap interval and a verdict (A better, B better, or cannot
// tell). Both laws are fitted to the same points and bootstrapped with the same seed and
// scheme, so resample b refits both on the same points (the kernel draws resamples from a
// generator of their own, assembly/rng.ts); the evaluated points are resampled too, with one
// draw per resample shared by both laws. The rule is written out in docs/method.md
// ("Comparing two laws").
import type { Kernel, BootstrapSamples, FitPoint, FitResult } from "./kernel.js";
import { percentileInterval, type Interval } from "./intervals.js";

/** Which of the two laws the data favour; "cannot tell" when the interval holds 0. */
export type Verdict = "a" | "b" | "cannot tell";

export interface PairedDifference {
  /** MAE of A minus MAE of B on the evaluated points, at the two full fits */
  difference: number;
  /** percentile interval of the difference over the paired resamples (null: none to pair) */
  interval: Interval | null;
  level: number;
  /** resamples kept by both laws */
  pairs: number;
  verdict: Verdict;
  /** why the verdict is "cannot tell" without looking at the interval */
  reason?: string;
}

/** One side of a comparison: a law's fit, its bootstrap samples and whether its error there is undetermined. */
export interface ComparedFit {
  /** how the verdict's reasons name it (default "A" and "B") */
  name?: string;
  fit: FitResult;
  samples: BootstrapSamples;
  /** its prediction at the evaluated points is not determined by its fitted points (determined.ts) */
  undetermined?: boolean;
  /** chance level of every point, in place of the points' own (a fit spec's floor) */
  floor?: number;
}

export const COMPARE_LEVEL = 0.95;
/** Fewer paired resamples than this give no verdict: the 2.5 % tails would rest on a handful of values. */
export const MIN_PAIRS = 40;

/**
 * A reproducible stream of 32-bit integers (splitmix32) for the evaluated points' resamples.
 * Integer arithmetic only (Math.imul, >>>): the same draws in every JavaScript engine.
 */
function drawStream(seed: number, resample: number): () => number {
  let state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(resample + 1, 0x85ebca77) ^ 0x27d4eb2f) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform integer in [0, k) from 53 random bits, as the kernel draws them. */
function below(next: () => number, k: number): number {
  const u = ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  return Math.floor(u * k);
}

/**
 * How often each evaluated point is counted in resample b: points drawn with replacement, or
 * (scheme "models") whole models drawn with replacement and each point counted as often as its
 * model. The same for both laws, since it depends only on (seed, b, the points).
 */
export function evaluationCounts(seed: number, resample: number, units: readonly string[], scheme: "observations" | "models"): number[] {
  const next = drawStream(seed, resample);
  const counts = units.map(() => 0);
  if (scheme === "observations") {
    for (let k = 0; k < units.length; k++) counts[below(next, units.length)]++;
    return counts;
  }
  const ids = [...new Set(units)];
  const drawn = new Map<string, number>();
  for (let k = 0; k < ids.length; k++) {
    const id = ids[below(next, ids.length)];
    drawn.set(id, (drawn.get(id) ?? 0) + 1);
  }
  return units.map((u) => drawn.get(u) ?? 0);
}

function weightedMae(predicted: ArrayLike<number>, observed: readonly number[], counts: readonly number[]): number {
  let abs = 0;
  let total = 0;
  for (let i = 0; i < observed.length; i++) {
    abs += counts[i] * Math.abs(predicted[i] - observed[i]);
    total += counts[i];
  }
  return abs / total;
}

/** The verdict an interval of A − B gives: A better when it lies below 0, B when above. */
export function verdictOf(interval: Interval): Verdict {
  if (interval[1] < 0) return "a";
  if (interval[0] > 0) return "b";
  return "cannot tell";
}

/**
 * MAE(A) − MAE(B) on `rows` (each row's model names its resampling unit under scheme
 * "models"), with its paired bootstrap interval and verdict. Both sides' samples must come from
 * bootstraps of the same fitted points with the same seed and scheme; this is checked.
 */
export function pairedMaeDifference(
  kernel: Kernel, a: ComparedFit, b: ComparedFit, rows: readonly (FitPoint & { model: string })[], level = COMPARE_LEVEL,
): PairedDifference {
  if (a.samples.seed !== b.samples.seed || a.samples.scheme !== b.samples.scheme)
    throw new Error(`a paired comparison needs both bootstraps drawn with one seed and scheme, got seed ${a.samples.seed}/${b.samples.seed}, scheme ${a.samples.scheme}/${b.samples.scheme}`);
  const observed = rows.map((r) => r.score);
  const rowsOf = (side: ComparedFit) => (side.floor === undefined ? rows : rows.map((r) => ({ ...r, chance_floor: side.floor })));
  const full = (side: ComparedFit) => {
    const predicted = kernel.predict(side.fit.variant, side.fit.params, rowsOf(side));
    return weightedMae(predicted, observed, rows.map(() => 1));
  };
  const difference = full(a) - full(b);
  // Pair by resample index: a resample one law dropped (one compute level) has no partner.
  const indexOfB = new Map(b.samples.resample.map((r, k) => [r, k]));
  const pairs: { resample: number; ka: number; kb: number }[] = [];
  a.samples.resample.forEach((r, ka) => {
    const kb = indexOfB.get(r);
    if (kb !== undefined) pairs.push({ resample: r, ka, kb });
  });
  const out = (interval: Interval | null, verdict: Verdict, reason?: string): PairedDifference =>
    ({ difference, interval, level, pairs: pairs.length, verdict, ...(reason ? { reason } : {}) });
  if (rows.length === 0) return out(null, "cannot tell", "no points to compare on");
  const units = rows.map((r) => r.model);
  const counts = pairs.map((p) => evaluationCounts(a.samples.seed, p.resample, units, a.samples.scheme));
  const maeOf = (side: ComparedFit, pick: (p: (typeof pairs)[number]) => number): number[] => {
    const values = new Array<number>(pairs.length);
    kernel.predictEach(side.samples.variant, pairs.map((p) => side.samples.params[pick(p)]), rowsOf(side),
      (k, predicted) => (values[k] = weightedMae(predicted, observed, counts[k])));
    return values;
  };
  let interval: Interval | null = null;
  if (pairs.length) {
    const maeA = maeOf(a, (p) => p.ka);
    const maeB = maeOf(b, (p) => p.kb);
    interval = percentileInterval(maeA.map((x, k) => x - maeB[k]), level);
  }
  if (a.undetermined || b.undetermined) {
    const which = [a.undetermined ? a.name ?? "A" : "", b.undetermined ? b.name ?? "B" : ""].filter(Boolean).join(" and ");
    return out(interval, "cannot tell", `the prediction of ${which} at these points is not determined by the points fitted`);
  }
  if (difference === 0 && interval && interval[0] === 0 && interval[1] === 0)
    return out(interval, "cannot tell", "the two fits predict the same at these points, in every resample");
  if (!interval || pairs.length < MIN_PAIRS) return out(interval, "cannot tell", `only ${pairs.length} paired resamples (at least ${MIN_PAIRS} needed)`);
  return out(interval, verdictOf(interval));
}

/**
 * The difference of two errors measured on the same units (e.g. each family's largest model,
 * predicted by two fits made on different points): mean(a) − mean(b) with a percentile interval
 * from resampling the units (`resamples` draws of evaluationCounts), and its verdict. Only the
 * sampling of the units is carried, not the uncertainty of the fits: use it where the two fits do
 * not share their fitted points, so that a paired refit is not possible.
 */
export function pairedUnitsDifference(seed: number, a: readonly number[], b: readonly number[], resamples = 1000, level = COMPARE_LEVEL): PairedDifference {
  if (a.length !== b.length) throw new Error(`paired errors need as many of each, got ${a.length} and ${b.length}`);
  const n = a.length;
  const mean = (xs: readonly number[], w: readonly number[]) => { let s = 0; let t = 0; for (let i = 0; i < n; i++) { s += w[i] * xs[i]; t += w[i]; } return s / t; };
  const ones = a.map(() => 1);
  const difference = n ? mean(a, ones) - mean(b, ones) : NaN;
  const out = (interval: Interval | null, verdict: Verdict, reason?: string): PairedDifference =>
    ({ difference, interval, level, pairs: interval ? resamples : 0, verdict, ...(reason ? { reason } : {}) });
  if (n < 2) return out(null, "cannot tell", `only ${n} unit${n === 1 ? "" : "s"} to compare on`);
  const ids = a.map((_, i) => String(i));
  const diffs: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const w = evaluationCounts(seed, r, ids, "observations");
    diffs.push(mean(a, w) - mean(b, w));
  }
  const interval = percentileInterval(diffs, level);
  if (resamples < MIN_PAIRS) return out(interval, "cannot tell", `only ${resamples} resamples (at least ${MIN_PAIRS} needed)`);
  if (interval[0] === 0 && interval[1] === 0) return out(interval, "cannot tell", "the two predict the same on every unit");
  return out(interval, verdictOf(interval));
}
