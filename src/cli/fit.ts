// `npm run fit -- [--experiment X] [--task T] [--variant V] [--seed N] [--threshold N] [--json]`
// Runs the experiments of src/lib/experiments.ts on the bundled data (or --data) and prints
// readable tables, or JSON with provenance. Exit code 2 for bad arguments or bad data.
import { parseArgs } from "node:util";
import { readFileSync, existsSync } from "node:fs";
import { resolve, relative } from "node:path";
import { EXPERIMENTS, plan, type ExperimentId } from "../lib/experiments.js";
import { VARIANTS, isVariant } from "../lib/variants.js";
import { TASKS } from "../lib/types.js";
import { runExperiment } from "../lib/run.js";
import { runPublicCompute, formatPublicCompute, PUBLIC_COMPUTE_DEFAULTS } from "../lib/public-compute.js";
import { importObsScaling } from "../lib/import/obsscaling.js";
import { locateExternal, EXTERNAL_ENV } from "../lib/node/import-files.js";
import { formatResult } from "../lib/format.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels, DataError } from "../lib/observations.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import { provenance } from "../lib/node/provenance.js";
import { FitError } from "../lib/kernel.js";

const USAGE = `usage: npm run fit -- [options]
  --experiment NAME  one of: ${EXPERIMENTS.join(", ")} (repeatable; default: all), or public-compute
                     (the Observational Scaling Laws table in ../shared/external; --threshold in FLOPs, default 1e23)
  --task NAME        one of the data's tasks, e.g. ${TASKS.join(", ")} (repeatable; default: all)
  --variant NAME     the law under test, one of: ${VARIANTS.join(", ")} (default: full)
  --seed N           seed of the global search (default 1)
  --threshold N      context generalisation: fit below N tokens, predict above (default 10000)
  --restarts N       independent global searches per fit, best kept (default 4)
  --resamples N      bootstrap resamples per fit for the 95 % intervals (default 1000; 0: none)
  --scheme NAME      what the bootstrap resamples: observations or models (default observations)
  --data FILE        observations CSV (default data/observations.csv; format in data/README.md)
  --models FILE      models table CSV (default data/models.csv)
  --json             machine-readable output with provenance`;

class UsageError extends Error {}

