// The "Your data" page without the page: which format dropped files are in, which of them a
// format reads, which models table applies, the import itself (the library's importers, the
// same calls as `npm run import`), the fit plan and the curves. No DOM and no Node: the page
// runs it in the browser, the browser tests run it in Node to compute what the page must show.
import {
  FORMATS, FORMAT_INFO, importFiles, ImportOptionError, parseTaskMapCsv, STUDY_EVAL_NAME_RE,
  BERTSCH_MODELS, pythiaModels, helmetModels, type Format, type ImportOptions, type ModelsTable, type SourceFile,
} from "./index.js";
import { Problems, baseName } from "./problems.js";
import {
  DataError, parseModelsCsv, serializeModelsCsv, serializeObservationsCsv, type DataProblem,
} from "../observations.js";
import { DEFAULT_SETTINGS, type ExperimentPlan, type Settings } from "../experiments.js";
import type { Kernel, FitResult } from "../kernel.js";
import type { Observation } from "../types.js";
import type { NamedLaw } from "../named-laws.js";

export { FORMATS, FORMAT_INFO };
export type { Format };

/** A file the reader gave: its path as the browser reports it, its text, and whether it came from a folder. */
export interface DroppedFile extends SourceFile {
  /** true when it was found inside a dropped or chosen folder (then a format reads it only if its name fits) */
  fromFolder: boolean;
}

/** What a single file looks like, from its name and its first line. */
export type Guess = Format | "models-table" | "task-map" | null;

const firstLine = (text: string): string[] => {
  const line = text.replace(/^\ufeff/, "").split(/\r?\n/, 1)[0] ?? "";
  return line.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
};

/** The format one file appears to be in (null: none that the importers know). */
export function guessFile(f: SourceFile): Guess {
  const base = baseName(f.name);
  const lower = base.toLowerCase();
  if (STUDY_EVAL_NAME_RE.test(base)) return "study-eval";
  if (lower.endsWith(".json")) {
    const head = f.text.slice(0, 200_000);
    if (/"instances"\s*:/.test(head) && /"n_shots"\s*:/.test(head)) return "study-eval";
    if (/"results"\s*:/.test(head)) return "harness";
    return null;
  }
  const header = firstLine(f.text);
  const has = (...cols: string[]) => cols.every((c) => header.includes(c));
  if (has("params_nonembed", "compute_flops", "n_ctx") && !header.includes("score")) return "models-table";
  if (has("compute_flops", "n_pmt", "score") || has("task", "model", "n_pmt", "score")) return "project";
  if (has("fewshot", "checkpoint", "acc")) return "pythia";
  if (has("n_shots", "accuracy", "run_num")) return "bertsch";
  if (has("Model", "ICL") || /agg_results_\d+k\.csv$/.test(base)) return "helmet";
  if (base === "combined_results.csv") return "bertsch";
  if (header.length === 2 && has("dataset", "task")) return "task-map";
  return null;
}

export interface Detection {
  /** the format most of the files are in, or null */
  format: Format | null;
  /** one sentence for the page */
  reason: string;
  /** files per guessed format */
  counts: Partial<Record<Format, number>>;
  /** files that look like a models table or a task map (the page uses them as such) */
  modelsTables: DroppedFile[];
  taskMaps: DroppedFile[];
  /** files named explicitly whose format could not be told */
  unknown: DroppedFile[];
}

/** The format of a set of files: the one most of them are in (ties: FORMATS order). */
export function detectFormat(files: readonly DroppedFile[]): Detection {
  const counts: Partial<Record<Format, number>> = {};
  const modelsTables: DroppedFile[] = [];
  const taskMaps: DroppedFile[] = [];
  const unknown: DroppedFile[] = [];
  for (const f of files) {
    const g = guessFile(f);
    if (g === "models-table") modelsTables.push(f);
    else if (g === "task-map") taskMaps.push(f);
    else if (g === null) {
      if (!f.fromFolder) unknown.push(f);
    } else counts[g] = (counts[g] ?? 0) + 1;
  }
  const ranked = FORMATS.filter((f) => counts[f]).sort((a, b) => counts[b]! - counts[a]!);
  const format = ranked[0] ?? null;
  const describe = ranked.map((f) => `${counts[f]} ${f}`).join(", ");
  const reason = format === null
    ? "none of the files looks like a format the importers know; choose the format"
    : ranked.length === 1
      ? `${describe} file${counts[format]! > 1 ? "s" : ""}`
      : `mixed: ${describe}; importing as ${format} (the other files will be reported, or choose another format)`;
  return { format, reason, counts, modelsTables, taskMaps, unknown };
}

