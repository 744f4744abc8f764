// Models tables for the other studies' results (same columns as data/models.csv), built from
// the facts in /work/shared/external/README.md. The law needs each model's training compute C
// and context limit n_ctx; where a study does not publish a number we say so here, in the
// table's `source` column and on every page that uses it, and put a conspicuous placeholder
// in the column instead of a plausible-looking guess:
//
// - UNKNOWN: pretrain_tokens = 1 and compute_flops = UNKNOWN_COMPUTE_FLOPS (1e24), the same
//   for every such model. Equal placeholders make any pooled fit of these models one compute
//   level, which the kernel refuses for every law with a compute factor; only
//   `fixed-compute` (c · f_n · S, c free) fits them, and it needs no compute at all.
//   HELMET (every model) and Mistral-7B are in this case; closed HELMET models also lack a
//   parameter count (params_nonembed = 1, the placeholder).
// - Pythia publishes everything: N from the architecture, D = step × 2,097,152 tokens.
import type { ModelInfo } from "../types.js";
import { Problems, quote } from "./problems.js";
import { readHelmetRows, type HelmetRow } from "./helmet.js";
import type { SourceFile } from "./types.js";

export const UNKNOWN_COMPUTE_FLOPS = 1e24;
export const UNKNOWN_TOKENS = 1;
export const UNKNOWN_PARAMS = 1;

// ---------------------------------------------------------------------------------------------
// Pythia (Biderman et al., ICML 2023; EleutherAI/pythia)

/** Tokens per training step: 1,024 sequences × 2,048 tokens (the Pythia README). */
export const PYTHIA_TOKENS_PER_STEP = 2_097_152;
export const PYTHIA_CHECKPOINTS = [13000, 39000, 65000, 91000, 117000, 143000] as const;
export const PYTHIA_CONTEXT = 2048;

/**
 * Layers, model width and (padded) vocabulary of each size, from the Pythia paper's table.
 * The total parameter count L(12d² + 13d) + 2d + 2Vd (GPT-NeoX: QKV, output, 4d MLP with biases,
 * two layer norms per layer, a final norm, untied input and output embeddings) reproduces the
 * totals in the external README exactly; test/beyond.test.ts checks it. The law's N is the
 * non-embedding part, L(12d² + 13d) + 2d.
 */
export const PYTHIA_ARCHITECTURE: Readonly<Record<string, { layers: number; width: number; vocab: number; total: number }>> = {
  "160m": { layers: 12, width: 768, vocab: 50304, total: 162_322_944 },
  "410m": { layers: 24, width: 1024, vocab: 50304, total: 405_334_016 },
  "1b": { layers: 16, width: 2048, vocab: 50304, total: 1_011_781_632 },
  "1.4b": { layers: 24, width: 2048, vocab: 50304, total: 1_414_647_808 },
  "2.8b": { layers: 32, width: 2560, vocab: 50304, total: 2_775_208_960 },
  "6.9b": { layers: 32, width: 4096, vocab: 50432, total: 6_857_302_016 },
  "12b": { layers: 36, width: 5120, vocab: 50688, total: 11_846_072_320 },
};

export function pythiaNonEmbeddingParams(size: string): number {
  const a = PYTHIA_ARCHITECTURE[size];
  if (!a) throw new RangeError(`unknown Pythia size ${quote(size)}; known: ${Object.keys(PYTHIA_ARCHITECTURE).join(", ")}`);
  return a.layers * (12 * a.width ** 2 + 13 * a.width) + 2 * a.width;
}

export function pythiaTotalParams(size: string): number {
  const a = PYTHIA_ARCHITECTURE[size]!;
  return pythiaNonEmbeddingParams(size) + 2 * a.vocab * a.width;
}

/** 6·N·D rounded to 5 significant figures, as data/models.csv prints Table 1. */
const compute = (n: number, d: number) => Number((6 * n * d).toPrecision(5));

/**
 * Every deduplicated Pythia model at the checkpoints of the term-frequency CSVs
 * ("EleutherAI/pythia-160m-deduped@step13000", …), and the v1.1 models at the final step that
 * the lm-evaluation-harness files of evals/pythia-v1 name ("EleutherAI/pythia-v1.1-1.4b@step143000").
 */
