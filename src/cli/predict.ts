// `npm run predict -- --task arithmetic --compute 1.5e23 --n-ctx 8192 --n-pmt 4000 [...]`
// Fits the law to a task (all bundled points, or --data) and predicts the score at the given
// compute, context limit and prompt length, with a bootstrap interval.
import { parseObservationsCsv, promptWarnings, DataError } from "../lib/observations.js";
import { loadKernel } from "../lib/node/load-kernel.js";
import { FitError } from "../lib/kernel.js";
import { resolveLaw, type Law } from "../lib/named-laws.js";
import { predictionBand } from "../lib/intervals.js";
import { computeLevels } from "../lib/identifiability.js";
import { UsageError, ArgumentProblems, parseCommandLine, lawArg, LAW_HELP, integerArg, settingArg, tokenCountArg, positiveNumberArg, readTable, reportUnexpected, isPathError, EXIT, EXIT_CODES_HELP } from "./args.js";

const USAGE = `usage: npm run predict -- --task NAME --compute FLOPS --n-ctx TOKENS --n-pmt TOKENS [options]
${LAW_HELP}
  --resamples N      bootstrap resamples for the interval (default 1000)
  --seed N           (default 1)
  --data FILE        observations CSV (default data/observations.csv)
  --json             machine-readable output
  --help             this text
--compute is in FLOPs, a positive decimal number (1.5e23); --n-ctx and --n-pmt are token counts,
positive integers in decimal digits.
${EXIT_CODES_HELP}`;

// Which inputs a law leaves out, from its parts, so a value given for them is said to have no
// effect rather than silently ignored: a constant (or absent) compute factor ignores C, a law
// without a penalty never compares n_pmt with n_ctx, and one with neither a context factor nor
// a penalty never looks at n_pmt.
function unusedInputs(law: Law): string[] {
  const { parts } = resolveLaw(law);
  const out: string[] = [];
  if (parts.compute === "constant" || parts.compute === "absent") out.push("--compute");
  if (parts.penalty === "none") out.push("--n-ctx");
  if (parts.penalty === "none" && parts.context === "absent") out.push("--n-pmt");
  return out;
}

async function main(): Promise<number> {
  const a = parseCommandLine({ options: {
    task: { type: "string" }, compute: { type: "string" }, "n-ctx": { type: "string" }, "n-pmt": { type: "string" },
    law: { type: "string" }, variant: { type: "string" }, resamples: { type: "string", default: "1000" }, seed: { type: "string", default: "1" },
    data: { type: "string", default: "data/observations.csv" }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false },
  } }).values;
  if (a.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  // Every bad argument at once, one line each, rather than one per run.
  const bad = new ArgumentProblems();
  const compute = bad.check(() => positiveNumberArg("compute", a.compute));
  const nCtx = bad.check(() => tokenCountArg("n-ctx", a["n-ctx"]));
  const nPmt = bad.check(() => tokenCountArg("n-pmt", a["n-pmt"]));
  const resamples = bad.check(() => integerArg("resamples", a.resamples, 2, 1_000_000));
  const seed = bad.check(() => settingArg("seed", a.seed) as number);
  const law = bad.check(() => lawArg(a.law, a.variant));
  bad.throwIfAny();
  const obs = parseObservationsCsv(readTable(a.data!, "the observations CSV").pieces, a.data!);
  for (const w of promptWarnings(obs, a.data!)) console.error(`warning: ${w}`);
  const tasks = [...new Set(obs.map((o) => o.task))];
  if (!a.task || !tasks.includes(a.task)) throw new UsageError(`--task must be one of the data's tasks: ${tasks.join(", ")}; got ${a.task ?? "nothing"}`);
  const rows = obs.filter((o) => o.task === a.task);
  const kernel = await loadKernel();
  const fit = kernel.fit(law, rows, { seed, restarts: 4 });
  const point = { compute_flops: compute, n_ctx: nCtx, n_pmt: nPmt };
  const [predicted] = kernel.predict(fit.variant, fit.params, [point]);
  const samples = kernel.bootstrap(fit, rows, { resamples, seed });
  const band = predictionBand(kernel, samples, [point]);
  const levels = computeLevels(rows);
  const unused = unusedInputs(fit.variant);
  const warning = unused.length
    ? `the law ${fit.variant} does not use ${unused.join(", ")}: ${unused.length === 1 ? "its value has" : "their values have"} no effect on the prediction`
    : null;
  const outside = !unused.includes("--compute") && compute < Math.min(...levels) * 0.98 || compute > Math.max(...levels) * 1.02;
  const note = outside
    ? `C lies outside the fitted compute range (${Math.min(...levels).toExponential(3)}–${Math.max(...levels).toExponential(3)} FLOPs): this is an extrapolation the data cannot check.`
    : null;
  if (a.json) {
    console.log(JSON.stringify({ task: a.task, variant: fit.variant, ...point, predicted, interval95: [band.lo[0], band.hi[0]], resamples: samples.params.length, seed, params: fit.params, note, warning }, null, 1));
  } else {
    console.log(
      `${a.task}, law ${fit.variant}: at C = ${compute.toExponential(3)} FLOPs, n_ctx = ${nCtx}, n_pmt = ${nPmt} the predicted score is ${predicted.toFixed(4)} ` +
        `(95 % interval ${band.lo[0].toFixed(4)}–${band.hi[0].toFixed(4)}, ${samples.params.length} bootstrap resamples, seed ${seed})`,
    );
    if (note) console.log(`note: ${note}`);
  }
  if (warning) console.error(`warning: ${warning}`);
  return EXIT.ok;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError || err instanceof DataError) {
      console.error(`error: ${err.message}${err instanceof UsageError ? `\n\n${USAGE}` : ""}`);
      process.exitCode = EXIT.badInput;
    } else if (err instanceof FitError) {
      // The fit the prediction needs was refused (e.g. one compute level for a law with a
      // compute factor): the request cannot be met as asked, which exit code 3 says.
      console.error(`error: the fit was refused: ${err.message}`);
      process.exitCode = EXIT.refused;
    } else {
      console.error(reportUnexpected(err));
      process.exitCode = isPathError(err) ? EXIT.badInput : EXIT.internal;
    }
  },
);
