// The Observational Scaling Laws study's table of public base models (Ruan, Maddison, Hashimoto,
// "Observational Scaling Laws and the Predictability of Language Model Performance", NeurIPS
// 2024, arXiv 2405.10938; ryoungj/ObsScaling, Apache-2.0): eval_results/base_llm_benchmark_eval.csv,
// one row per model with its family, size, data size, the study's 6·N·D FLOPs estimate and its
// scores under the Open LLM Leaderboard (v1) protocol.
//
// Unlike the other formats this file carries its own models table, so the importer returns both.
// - Models without FLOPs (unpublished data size) are left out and counted, never guessed.
// - The table has no context limits and no prompt lengths. Each benchmark is scored at one fixed
//   shot count, so within a benchmark n_pmt is one number and the context factor is a constant
//   (it folds into the compute factor's ceiling). We keep that explicit with a convention:
//   n_ctx = 1,048,576 for every model (a placeholder, not the models' real limits) and
//   n_pmt = (shots + 1) × a rough tokens-per-example estimate, well below it, so the penalty
//   never binds. Both are labelled as such in the output's source fields.
import type { ModelInfo, Observation } from "../types.js";
import type { ModelsTable, ImportResult, RawPoint } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import { Problems, cellNumber, quote } from "./problems.js";
import { readCsv } from "./csv-table.js";
import type { SourceFile } from "./types.js";

export const OBSSCALING_COLUMNS = [
  "Model", "Model Family", "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)",
  "MMLU", "ARC-C", "HellaSwag", "Winograd", "TruthfulQA", "GSM8K", "XWinograd", "HumanEval",
] as const;

export const OBSSCALING_CITATION =
  "Ruan, Maddison, Hashimoto, Observational Scaling Laws (NeurIPS 2024, arXiv 2405.10938; ryoungj/ObsScaling, Apache-2.0)";

/** The placeholder context limit (see the header comment): larger than any n_pmt below. */
export const OBSSCALING_N_CTX = 1_048_576;

/** Benchmark column → task name, the Open LLM Leaderboard (v1) shot count, tokens per example (a rough estimate). */
export const OBSSCALING_BENCHMARKS: ReadonlyArray<{ column: (typeof OBSSCALING_COLUMNS)[number]; task: string; shots: number; tokensPerExample: number }> = [
  { column: "MMLU", task: "mmlu", shots: 5, tokensPerExample: 110 },
  { column: "ARC-C", task: "arc_challenge", shots: 25, tokensPerExample: 45 },
  { column: "HellaSwag", task: "hellaswag", shots: 10, tokensPerExample: 90 },
  // The study's column is named "Winograd"; its README and the leaderboard call it Winogrande (5-shot).
  { column: "Winograd", task: "winogrande", shots: 5, tokensPerExample: 30 },
  { column: "TruthfulQA", task: "truthfulqa", shots: 0, tokensPerExample: 350 },
  { column: "GSM8K", task: "gsm8k", shots: 5, tokensPerExample: 130 },
  { column: "XWinograd", task: "xwinograd", shots: 0, tokensPerExample: 30 },
  { column: "HumanEval", task: "humaneval", shots: 0, tokensPerExample: 150 },
];

export interface ObsScalingResult extends ImportResult {
  models: ModelInfo[];
  /** model → family, for the experiment's within-family fits */
  families: Record<string, string>;
  /** models left out because the study gives no FLOPs for them */
  withoutFlops: string[];
}

const WHAT = "the Observational Scaling Laws table (base_llm_benchmark_eval.csv)";

function looksLike(header: string[]): string | null {
  if (header.includes("compute_flops")) return "the project's own observations CSV: use the `project` format";
  if (header.includes("parsinlu_qa_2_acc")) return "the study's emergent-capability table, which has no FLOPs; use base_llm_benchmark_eval.csv";
  return null;
}

