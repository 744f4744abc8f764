// `npm run import -- <format> <paths…> [--models FILE] [--out FILE] [options]`
// `npm run import -- models <bertsch|pythia|helmet> [HELMET files…] [--out FILE]`
// `npm run import -- task-map [--out FILE]`
// `npm run import -- beyond [--external DIR] [--json] [--seed N] [--restarts N]`
//
// Reads other tools' evaluation results, checks them and writes the project's observations CSV
// (data/README.md). Exit code 2 for bad input or arguments, with every problem of every file on
// standard error and no output file created or changed: the output is written to a temporary
// file and renamed only when everything is valid.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { serializeObservationsCsv, serializeModelsCsv, parseModelsCsv, DataError, type DataProblem } from "../lib/observations.js";
import {
  FORMATS, FORMAT_INFO, isFormat, importFiles, ImportOptionError, parseTaskMapCsv, serializeTaskMap, STUDY_TASK_MAP,
  BERTSCH_MODELS, pythiaModels, helmetModels, type ImportOptions, type ModelsTable,
} from "../lib/import/index.js";
import { Problems } from "../lib/import/problems.js";
import { writeFileAtomic } from "../lib/node/atomic.js";
import { readSourceFiles, sourcePaths, locateExternal, loadExternal, DEFAULT_EXTERNAL_DIR, EXTERNAL_ENV } from "../lib/node/import-files.js";
import { loadKernel } from "../lib/node/load-kernel.js";
import { analyseBeyond, formatBeyond, whereToGetExternal } from "../lib/beyond.js";
import { FitError } from "../lib/kernel.js";
import { UsageError, parseCommandLine, settingArg, readTextFile, reportUnexpected, isPathError, EXIT, EXIT_CODES_HELP_NO_FIT } from "./args.js";
import { importObsScaling } from "../lib/import/obsscaling.js";
import { importProjectFiles } from "../lib/node/import-project.js";
import { progressReporter, progressWanted } from "./progress.js";

const USAGE = `usage: npm run import -- FORMAT PATH… [options]     import results, write the project's observations CSV
       npm run import -- models STUDY [FILES…] [--out F]  write a documented models table (bertsch, pythia; helmet from its files)
       npm run import -- task-map [--out FILE]           write the default dataset → task table, to edit
       npm run import -- beyond [--external DIR] [--json] fit the law to other studies' results (Beyond the paper)
       npm run import -- obsscaling FILE [--out F] [--models-out M]  the Observational Scaling Laws table
                         (base_llm_benchmark_eval.csv): observations per (model, benchmark), and its models table

FORMAT (a PATH is a file, or a folder searched for the format's files):
${FORMATS.map((f) => `  ${f.padEnd(11)} ${FORMAT_INFO[f].title}\n  ${"".padEnd(11)} n_pmt: ${FORMAT_INFO[f].nPmt}`).join("\n")}

options:
  --models FILE          models table with the columns of data/models.csv (compute, context limit);
                         default data/models.csv for study-eval and project, required for the others
  --out FILE             write the observations to FILE (default: standard output)
  --task-map FILE        dataset,task CSV (study-eval; harness: harness task,task)
  --tokens-per-shot X    N, or NAME=N,NAME=N per dataset or task: tokens per demonstration (bertsch)
                         or per example (harness: required; pythia)
  --metric NAME          harness metric to import (default acc)
  --tasks A,B            harness tasks to import (default: every task that has the metric)
  --external DIR         beyond: folder of the other studies' files (default $${EXTERNAL_ENV} or ../shared/external)
  --seed N, --restarts N beyond: fit settings (default 1 and 4)
  --json                 beyond: machine-readable output
  --progress             project: report the reading of large files on stderr even when it is not a
                         terminal (on a terminal it is reported anyway, for steps over 2 s)
${EXIT_CODES_HELP_NO_FIT}
See docs/importing.md.`;

