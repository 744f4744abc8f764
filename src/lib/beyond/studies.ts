// The other studies whose published results Beyond fits (Bertsch et al. 2024, HELMET, Pythia),
// with their sources and licences, and the conventions for their prompt lengths at the edge of
// the context window.
import type { Observation } from "../types.js";
import { UNKNOWN_COMPUTE_FLOPS, PYTHIA_TOKENS_PER_STEP } from "../import/external-models.js";
import { BERTSCH_TOKENS_PER_DEMO } from "../import/bertsch.js";
import { PYTHIA_TOKENS_PER_EXAMPLE } from "../import/pythia.js";

// ---------------------------------------------------------------------------------------------
// Analysis conventions for prompt lengths at the window's edge
//
// The paper's penalty is the logistic of the raw token difference, a step about ten tokens
// wide, so a point labelled exactly at n_ctx is predicted at half height and one labelled a few
// tokens past it at zero. Two studies label prompts at (or estimate them past) the window when
// by construction they fit in it; the analysis corrects both, the imports keep the labels.

/** How far inside the window a prompt that fits by construction is placed (under 1 % of any n_pmt it applies to). */
export const INSIDE_MARGIN = 50;

/**
 * HELMET labels each input with its nominal length L (8k = 8,192 Llama-2 tokens) and fills
 * demonstrations up to it, so a model whose window is L sees a prompt of at most L tokens of
 * the Llama-2 tokenizer (fewer of its own when its tokenizer is more efficient, as Llama-3's
 * is): inside its window. Those points are analysed INSIDE_MARGIN tokens inside the window.
 */
export function insideAtTheLimit(rows: readonly Observation[]): Observation[] {
  return rows.map((r) => (r.n_pmt === r.n_ctx ? { ...r, n_pmt: r.n_pmt - INSIDE_MARGIN } : r));
}

/**
 * The window Bertsch et al. ran each model with, where it differs from the model's n_ctx (the
 * external README: Mistral-7B-v0.1 was trained at 8,192 but run with 32,768). Their largest
 * shot count per model is "as many as fit" in that window, so the true prompt is at most the
 * window; the estimate shots × tokens per demonstration (a 90th percentile) can overshoot it
 * (Mistral-7B-Instruct-v0.2: 860 banking77 shots × 39 = 33,540 > 32,768). The analysis caps
 * n_pmt at the run window less INSIDE_MARGIN.
 */
export const BERTSCH_RUN_WINDOW: Readonly<Record<string, number>> = { "mistralai/Mistral-7B-v0.1": 32768 };

export function capAtRunWindow(rows: readonly Observation[]): Observation[] {
  return rows.map((r) => {
    const cap = (BERTSCH_RUN_WINDOW[r.model] ?? r.n_ctx) - INSIDE_MARGIN;
    return r.n_pmt > cap ? { ...r, n_pmt: cap } : r;
  });
}

/** The conventions above, per study (Pythia's prompts are far from its window: unchanged). */
export function prepareRows(study: StudyId, rows: readonly Observation[]): Observation[] {
  return study === "helmet" ? insideAtTheLimit(rows) : study === "bertsch2024" ? capAtRunWindow(rows) : [...rows];
}

// ---------------------------------------------------------------------------------------------
// The studies


export type StudyId = "bertsch2024" | "helmet" | "pythia";

export interface ExternalStudy {
  id: StudyId;
  /** short name for tables */
  name: string;
  /** full citation, to print wherever the numbers are used (the licences ask for attribution) */
  citation: string;
  repository: string;
  licence: string;
  /** the folder under the external directory holding its files */
  folder: string;
  /** which files of the repository go into that folder, and where they are there */
  files: string;
  /** what the study's data can test */
  axis: string;
  /** numbers the study does not publish, and how they are handled */
  unknowns: string[];
}

