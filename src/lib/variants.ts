// The named variants of the law (docs/method.md) and their parameters. The order of VARIANTS
// is the kernel's numbering (assembly/model.ts); the kernel checks it at load time.

export const VARIANTS = [
  "full", "no-penalty", "context-blind", "additive", "soft-penalty",
  "fixed-compute", "fixed-compute-soft", "fixed-compute-additive", "fixed-compute-no-penalty",
  "logistic-compute", "context-blind-fitted-floor", "logistic-compute-fitted-floor",
] as const;
export type Variant = (typeof VARIANTS)[number];

export const PARAM_NAMES: Record<Variant, readonly string[]> = {
  full: ["log10_C0", "alpha", "log10_n0", "beta"],
  "no-penalty": ["log10_C0", "alpha", "log10_n0", "beta"],
  "context-blind": ["log10_C0", "alpha"],
  additive: ["log10_C0", "alpha", "log10_n0", "beta"],
  "soft-penalty": ["log10_C0", "alpha", "log10_n0", "beta", "delta", "log10_width"],
  "fixed-compute": ["compute_factor", "log10_n0", "beta"],
  "fixed-compute-soft": ["compute_factor", "log10_n0", "beta", "delta", "log10_width"],
  "fixed-compute-additive": ["compute_factor", "log10_n0", "beta"],
  "fixed-compute-no-penalty": ["compute_factor", "log10_n0", "beta"],
  "logistic-compute": ["log10_C_mid", "log10_width_C"],
  "context-blind-fitted-floor": ["log10_C0", "alpha", "floor"],
  "logistic-compute-fitted-floor": ["log10_C_mid", "log10_width_C", "floor"],
};

export const VARIANT_DESCRIPTIONS: Record<Variant, string> = {
  full: "the paper's law: compute factor × context factor × sigmoid penalty past n_ctx",
  "no-penalty": "the paper's ablation: compute factor × context factor, no penalty",
  "context-blind": "compute factor only: the 'existing work' line of the paper's Figure 1",
  additive: "the two factors averaged instead of multiplied, times the penalty",
  "soft-penalty": "the penalty's offset and width (in log10 n_pmt/n_ctx) fitted too",
  "fixed-compute": "one compute level: the compute factor is a free constant, α cannot be fitted",
  "fixed-compute-soft": "soft-penalty with the compute factor a free constant (one compute level)",
  "fixed-compute-additive": "additive with the compute factor a free constant (one compute level)",
  "fixed-compute-no-penalty": "no-penalty with the compute factor a free constant (one compute level)",
  "logistic-compute": "compute only, a logistic in log10 C: 1/(1 + exp(−(log10 C − mid)/width))",
  "context-blind-fitted-floor": "context-blind above a fitted floor φ: φ + (1 − φ)·f_C",
  "logistic-compute-fitted-floor": "logistic-compute above a fitted floor φ: φ + (1 − φ)·f",
};

/**
 * The form of each variant for data with one compute level, where α cannot be fitted: the same
 * law with its compute factor a free constant (null: the law is nothing but its compute factor).
 */
export const FIXED_COMPUTE_FORM: Record<Variant, Variant | null> = {
  full: "fixed-compute",
  "no-penalty": "fixed-compute-no-penalty",
  "context-blind": null,
  additive: "fixed-compute-additive",
  "soft-penalty": "fixed-compute-soft",
  "fixed-compute": "fixed-compute",
  "fixed-compute-soft": "fixed-compute-soft",
  "fixed-compute-additive": "fixed-compute-additive",
  "fixed-compute-no-penalty": "fixed-compute-no-penalty",
  // Laws of compute alone have nothing left to fit at one compute level.
  "logistic-compute": null,
  "context-blind-fitted-floor": null,
  "logistic-compute-fitted-floor": null,
};

export function isFixedCompute(v: Variant): boolean {
  return v.startsWith("fixed-compute");
}

/** Search bounds, shared with scripts/scipy_fit.py through docs/method.md. */
export const DEFAULT_BOUNDS: Record<string, readonly [number, number]> = {
  log10_C0: [18, 40],
  alpha: [0.01, 3],
  log10_n0: [0, 7],
  beta: [0.01, 5],
  delta: [-1, 1],
  log10_width: [-4, 0],
  compute_factor: [1e-6, 1],
  // The logistic's midpoint spans the compute of today's public models (1e18–4e25 FLOPs) with
  // room on both sides; its width is in decades of C (0.05: a near step, 5: near linear).
  log10_C_mid: [18, 28],
  log10_width_C: [0.05, 5],
  // A fitted floor below 1: at 1 the law would have nothing left to explain.
  floor: [0, 0.99],
};

export function isVariant(name: string): name is Variant {
  return (VARIANTS as readonly string[]).includes(name);
}