function parse() {
  const { values } = parseArgs({
    options: {
      experiment: { type: "string", multiple: true },
      task: { type: "string", multiple: true },
      variant: { type: "string", default: "full" },
      seed: { type: "string", default: "1" },
      // No default here: context generalisation's is 10,000 tokens, public-compute's 1e23 FLOPs.
      threshold: { type: "string" },
      external: { type: "string" },
      restarts: { type: "string", default: "4" },
      resamples: { type: "string", default: "1000" },
      scheme: { type: "string", default: "observations" },
      data: { type: "string", default: "data/observations.csv" },
      models: { type: "string", default: "data/models.csv" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return values;
}

function integer(name: string, text: string, min: number, max: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min || x > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return x;
}

async function publicCompute(args: ReturnType<typeof parse>): Promise<number> {
  const dir = locateExternal(args.external);
  const file = dir ? resolve(dir, "obsscaling", "base_llm_benchmark_eval.csv") : null;
  if (!file || !existsSync(file)) {
    throw new UsageError(`public-compute needs the Observational Scaling Laws table at <external>/obsscaling/base_llm_benchmark_eval.csv ` +
      `(--external DIR, $${EXTERNAL_ENV} or ../shared/external); not found${file ? ` at ${file}` : ""}`);
  }
  const threshold = Number(args.threshold ?? "1e23");
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new UsageError(`--threshold must be a compute in FLOPs > 0 for public-compute (e.g. 1e23), got "${args.threshold}"`);
  const seed = integer("seed", args.seed, 0, 0xffffffff);
  const restarts = integer("restarts", args.restarts, 1, 64);
  // The experiment's own default (200 resamples) unless --resamples is given explicitly.
  const resamples = process.argv.some((a) => a.startsWith("--resamples")) ? integer("resamples", args.resamples, 0, 1_000_000) : PUBLIC_COMPUTE_DEFAULTS.resamples;
  const text = readFileSync(file, "utf8");
  const name = relative(process.cwd(), file);
  const imported = importObsScaling({ name, text });
  const kernel = await loadKernel();
  const result = runPublicCompute(kernel, imported.observations, imported.families, { threshold, seed, restarts, resamples });
  const prov = provenance(name, text, readFileSync(KERNEL_PATH));
  if (args.json) console.log(JSON.stringify({ provenance: prov, models_without_flops: imported.withoutFlops, results: [result] }, null, 1));
  else {
    console.log(formatPublicCompute(result));
    console.log(`\n${imported.withoutFlops.length} models without FLOPs in the table were left out.\nprovenance: commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, data sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…`);
  }
  return 0;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const experiments = (args.experiment ?? [...EXPERIMENTS]).flatMap((e) => e.split(","));
  // public-compute reads the Observational Scaling Laws table from ../shared/external, not data/.
  if (experiments.includes("public-compute")) {
    if (experiments.length > 1) throw new UsageError("run public-compute on its own: its data are the external table, not --data");
    return publicCompute(args);
  }
  for (const e of experiments) if (!(EXPERIMENTS as readonly string[]).includes(e)) throw new UsageError(`unknown experiment "${e}"; valid: ${EXPERIMENTS.join(", ")}`);
  if (!isVariant(args.variant)) throw new UsageError(`unknown variant "${args.variant}"; valid: ${VARIANTS.join(", ")}`);
  const variant = args.variant;
  const seed = integer("seed", args.seed, 0, 0xffffffff);
  const threshold = integer("threshold", args.threshold ?? "10000", 1, 1e9);
  const restarts = integer("restarts", args.restarts, 1, 64);
  const resamples = integer("resamples", args.resamples, 0, 1_000_000);
  if (args.scheme !== "observations" && args.scheme !== "models") throw new UsageError(`unknown scheme "${args.scheme}"; valid: observations, models`);
  const scheme = args.scheme;

  const dataFile = resolve(args.data);
  const modelsFile = resolve(args.models);
  const read = (f: string) => {
    try {
      return readFileSync(f, "utf8");
    } catch {
      throw new UsageError(`cannot read ${f}: give an existing CSV file (format: data/README.md)`);
    }
  };
  const dataText = read(dataFile);
  const observations = parseObservationsCsv(dataText, relative(process.cwd(), dataFile));
  checkAgainstModels(observations, parseModelsCsv(read(modelsFile), relative(process.cwd(), modelsFile)), relative(process.cwd(), dataFile));
  const present = [...new Set(observations.map((o) => o.task))];
  const tasks = (args.task ?? present).flatMap((t) => t.split(","));
  for (const t of tasks) if (!present.includes(t)) throw new UsageError(`unknown task "${t}"; the data have: ${present.join(", ")}`);

  const kernel = await loadKernel();
  const results = [];
  for (const e of experiments as ExperimentId[])
    for (const t of tasks) {
      // Progress on a terminal only: a pipe (or --json) gets clean output.
      const onProgress = process.stderr.isTTY
        ? ({ fit, done, total }: { fit: string; done: number; total: number }) => {
            if (done % 50 === 0 || done === total) process.stderr.write(`\r${e} · ${t} · ${fit}: bootstrap ${done}/${total}   `);
            if (done === total) process.stderr.write("\r\x1b[K");
          }
        : undefined;
      results.push(runExperiment(kernel, plan(e, t, { seed, variant, threshold, restarts, resamples, scheme }, observations), observations, { onProgress }));
    }

  if (args.json) {
    const prov = provenance(relative(process.cwd(), dataFile), dataText, readFileSync(KERNEL_PATH));
    console.log(JSON.stringify({ provenance: prov, results }, null, 1));
  } else {
    console.log(results.map(formatResult).join("\n\n"));
    const prov = provenance(relative(process.cwd(), dataFile), dataText, readFileSync(KERNEL_PATH));
    console.log(`\nprovenance: ${prov.package} ${prov.version}, commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, data sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…, seed ${seed}, ${restarts} global searches per fit`);
  }
  return 0;
}

// process.exitCode, not process.exit(): exiting at once would cut off output still being
// written to a pipe (a large --json result arrives truncated).
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof DataError || err instanceof FitError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