export const EXTERNAL_STUDIES: readonly ExternalStudy[] = [
  {
    id: "bertsch2024", name: "Bertsch et al. 2024",
    citation: 'Bertsch, Ivgi, Xiao, Alon, Berant, Gormley, Neubig, "In-Context Learning with Long-Context Models: An In-Depth Exploration", arXiv:2405.00200 (2024)',
    repository: "github.com/abertsch72/long-context-icl (final-results/, commit 7ec32c2)", licence: "Apache-2.0",
    folder: "bertsch2024",
    files: "final-results/<model>/<dataset>/combined_results.csv → bertsch2024/final-results/<model>/<dataset>/combined_results.csv",
    axis: "the context axis: many-shot ICL up to 2,000 demonstrations, Mistral-7B-v0.1 run past its 8,192-token training length",
    unknowns: [
      `prompt lengths: not in the files; n_pmt ≈ shots × tokens per demonstration (${Object.entries(BERTSCH_TOKENS_PER_DEMO).map(([d, t]) => `${d} ${t}`).join(", ")}), the study's 90th percentile, so an upper estimate`,
      `prompts of the largest ("as many as fit") shot counts are capped at the window the study ran, less ${INSIDE_MARGIN} tokens, where the estimate overshoots it`,
      "compute: the seven models are one size (7B); Llama-2 derivatives share Table 1's C, Mistral's training tokens are unpublished (placeholder): one compute level per fit, so every law is fitted in its fixed-compute form (the compute factor a free constant)",
    ],
  },
  {
    id: "helmet", name: "HELMET",
    citation: 'Yen, Gao, Hou, Ding, Fleischer, Izsak, Wasserblat, Chen, "HELMET: How to Evaluate Long-Context Language Models Effectively and Thoroughly", ICLR 2025',
    repository: "github.com/princeton-nlp/HELMET (data/agg_results_*.csv, commits ce6639d and 5379105)", licence: "MIT",
    folder: "helmet",
    files: "data/agg_results_{8k,16k,32k,64k,128k}.csv → helmet/agg_results_<n>k.csv",
    axis: "the context axis: inputs of 8k–128k tokens against context windows of 8k–2M, 64 models",
    unknowns: [
      `training tokens and compute: not in the files for any model; compute_flops is the placeholder ${UNKNOWN_COMPUTE_FLOPS.toExponential()} for all, each model is fitted on its own, every law in its fixed-compute form`,
      "prompt length: the input length in Llama-2 tokens (8k = 8,192); models with other tokenizers see somewhat other counts",
      "shots: the ICL column averages five datasets with different shot counts; the key uses banking77's",
      `inputs exactly as long as the model's window are analysed ${INSIDE_MARGIN} tokens inside it (HELMET fills inputs up to the length; the literal sigmoid would put them at half height)`,
    ],
  },
  {
    id: "pythia", name: "Pythia",
    citation: 'Biderman, Schoelkopf, Anthony, Bradley, O\'Brien, Hallahan, Khan, Purohit, Prashanth, Raff, Skowron, Sutawika, van der Wal, "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling", ICML 2023',
    repository: "github.com/EleutherAI/pythia (evals/csv, commit a19eecb)", licence: "Apache-2.0",
    folder: "pythia",
    files: "evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv → pythia/evals/csv/pythia-<size>-deduped/term_frquency_all_shots.csv",
    axis: "the compute axis: 7 sizes × 6 checkpoints (C from 1e19 to 2e22 FLOPs), 0–16 shots of arithmetic",
    unknowns: [
      `prompt lengths: not in the files; n_pmt ≈ (shots + 1) × ${PYTHIA_TOKENS_PER_EXAMPLE} tokens, an estimate; prompts stay under 250 of 2,048 tokens, so the penalty never binds and the estimate only rescales n₀`,
      `compute: C = 6·N·D with N non-embedding parameters from the architecture and D = step × ${PYTHIA_TOKENS_PER_STEP.toLocaleString("en-US")} tokens`,
    ],
  },
];

/** What to do when the other studies' files are not there: where each comes from and where it goes. */
export function whereToGetExternal(folderHint: string): string {
  return [
    `The other studies' published results are not part of this project. Put them in ${folderHint}`,
    "(or name another folder with --external DIR or the environment variable CONTEXT_SCALING_EXTERNAL), one folder per study:",
    ...EXTERNAL_STUDIES.map((s) => `  ${s.folder}/  ${s.name} (${s.licence}), from ${s.repository}: ${s.files}`),
  ].join("\n");
}

export function studyById(id: StudyId): ExternalStudy {
  return EXTERNAL_STUDIES.find((s) => s.id === id)!;
}

