// `npm run fit -- [--experiment X | --plan FILE] [settings] [--json]`: the settings are those of src/lib/settings.ts.
// Runs the experiments of src/lib/experiments.ts on the bundled data (or --data) and prints
// readable tables, or JSON with provenance. Exit codes: EXIT in ./args.ts.
import { readFileSync } from "node:fs";
import { resolve, relative } from "node:path";
import { EXPERIMENTS, PUBLIC_EXPERIMENTS, REGISTRY, DEFAULT_SETTINGS, descriptor, isExperiment, plan, type ExperimentId, type Settings } from "../lib/experiments.js";
import { SETTINGS, fitSettings } from "../lib/settings.js";
import { querySource, isRunDocument, checkQuery, documentProblems, documentPlans, taskProblems, experimentRowsQuery, type RunDocument } from "../lib/run-document.js";
import { openNodeDatabase, type NodeDatabase, type NodeTable } from "../lib/node/duckdb.js";
import { OBSERVATION_TYPES, MODEL_TYPES } from "../components/notebook/sql-text.js";
import { runExperiment, type ExperimentResult } from "../lib/run.js";
import { parsePublicTables, PUBLIC_FILES } from "../lib/public-tables.js";
import { publicModelsData, OBSSCALING_FILE } from "../lib/node/public-data.js";
import { locateExternal, EXTERNAL_ENV } from "../lib/node/import-files.js";
import { formatResult, textTable } from "../lib/format.js";
import { summaryTableModel, summaryPages, claimsOf, claimsTableModel } from "../lib/summary.js";
import { parsePlans } from "../lib/plan-check.js";
import type { Observation, ModelInfo } from "../lib/types.js";
import { experimentPages } from "../lib/node/site-pages.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels, promptWarnings, DataError, sourceLineOf, serializeObservationsCsv, serializeModelsCsv } from "../lib/observations.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import { provenance, sha256 } from "../lib/node/provenance.js";
import { FitError } from "../lib/kernel.js";
import { COUNT_COLUMN, firstMissingCount, type Weighting } from "../lib/weights.js";
import { progressReporter, progressWanted } from "./progress.js";
import { usage, parseFitArgs, settingValues, type Args } from "./fit-options.js";
import { UsageError, ArgumentProblems, readTable, readTextFile, reportUnexpected, isPathError, EXIT } from "./args.js";

/** The runner's progress events of one experiment × task as lines of the command's reporter. */
function fitProgress(report: ReturnType<typeof progressReporter>, prefix: string) {
  return (p: { fit: string; stage: string; done: number; total?: number }) =>
    report({ step: `${prefix} · ${p.fit}: ${p.stage}${p.total === undefined ? (p.stage === "global search" ? ", generation" : ", step") : ""}`, done: p.done, total: p.total });
}

/** The tables a document's query can read, as the page's DuckDB holds them (src/components/notebook/db.js). */
function tablesOf(observations: Observation[], models: ModelInfo[], pub: { observationsText: string; modelsText: string } | null): NodeTable[] {
  const counted = observations.some((o) => o.n_instances != null);
  const encode = (t: string) => new TextEncoder().encode(t);
  const tables: NodeTable[] = [
    { name: "observations", file: "observations.csv", bytes: encode(serializeObservationsCsv(observations)), types: { ...OBSERVATION_TYPES, ...(counted ? { [COUNT_COLUMN]: "INTEGER" } : {}) } },
    { name: "models", file: "models.csv", bytes: encode(serializeModelsCsv(models)), types: MODEL_TYPES },
  ];
  if (pub) {
    tables.push({ name: "public_observations", file: PUBLIC_FILES.observations, bytes: encode(pub.observationsText), types: OBSERVATION_TYPES });
    tables.push({ name: "public_models", file: PUBLIC_FILES.models, bytes: encode(pub.modelsText), types: MODEL_TYPES });
  }
  return tables;
}

/** One experiment of the registry for these options, as the page runs it: its query on DuckDB, then a plan per task on the query's rows. */
function experimentRun(db: NodeDatabase, e: ExperimentId, values: Record<string, unknown>, observations: readonly Observation[]) {
  const d = descriptor(e);
  const tasks = (values.tasks as string[] | undefined) ?? d.tasks(observations);
  const query = experimentRowsQuery(d, { tasks, models: values.models as string[] | undefined }, observations);
  const rows = db.query(query).rows as unknown as Observation[];
  const settings = fitSettings(values, d.defaults as unknown as Record<string, unknown>) as unknown as Settings;
  return { query, rows, plans: tasks.map((t) => plan(e, t, settings, rows)) };
}

