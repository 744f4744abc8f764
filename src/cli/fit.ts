// `npm run fit -- [--experiment X] [--task T] [--law L] [--seed N] [--threshold N] [--json]`
// Runs the experiments of src/lib/experiments.ts on the bundled data (or --data) and prints
// readable tables, or JSON with provenance. Exit codes: EXIT in ./args.ts.
import { readFileSync, existsSync } from "node:fs";
import { resolve, relative } from "node:path";
import { EXPERIMENTS, PUBLIC_EXPERIMENTS, REGISTRY, DEFAULT_SETTINGS, descriptor, isExperiment, plan, type ExperimentId } from "../lib/experiments.js";
import { TASKS } from "../lib/types.js";
import { runExperiment, type ExperimentResult } from "../lib/run.js";
import { parsePublicTables, PUBLIC_FILES } from "../lib/public-tables.js";
import { publicModelsData, OBSSCALING_FILE } from "../lib/node/public-data.js";
import { locateExternal, EXTERNAL_ENV } from "../lib/node/import-files.js";
import { formatResult, textTable } from "../lib/format.js";
import { summaryTableModel, summaryPages, claimsOf, claimsTableModel } from "../lib/summary.js";
import { parsePlans } from "../lib/plan-check.js";
import type { Observation } from "../lib/types.js";
import { experimentPages } from "../lib/node/site-pages.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels, promptWarnings, DataError, sourceLineOf } from "../lib/observations.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import { provenance, sha256 } from "../lib/node/provenance.js";
import { FitError } from "../lib/kernel.js";
import { WEIGHTINGS, COUNT_COLUMN, firstMissingCount, type Weighting } from "../lib/weights.js";
import { progressReporter, progressWanted } from "./progress.js";
import { UsageError, ArgumentProblems, parseCommandLine, lawArg, LAW_HELP, integerArg, readTable, readTextFile, reportUnexpected, isPathError, EXIT, EXIT_CODES_HELP } from "./args.js";

const USAGE = `usage: npm run fit -- [options]
  --experiment NAME  one of: ${EXPERIMENTS.join(", ")} (repeatable; default: all), or ${PUBLIC_EXPERIMENTS.join(", ")}
                     (the Observational Scaling Laws table in ../shared/external, or --external DIR;
                     --threshold in FLOPs, default ${PUBLIC_EXPERIMENTS.map((e) => descriptor(e).defaults.threshold.toExponential().replace("+", "")).join(", ")}; --resamples default ${PUBLIC_EXPERIMENTS.map((e) => descriptor(e).defaults.resamples).join(", ")})
  --task NAME        one of the data's tasks, e.g. ${TASKS.join(", ")} (repeatable; default: all)
${LAW_HELP}
  --seed N           seed of the global search (default 1)
  --threshold N      context generalisation: fit below N tokens, predict above (default 10000)
  --restarts N       independent global searches per fit, best kept (default 4)
  --resamples N      bootstrap resamples per fit for the 95 % intervals (default 1000; 0: none)
  --scheme NAME      what the bootstrap resamples: observations or models (default observations)
  --weights NAME     none (the paper's unweighted fit, default) or binomial (weighted least
                     squares with variance p(1-p)/n; needs an n_instances column, see docs/method.md)
  --plan FILE.json   fit a plan given as JSON (one plan, or a list of them): the plain data a page's
                     plan cell holds (e.g. src/write-your-own-ablation.md), with its own fits, laws
                     and selections; its settings (defaults where absent) replace the options above
  --data FILE        observations CSV (default data/observations.csv; format in data/README.md)
  --models FILE      models table CSV (default data/models.csv)
  --json             machine-readable output with provenance
  --progress         report the progress of long steps on stderr (reading the data, each fit's
                     global search, local refinement and bootstrap) even when it is not a terminal
                     (on a terminal it is reported anyway, for steps that run over 2 s)
  --help             this text
The paper's numbers and notes are shown only for the bundled data (data/observations.csv, by SHA-256).
${EXIT_CODES_HELP}`;

