// The kernel's public types (src/lib/kernel.ts is the kernel itself): what a fit takes (points,
// options), what it gives (a result with parameters, uncertainty and status), the bootstrap's
// options and samples, and the refusals (FitError with a stable code). Kept apart so that code
// which only passes these around reads them without the wrapper around the WebAssembly.
import type { Law } from "./named-laws.js";

/** The minimum an observation needs for fitting or prediction. */
export interface FitPoint {
  compute_flops: number;
  n_pmt: number;
  n_ctx: number;
  score: number;
  /** chance level k of this observation, in [0, 1): P = k + (1 − k)·law (default: the call's `floor`, else 0) */
  chance_floor?: number;
}

export interface FitOptions {
  seed?: number;
  /** members of the global search's population per parameter (SciPy's popsize; default 15,
   *  at least 5 members in all): fewer is faster and finds the best basin less reliably
   *  (`npm run bench` measures both) */
  popsize?: number;
  maxGenerations?: number;
  /** relative tolerance of the global search's stop rule (SciPy's `tol`) */
  tol?: number;
  maxLmIterations?: number;
  /** independent global searches; the best is kept (1 = SciPy's single differential_evolution) */
  restarts?: number;
  /** chance level k in [0, 1) for points without their own `chance_floor` (default 0: none) */
  floor?: number;
  bounds?: Partial<Record<string, readonly [number, number]>>;
  /** weighted least squares: one weight ≥ 0 per point (see weights.ts); absent = unweighted */
  weights?: readonly number[];
  /** "known": the weights are 1/variance, so the standard errors take σ² = 1 instead of
   *  estimating it from the residuals (the default, "estimated", is the paper's unweighted fit) */
  scale?: "estimated" | "known";
  /** called after each generation (stage "global") and local step (stage "local"); return true to cancel */
  onProgress?: (stage: "global" | "local", iteration: number, bestSse: number) => boolean | void;
}

export const DEFAULT_FIT_OPTIONS = { seed: 1, maxGenerations: 1000, tol: 0.01, maxLmIterations: 500, restarts: 1 } as const;

export interface BootstrapOptions {
  /** number of resamples (default 1,000) */
  resamples?: number;
  /** resample single observations, or whole models (all points of a model together) */
  scheme?: "observations" | "models";
  seed?: number;
  /** every n-th resample also runs the full global search (0: never); default 25 */
  globalEvery?: number;
  /** the weights of the full fit (its FitOptions.weights): each resample count multiplies them */
  weights?: readonly number[];
  /** chance level k for points without their own `chance_floor`: pass the full fit's `floor` */
  floor?: number;
  /** called after each resample; return true to cancel (the samples so far are returned) */
  onProgress?: (done: number, total: number) => boolean | void;
}

export const DEFAULT_BOOTSTRAP = { resamples: 1000, scheme: "observations", globalEvery: 25 } as const;

export interface BootstrapSamples {
  /** the law's name, or its composition when it has none */
  variant: Law;
  paramNames: string[];
  scheme: "observations" | "models";
  seed: number;
  requested: number;
  /** resamples run (fewer than requested when cancelled) */
  completed: number;
  cancelled: boolean;
  /** resamples dropped because they held one compute level (α undetermined) */
  dropped: number;
  /** how often the periodic global search found a better optimum than the warm start */
  globalImprovements: number;
  /** kept resamples: parameter vectors in paramNames order, and their SSE */
  params: number[][];
  sse: number[];
  /** the index (0 … completed − 1) of each kept resample: resample b holds the same points for
   *  every law bootstrapped on the same points with the same seed and scheme, so two laws'
   *  samples pair by this index (src/lib/compare.ts) */
  resample: number[];
}

export type FitStatus = "converged" | "global-search-not-converged" | "local-search-not-converged" | "cancelled";

export interface FitResult {
  /** the law's name, or its composition when it has none */
  variant: Law;
  paramNames: string[];
  /** fitted parameters in the identifiable form, by name */
  params: Record<string, number>;
  /** standard errors; null where the data do not determine the parameter */
  se: Record<string, number | null>;
  /** correlation matrix in paramNames order; null entries for undetermined parameters */
  correlation: (number | null)[][];
  /** parameters the data leave undetermined (flat directions of the loss) */
  undetermined: string[];
  conditionNumber: number | null;
  sse: number;
  mae: number;
  n: number;
  status: FitStatus;
  /** generations summed over restarts; sse of the winning run's global search; restarts
   *  run and how many reached the best SSE (within 1e-9 relative) */
  globalSearch: { generations: number; sse: number; converged: boolean; restarts: number; restartsAtBest: number };
  localSearch: { iterations: number; converged: boolean; jacobianEvaluations: number };
  evaluations: number;
  seed: number;
  bounds: Record<string, [number, number]>;
  /** predictions at the fitted parameters for the fitted points, in input order */
  fitted: number[];
  /** present only for a weighted fit (so unweighted results keep their shape): sse is then
   *  the weighted sum Σ w·r², and σ² the scale the standard errors used */
  weighting?: { scale: "estimated" | "known"; sigma2: number; sumWeights: number };
}

export type FitErrorCode =
  | "unknown-variant" | "too-few-points" | "not-finite" | "out-of-range" | "all-zero"
  | "one-compute-level" | "bad-bounds" | "no-memory" | "bad-seed" | "bad-clusters" | "bad-resamples" | "bad-weights"
  | "no-floor" | "bad-popsize"
  // data that leave the law undetermined (src/lib/fit-refusals.ts)
  | "constant-score" | "past-context" | "undetermined";

/** A refused input: nothing was fitted. `code` is stable for programs, `message` is for people. */
export class FitError extends Error {
  readonly code: FitErrorCode;
  constructor(code: FitErrorCode, message: string) {
    super(message);
    this.name = "FitError";
    this.code = code;
  }
}
