// Pythia's few-shot arithmetic evaluations across sizes and training checkpoints (Biderman et
// al., "Pythia", ICML 2023; EleutherAI/pythia, Apache-2.0):
// evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv (file name as published) with the
// columns model,checkpoint,task,fewshot,acc,acc_stderr. One task per first operand
// (num_reasoning_arithmetic_addition_<operand>); shots 0, 2, 4, 8, 16; checkpoints 13k–143k.
//
// - Model: the checkpoint is a model of its own (its compute differs), named
//   "<id>@step<checkpoint>" as the Hugging Face revision is; the old size names in the files
//   (125m, 350m, …) are mapped to the current ones (160m, 410m, …) so one models table serves.
// - Task: the operand suffix is dropped and the per-operand accuracies averaged (unweighted:
//   the files do not give instance counts), "num_reasoning_arithmetic_addition_7" →
//   "arithmetic_addition"; the uncertainty is √(Σ stderr²) / k (independent subsets).
// - n_pmt is not in the files: (shots + 1) × tokens per example, the test item counted as one.
//   The default, 12 tokens ("Q: What is 24 plus 18? A: 42" and a separator, GPT-NeoX
//   tokenizer), is an estimate; with a 2,048-token context and at most 17 examples the penalty
//   never binds, and the estimate only rescales the fitted n₀.
import type { RawPoint, ModelsTable, ImportResult } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import { Problems, cellNumber, type FileProblems } from "./problems.js";
import { readCsv } from "./csv-table.js";
import type { SourceFile } from "./types.js";

export const PYTHIA_COLUMNS = ["model", "checkpoint", "task", "fewshot", "acc", "acc_stderr"] as const;

/** Old Pythia size names (in the files) → current ones (the models table's). */
export const PYTHIA_RENAMES: Readonly<Record<string, string>> = {
  "125m": "160m", "350m": "410m", "800m": "1b", "1.3b": "1.4b", "2.7b": "2.8b", "6.7b": "6.9b", "13b": "12b",
};

export const PYTHIA_TOKENS_PER_EXAMPLE = 12;

export interface PythiaOptions {
  /** tokens per example, demonstrations and the test item alike (default 12, an estimate) */
  tokensPerExample?: number;
}

const WHAT = "a Pythia evaluation CSV (term_frquency_all_shots.csv)";

/** "EleutherAI/pythia-125m-deduped" → "EleutherAI/pythia-160m-deduped". */
export function currentPythiaName(model: string): string {
  return model.replace(/(pythia-)([\d.]+[mb])(?=-|$)/, (_, prefix: string, size: string) => prefix + (PYTHIA_RENAMES[size] ?? size));
}

/** "num_reasoning_arithmetic_addition_7" → "arithmetic_addition". */
export function pythiaTask(task: string): string {
  return task.replace(/_\d+$/, "").replace(/^num_reasoning_/, "");
}

function looksLike(header: string[]): string | null {
  if (header.includes("n_shots") && header.includes("run_num")) return "a Bertsch et al. combined_results.csv: use the `bertsch` format";
  if (header.includes("ICL") && header.includes("Model")) return "a HELMET agg_results file: use the `helmet` format";
  if (header.includes("compute_flops")) return "the project's own observations CSV: use the `project` format";
  return null;
}

interface Cell {
  line: number;
  acc: number;
  se: number;
}

function readFile(f: SourceFile, p: FileProblems, groups: Map<string, Cell[]>): void {
  const rows = readCsv(f.text, p, { what: WHAT, columns: PYTHIA_COLUMNS }, looksLike);
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const bad = (field: string) => (found: string, expected: string) => p.add(line, field, found, expected);
    for (const c of ["model", "task"] as const) if (cells[c] === "") p.add(line, c, "an empty cell", `the ${c} name`);
    const step = cellNumber(cells.checkpoint!, { integer: true, min: 0, minExclusive: true, expected: "the training step, a whole number > 0" }, bad("checkpoint"));
    const shots = cellNumber(cells.fewshot!, { integer: true, min: 0, expected: "the number of demonstrations, a whole number ≥ 0" }, bad("fewshot"));
    const acc = cellNumber(cells.acc!, { min: 0, max: 1, expected: "an accuracy from 0 to 1" }, bad("acc"));
    const se = cellNumber(cells.acc_stderr!, { min: 0, max: 1, expected: "a standard error from 0 to 1" }, bad("acc_stderr"));
    if (step === null || shots === null || acc === null || se === null || cells.model === "" || cells.task === "") continue;
    const rowKey = JSON.stringify([cells.model, step, cells.task, shots]);
    const first = seen.get(rowKey);
    if (first !== undefined) {
      p.add(line, "model, checkpoint, task, fewshot", `the same evaluation as row ${first}`, "one row per (model, checkpoint, task, fewshot); remove the repeated row");
      continue;
    }
    seen.set(rowKey, line);
    const key = JSON.stringify([f.name, pythiaTask(cells.task!), `${currentPythiaName(cells.model!)}@step${step}`, shots]);
    groups.set(key, [...(groups.get(key) ?? []), { line, acc, se }]);
  }
}

/** Imports Pythia evaluation CSVs; throws DataError listing every problem of every file. */
export function importPythia(files: readonly SourceFile[], table: ModelsTable, options: PythiaOptions = {}): ImportResult {
  const tokens = options.tokensPerExample ?? PYTHIA_TOKENS_PER_EXAMPLE;
  if (!(tokens > 0) || !Number.isFinite(tokens)) throw new RangeError(`tokens per example must be a number > 0, got ${tokens}`);
  const p = new Problems();
  const notes: string[] = [];
  const groups = new Map<string, Cell[]>();
  for (const f of files) readFile(f, p.in(f.name), groups);
  const points: RawPoint[] = [];
  const subtaskCounts = new Set<number>();
  for (const [key, cells] of groups) {
    const [file, task, model, shots] = JSON.parse(key) as [string, string, string, number];
    const k = cells.length;
    subtaskCounts.add(k);
    points.push({
      task, model, shots, n_pmt: (shots + 1) * tokens, score: cells.reduce((a, c) => a + c.acc, 0) / k, metric: "accuracy",
      score_uncertainty: Math.sqrt(cells.reduce((a, c) => a + c.se ** 2, 0)) / k, n_pmt_uncertainty_rel: null,
      source: `Pythia (Biderman et al. 2023) ${file}: mean acc of ${k} operand subtask(s); n_pmt ≈ (shots + 1) × ${tokens} tokens (estimate)`,
      at: { file, row: cells[0]!.line, field: "task" },
      modelAt: { file, row: cells[0]!.line, field: "model, checkpoint" },
    });
  }
  if (subtaskCounts.size > 1) notes.push(`the points average different numbers of operand subtasks (${[...subtaskCounts].sort((a, b) => a - b).join(", ")}): some rows are missing from the files`);
  if (points.length) notes.push(`n_pmt estimated as (shots + 1) × ${tokens} tokens; model names use the current Pythia sizes (${Object.entries(PYTHIA_RENAMES).map(([a, b]) => `${a}→${b}`).join(", ")})`);
  return finish(toObservations(points, table, p, notes), table, p, notes);
}