/** The files a format reads: every file named explicitly, and the files in folders whose name the format picks (as `npm run import` walks a folder). */
export function filesFor(format: Format, files: readonly DroppedFile[], exclude: readonly DroppedFile[] = []): SourceFile[] {
  const skip = new Set(exclude);
  return files
    .filter((f) => !skip.has(f) && (!f.fromFolder || FORMAT_INFO[format].picks(f.name)))
    .map((f) => ({ name: f.name, text: f.text }));
}

// ---------------------------------------------------------------------------------------------
// Models tables

/** The file names the documented tables carry in messages (the same as src/lib/node/import-files.ts uses). */
export const DOCUMENTED_TABLE_NAMES = {
  bertsch: "BERTSCH_MODELS (src/lib/import/external-models.ts)",
  pythia: "pythiaModels() (src/lib/import/external-models.ts)",
  helmet: "helmetModels(HELMET files)",
  data: "data/models.csv",
} as const;

/** What the page offers when the reader gives no models table. */
export function documentedTableLabel(format: Format): string | null {
  switch (format) {
    case "study-eval":
    case "project":
      return "data/models.csv (the paper's Table 1), the command line's default";
    case "bertsch":
      return "the documented Bertsch et al. table (npm run import -- models bertsch)";
    case "pythia":
      return "the documented Pythia table (npm run import -- models pythia)";
    case "helmet":
      return "a table built from the HELMET files themselves (npm run import -- models helmet FILES)";
    case "harness":
      return null;
  }
}

/** The documented models table for a format (throws DataError for HELMET files that cannot describe their models). */
export function documentedTable(format: Format, files: readonly SourceFile[], siteModelsText: string): ModelsTable | null {
  switch (format) {
    case "study-eval":
    case "project":
      return { models: parseModelsCsv(siteModelsText, DOCUMENTED_TABLE_NAMES.data), file: DOCUMENTED_TABLE_NAMES.data };
    case "bertsch":
      return { models: [...BERTSCH_MODELS], file: DOCUMENTED_TABLE_NAMES.bertsch };
    case "pythia":
      return { models: pythiaModels(), file: DOCUMENTED_TABLE_NAMES.pythia };
    case "helmet":
      return { models: helmetModels(files), file: DOCUMENTED_TABLE_NAMES.helmet };
    case "harness":
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Options

/** "39" → 39; "banking77=39,nlu=25" → {banking77: 39, nlu: 25}; "" → undefined. The command line's rule. */
export function parseTokensPerShot(text: string): number | Record<string, number> | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const positive = (s: string) => {
    const x = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || !(x > 0)) throw new ImportOptionError(`tokens per shot needs numbers > 0, got "${s}"`);
    return x;
  };
  if (!t.includes("=")) return positive(t);
  const out: Record<string, number> = {};
  for (const part of t.split(",")) {
    const [name, value, ...rest] = part.split("=");
    if (!name || value === undefined || rest.length) throw new ImportOptionError(`tokens per shot: "${part}" is not NAME=N`);
    out[name.trim()] = positive(value.trim());
  }
  return out;
}

export interface ImportRequest {
  format: Format;
  files: readonly SourceFile[];
  /** the reader's models table, or null for the documented one */
  models: SourceFile | null;
  taskMap: SourceFile | null;
  tokensPerShot?: string;
  metric?: string;
  tasks?: string;
  /** data/models.csv as shipped with the site */
  siteModelsText: string;
}

export type ImportOutcome =
  | {
    ok: true;
    observations: Observation[];
    notes: string[];
    table: ModelsTable;
    /** the observations as the project's CSV (what `npm run import --out` writes) */
    csv: string;
    /** the models table as CSV, for the worker and for download */
    modelsCsv: string;
    modelsLabel: string;
  }
  | { ok: false; problems: DataProblem[] };

/** A problem with the page's settings rather than a file: shown in the same list. */
function optionProblem(field: string, found: string, expected: string): DataProblem {
  return { file: "(settings on this page)", row: null, field, found, expected };
}

/**
 * Imports the files exactly as `npm run import -- FORMAT … [--models F] [--task-map F]` does
 * (the same importFiles call); every problem of the models table, the task map and the files
 * is returned, nothing is partly imported.
 */
