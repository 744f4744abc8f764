// One bootstrap workload, run identically in Node and in Chromium (bundled by esbuild): fit
// the full law, then `resamples` bootstrap refits, timed with performance.now().
import { Kernel, type FitPoint } from "../../src/lib/kernel.js";
import { parameterIntervals } from "../../src/lib/intervals.js";
import { pairedMaeDifference, type PairedDifference } from "../../src/lib/compare.js";

export interface WorkloadResult {
  fitMs: number;
  bootstrapMs: number;
  resamples: number;
  intervals: Record<string, [number, number]>;
  params: Record<string, number>;
}

export function bootstrapWorkload(kernel: Kernel, points: FitPoint[], resamples: number, seed: number): WorkloadResult {
  const t0 = performance.now();
  const fit = kernel.fit("full", points, { seed });
  const t1 = performance.now();
  const samples = kernel.bootstrap(fit, points, { resamples, seed });
  const t2 = performance.now();
  return { fitMs: t1 - t0, bootstrapMs: t2 - t1, resamples: samples.completed, intervals: parameterIntervals(samples), params: fit.params };
}

export interface PairedWorkloadResult {
  /** the two laws' bootstraps (what a comparison needs and the intervals already pay for) */
  bootstrapsMs: number;
  /** the paired comparison itself, on the bootstraps' samples */
  pairingMs: number;
  result: PairedDifference;
}

/**
 * One paired comparison as the penalty ablation makes it: the full law and no-penalty fitted to
 * every point, each bootstrapped, and MAE(full) − MAE(no-penalty) past n_ctx compared.
 */
export function pairedWorkload(kernel: Kernel, points: (FitPoint & { model: string })[], resamples: number, seed: number): PairedWorkloadResult {
  const a = kernel.fit("full", points, { seed });
  const b = kernel.fit("no-penalty", points, { seed });
  const t0 = performance.now();
  const sa = kernel.bootstrap(a, points, { resamples, seed });
  const sb = kernel.bootstrap(b, points, { resamples, seed });
  const t1 = performance.now();
  const past = points.filter((p) => p.n_pmt > p.n_ctx);
  const result = pairedMaeDifference(kernel, { fit: a, samples: sa }, { fit: b, samples: sb }, past);
  return { bootstrapsMs: t1 - t0, pairingMs: performance.now() - t1, result };
}
