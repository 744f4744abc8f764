// Bertsch et al., "In-Context Learning with Long-Context Models: An In-Depth Exploration"
// (arXiv 2405.00200; abertsch72/long-context-icl, Apache-2.0): final-results/<model>/<dataset>/
// combined_results.csv with the columns n_shots,accuracy,run_num,nspw,f1, one row per run
// (random demonstration set) and shot count. The model ("meta-llama+Llama-2-7b-hf", i.e. the
// Hugging Face id with "+" for "/") and the dataset are only in the folder names.
//
// Per (model, dataset, n_shots): score = mean accuracy over the runs / 100, with the standard
// error across runs as its uncertainty. The files hold no prompt lengths: n_pmt is estimated as
// n_shots × tokens per demonstration, the study's 90th-percentile demonstration length (derived
// from its "as many as fit in 32k" counts), so an upper estimate. The user may give others.
import type { RawPoint, ModelsTable, ImportResult } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import { Problems, cellNumber, mean, standardError, segments, quote, type FileProblems } from "./problems.js";
import { readCsv } from "./csv-table.js";
import type { SourceFile } from "./types.js";

export const BERTSCH_COLUMNS = ["n_shots", "accuracy", "run_num", "nspw", "f1"] as const;

/** Tokens per demonstration (Llama-2 tokenizer, 90th percentile), from /work/shared/external/README.md. */
export const BERTSCH_TOKENS_PER_DEMO: Readonly<Record<string, number>> = { banking77: 39, clinic150: 28, nlu: 25, trec: 29, trecfine: 31 };

export interface BertschOptions {
  /** dataset → tokens per demonstration (default BERTSCH_TOKENS_PER_DEMO) */
  tokensPerDemo?: Readonly<Record<string, number>>;
}

const WHAT = "a Bertsch et al. combined_results.csv";

/** The model id and dataset of final-results/<model>/<dataset>/combined_results.csv. */
export function bertschPath(name: string): { modelDir: string; model: string; dataset: string } | null {
  const parts = segments(name);
  if (parts.length < 3) return null;
  const modelDir = parts[parts.length - 3]!;
  return { modelDir, model: modelDir.replace("+", "/"), dataset: parts[parts.length - 2]! };
}

function looksLike(header: string[]): string | null {
  if (header.includes("ICL") && header.includes("Model")) return "a HELMET agg_results file: use the `helmet` format";
  if (header.includes("fewshot") && header.includes("checkpoint")) return "a Pythia evaluation CSV: use the `pythia` format";
  if (header.includes("compute_flops")) return "the project's own observations CSV: use the `project` format";
  return null;
}

function readFile(f: SourceFile, p: FileProblems, tokensPerDemo: Readonly<Record<string, number>>): RawPoint[] {
  const where = bertschPath(f.name);
  if (!where) {
    p.at("file name", quote(f.name), "a path ending in <model>/<dataset>/combined_results.csv (the model and dataset are read from the folder names, as in final-results/ of the study)");
  }
  const tokens = where ? tokensPerDemo[where.dataset] : undefined;
  if (where && tokens === undefined) {
    p.at("file name", `the dataset ${quote(where.dataset)}, which has no tokens-per-demonstration estimate`,
      `one of ${Object.keys(tokensPerDemo).join(", ")}, or an estimate given with --tokens-per-shot ${where.dataset}=N`);
  }
  const rows = readCsv(f.text, p, { what: WHAT, columns: BERTSCH_COLUMNS }, looksLike);
  const runs = new Map<number, { line: number; accuracy: number }[]>();
  const seenRun = new Map<string, number>();
  for (const { line, cells } of rows) {
    const bad = (field: string) => (found: string, expected: string) => p.add(line, field, found, expected);
    const shots = cellNumber(cells.n_shots!, { integer: true, min: 1, expected: "a whole number of demonstrations, at least 1 (n_pmt is estimated as shots × tokens per demonstration)" }, bad("n_shots"));
    const accuracy = cellNumber(cells.accuracy!, { min: 0, max: 100, expected: "a percentage from 0 to 100" }, bad("accuracy"));
    const run = cellNumber(cells.run_num!, { integer: true, min: 0, expected: "a whole run number, 0 or more" }, bad("run_num"));
    const nspw = cellNumber(cells.nspw!, { integer: true, min: 1, expected: "a whole number of shots per window, at least 1" }, bad("nspw"));
    cellNumber(cells.f1!, { min: 0, max: 1, expected: "a macro-F1 from 0 to 1" }, bad("f1"));
    // The main experiment puts every demonstration in one window (nspw = n_shots); other values
    // come from the study's parallel-window runs, whose prompts are not shots × tokens long.
    if (shots !== null && nspw !== null && nspw !== shots) {
      p.add(line, "nspw", quote(cells.nspw!), `${shots}, equal to n_shots (one window holding every demonstration, the study's main experiment)`);
      continue;
    }
    if (shots === null || accuracy === null || run === null) continue;
    const key = `${shots}/${run}`;
    const first = seenRun.get(key);
    if (first !== undefined) {
      p.add(line, "n_shots, run_num", `the run (n_shots ${shots}, run_num ${run}) again, first on row ${first}`, "one row per run; remove the repeated row");
      continue;
    }
    seenRun.set(key, line);
    runs.set(shots, [...(runs.get(shots) ?? []), { line, accuracy }]);
  }
  if (!where || tokens === undefined) return [];
  return [...runs].map(([shots, rs]) => {
    const acc = rs.map((r) => r.accuracy / 100);
    return {
      task: where.dataset, model: where.model, shots, n_pmt: shots * tokens, score: mean(acc), metric: "accuracy",
      score_uncertainty: standardError(acc), n_pmt_uncertainty_rel: null,
      source: `Bertsch et al. 2024 (arXiv:2405.00200) final-results/${where.modelDir}/${where.dataset}: mean of ${rs.length} run(s); n_pmt ≈ shots × ${tokens} tokens (upper estimate)`,
      at: { file: p.file, row: rs[0]!.line, field: "n_shots" },
      modelAt: { file: p.file, row: null, field: "file name" },
    };
  });
}

/** Imports combined_results.csv files; throws DataError listing every problem of every file. */
export function importBertsch(files: readonly SourceFile[], table: ModelsTable, options: BertschOptions = {}): ImportResult {
  const tokensPerDemo = options.tokensPerDemo ?? BERTSCH_TOKENS_PER_DEMO;
  const p = new Problems();
  const notes: string[] = [];
  const points = files.flatMap((f) => readFile(f, p.in(f.name), tokensPerDemo));
  const used = [...new Set(points.map((x) => x.task))].sort();
  if (used.length) notes.push(`n_pmt estimated as shots × tokens per demonstration: ${used.map((d) => `${d} ${tokensPerDemo[d]}`).join(", ")}`);
  return finish(toObservations(points, table, p, notes), table, p, notes);
}
