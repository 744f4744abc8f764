// `npm run bench`: the kernel against SciPy (scripts/scipy_fit.py: differential_evolution +
// curve_fit, the paper's procedure) on the same observations, bounds and tolerances, in one
// run. Prints per task the time of each, the ratio, the SSE of each and the evaluations.
// A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseObservationsCsv } from "../src/lib/observations.ts";
import { loadKernel, KERNEL_PATH } from "../src/lib/node/load-kernel.ts";
import { table, num } from "../src/lib/format.ts";
import { TASKS } from "../src/lib/types.ts";

const REPEAT_SCIPY = Number(process.env.BENCH_SCIPY_REPEAT ?? 5);
const REPEAT_KERNEL = Number(process.env.BENCH_KERNEL_REPEAT ?? 50);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const observations = parseObservationsCsv(readFileSync("data/observations.csv", "utf8"), "data/observations.csv");

console.error(`SciPy: ${REPEAT_SCIPY} fits per task (seeds 1..${REPEAT_SCIPY}) …`);
const scipy = JSON.parse(
  execFileSync("python3", ["scripts/scipy_fit.py", "bench", "--repeat", String(REPEAT_SCIPY), "--variants", "full"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }),
);

const t0 = performance.now();
const kernel = await loadKernel();
const loadMs = performance.now() - t0;

const rows: (string | number)[][] = [];
for (const task of TASKS) {
  const points = observations.filter((o) => o.task === task);
  kernel.fit("full", points, { seed: 1 }); // warm-up: let the engine tier up the wasm
  const times: number[] = [];
  let first = kernel.fit("full", points, { seed: 1 });
  for (let k = 0; k < REPEAT_KERNEL; k++) {
    const start = performance.now();
    const fit = kernel.fit("full", points, { seed: 1 + (k % REPEAT_SCIPY) });
    times.push(performance.now() - start);
    if (k === 0) first = fit;
  }
  const s = scipy.results[task].full;
  const kernelS = median(times) / 1000;
  rows.push([
    task,
    `${(s.median_s * 1000).toFixed(1)} ms`,
    `${(kernelS * 1000).toFixed(2)} ms`,
    `${(s.median_s / kernelS).toFixed(0)}×`,
    num(s.sse, 9),
    num(first.sse, 9),
    first.sse <= s.sse * (1 + 1e-9) ? "yes" : "NO",
    s.nfev,
    first.evaluations,
  ]);
}

console.log(`Whole fit of the full law (global search + local refinement), median over seeds; one global search each.`);
console.log(`SciPy ${scipy.generator.scipy} / NumPy ${scipy.generator.numpy} / Python ${scipy.generator.python}: differential_evolution(best1bin, popsize 15, tol 0.01, polish off) + curve_fit(trf, analytic Jacobian), ${REPEAT_SCIPY} runs per task.`);
console.log(`Kernel: ${KERNEL_PATH.split("/").slice(-1)[0]} in Node ${process.version}, ${REPEAT_KERNEL} runs per task after one warm-up; instantiation ${loadMs.toFixed(1)} ms (once, not included).`);
console.log("");
console.log(table(["task", "SciPy", "kernel", "SciPy / kernel", "SSE SciPy", "SSE kernel", "kernel ≤ SciPy", "evals SciPy", "evals kernel"], rows));
