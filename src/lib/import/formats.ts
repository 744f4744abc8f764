// The import formats as one table: name, what the files are, which file names a folder walk
// picks up, and the importer. The command line, the site and the tests all go through
// `importFiles`, so a format added here is available everywhere at once.
import type { ModelsTable, ImportResult } from "./finish.js";
import type { SourceFile } from "./types.js";
import type { TaskMap } from "./task-map.js";
import { importStudyEval, STUDY_EVAL_NAME_RE } from "./study-eval.js";
import { importHarness } from "./harness.js";
import { importBertsch } from "./bertsch.js";
import { importHelmet, HELMET_NAME_RE } from "./helmet.js";
import { importPythia } from "./pythia.js";
import { importProject } from "./project.js";
import { baseName } from "./problems.js";

export const FORMATS = ["study-eval", "harness", "bertsch", "helmet", "pythia", "project"] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export interface FormatInfo {
  title: string;
  /** which files of a folder belong to this format (files named explicitly are always read) */
  picks: (name: string) => boolean;
  picksDescription: string;
  /** "default": data/models.csv unless another is given; "required": the user must give one */
  models: "default" | "required";
  /** how n_pmt is obtained, for the docs and --help */
  nPmt: string;
}

export const FORMAT_INFO: Record<Format, FormatInfo> = {
  "study-eval": {
    title: "the study's own evaluation output (wang-research-lab/context-scaling eval.py), one JSON per run",
    picks: (n) => STUDY_EVAL_NAME_RE.test(baseName(n)),
    picksDescription: "dataset=…,model=…,shots=…,local_seed=….json",
    models: "default",
    nPmt: "mean prompt_length of the instances (exact token counts)",
  },
  harness: {
    title: "lm-evaluation-harness results JSON (results → task → metrics)",
    picks: (n) => n.endsWith(".json"),
    picksDescription: "*.json",
    models: "required",
    nPmt: "estimated: (shots + 1) × --tokens-per-shot (required)",
  },
  bertsch: {
    title: "Bertsch et al. 2024 long-context ICL, final-results/<model>/<dataset>/combined_results.csv",
    picks: (n) => baseName(n) === "combined_results.csv",
    picksDescription: "combined_results.csv",
    models: "required",
    nPmt: "estimated: shots × tokens per demonstration (default: the study's per-dataset values; --tokens-per-shot)",
  },
  helmet: {
    title: "HELMET agg_results_<len>.csv, the ICL column",
    picks: (n) => HELMET_NAME_RE.test(baseName(n)),
    picksDescription: "agg_results_<n>k.csv",
    models: "required",
    nPmt: "the input length of the file name (<n>k = n × 1,024 tokens)",
  },
  pythia: {
    title: "Pythia evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv (sizes × checkpoints × shots)",
    picks: (n) => n.endsWith(".csv"),
    picksDescription: "*.csv",
    models: "required",
    nPmt: "estimated: (shots + 1) × tokens per example (default 12; --tokens-per-shot)",
  },
  project: {
    title: "the project's own observations CSV (data/README.md)",
    picks: (n) => n.endsWith(".csv"),
    picksDescription: "*.csv",
    models: "default",
    nPmt: "the file's n_pmt column",
  },
};

export interface ImportOptions {
  /** study-eval and harness: dataset or harness task → task name */
  taskMap?: TaskMap;
  taskMapFile?: string;
  /** harness (required), bertsch, pythia: tokens per demonstration or example; a number, or per dataset/task */
  tokensPerShot?: number | Readonly<Record<string, number>>;
  /** harness: the metric to import (default acc) */
  metric?: string;
  /** harness: only these tasks */
  tasks?: readonly string[];
}

/** A problem with the options rather than the files (the command line turns it into a usage error). */
export class ImportOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportOptionError";
  }
}

/** Imports files of one format; throws DataError (bad files) or ImportOptionError (bad options). */
export function importFiles(format: Format, files: readonly SourceFile[], table: ModelsTable, o: ImportOptions = {}): ImportResult {
  if (files.length === 0) throw new ImportOptionError(`no ${format} files to import (${FORMAT_INFO[format].picksDescription})`);
  const t = o.tokensPerShot;
  switch (format) {
    case "study-eval":
      return importStudyEval(files, table, { taskMap: o.taskMap, taskMapFile: o.taskMapFile });
    case "harness":
      if (t === undefined) throw new ImportOptionError("the harness format needs --tokens-per-shot (tokens per example, one number or TASK=N,…): its files hold no prompt lengths");
      return importHarness(files, table, { tokensPerExample: t, metric: o.metric, tasks: o.tasks, taskMap: o.taskMap, taskMapFile: o.taskMapFile });
    case "bertsch":
      return importBertsch(files, table, { tokensPerDemo: t === undefined ? undefined : typeof t === "number" ? everyDataset(files, t) : t });
    case "helmet":
      return importHelmet(files, table);
    case "pythia":
      if (t !== undefined && typeof t !== "number") throw new ImportOptionError("the pythia format takes one --tokens-per-shot number for every task");
      return importPythia(files, table, { tokensPerExample: t });
    case "project":
      return importProject(files, table);
  }
}

/** One tokens-per-demonstration value for every dataset folder among the files. */
function everyDataset(files: readonly SourceFile[], tokens: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of files) {
    const parts = f.name.split(/[\\/]/);
    if (parts.length >= 2) out[parts[parts.length - 2]!] = tokens;
  }
  return out;
}