export function pythiaModels(): ModelInfo[] {
  const out: ModelInfo[] = [];
  const row = (model: string, base: string, size: string, step: number): ModelInfo => {
    const n = pythiaNonEmbeddingParams(size);
    const d = step * PYTHIA_TOKENS_PER_STEP;
    return {
      model, base_model: base, params_nonembed: n, pretrain_tokens: d, extension_tokens: 0, n_ctx: PYTHIA_CONTEXT,
      extension: "none", compute_flops: compute(n, d),
      source: `Pythia (Biderman et al. 2023): N non-embedding from the architecture; D = ${step} steps × 2,097,152 tokens`,
    };
  };
  for (const size of Object.keys(PYTHIA_ARCHITECTURE)) {
    for (const step of PYTHIA_CHECKPOINTS) out.push(row(`EleutherAI/pythia-${size}-deduped@step${step}`, `EleutherAI/pythia-${size}-deduped`, size, step));
    out.push(row(`EleutherAI/pythia-v1.1-${size}@step143000`, `EleutherAI/pythia-v1.1-${size}`, size, 143000));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bertsch et al. 2024 (abertsch72/long-context-icl)

// Llama-2-7B: N and C as the paper's Table 1 (data/models.csv), 2.0T tokens.
const LLAMA2_7B_N = 6_476_271_616;
const LLAMA2_7B_C = 7.7719e22;

/**
 * The seven models of final-results/. Context limits are the trained lengths of the external
 * README; Mistral-7B-v0.1 is listed at its trained 8,192 although the study ran it with a
 * 32,768 window, because the trained length is what the law's n_ctx stands for. The Llama-2
 * derivatives' extension and chat-tuning tokens are not in the files: set to 0 (a few billion
 * tokens at most, under 0.3 % of C, and no fit here uses C for them: one compute level).
 */
export const BERTSCH_MODELS: readonly ModelInfo[] = [
  llama2("meta-llama/Llama-2-7b-hf", 4096, "none", "Llama-2-7B base: N and C as arXiv:2510.14919 Table 1"),
  llama2("meta-llama/Llama-2-7b-chat-hf", 4096, "none", "Llama-2-7B chat: pretraining as Table 1; chat-tuning tokens unknown, not counted"),
  llama2("togethercomputer/LLaMA-2-7B-32K", 32768, "pi", "Llama-2-7B with position interpolation to 32k: pretraining as Table 1; extension tokens unknown, not counted"),
  llama2("togethercomputer/LLaMA-2-7B-32K-Instruct", 32768, "pi", "instruction-tuned LLaMA-2-7B-32K: pretraining as Table 1; extension and tuning tokens unknown, not counted"),
  llama2("yaofu/llama-2-7b-80k", 81920, "rope-base", "Llama-2-7B continued at 80k with a larger RoPE base: pretraining as Table 1; extension tokens unknown, not counted"),
  unknownCompute("mistralai/Mistral-7B-v0.1", "Mistral-7B", 8192, "none", "Mistral-7B-v0.1, trained at 8,192 tokens (run by the study with a 32,768 window)"),
  unknownCompute("mistralai/Mistral-7B-Instruct-v0.2", "Mistral-7B", 32768, "none", "Mistral-7B-Instruct-v0.2, 32,768-token context"),
];

function llama2(model: string, nCtx: number, extension: string, note: string): ModelInfo {
  return {
    model, base_model: "Llama-2-7B", params_nonembed: LLAMA2_7B_N, pretrain_tokens: 2e12, extension_tokens: 0, n_ctx: nCtx,
    extension, compute_flops: LLAMA2_7B_C, source: `${note} (model card facts via /work/shared/external/README.md, unverified)`,
  };
}

function unknownCompute(model: string, base: string, nCtx: number, extension: string, note: string, params = UNKNOWN_PARAMS): ModelInfo {
  return {
    model, base_model: base, params_nonembed: params, pretrain_tokens: UNKNOWN_TOKENS, extension_tokens: 0, n_ctx: nCtx, extension,
    compute_flops: UNKNOWN_COMPUTE_FLOPS,
    source: `${note}; training tokens not published: pretrain_tokens and compute_flops are placeholders (fit with fixed-compute only)` +
      (params === UNKNOWN_PARAMS ? "; params_nonembed is a placeholder" : ""),
  };
}

// ---------------------------------------------------------------------------------------------
// HELMET (Yen et al., ICLR 2025; princeton-nlp/HELMET)

/**
 * A models table from the HELMET files themselves: n_ctx = Context Window (K) × 1,024, the
 * parameter count as given (total; active for mixture-of-experts; "?" → placeholder), training
 * tokens and compute unknown for every model (placeholders). A model whose context window or
 * size differs between two files is a problem (the files are meant to describe one set).
 */
export function helmetModels(files: readonly SourceFile[]): ModelInfo[] {
  const p = new Problems();
  const first = new Map<string, { row: HelmetRow; file: string }>();
  for (const f of files) {
    const fp = p.in(f.name);
    for (const row of readHelmetRows(f, fp)) {
      const before = first.get(row.model);
      if (!before) first.set(row.model, { row, file: f.name });
      else if (before.row.contextK !== row.contextK || before.row.paramsB !== row.paramsB) {
        fp.add(row.line, "Context Window (K), # Params (B)", `${row.contextK}, ${row.paramsB ?? "?"} for ${quote(row.model)}`,
          `${before.row.contextK}, ${before.row.paramsB ?? "?"} as in ${before.file} row ${before.row.line}: one description per model`);
      }
    }
  }
  p.throwIfAny();
  return [...first.values()].map(({ row }) => ({
    ...unknownCompute(row.model, row.model, row.contextK * 1024, "unknown",
      `HELMET (Yen et al., ICLR 2025) agg_results: n_ctx = ${row.contextK}K × 1024; ${row.paramsB === null ? "parameter count not published" : `${row.paramsB}B parameters (total; active for MoE)`}`,
      row.paramsB === null ? UNKNOWN_PARAMS : Math.round(row.paramsB * 1e9)),
  }));
}
