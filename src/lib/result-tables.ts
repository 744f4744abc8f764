// Results as tables: an experiment's results (run.ts) flattened into rows that sit next to the
// observations in DuckDB, so a reader can query them like data (residuals by model and shot
// count, one parameter across experiments, …). Environment-neutral: the pages load these rows
// into DuckDB-WASM, the tests compute them in Node.
import type { Kernel } from "./kernel.js";
import type { ExperimentResult } from "./run.js";
import type { Observation } from "./types.js";
import { select } from "./select.js";

export interface ResultTables {
  /** one row per fitted parameter */
  fits: { experiment: string; task: string; fit: string; variant: string; param: string; value: number; se: number | null }[];
  /** one row per split a fit's errors were measured on (null errors: not computable) */
  errors: { experiment: string; task: string; fit: string; split: string; n: number | null; mae: number | null; max_abs: number | null; sse: number | null }[];
  /** the fit's prediction at every observation of the task it can predict */
  predictions: { experiment: string; task: string; fit: string; variant: string; model: string; shots: number; n_pmt: number; n_ctx: number; fitted: boolean; observed: number; predicted: number; residual: number }[];
  /** the fitted curves on the paper's drawing grid */
  curves: { experiment: string; task: string; fit: string; model: string; n_pmt: number; predicted: number }[];
}

/** Column types of each table, for DuckDB (stated, not sniffed). */
export const RESULT_TYPES: Record<keyof ResultTables, Record<string, string>> = {
  fits: { experiment: "VARCHAR", task: "VARCHAR", fit: "VARCHAR", variant: "VARCHAR", param: "VARCHAR", value: "DOUBLE", se: "DOUBLE" },
  errors: { experiment: "VARCHAR", task: "VARCHAR", fit: "VARCHAR", split: "VARCHAR", n: "INTEGER", mae: "DOUBLE", max_abs: "DOUBLE", sse: "DOUBLE" },
  predictions: { experiment: "VARCHAR", task: "VARCHAR", fit: "VARCHAR", variant: "VARCHAR", model: "VARCHAR", shots: "INTEGER", n_pmt: "DOUBLE", n_ctx: "INTEGER", fitted: "BOOLEAN", observed: "DOUBLE", predicted: "DOUBLE", residual: "DOUBLE" },
  curves: { experiment: "VARCHAR", task: "VARCHAR", fit: "VARCHAR", model: "VARCHAR", n_pmt: "DOUBLE", predicted: "DOUBLE" },
};

/**
 * The tables of some results. Predictions are made with the fitted parameters by the kernel
 * at the task's observations; a fit that fell back to a fixed-compute form (one compute level)
 * predicts only the rows it was fitted on, as run.ts reports no error elsewhere.
 */
export function resultTables(kernel: Kernel, results: readonly ExperimentResult[], observations: readonly Observation[]): ResultTables {
  const out: ResultTables = { fits: [], errors: [], predictions: [], curves: [] };
  for (const r of results) {
    const { experiment, task } = r.plan;
    const taskRows = observations.filter((o) => o.task === task);
    r.fits.forEach((f, i) => {
      const base = { experiment, task, fit: f.label };
      for (const s of f.splits)
        out.errors.push({ ...base, split: s.name, n: s.errors?.n ?? null, mae: s.errors?.mae ?? null, max_abs: s.errors?.maxAbs ?? null, sse: s.errors?.sse ?? null });
      for (const c of f.curves) c.n_pmt.forEach((n, j) => out.curves.push({ ...base, model: c.model, n_pmt: n, predicted: c.predicted[j] }));
      if (!f.fit) return;
      const fit = f.fit;
      for (const p of fit.paramNames) out.fits.push({ ...base, variant: fit.variant, param: p, value: fit.params[p], se: fit.se[p] });
      const fittedRows = new Set(select(taskRows, r.plan.fits[i].fitOn));
      const rows = f.refused ? taskRows.filter((o) => fittedRows.has(o)) : taskRows;
      const predicted = kernel.predict(fit.variant, fit.params, rows);
      rows.forEach((o, j) =>
        out.predictions.push({ ...base, variant: fit.variant, model: o.model, shots: o.shots, n_pmt: o.n_pmt, n_ctx: o.n_ctx, fitted: fittedRows.has(o), observed: o.score, predicted: predicted[j], residual: o.score - predicted[j] }));
    });
  }
  return out;
}
