// One bootstrap workload, run identically in Node and in Chromium (bundled by esbuild): fit
// the full law, then `resamples` bootstrap refits, timed with performance.now().
import { Kernel, type FitPoint } from "../../src/lib/kernel.js";
import { parameterIntervals } from "../../src/lib/intervals.js";

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
