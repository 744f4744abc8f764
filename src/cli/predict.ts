// `npm run predict -- --task arithmetic --compute 1.5e23 --n-ctx 8192 --n-pmt 4000 [...]`
// Fits the law to a task (all bundled points, or --data) and predicts the score at the given
// compute, context limit and prompt length, with a bootstrap interval.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { parseObservationsCsv, DataError } from "../lib/observations.js";
import { loadKernel } from "../lib/node/load-kernel.js";
import { FitError } from "../lib/kernel.js";
import { VARIANTS, isVariant } from "../lib/variants.js";
import { predictionBand } from "../lib/intervals.js";
import { computeLevels } from "../lib/identifiability.js";

const USAGE = `usage: npm run predict -- --task NAME --compute FLOPS --n-ctx TOKENS --n-pmt TOKENS [options]
  --variant NAME     one of: ${VARIANTS.join(", ")} (default: full)
  --resamples N      bootstrap resamples for the interval (default 1000)
  --seed N           (default 1)
  --data FILE        observations CSV (default data/observations.csv)
  --json             machine-readable output`;

class UsageError extends Error {}

function positive(name: string, text: string | undefined): number {
  const x = Number(text);
  if (text === undefined || !Number.isFinite(x) || x <= 0) throw new UsageError(`--${name} must be a positive number, got ${text === undefined ? "nothing" : `"${text}"`}`);
  return x;
}

async function main() {
  let a;
  try {
    a = parseArgs({
      options: {
        task: { type: "string" }, compute: { type: "string" }, "n-ctx": { type: "string" }, "n-pmt": { type: "string" },
        variant: { type: "string", default: "full" }, resamples: { type: "string", default: "1000" }, seed: { type: "string", default: "1" },
        data: { type: "string", default: "data/observations.csv" }, json: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const compute = positive("compute", a.compute);
  const nCtx = positive("n-ctx", a["n-ctx"]);
  const nPmt = positive("n-pmt", a["n-pmt"]);
  const resamples = Number(a.resamples);
  const seed = Number(a.seed);
  if (!Number.isInteger(resamples) || resamples < 2) throw new UsageError(`--resamples must be an integer ≥ 2, got "${a.resamples}"`);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${a.seed}"`);
  if (!isVariant(a.variant!)) throw new UsageError(`unknown variant "${a.variant}"; valid: ${VARIANTS.join(", ")}`);
  let text: string;
  try {
    text = readFileSync(a.data!, "utf8");
  } catch {
    throw new UsageError(`cannot read ${a.data}: give an existing CSV file (format: data/README.md)`);
  }
  const obs = parseObservationsCsv(text, a.data!);
  const tasks = [...new Set(obs.map((o) => o.task))];
  if (!a.task || !tasks.includes(a.task)) throw new UsageError(`--task must be one of the data's tasks: ${tasks.join(", ")}; got ${a.task ?? "nothing"}`);
  const rows = obs.filter((o) => o.task === a.task);
  const kernel = await loadKernel();
  const fit = kernel.fit(a.variant, rows, { seed, restarts: 4 });
  const point = { compute_flops: compute, n_ctx: nCtx, n_pmt: nPmt };
  const [predicted] = kernel.predict(fit.variant, fit.params, [point]);
  const samples = kernel.bootstrap(fit, rows, { resamples, seed });
  const band = predictionBand(kernel, samples, [point]);
  const levels = computeLevels(rows);
  const outside = compute < Math.min(...levels) * 0.98 || compute > Math.max(...levels) * 1.02;
  const note = outside
    ? `C lies outside the fitted compute range (${Math.min(...levels).toExponential(3)}–${Math.max(...levels).toExponential(3)} FLOPs): this is an extrapolation the data cannot check.`
    : null;
  if (a.json) {
    console.log(JSON.stringify({ task: a.task, variant: fit.variant, ...point, predicted, interval95: [band.lo[0], band.hi[0]], resamples: samples.params.length, seed, params: fit.params, note }, null, 1));
  } else {
    console.log(
      `${a.task}, law ${fit.variant}: at C = ${compute.toExponential(3)} FLOPs, n_ctx = ${nCtx}, n_pmt = ${nPmt} the predicted score is ${predicted.toFixed(4)} ` +
        `(95 % interval ${band.lo[0].toFixed(4)}–${band.hi[0].toFixed(4)}, ${samples.params.length} bootstrap resamples, seed ${seed})`,
    );
    if (note) console.log(`note: ${note}`);
  }
}

main().then(
  () => {},
  (err) => {
    const usage = err instanceof UsageError;
    console.error(`error: ${err.message}${usage ? `\n\n${USAGE}` : ""}`);
    process.exitCode = usage || err instanceof DataError || err instanceof FitError ? 2 : 1;
  },
);