/** Names given to --task or --model that the data do not have (every one, at once). */
function unknownNames(values: Record<string, unknown>, observations: readonly Observation[], tasks: readonly string[], bad: ArgumentProblems): void {
  const models = [...new Set(observations.map((o) => o.model))];
  for (const t of (values.tasks as string[] | undefined) ?? []) if (!tasks.includes(t)) bad.add(`unknown task "${t}"; the data have: ${tasks.join(", ")}`);
  for (const m of (values.models as string[] | undefined) ?? []) if (!models.includes(m)) bad.add(`unknown model "${m}"; the data have: ${models.join(", ")}`);
}

/** The experiments on the public models' tables (the registry's data source "public-models"), on
 *  the Observational Scaling Laws table imported exactly as the build imports it
 *  (src/lib/node/public-data.ts): each experiment's query and plans there, as its page runs them. */
async function publicModels(args: Args, experiments: readonly ExperimentId[]): Promise<number> {
  const bad = new ArgumentProblems();
  const values = settingValues(args, "public-models", bad);
  bad.throwIfAny();
  const dir = locateExternal(args.external as string | undefined);
  const data = publicModelsData(dir, (p) => readTextFile(p, "the Observational Scaling Laws table"));
  if (!data) {
    throw new UsageError(`${experiments.join(", ")} needs the Observational Scaling Laws table at <external>/${OBSSCALING_FILE} ` +
      `(--external DIR, $${EXTERNAL_ENV} or ../shared/external); not found${dir ? ` in ${dir}` : ""}`);
  }
  const observations = parsePublicTables(data.observationsText, data.modelsText) ?? [];
  for (const e of experiments) unknownNames(values, observations, descriptor(e).tasks(observations), bad);
  bad.throwIfAny();
  const report = progressWanted(args.progress as boolean) ? progressReporter("fit") : undefined;
  const kernel = await loadKernel();
  const db = await openNodeDatabase(tablesOf([], [], data));
  const results: ExperimentResult[] = [];
  const texts: string[] = [];
  for (const e of experiments) {
    const d = descriptor(e);
    const run = experimentRun(db, e, values, observations);
    const own = run.plans.map((p) => runExperiment(kernel, p, run.rows, { onProgress: report && fitProgress(report, `${e} · ${p.task}`) }));
    results.push(...own);
    texts.push(d.formatText ? d.formatText(own) : own.map(formatResult).join("\n\n"));
  }
  db.close();
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

/**
 * `--plan FILE.json`: a run document (docs/run-document.md) or an older plan file, checked field
 * by field, its query run on DuckDB and its rows checked, all before any fit: every problem at
 * once, each naming the file and field (exit 2), nothing run.
 */
async function planFile(args: Args, observations: Observation[], models: ModelInfo[], dataFile: string, dataBytes: Uint8Array): Promise<number> {
  const file = relative(process.cwd(), resolve(args.plan as string));
  const text = readTextFile(resolve(args.plan as string), "the run document (JSON, as a page offers it for download)");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PlanError([`${file}: not JSON (${(err as Error).message})`]);
  }
  let doc: Pick<RunDocument, "query" | "settings" | "plans">;
  if (isRunDocument(value)) {
    const problems = documentProblems(value, file);
    if (problems.length) throw new PlanError(problems);
    doc = value as RunDocument;
  } else {
    // An older plan file: its plans, on every row of the observations.
    const { plans, problems } = parsePlans(text, file, [...new Set(observations.map((o) => o.task))]);
    if (problems.length) throw new PlanError(problems);
    doc = { query: "SELECT * FROM observations", plans };
  }
  const pub = querySource(doc.query) === "public-models" ? publicModelsData(locateExternal(args.external as string | undefined), (p) => readTextFile(p, "the Observational Scaling Laws table")) : null;
  const db = await openNodeDatabase(tablesOf(observations, models, pub));
  // The page checks a reader's query with the same function (src/components/notebook/db.js runReaderQuery).
  const hint = pub === null && /\bpublic_/i.test(doc.query) ? ` (the public models' tables need the Observational Scaling Laws table: --external DIR)` : "";
  const checked = await checkQuery(db, doc.query, `${file}: query`, { hint });
  db.close();
  const problems = checked.problems.map((p) => p.message);
  const rows = checked.rows as unknown as Observation[];
  if (!problems.length) problems.push(...taskProblems(doc.plans, rows, file));
  if (problems.length) throw new PlanError(problems);
  const plans = documentPlans(doc, file);
  const report = progressWanted(args.progress as boolean) ? progressReporter("fit") : undefined;
  const kernel = await loadKernel();
  const results = plans.map((p) => runExperiment(kernel, p, rows, { onProgress: report && fitProgress(report, `${p.experiment} · ${p.task}`) }));
  report?.clear();
  const prov = provenance(relative(process.cwd(), dataFile), dataBytes, readFileSync(KERNEL_PATH));
  if (args.json) console.log(JSON.stringify({ provenance: prov, plan: file, query: doc.query, results }, null, 1));
  else {
    console.log(results.map(formatResult).join("\n\n"));
    console.log(`\nprovenance: ${prov.package} ${prov.version}, commit ${prov.gitCommit ?? "unknown"}${prov.gitDirty ? " (uncommitted changes)" : ""}, plan ${file}, data sha256 ${prov.dataSha256.slice(0, 16)}…, kernel sha256 ${prov.kernelSha256.slice(0, 16)}…`);
  }
  return exitFor(results);
}

