// HELMET (Yen et al., "HELMET: How to Evaluate Long-Context Language Models Effectively and
// Thoroughly", ICLR 2025; princeton-nlp/HELMET, MIT): data/agg_results_<len>.csv, one row per
// model, scores 0–100 per category. We import the ICL column: the mean accuracy over five
// many-shot classification sets whose demonstrations fill the input length.
//
// - n_pmt is the input length, read from the file name: <n>k = n × 1,024 tokens of the
//   Llama-2 tokenizer (HELMET's unit; other models' tokenizers give somewhat other counts).
// - shots: the five sets use different shot counts at one length; the key uses banking77's
//   (360, 720, 1,450, 2,900, 5,900 at 8k … 128k), so shots orders the points like n_pmt does.
// - The file's "Context Window (K)" must agree with the models table's n_ctx (K × 1,024 or
//   K × 1,000 tokens, both conventions occur) so the two cannot silently disagree.
import type { RawPoint, ModelsTable, ImportResult } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import { Problems, cellNumber, baseName, quote, type FileProblems } from "./problems.js";
import { readCsv } from "./csv-table.js";
import type { SourceFile } from "./types.js";

export const HELMET_COLUMNS = [
  "Model", "Context Window (K)", "# Params (B)", "Model type", "Recall", "RAG", "ICL", "Cite", "Re-rank", "LongQA", "Summ", "Average",
] as const;

/** banking77 shot counts at each input length (thousands of tokens), from /work/shared/external/README.md. */
export const HELMET_SHOTS: Readonly<Record<number, number>> = { 8: 360, 16: 720, 32: 1450, 64: 2900, 128: 5900 };

export const HELMET_TASK = "helmet_icl";
export const HELMET_NAME_RE = /agg_results_(\d+)k\.csv$/;

const WHAT = "a HELMET agg_results_<len>.csv";

function looksLike(header: string[]): string | null {
  if (header.includes("n_shots") && header.includes("run_num")) return "a Bertsch et al. combined_results.csv: use the `bertsch` format";
  if (header.includes("fewshot") && header.includes("checkpoint")) return "a Pythia evaluation CSV: use the `pythia` format";
  if (header.includes("compute_flops")) return "the project's own observations CSV: use the `project` format";
  return null;
}

/** The input length in thousands of tokens from the file name, or null. */
export function helmetLength(name: string): number | null {
  const m = HELMET_NAME_RE.exec(baseName(name));
  return m ? Number(m[1]) : null;
}

/** The parsed rows of one file; exported for building a models table from the files themselves. */
export interface HelmetRow {
  line: number;
  model: string;
  contextK: number;
  /** billions of parameters (total; active for mixture-of-experts), null where the file has "?" */
  paramsB: number | null;
  modelType: string;
  icl: number;
}

export function readHelmetRows(f: SourceFile, p: FileProblems): HelmetRow[] {
  const rows = readCsv(f.text, p, { what: WHAT, columns: HELMET_COLUMNS }, looksLike);
  const out: HelmetRow[] = [];
  for (const { line, cells } of rows) {
    const bad = (field: string) => (found: string, expected: string) => p.add(line, field, found, expected);
    const model = cells.Model!;
    if (model === "" || model.trim() !== model) p.add(line, "Model", quote(model), "a non-empty model name without spaces at the start or end");
    const contextK = cellNumber(cells["Context Window (K)"]!, { min: 0, minExclusive: true, expected: "the context window in thousands of tokens, a number > 0" }, bad("Context Window (K)"));
    const rawParams = cells["# Params (B)"]!;
    const paramsB = rawParams === "?" ? null
      : cellNumber(rawParams, { min: 0, minExclusive: true, expected: 'billions of parameters, a number > 0, or "?" when unknown' }, bad("# Params (B)"));
    const icl = cellNumber(cells.ICL!, { min: 0, max: 100, expected: "a percentage from 0 to 100" }, bad("ICL"));
    if (model === "" || model.trim() !== model || contextK === null || icl === null || (rawParams !== "?" && paramsB === null)) continue;
    out.push({ line, model, contextK, paramsB, modelType: cells["Model type"]!, icl });
  }
  return out;
}

function readFile(f: SourceFile, p: FileProblems, table: ModelsTable): RawPoint[] {
  const k = helmetLength(f.name);
  if (k === null) p.at("file name", quote(baseName(f.name)), "agg_results_<n>k.csv, e.g. agg_results_8k.csv (the input length is read from the name)");
  else if (!(k in HELMET_SHOTS)) {
    p.at("file name", `the input length ${k}k`, `one of ${Object.keys(HELMET_SHOTS).map((x) => `${x}k`).join(", ")}, the lengths whose shot counts are known`);
  }
  const rows = readHelmetRows(f, p);
  const byName = new Map(table.models.map((m) => [m.model, m] as const));
  const points: RawPoint[] = [];
  const n_pmt = k === null ? null : k * 1024;
  for (const r of rows) {
    const m = byName.get(r.model);
    if (m && Math.round(m.n_ctx / 1024) !== r.contextK && Math.round(m.n_ctx / 1000) !== r.contextK) {
      p.add(r.line, "Context Window (K)", quote(String(r.contextK)),
        `${Math.round(m.n_ctx / 1024)} (n_ctx ${m.n_ctx} of ${quote(r.model)} in ${table.file}); fix the models table or the file`);
      continue;
    }
    if (n_pmt === null || !(k! in HELMET_SHOTS)) continue;
    points.push({
      task: HELMET_TASK, model: r.model, shots: HELMET_SHOTS[k!]!, n_pmt, score: r.icl / 100, metric: "accuracy",
      score_uncertainty: null, n_pmt_uncertainty_rel: null,
      source: `HELMET (Yen et al., ICLR 2025) data/${baseName(f.name)}: ICL column (mean of 5 many-shot classification sets), input ${n_pmt} Llama-2 tokens, shots = banking77's`,
      at: { file: f.name, row: r.line, field: "ICL" },
      modelAt: { file: f.name, row: r.line, field: "Model" },
    });
  }
  return points;
}

/** Imports HELMET agg_results files; throws DataError listing every problem of every file. */
export function importHelmet(files: readonly SourceFile[], table: ModelsTable): ImportResult {
  const p = new Problems();
  const notes: string[] = [];
  const points = files.flatMap((f) => readFile(f, p.in(f.name), table));
  return finish(toObservations(points, table, p, notes), table, p, notes);
}