function parse() {
  {
    return parseCommandLine({
      options: {
        models: { type: "string" }, out: { type: "string" }, "models-out": { type: "string" }, "task-map": { type: "string" }, "tokens-per-shot": { type: "string" },
        metric: { type: "string" }, tasks: { type: "string" }, external: { type: "string" }, seed: { type: "string", default: "1" },
        restarts: { type: "string", default: "4" }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false },
        progress: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  }
}

/** "39" → 39; "banking77=39,nlu=25" → { banking77: 39, nlu: 25 }. */
function tokensOption(text: string): number | Record<string, number> {
  const positive = (s: string) => {
    const x = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || !(x > 0)) throw new UsageError(`--tokens-per-shot needs numbers > 0, got "${s}"`);
    return x;
  };
  if (!text.includes("=")) return positive(text);
  const out: Record<string, number> = {};
  for (const part of text.split(",")) {
    const [name, value, ...rest] = part.split("=");
    if (!name || value === undefined || rest.length) throw new UsageError(`--tokens-per-shot: "${part}" is not NAME=N`);
    out[name] = positive(value);
  }
  return out;
}

const readText = readTextFile;

function modelsTable(path: string | undefined, format: string): ModelsTable {
  const file = path ?? (FORMAT_INFO[format as keyof typeof FORMAT_INFO]?.models === "default" ? "data/models.csv" : undefined);
  if (!file) {
    throw new UsageError(`the ${format} format needs --models FILE: a models table with each model's compute and context limit ` +
      `(columns of data/models.csv); \`npm run import -- models bertsch|pythia|helmet\` writes the documented ones`);
  }
  return { models: parseModelsCsv(readText(file, "the models table"), file), file };
}

/** Refuses an --out that cannot be a file, before any work is done. */
function checkOut(out: string | undefined): void {
  if (out !== undefined && existsSync(out) && statSync(out).isDirectory()) {
    throw new UsageError(`--out ${out} is a folder: give a file name, e.g. --out ${join(out, "observations.csv")}`);
  }
}

/** Writes atomically to --out, or to standard output. */
function emit(text: string, out: string | undefined, what: string): void {
  checkOut(out);
  if (out) {
    writeFileAtomic(out, text);
    console.error(`wrote ${what} to ${out}`);
  } else process.stdout.write(text);
}

async function beyond(values: ReturnType<typeof parse>["values"]): Promise<number> {
  const seed = settingArg("seed", values.seed) as number;
  const restarts = settingArg("restarts", values.restarts) as number;
  const dir = locateExternal(values.external);
  if (!dir) {
    console.error(`error: no folder of other studies' results at ${values.external ?? process.env[EXTERNAL_ENV] ?? DEFAULT_EXTERNAL_DIR}\n\n${whereToGetExternal(values.external ?? "../shared/external")}`);
    return 2;
  }
  const data = loadExternal(dir);
  if (data.length === 0) {
    console.error(`error: ${dir} holds none of the studies' folders\n\n${whereToGetExternal(dir)}`);
    return 2;
  }
  const result = analyseBeyond(await loadKernel(), data, { seed, restarts });
  if (values.json) console.log(JSON.stringify({ external: dir, files: data.flatMap((d) => d.files), ...result }, null, 1));
  else console.log(formatBeyond(result));
  return 0;
}

function models(positionals: string[], out: string | undefined): number {
  const [study, ...paths] = positionals;
  let rows;
  if (study === "bertsch") rows = [...BERTSCH_MODELS];
  else if (study === "pythia") rows = pythiaModels();
  else if (study === "helmet") {
    if (paths.length === 0) throw new UsageError("models helmet needs the HELMET files or their folder: the table is built from their Model and Context Window columns");
    rows = helmetModels(readSourceFiles(paths, FORMAT_INFO.helmet.picks, FORMAT_INFO.helmet.picksDescription));
  } else throw new UsageError(`models needs one of bertsch, pythia, helmet; got ${study === undefined ? "nothing" : `"${study}"`}`);
  if (study !== "helmet" && paths.length) throw new UsageError(`models ${study} takes no files`);
  emit(serializeModelsCsv(rows), out, `${rows.length} models`);
  return 0;
}

// The study's table carries its own models (FLOPs, family), so it is not a FORMAT that reads
// --models: it writes observations (--out) and, with --models-out, the models table they need.
function obsscaling(paths: string[], out: string | undefined, modelsOut: string | undefined): number {
  if (paths.length !== 1) throw new UsageError(`obsscaling takes one file, base_llm_benchmark_eval.csv; got ${paths.length}`);
  const r = importObsScaling({ name: paths[0]!, text: readText(paths[0]!, "the Observational Scaling Laws table") });
  for (const n of r.notes) console.error(`note: ${n}`);
  // Both files are checked before either is written, so a failure leaves neither half-done.
  if (modelsOut) emit(serializeModelsCsv(r.models), modelsOut, `${r.models.length} models`);
  emit(serializeObservationsCsv(r.observations), out, `${r.observations.length} observations (${new Set(r.observations.map((o) => o.task)).size} benchmarks, ${r.models.length} models; ${r.withoutFlops.length} without FLOPs left out)`);
  return 0;
}

// The project format is streamed (src/lib/node/import-project.ts): files of millions of rows
// are validated and written without being held in memory.
async function project(paths: string[], table: ModelsTable, out: string | undefined, misnamed: DataProblem[], progress: boolean): Promise<number> {
  const files = sourcePaths(paths, FORMAT_INFO.project.picks, FORMAT_INFO.project.picksDescription, misnamed, "project");
  const report = progressWanted(progress) ? progressReporter("import project") : undefined;
  try {
    const r = await importProjectFiles(files, table, out, { earlier: misnamed, onProgress: report });
    report?.clear();
    for (const n of r.notes) console.error(`note: ${n}`);
    const what = `${r.rows} observations (${r.tasks} tasks, ${r.models} models, from ${files.length} files)`;
    if (out) console.error(`wrote ${what} to ${out}`);
    return 0;
  } finally {
    report?.clear();
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parse();
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  checkOut(values.out);
  const [command, ...rest] = positionals;
  if (command === "beyond") {
    if (rest.length) throw new UsageError(`beyond takes no paths; use --external DIR`);
    return beyond(values);
  }
  if (command === "models") return models(rest, values.out);
  if (command === "obsscaling") return obsscaling(rest, values.out, values["models-out"]);
  if (command === "task-map") {
    emit(serializeTaskMap(STUDY_TASK_MAP), values.out, "the default task map");
    return 0;
  }
  if (!isFormat(command!)) throw new UsageError(`unknown format or command "${command}"; formats: ${FORMATS.join(", ")}; commands: models, task-map, beyond`);
  const format = command;
  if (rest.length === 0) throw new UsageError(`give the ${format} files or folders to import`);

  const options: ImportOptions = {};
  if (values["task-map"]) {
    const p = new Problems();
    options.taskMap = parseTaskMapCsv(readText(values["task-map"], "the task map"), values["task-map"], p);
    options.taskMapFile = values["task-map"];
    p.throwIfAny();
  }
  if (values["tokens-per-shot"]) options.tokensPerShot = tokensOption(values["tokens-per-shot"]);
  if (values.metric) options.metric = values.metric;
  if (values.tasks) options.tasks = values.tasks.split(",").filter(Boolean);
  const table = modelsTable(values.models, format);
  const misnamed: DataProblem[] = [];
  if (format === "project") return project(rest, table, values.out, misnamed, values.progress!);
  const files = readSourceFiles(rest, FORMAT_INFO[format].picks, FORMAT_INFO[format].picksDescription, misnamed, format);
  // Misnamed files are reported together with every problem of the files that were read.
  let result;
  try {
    result = importFiles(format, files, table, options);
  } catch (err) {
    if (err instanceof DataError && misnamed.length) throw new DataError([...misnamed, ...err.problems]);
    throw err;
  }
  if (misnamed.length) throw new DataError(misnamed);
  for (const n of result.notes) console.error(`note: ${n}`);
  const obs = result.observations;
  emit(serializeObservationsCsv(obs), values.out, `${obs.length} observations (${new Set(obs.map((o) => o.task)).size} tasks, ${new Set(obs.map((o) => o.model)).size} models, from ${files.length} files)`);
  return 0;
}

// process.exitCode rather than process.exit(): exiting at once can cut off output still being
// written to a pipe.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError || err instanceof ImportOptionError) {
      console.error(`error: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof DataError) {
      const { total, files } = err;
      console.error(`error: ${total} problem${total === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}; nothing was written\n${err.message}`);
      process.exitCode = 2;
    } else if (err instanceof FitError) {
      console.error(`error: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(reportUnexpected(err));
      process.exitCode = isPathError(err) ? EXIT.badInput : EXIT.internal;
    }
  },
);