class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length === 1 ? "the document has a problem" : `the document has ${problems.length} problems`}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
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
function exitFor(results: readonly ExperimentResult[]): number {
  // A fallback the plan intends (a fit on one compute level falls back to its fixed-compute form) is the plan working.
  const intended = (r: ExperimentResult, label: string) => r.plan.fits.find((f) => f.label === label)?.intendsFallback === true;
  const refused = results.some((r) => r.fits.some((f) => f.refused && !(f.refused.fallback && intended(r, f.label))));
  if (refused) console.error("error: a requested fit was refused (see \"refused\" above); exit code 3");
  return refused ? EXIT.refused : EXIT.ok;
}

async function main(): Promise<number> {
  const args = parseFitArgs();
  if (args.help) {
    console.log(usage());
    return 0;
  }
  if (args.plan !== undefined && args.experiment !== undefined) throw new UsageError("--plan and --experiment: give one (a document holds its own plans)");
  if (args.plan !== undefined) {
    const given = SETTINGS.filter((s) => args[s.flag] !== undefined || (s.alias && args[s.alias] !== undefined)).map((s) => `--${s.flag}`);
    if (given.length) throw new UsageError(`--plan and ${given.join(", ")}: a document holds its own query and settings; change them in the document`);
  }
  const experiments = ((args.experiment as string[] | undefined) ?? [...EXPERIMENTS]).flatMap((e) => e.split(","));
  // An experiment on the public models' tables reads the Observational Scaling Laws table from
  // ../shared/external, not data/: those run on their own.
  const elsewhere = experiments.filter((e) => isExperiment(e) && descriptor(e).data !== "bundled") as ExperimentId[];
  if (elsewhere.length && args.plan === undefined) {
    if (elsewhere.length < experiments.length) throw new UsageError(`run ${elsewhere.join(", ")} on its own: its data are the external table, not --data`);
    return publicModels(args, elsewhere);
  }
  // Every bad argument at once, one line each, rather than one per run.
  const bad = new ArgumentProblems();
  for (const e of experiments) if (!(EXPERIMENTS as readonly string[]).includes(e)) bad.add(`unknown experiment "${e}"; valid: ${REGISTRY.map((d) => d.id).join(", ")}`);
  const values = settingValues(args, "bundled", bad);
  bad.throwIfAny();
  const weights = (values.weights ?? "none") as Weighting;

  // Progress goes to stderr only, so --json stdout stays clean; a pipe hears nothing unless asked.
  const report = progressWanted(args.progress as boolean) ? progressReporter("fit") : undefined;
  const dataFile = resolve(args.data as string);
  const modelsFile = resolve(args.models as string);
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
  if (args.plan !== undefined) return planFile(args, observations, models.models, dataFile, data.bytes);
  unknownNames(values, observations, [...new Set(observations.map((o) => o.task))], bad);
  bad.throwIfAny();

  // The paper's comparisons and notes (its 12 Llama-2 variants, what it did not publish) speak
  // of the bundled data; on anyone else's data they would be false, so they are dropped unless
  // the data are byte for byte the bundled file.
  const bundled = sha256(data.bytes) === sha256(readFileSync(new URL("../../data/observations.csv", import.meta.url)));
  if (weights === "binomial" && observations.some((o) => o.metric !== "accuracy")) {
    console.error(`note: binomial weights assume accuracies; ${[...new Set(observations.filter((o) => o.metric !== "accuracy").map((o) => `${o.task} (${o.metric})`))].join(", ")} get them only as a rough stand-in (docs/method.md, Weighting)`);
  }
  const kernel = await loadKernel();
  const db = await openNodeDatabase(tablesOf(observations, models.models, null));
  const results = [];
  for (const e of experiments as ExperimentId[]) {
    const run = experimentRun(db, e, values, observations);
    for (const p of run.plans) {
      const onProgress = report && fitProgress(report, `${e} · ${p.task}`);
      results.push(runExperiment(kernel, bundled ? p : { ...p, comparisons: [], missing: [] }, run.rows, { onProgress }));
    }
  }
  db.close();
  report?.clear();

  const seed = results[0]?.plan.settings.seed ?? DEFAULT_SETTINGS.seed;
  const restarts = results[0]?.plan.settings.restarts ?? DEFAULT_SETTINGS.restarts;
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
      console.error(`error: ${err.message}\n\n${usage()}`);
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