export function runImport(r: ImportRequest): ImportOutcome {
  if (r.files.length === 0) {
    return { ok: false, problems: [optionProblem("files", `no ${r.format} files among those given`, `files the ${r.format} format reads (${FORMAT_INFO[r.format].picksDescription}), or another format`)] };
  }
  const problems: DataProblem[] = [];
  const collect = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof DataError) problems.push(...err.problems);
      else if (err instanceof ImportOptionError) problems.push(optionProblem("options", err.message, "settings the format accepts (see the command line's --help)"));
      else throw err;
    }
  };
  const options: ImportOptions = {};
  collect(() => {
    options.tokensPerShot = parseTokensPerShot(r.tokensPerShot ?? "");
  });
  if (r.metric?.trim()) options.metric = r.metric.trim();
  if (r.tasks?.trim()) options.tasks = r.tasks.split(",").map((s) => s.trim()).filter(Boolean);
  if (r.taskMap) {
    collect(() => {
      const p = new Problems();
      options.taskMap = parseTaskMapCsv(r.taskMap!.text, r.taskMap!.name, p);
      options.taskMapFile = r.taskMap!.name;
      p.throwIfAny();
    });
  }
  let table: ModelsTable | null = null;
  let modelsText: string | null = null;
  let modelsLabel = "";
  collect(() => {
    if (r.models) {
      table = { models: parseModelsCsv(r.models.text, r.models.name), file: r.models.name };
      modelsText = r.models.text;
      modelsLabel = `${r.models.name} (yours)`;
    } else {
      table = documentedTable(r.format, r.files, r.siteModelsText);
      modelsLabel = documentedTableLabel(r.format) ?? "";
      if (table === null) {
        problems.push(optionProblem("models table", "no models table", `a models table CSV with the columns of data/models.csv (each model's compute and context limit): the ${r.format} format has no documented one`));
      }
    }
  });
  if (problems.length || table === null) return { ok: false, problems };
  const t: ModelsTable = table;
  try {
    const result = importFiles(r.format, r.files, t, options);
    return {
      ok: true, observations: result.observations, notes: result.notes, table: t,
      csv: serializeObservationsCsv(result.observations),
      modelsCsv: modelsText ?? serializeModelsCsv(t.models), modelsLabel,
    };
  } catch (err) {
    if (err instanceof DataError) return { ok: false, problems: err.problems };
    if (err instanceof ImportOptionError) return { ok: false, problems: [optionProblem("options", err.message, "settings the format accepts")] };
    throw err;
  }
}

/** Which options a format uses (the page shows only those). */
export const FORMAT_OPTIONS: Record<Format, { tokensPerShot: "required" | "optional" | null; metric: boolean; tasks: boolean; taskMap: boolean }> = {
  "study-eval": { tokensPerShot: null, metric: false, tasks: false, taskMap: true },
  harness: { tokensPerShot: "required", metric: true, tasks: true, taskMap: true },
  bertsch: { tokensPerShot: "optional", metric: false, tasks: false, taskMap: false },
  helmet: { tokensPerShot: null, metric: false, tasks: false, taskMap: false },
  pythia: { tokensPerShot: "optional", metric: false, tasks: false, taskMap: false },
  project: { tokensPerShot: null, metric: false, tasks: false, taskMap: false },
};

// ---------------------------------------------------------------------------------------------
// The fit

export interface FitSettings {
  variant: NamedLaw;
  seed: number;
  restarts: number;
  resamples: number;
  scheme: "observations" | "models";
  /** hold out prompts of at least this many tokens (context generalisation), or null: fit every point */
  threshold: number | null;
}

export const DEFAULT_FIT_SETTINGS: FitSettings = { variant: "full", seed: 1, restarts: 4, resamples: 0, scheme: "observations", threshold: null };

/**
 * The plan of one task of the reader's data: the in-distribution fit (every point; errors on
 * all points, inside and past the window) or, with a threshold, the context-generalisation fit
 * (fit below it, predict the rest). Split names and selections are those of the library's
 * plans, so `npm run fit -- --data … --experiment in-distribution|context-generalisation`
 * prints the same numbers. No comparison with the paper: these are not the paper's data.
 */
export function userPlan(task: string, s: FitSettings): ExperimentPlan {
  const settings: Settings = {
    ...DEFAULT_SETTINGS, variant: s.variant, seed: s.seed, restarts: s.restarts, resamples: s.resamples, scheme: s.scheme,
    threshold: s.threshold ?? DEFAULT_SETTINGS.threshold,
  };
  const base = { task, settings, comparisons: [], curveModels: [], missing: [] };
  if (s.threshold === null) {
    return {
      ...base, experiment: "in-distribution", title: "Your data: the law fitted to every point", question: "How closely does the law fit these points?",
      fits: [{
        label: "law", variant: s.variant, fitOn: {},
        evaluate: [{ name: "all", on: {} }, { name: "n_pmt ≤ n_ctx", on: { within_context: true } }, { name: "n_pmt > n_ctx", on: { within_context: false } }],
      }],
    };
  }
  const t = s.threshold;
  return {
    ...base, experiment: "context-generalisation", title: `Your data: fitted below ${t} tokens`, question: "Fitted on the shorter prompts, does the law predict the longer ones?",
    fits: [{
      label: "law", variant: s.variant, fitOn: { n_pmt_below: t },
      evaluate: [
        { name: `fitted (n_pmt < ${t})`, on: { n_pmt_below: t } },
        { name: `held out (n_pmt ≥ ${t})`, on: { n_pmt_at_least: t } },
        { name: "held out, n_pmt ≤ n_ctx", on: { n_pmt_at_least: t, within_context: true } },
      ],
    }],
  };
}

