// Row selections as plain data (not functions), so an experiment definition can be printed,
// stored with its results, edited on a page and sent to a Web Worker unchanged.
import type { Observation } from "./types.js";

export interface Selection {
  /** keep only these models (exact names) */
  models?: string[];
  /** keep only models of these base models (e.g. "Llama-2-7B") */
  base_models?: string[];
  /** keep rows with n_pmt < this (tokens) */
  n_pmt_below?: number;
  /** keep rows with n_pmt ≥ this (tokens) */
  n_pmt_at_least?: number;
  /** keep rows whose prompt fits the context limit (true) or exceeds it (false) */
  within_context?: boolean;
  /** keep rows with this paper_role */
  paper_role?: string;
  /** keep rows with compute_flops < this / ≤ this / > this (FLOPs) */
  compute_below?: number;
  compute_at_most?: number;
  compute_above?: number;
}

export function select(rows: readonly Observation[], s: Selection): Observation[] {
  return rows.filter(
    (o) =>
      (s.models === undefined || s.models.includes(o.model)) &&
      (s.base_models === undefined || s.base_models.includes(o.base_model)) &&
      (s.n_pmt_below === undefined || o.n_pmt < s.n_pmt_below) &&
      (s.n_pmt_at_least === undefined || o.n_pmt >= s.n_pmt_at_least) &&
      (s.within_context === undefined || (o.n_pmt <= o.n_ctx) === s.within_context) &&
      (s.paper_role === undefined || o.paper_role === s.paper_role) &&
      (s.compute_below === undefined || o.compute_flops < s.compute_below) &&
      (s.compute_at_most === undefined || o.compute_flops <= s.compute_at_most) &&
      (s.compute_above === undefined || o.compute_flops > s.compute_above),
  );
}

/** A short human description, e.g. "n_pmt < 10000, models Yarn-Llama-2-7b-8k". */
export function describeSelection(s: Selection): string {
  const parts: string[] = [];
  if (s.models) parts.push(`models ${s.models.join(", ")}`);
  if (s.base_models) parts.push(`base models ${s.base_models.join(", ")}`);
  if (s.n_pmt_below !== undefined) parts.push(`n_pmt < ${s.n_pmt_below}`);
  if (s.n_pmt_at_least !== undefined) parts.push(`n_pmt ≥ ${s.n_pmt_at_least}`);
  if (s.within_context !== undefined) parts.push(s.within_context ? "n_pmt ≤ n_ctx" : "n_pmt > n_ctx");
  if (s.paper_role !== undefined) parts.push(`paper role ${s.paper_role}`);
  if (s.compute_below !== undefined) parts.push(`C < ${s.compute_below.toExponential()} FLOPs`);
  if (s.compute_at_most !== undefined) parts.push(`C ≤ ${s.compute_at_most.toExponential()} FLOPs`);
  if (s.compute_above !== undefined) parts.push(`C > ${s.compute_above.toExponential()} FLOPs`);
  return parts.length ? parts.join("; ") : "all points";
}