function parse() {
  const { values } = parseCommandLine({
    options: {
      experiment: { type: "string", multiple: true },
      task: { type: "string", multiple: true },
      law: { type: "string" },
      variant: { type: "string" },
      seed: { type: "string", default: "1" },
      // No default here: each experiment's own (its descriptor's defaults: 10,000 tokens for the
      // paper's experiments, a compute in FLOPs for those on the public models).
      threshold: { type: "string" },
      external: { type: "string" },
      restarts: { type: "string", default: "4" },
      // No default here: each experiment's own, as for the threshold.
      resamples: { type: "string" },
      scheme: { type: "string", default: "observations" },
      weights: { type: "string", default: "none" },
      plan: { type: "string" },
      data: { type: "string", default: "data/observations.csv" },
      models: { type: "string", default: "data/models.csv" },
      json: { type: "boolean", default: false },
      progress: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return values;
}

const integer = integerArg;

/** The runner's progress events of one experiment × task as lines of the command's reporter. */
function fitProgress(report: ReturnType<typeof progressReporter>, prefix: string) {
  return (p: { fit: string; stage: string; done: number; total?: number }) =>
    report({ step: `${prefix} · ${p.fit}: ${p.stage}${p.total === undefined ? (p.stage === "global search" ? ", generation" : ", step") : ""}`, done: p.done, total: p.total });
}

/** The experiments on the public models' tables (the registry's data source "public-models"), on
 *  the Observational Scaling Laws table imported exactly as the build imports it
 *  (src/lib/node/public-data.ts): each experiment's plan for each of its tasks there. */
async function publicModels(args: ReturnType<typeof parse>, experiments: readonly ExperimentId[]): Promise<number> {
  const dir = locateExternal(args.external);
  const data = publicModelsData(dir, (p) => readTextFile(p, "the Observational Scaling Laws table"));
  if (!data) {
    throw new UsageError(`${experiments.join(", ")} needs the Observational Scaling Laws table at <external>/${OBSSCALING_FILE} ` +
      `(--external DIR, $${EXTERNAL_ENV} or ../shared/external); not found${dir ? ` in ${dir}` : ""}`);
  }
  const observations = parsePublicTables(data.observationsText, data.modelsText) ?? [];
  const report = progressWanted(args.progress) ? progressReporter("fit") : undefined;
  const kernel = await loadKernel();
  const seed = integer("seed", args.seed, 0, 0xffffffff);
  const restarts = integer("restarts", args.restarts, 1, 64);
  const results: ExperimentResult[] = [];
  const texts: string[] = [];
  for (const e of experiments) {
    const d = descriptor(e);
    const threshold = Number(args.threshold ?? String(d.defaults.threshold));
    if (!(threshold > 0) || !Number.isFinite(threshold)) throw new UsageError(`--threshold must be a compute in FLOPs > 0 for ${e} (e.g. ${d.defaults.threshold.toExponential().replace("+", "")}), got "${args.threshold}"`);
    // The experiment's own default unless --resamples is given explicitly.
    const resamples = args.resamples === undefined ? d.defaults.resamples : integer("resamples", args.resamples, 0, 1_000_000);
    const own = d.tasks(observations).map((t) =>
      runExperiment(kernel, plan(e, t, { seed, restarts, resamples, threshold }, observations), observations, { onProgress: report && fitProgress(report, `${e} · ${t}`) }));
    results.push(...own);
    texts.push(d.formatText ? d.formatText(own) : own.map(formatResult).join("\n\n"));
  }
  report?.clear();
  const prov = provenance(`${OBSSCALING_FILE}, imported as ${PUBLIC_FILES.observations}`, data.observationsText, readFileSync(KERNEL_PATH));
  if (args.json) console.log(JSON.stringify({ provenance: prov, source: { file: OBSSCALING_FILE, sha256: data.sourceSha256 }, models_without_flops: data.withoutFlops, results, claims: claimsOf(results) }, null, 1));
  else {
    console.log(texts.join("\n\n"));
    console.log(`\n${summaryText(results, false)}`);
    console.log(`\n${claimsText(results)}`);
    console.log(`\n${data.withoutFlops.length} models without FLOPs in the table were left out.\nprovenance: commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, ${OBSSCALING_FILE} sha256 ${data.sourceSha256.slice(0, 16)}…, imported observations sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…`);
  }
  return exitFor(results);
}

/** `--plan FILE.json`: the plans of the file, checked field by field, run on the observations. */
async function planFile(args: ReturnType<typeof parse>, observations: Observation[], tasks: string[], dataFile: string, dataBytes: Uint8Array): Promise<number> {
  const file = relative(process.cwd(), resolve(args.plan!));
  const { plans, problems } = parsePlans(readTextFile(resolve(args.plan!), "the plan (JSON, as a page's plan cell shows it)"), file, tasks);
  // A bad plan is bad input: every problem at once, each naming the file and field (exit 2).
  if (problems.length) throw new PlanError(problems);
  const report = progressWanted(args.progress) ? progressReporter("fit") : undefined;
  const kernel = await loadKernel();
  const results = plans.map((p) => runExperiment(kernel, p, observations, { onProgress: report && fitProgress(report, `${p.experiment} · ${p.task}`) }));
  report?.clear();
  const prov = provenance(relative(process.cwd(), dataFile), dataBytes, readFileSync(KERNEL_PATH));
  if (args.json) console.log(JSON.stringify({ provenance: prov, plan: file, results }, null, 1));
  else {
    console.log(results.map(formatResult).join("\n\n"));
    console.log(`\nprovenance: ${prov.package} ${prov.version}, commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, plan ${file}, data sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…`);
  }
  return exitFor(results);
}

class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? "the plan has a problem" : `the plan has ${problems.length} problems`}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** The home page's Claims table for these results (src/lib/claims.ts), as text. */
function claimsText(results: readonly ExperimentResult[]): string {
  return `== Claims: what the data here say of each claim ==\n${textTable(claimsTableModel(claimsOf(results)))}`;
}

/** The home page's summary of these results (src/lib/summary.ts), as text. */
function summaryText(results: readonly ExperimentResult[], ownPlans = true): string {
  const model = summaryTableModel(results, summaryPages(experimentPages()), { ownPlans });
  return `== Summary: the paper's numbers and ours, as on the home page ==\n${textTable(model)}`;
}

/** A fit the user asked for that the kernel refused is not success, even though the tables (and
 *  any fallback) were printed: a script must be able to tell. */
function exitFor(results: readonly { fits: readonly { refused?: unknown }[] }[]): number {
  const refused = results.some((r) => r.fits.some((f) => f.refused));
  if (refused) console.error("error: a requested fit was refused (see \"refused\" above); exit code 3");
  return refused ? EXIT.refused : EXIT.ok;
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
  if (args.plan !== undefined && args.experiment !== undefined) throw new UsageError("--plan and --experiment: give one (a plan file holds its own experiment)");
  const experiments = (args.experiment ?? [...EXPERIMENTS]).flatMap((e) => e.split(","));
  // An experiment on the public models' tables reads the Observational Scaling Laws table from
  // ../shared/external, not data/: those run on their own.
  const elsewhere = experiments.filter((e) => isExperiment(e) && descriptor(e).data !== "bundled") as ExperimentId[];
  if (elsewhere.length) {
    if (elsewhere.length < experiments.length) throw new UsageError(`run ${elsewhere.join(", ")} on its own: its data are the external table, not --data`);
    return publicModels(args, elsewhere);
  }
  // Every bad argument at once, one line each, rather than one per run.
  const bad = new ArgumentProblems();
  for (const e of experiments) if (!(EXPERIMENTS as readonly string[]).includes(e)) bad.add(`unknown experiment "${e}"; valid: ${REGISTRY.map((d) => d.id).join(", ")}`);
  const variant = bad.check(() => lawArg(args.law, args.variant));
  const seed = bad.check(() => integer("seed", args.seed, 0, 0xffffffff));
  const threshold = bad.check(() => integer("threshold", args.threshold ?? String(DEFAULT_SETTINGS.threshold), 1, 1e9));
  const restarts = bad.check(() => integer("restarts", args.restarts, 1, 64));
  const resamples = bad.check(() => integer("resamples", args.resamples ?? String(DEFAULT_SETTINGS.resamples), 0, 1_000_000));
  if (args.scheme !== "observations" && args.scheme !== "models") bad.add(`unknown scheme "${args.scheme}"; valid: observations, models`);
  const scheme = args.scheme as "observations" | "models";
  if (!(WEIGHTINGS as readonly string[]).includes(args.weights)) bad.add(`unknown weights "${args.weights}"; valid: ${WEIGHTINGS.join(", ")}`);
  const weights = args.weights as Weighting;
  bad.throwIfAny();

  // Progress goes to stderr only, so --json stdout stays clean; a pipe hears nothing unless asked.
  const report = progressWanted(args.progress) ? progressReporter("fit") : undefined;
  const dataFile = resolve(args.data);
  const modelsFile = resolve(args.models);
  const what = "the CSV file (format: data/README.md)";
  const data = readTable(dataFile, what, report && ((done, total) => report({ step: "reading and checking the data", done: Math.round(done / 1e6), total: Math.round(total / 1e6), unit: "MB" })));
  const models = { models: parseModelsCsv(readTable(modelsFile, what).pieces, relative(process.cwd(), modelsFile)), file: relative(process.cwd(), modelsFile) };
  // The table goes into the parse too, so bad cells and unknown models are reported in one run.
  const observations = parseObservationsCsv(data.pieces, relative(process.cwd(), dataFile), models);
  checkAgainstModels(observations, models.models, relative(process.cwd(), dataFile), models.file);
  // Rows that read but look wrong (a prompt far past any window) are fitted, with a warning each.
  const warnings = promptWarnings(observations, relative(process.cwd(), dataFile));
  if (warnings.length) report?.clear();
  for (const w of warnings) console.error(`warning: ${w}`);
  if (weights === "binomial") {
    const missing = firstMissingCount(observations);
    if (missing >= 0) {
      // A data problem, not a usage one (FitError: the message alone, exit 2).
      const file = relative(process.cwd(), dataFile);
      const o = observations[missing];
      const where = observations.every((x) => x.n_instances == null)
        ? `${file} has no ${COUNT_COLUMN} column (the bundled data have none: the paper published no instance counts)`
        : `${file}${sourceLineOf(o) ? ` line ${sourceLineOf(o)}` : ""} (${o.task}, ${o.model}, ${o.shots} shots) has an empty ${COUNT_COLUMN}`;
      throw new FitError("bad-weights", `--weights binomial needs the number of evaluated instances behind every score, column ${COUNT_COLUMN} (a whole number > 0): ${where}. Add the column (data/README.md), or use --weights none`);
    }
  }
  const present = [...new Set(observations.map((o) => o.task))];
  if (args.plan !== undefined) return planFile(args, observations, present, dataFile, data.bytes);
  const tasks = (args.task ?? present).flatMap((t) => t.split(","));
  for (const t of tasks) if (!present.includes(t)) throw new UsageError(`unknown task "${t}"; the data have: ${present.join(", ")}`);

  // The paper's comparisons and notes (its 12 Llama-2 variants, what it did not publish) speak
  // of the bundled data; on anyone else's data they would be false, so they are dropped unless
  // the data are byte for byte the bundled file.
  const bundled = sha256(data.bytes) === sha256(readFileSync(new URL("../../data/observations.csv", import.meta.url)));
  if (weights === "binomial" && observations.some((o) => o.metric !== "accuracy")) {
    console.error(`note: binomial weights assume accuracies; ${[...new Set(observations.filter((o) => o.metric !== "accuracy").map((o) => `${o.task} (${o.metric})`))].join(", ")} get them only as a rough stand-in (docs/method.md, Weighting)`);
  }
  const kernel = await loadKernel();
  const results = [];
  for (const e of experiments as ExperimentId[])
    for (const t of tasks) {
      const onProgress = report && fitProgress(report, `${e} · ${t}`);
      const p = plan(e, t, { seed, variant, threshold, restarts, resamples, scheme, ...(weights === "none" ? {} : { weights }) }, observations);
      results.push(runExperiment(kernel, bundled ? p : { ...p, comparisons: [], missing: [] }, observations, { onProgress }));
    }
  report?.clear();

  if (args.json) {
    const prov = provenance(relative(process.cwd(), dataFile), data.bytes, readFileSync(KERNEL_PATH));
    // The claims set our numbers beside the paper's: on anyone else's data there are none.
    console.log(JSON.stringify({ provenance: prov, results, ...(bundled ? { claims: claimsOf(results) } : {}) }, null, 1));
  } else {
    console.log(results.map(formatResult).join("\n\n"));
    // Every experiment run: the home page's summary table, from the same table model.
    if (args.experiment === undefined) console.log(`\n${summaryText(results)}\n${PUBLIC_EXPERIMENTS.map((e) => `(${e}'s rows: npm run fit -- --experiment ${e})`).join("\n")}`);
    if (bundled && claimsOf(results).length) console.log(`\n${claimsText(results)}${args.experiment === undefined ? `\n${PUBLIC_EXPERIMENTS.map((e) => `(${e}'s claims: npm run fit -- --experiment ${e})`).join("\n")}` : ""}`);
    const prov = provenance(relative(process.cwd(), dataFile), data.bytes, readFileSync(KERNEL_PATH));
    console.log(`\nprovenance: ${prov.package} ${prov.version}, commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, data sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…, seed ${seed}, ${restarts} global searches per fit${weights === "none" ? "" : `, ${weights} weights`}`);
  }
  return exitFor(results);
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
    } else if (err instanceof DataError || err instanceof FitError || err instanceof PlanError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(reportUnexpected(err));
      process.exitCode = isPathError(err) ? EXIT.badInput : EXIT.internal;
    }
  },
);
