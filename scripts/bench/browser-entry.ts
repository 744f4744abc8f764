// Browser side of the Node-vs-Chromium comparisons: loads the same kernel.wasm and exposes the
// workload to the driving script (page.evaluate).
import { Kernel, type FitPoint } from "../../src/lib/kernel.js";
import { bootstrapWorkload, pairedWorkload } from "./workload.js";

declare global {
  interface Window {
    runWorkload(points: FitPoint[], resamples: number, seed: number, warmup: number): Promise<ReturnType<typeof bootstrapWorkload>>;
    runPaired(points: (FitPoint & { model: string })[], resamples: number, seed: number): Promise<ReturnType<typeof pairedWorkload>>;
  }
}

window.runWorkload = async (points, resamples, seed, warmup) => {
  const kernel = await Kernel.load(await (await fetch("kernel.wasm")).arrayBuffer());
  if (warmup > 0) bootstrapWorkload(kernel, points, warmup, seed);
  return bootstrapWorkload(kernel, points, resamples, seed);
};

window.runPaired = async (points, resamples, seed) => {
  const kernel = await Kernel.load(await (await fetch("kernel.wasm")).arrayBuffer());
  pairedWorkload(kernel, points, 50, seed); // warm-up, as for the bootstrap
  return pairedWorkload(kernel, points, resamples, seed);
};
