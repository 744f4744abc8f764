// Percentile intervals from bootstrap samples (kernel.bootstrap), for parameters, for the
// fitted curve at any n_pmt and for any error number computed from predictions.
import type { Kernel, BootstrapSamples, FitPoint } from "./kernel.js";

export type Interval = [number, number];

/** Quantile of sorted values with linear interpolation between order statistics (R's type 7). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no values");
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Central percentile interval, e.g. level 0.95 → [2.5 %, 97.5 %]. */
export function percentileInterval(values: readonly number[], level = 0.95): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}

export function parameterIntervals(s: BootstrapSamples, level = 0.95): Record<string, Interval> {
  return Object.fromEntries(s.paramNames.map((name, j) => [name, percentileInterval(s.params.map((row) => row[j]), level)]));
}

function paramsOf(s: BootstrapSamples, b: number): Record<string, number> {
  return Object.fromEntries(s.paramNames.map((name, j) => [name, s.params[b][j]]));
}

/** Pointwise band of the predicted score at each point over the resamples. */
export function predictionBand(kernel: Kernel, s: BootstrapSamples, points: readonly Omit<FitPoint, "score">[], level = 0.95): { lo: number[]; hi: number[] } {
  const columns: number[][] = points.map(() => []);
  for (let b = 0; b < s.params.length; b++) {
    const pred = kernel.predict(s.variant, paramsOf(s, b), points);
    for (let i = 0; i < pred.length; i++) columns[i].push(pred[i]);
  }
  const bands = columns.map((c) => percentileInterval(c, level));
  return { lo: bands.map((x) => x[0]), hi: bands.map((x) => x[1]) };
}

/** Interval of any number computed from a resample's predictions at `points`. */
export function statisticInterval(
  kernel: Kernel, s: BootstrapSamples, points: readonly FitPoint[], statistic: (predicted: number[]) => number, level = 0.95,
): Interval {
  const values: number[] = [];
  for (let b = 0; b < s.params.length; b++) values.push(statistic(kernel.predict(s.variant, paramsOf(s, b), points)));
  return percentileInterval(values, level);
}