/** The command lines that print the same numbers (after saving the two CSVs the page offers). */
export function cliCommands(format: Format, task: string, s: FitSettings, modelsGiven: boolean): { importCommand: string; fitCommand: string } {
  const models = modelsGiven || !["study-eval", "project"].includes(format) ? " --models models.csv" : "";
  const experiment = s.threshold === null ? "in-distribution" : "context-generalisation";
  return {
    importCommand: `npm run import -- ${format} YOUR_FILES_OR_FOLDER${models} --out observations.csv`,
    fitCommand: `npm run fit -- --data observations.csv --models models.csv --experiment ${experiment} --task ${task} --variant ${s.variant} --seed ${s.seed} --restarts ${s.restarts} --resamples ${s.resamples}` +
      (s.resamples > 0 ? ` --scheme ${s.scheme}` : "") + (s.threshold !== null ? ` --threshold ${s.threshold}` : ""),
  };
}

/** Points evenly spaced in log n_pmt from lo to hi, plus one either side of n_ctx when it lies between. */
export function logGrid(lo: number, hi: number, count = 200, nCtx?: number): number[] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const grid = Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
  if (nCtx !== undefined) for (const n of [nCtx - 8, nCtx + 8]) if (n > lo && n < hi) grid.push(n);
  return grid.sort((x, y) => x - y);
}

/** The x range of a figure of these rows: the prompts, with a margin, and each n_ctx if it is near. */
export function xDomain(rows: readonly Observation[]): [number, number] {
  const n = rows.map((r) => r.n_pmt);
  let lo = Math.min(...n) / 1.6;
  let hi = Math.max(...n) * 1.6;
  for (const r of rows) if (r.n_ctx < hi * 4) hi = Math.max(hi, r.n_ctx * 1.25);
  lo = Math.max(1, lo);
  return [lo, hi];
}

export interface Curve {
  model: string;
  n_ctx: number;
  compute_flops: number;
  n_pmt: number[];
  predicted: number[];
}

/**
 * The fitted law on a log grid for each model of the task, at the model's compute and context
 * limit. A fixed-compute fit says nothing about another compute level, so models outside the
 * fitted level get no curve (the rule of src/lib/run.ts).
 */
export function curvesFor(kernel: Kernel, fit: FitResult, taskRows: readonly Observation[], fitRows: readonly Observation[], models: readonly string[]): Curve[] {
  const [lo, hi] = xDomain(taskRows);
  const logs = fitRows.map((r) => Math.log10(r.compute_flops));
  const cLo = Math.min(...logs) - kernel.minComputeSpread;
  const cHi = Math.max(...logs) + kernel.minComputeSpread;
  const out: Curve[] = [];
  for (const model of models) {
    const r = taskRows.find((o) => o.model === model);
    if (!r) continue;
    const logC = Math.log10(r.compute_flops);
    if (fit.variant.startsWith("fixed-compute") && (logC < cLo || logC > cHi)) continue;
    const grid = logGrid(lo, hi, 200, r.n_ctx);
    const predicted = kernel.predict(fit.variant, fit.params, grid.map((n) => ({ compute_flops: r.compute_flops, n_ctx: r.n_ctx, n_pmt: n })));
    out.push({ model, n_ctx: r.n_ctx, compute_flops: r.compute_flops, n_pmt: grid, predicted });
  }
  return out;
}

/** Up to `max` models to draw by default: spread over the compute and context range (sorted by compute, then n_ctx). */
export function defaultShownModels(rows: readonly Observation[], max = 12): string[] {
  const models = [...new Map(rows.map((r) => [r.model, r] as const)).values()]
    .sort((a, b) => a.compute_flops - b.compute_flops || a.n_ctx - b.n_ctx || (a.model < b.model ? -1 : 1))
    .map((r) => r.model);
  if (models.length <= max) return models;
  const picked = new Set<string>();
  for (let i = 0; i < max; i++) picked.add(models[Math.round((i * (models.length - 1)) / (max - 1))]!);
  return models.filter((m) => picked.has(m));
}
