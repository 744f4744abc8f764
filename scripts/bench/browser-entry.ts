// Browser side of the Node-vs-Chromium comparisons: loads the same kernel.wasm and exposes the
// workload to the driving script (page.evaluate).
import { Kernel, type FitPoint } from "../../src/lib/kernel.js";
import { bootstrapWorkload } from "./workload.js";

declare global {
  interface Window {
    runWorkload(points: FitPoint[], resamples: number, seed: number, warmup: number): Promise<ReturnType<typeof bootstrapWorkload>>;
  }
}

window.runWorkload = async (points, resamples, seed, warmup) => {
  const kernel = await Kernel.load(await (await fetch("kernel.wasm")).arrayBuffer());
  if (warmup > 0) bootstrapWorkload(kernel, points, warmup, seed);
  return bootstrapWorkload(kernel, points, resamples, seed);
};
