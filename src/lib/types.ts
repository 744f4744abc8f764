// Shared types of the library. Plain data only, so results serialise to JSON unchanged and the
// same objects flow from the command line, the build's data loaders and the pages.

export const TASKS = ["arithmetic", "common_sense", "translation"] as const;
export type Task = string; // the bundled data uses TASKS; imported data may name others

/** One observation: a model evaluated on one task at one shot count. */
export interface Observation {
  task: Task;
  model: string;
  base_model: string;
  extension: string;
  /** context limit of the model, tokens */
  n_ctx: number;
  /** training compute C ≈ 6·N·D, FLOPs */
  compute_flops: number;
  shots: number;
  /** mean prompt length over the evaluated instances, tokens */
  n_pmt: number;
  /** score on a 0–1 scale */
  score: number;
  metric: string;
  /** reading or sampling uncertainty of score (same scale), or null when unknown */
  score_uncertainty: number | null;
  /** relative uncertainty of n_pmt, or null when unknown */
  n_pmt_uncertainty_rel: number | null;
  /** instances the score was measured on (for binomial weights); absent when the file has no
   *  n_instances column, so tables without it keep their shape */
  n_instances?: number | null;
  /** "fit" or "held_out": the role the paper gave the point (Figs 5–7 hold out n_pmt > 10k) */
  paper_role: string;
  /** where the number comes from, e.g. "arXiv:2510.14919 Fig. 2 (digitised)" */
  source: string;
}

/** One row of the models table (Table 1 of the paper by default). */
export interface ModelInfo {
  model: string;
  base_model: string;
  params_nonembed: number;
  pretrain_tokens: number;
  extension_tokens: number;
  n_ctx: number;
  extension: string;
  compute_flops: number;
  source: string;
}