/** Imports the study's benchmark table; throws DataError listing every problem (file, row, field). */
export function importObsScaling(file: SourceFile): ObsScalingResult {
  const p = new Problems();
  const fp = p.in(file.name);
  const notes: string[] = [];
  const rows = readCsv(file.text, fp, { what: WHAT, columns: OBSSCALING_COLUMNS }, looksLike);
  const models: ModelInfo[] = [];
  const families: Record<string, string> = {};
  const withoutFlops: string[] = [];
  const raw: RawPoint[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const bad = (field: string) => (found: string, expected: string) => fp.add(line, field, found, expected);
    const name = cells["Model"]!;
    const family = cells["Model Family"]!;
    if (name === "") fp.add(line, "Model", "an empty cell", "the model's name");
    if (family === "") fp.add(line, "Model Family", "an empty cell", "the model family");
    const first = seen.get(name);
    if (name !== "" && first !== undefined) {
      fp.add(line, "Model", `${quote(name)}, the same as row ${first}`, "one row per model; remove one of the two");
      continue;
    }
    seen.set(name, line);
    const size = cellNumber(cells["Model Size (B)"]!, { min: 0, minExclusive: true, expected: "billions of parameters, a number > 0" }, bad("Model Size (B)"));
    // An empty data size or FLOPs cell is the study's "unpublished": the model is left out, not an error.
    const dataRaw = cells["Pretraining Data Size (T)"]!;
    const flopsRaw = cells["FLOPs (1E21)"]!;
    const data = dataRaw === "" ? null : cellNumber(dataRaw, { min: 0, minExclusive: true, expected: "trillions of tokens, a number > 0, or empty when unpublished" }, bad("Pretraining Data Size (T)"));
    const flops = flopsRaw === "" ? null : cellNumber(flopsRaw, { min: 0, minExclusive: true, expected: "FLOPs in units of 1e21, a number > 0, or empty when unpublished" }, bad("FLOPs (1E21)"));
    const scores = OBSSCALING_BENCHMARKS.map((b) => {
      const raw = cells[b.column]!;
      // An empty score is a benchmark the study did not run for this model.
      return raw === "" ? null : cellNumber(raw, { min: 0, max: 1, expected: "a score from 0 to 1, or empty" }, bad(b.column));
    });
    if (name === "" || family === "" || size === null) continue;
    if (flopsRaw === "" || dataRaw === "") {
      if (flopsRaw === "" || flops !== null) withoutFlops.push(name);
      continue;
    }
    if (data === null || flops === null) continue;
    models.push({
      model: name, base_model: family, params_nonembed: Math.round(size * 1e9), pretrain_tokens: data * 1e12, extension_tokens: 0,
      n_ctx: OBSSCALING_N_CTX, extension: "none", compute_flops: flops * 1e21,
      source: `${OBSSCALING_CITATION}, ${file.name} row ${line}; FLOPs the study's 6·N·D estimate; params_nonembed is the study's model size (all parameters); n_ctx ${OBSSCALING_N_CTX} a placeholder (not in the table)`,
    });
    families[name] = family;
    OBSSCALING_BENCHMARKS.forEach((b, i) => {
      const s = scores[i];
      if (s === null || s === undefined) return;
      raw.push({
        task: b.task, model: name, shots: b.shots, n_pmt: (b.shots + 1) * b.tokensPerExample, score: s, metric: "accuracy",
        score_uncertainty: null, n_pmt_uncertainty_rel: null,
        source: `${OBSSCALING_CITATION}: ${b.column}, Open LLM Leaderboard v1 protocol (${b.shots}-shot); n_pmt ≈ (shots + 1) × ${b.tokensPerExample} tokens (estimate)`,
        at: { file: file.name, row: line, field: b.column },
        modelAt: { file: file.name, row: line, field: "Model" },
      });
    });
  }
  p.throwIfAny();
  const table: ModelsTable = { models, file: `${file.name} (its models)` };
  if (withoutFlops.length) notes.push(`${withoutFlops.length} model(s) have no FLOPs in the study's table (unpublished data size) and were left out: ${withoutFlops.join(", ")}`);
  notes.push(`n_ctx is a placeholder (${OBSSCALING_N_CTX}) and n_pmt an estimate, (shots + 1) × tokens per example; each benchmark has one shot count, so the context factor is a constant within a benchmark`);
  const obs: Observation[] = toObservations(raw, table, p, notes);
  const done = finish(obs, table, p, notes);
  return { ...done, models, families, withoutFlops };
}
