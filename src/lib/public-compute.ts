// Experiment `public-compute`: the paper's compute-generalisation question (§4.1) asked of the
// public models of the Observational Scaling Laws study (Ruan, Maddison, Hashimoto, NeurIPS 2024,
// arXiv 2405.10938; Apache-2.0), since the paper's own held-out results were never published.
// Per benchmark, fit a law of compute alone on the models with FLOPs ≤ a threshold and predict
// those above it. Each benchmark is run at one fixed shot count, so the context factor is a
// constant there and only compute laws are compared: the paper's saturating compute factor
// ("context-blind") and a logistic in log C, each with and without the benchmark's chance floor.
// Environment-neutral (kernel, observations and families in; plain data out), so the command
// line and the site's build run the same computation.
import type { Kernel, FitPoint } from "./kernel.js";
import type { Variant } from "./variants.js";
import type { Observation } from "./types.js";
import { percentileInterval, statisticInterval, predictionBand, type Interval } from "./intervals.js";

export const PUBLIC_COMPUTE_BENCHMARKS = ["mmlu", "arc_challenge", "hellaswag", "winogrande", "gsm8k"] as const;

/** Chance level of each benchmark: four options (MMLU, ARC-C, HellaSwag), two (Winogrande), free-form (GSM8K). */
export const CHANCE_FLOOR: Readonly<Record<string, number>> = { mmlu: 0.25, arc_challenge: 0.25, hellaswag: 0.25, winogrande: 0.5, gsm8k: 0 };

/** The paper's held-out compute models (§4.1) as they are named in the study's table, where present. */
export const PAPER_HELD_OUT: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: "Qwen2.5-0.5B", pattern: /qwen2\.5-0\.5b$/i },
  { label: "Gemma-2 2B", pattern: /gemma-2-2b$/i },
  { label: "Gemma-2 9B", pattern: /gemma-2-9b$/i },
  { label: "Gemma-2 27B", pattern: /gemma-2-27b$/i },
  { label: "Llama-2-70B", pattern: /llama-2-70b(-hf)?$/i },
];

export const LAWS: ReadonlyArray<{ label: string; variant: Variant; floor: boolean }> = [
  { label: "saturating (paper's compute factor)", variant: "context-blind", floor: false },
  { label: "saturating + chance floor", variant: "context-blind", floor: true },
  { label: "logistic in log C", variant: "logistic-compute", floor: false },
  { label: "logistic in log C + chance floor", variant: "logistic-compute", floor: true },
];

export interface PublicComputeSettings {
  threshold: number;
  seed: number;
  restarts: number;
  resamples: number;
}
export const PUBLIC_COMPUTE_DEFAULTS: PublicComputeSettings = { threshold: 1e23, seed: 1, restarts: 4, resamples: 200 };

export interface ModelPrediction {
  model: string;
  family: string;
  compute_flops: number;
  observed: number;
  predicted: number;
  held_out: boolean;
}

export interface LawResult {
  label: string;
  variant: Variant;
  floor: number;
  params: Record<string, number>;
  n_fit: number;
  n_held_out: number;
  /** held-out mean absolute error, with a bootstrap (resampling the fitted models) 95 % interval */
  mae_held_out: number | null;
  mae_interval: Interval | null;
  /** share of held-out models predicted within 0.05 (the paper's "most errors within 5 points") */
  within_005: number | null;
  mae_fit: number;
  predictions: ModelPrediction[];
  /** the fitted curve over C (log grid spanning the data) with its 95 % bootstrap band (null without resamples) */
  curve: { compute_flops: number[]; predicted: number[]; lo: number[] | null; hi: number[] | null };
}

export interface FamilyResult {
  family: string;
  n_models: number;
  largest: string;
  compute_flops: number;
  observed: number;
  /** fitted on the family's smaller models */
  within_family: number | null;
  /** fitted on every model (any family) with less compute than the largest */
  pooled: number | null;
  error?: string;
}

export interface BenchmarkResult {
  benchmark: string;
  chance_floor: number;
  laws: LawResult[];
  named: Array<{ label: string; model: string | null; note: string; rows: Array<{ law: string; predicted: number; observed: number; held_out: boolean }> }>;
  families: FamilyResult[];
  families_mae: { within_family: number | null; pooled: number | null; n: number };
}

export interface PublicComputeResult {
  experiment: "public-compute";
  question: string;
  source: string;
  settings: PublicComputeSettings;
  benchmarks: BenchmarkResult[];
}

const toPoint = (o: Observation, floor: number): FitPoint => ({ compute_flops: o.compute_flops, n_pmt: o.n_pmt, n_ctx: o.n_ctx, score: o.score, chance_floor: floor });
const mae = (pred: readonly number[], obs: readonly number[]) => pred.reduce((a, p, i) => a + Math.abs(p - obs[i]!), 0) / pred.length;

function fitLaw(kernel: Kernel, variant: Variant, floor: number, rows: readonly Observation[], s: PublicComputeSettings) {
  return kernel.fit(variant, rows.map((o) => toPoint(o, floor)), { seed: s.seed, restarts: s.restarts });
}

export function runPublicCompute(kernel: Kernel, observations: readonly Observation[], families: Readonly<Record<string, string>>, overrides: Partial<PublicComputeSettings> = {}): PublicComputeResult {
  const s = { ...PUBLIC_COMPUTE_DEFAULTS, ...overrides };
  const benchmarks: BenchmarkResult[] = [];
  for (const benchmark of PUBLIC_COMPUTE_BENCHMARKS) {
    const rows = observations.filter((o) => o.task === benchmark);
    if (rows.length === 0) continue;
    const k = CHANCE_FLOOR[benchmark] ?? 0;
    const fitRows = rows.filter((o) => o.compute_flops <= s.threshold);
    const held = rows.filter((o) => o.compute_flops > s.threshold);
    const laws: LawResult[] = LAWS.map((law) => {
      const floor = law.floor ? k : 0;
      const fit = fitLaw(kernel, law.variant, floor, fitRows, s);
      const predict = (rs: readonly Observation[]) => kernel.predict(law.variant, fit.params, rs.map((o) => toPoint(o, floor)));
      const pf = predict(fitRows);
      const ph = predict(held);
      let interval: Interval | null = null;
      const cs = rows.map((o) => Math.log10(o.compute_flops));
      const [a, b] = [Math.min(...cs), Math.max(...cs)];
      const grid = Array.from({ length: 60 }, (_, i) => 10 ** (a + ((b - a) * i) / 59));
      const gridPts = grid.map((c) => ({ compute_flops: c, n_pmt: rows[0]!.n_pmt, n_ctx: rows[0]!.n_ctx, chance_floor: floor }));
      const curve = { compute_flops: grid, predicted: kernel.predict(law.variant, fit.params, gridPts), lo: null as number[] | null, hi: null as number[] | null };
      if (s.resamples > 0 && held.length > 0) {
        // Resample whole models of the fit set (one observation per model here) and refit: the
        // interval says how much the held-out error depends on which smaller models were seen.
        const samples = kernel.bootstrap(fit, fitRows.map((o) => toPoint(o, floor)), { resamples: s.resamples, seed: s.seed });
        interval = statisticInterval(kernel, samples, held.map((o) => toPoint(o, floor)), (p) => mae(p, held.map((o) => o.score)));
        const band = predictionBand(kernel, samples, gridPts);
        curve.lo = band.lo;
        curve.hi = band.hi;
      }
      const predictions: ModelPrediction[] = [
        ...fitRows.map((o, i) => ({ model: o.model, family: families[o.model] ?? o.base_model, compute_flops: o.compute_flops, observed: o.score, predicted: pf[i]!, held_out: false })),
        ...held.map((o, i) => ({ model: o.model, family: families[o.model] ?? o.base_model, compute_flops: o.compute_flops, observed: o.score, predicted: ph[i]!, held_out: true })),
      ];
      return {
        label: law.label, variant: law.variant, floor, params: fit.params, n_fit: fitRows.length, n_held_out: held.length,
        mae_held_out: held.length ? mae(ph, held.map((o) => o.score)) : null, mae_interval: interval,
        within_005: held.length ? held.filter((o, i) => Math.abs(ph[i]! - o.score) <= 0.05).length / held.length : null,
        mae_fit: mae(pf, fitRows.map((o) => o.score)), predictions, curve,
      };
    });
    const named = PAPER_HELD_OUT.map(({ label, pattern }) => {
      const o = rows.find((r) => pattern.test(r.model));
      if (!o) return { label, model: null, note: "not in the study's table with FLOPs", rows: [] };
      const isHeld = o.compute_flops > s.threshold;
      return {
        label, model: o.model, note: isHeld ? "held out (above the threshold)" : "in the fit (at or below the threshold)",
        rows: laws.map((l) => {
          const p = l.predictions.find((x) => x.model === o.model)!;
          return { law: l.label, predicted: p.predicted, observed: p.observed, held_out: p.held_out };
        }),
      };
    });
    // Within family vs pooled, with the floored saturating law: predict each family's largest model.
    const byFamily = new Map<string, Observation[]>();
    for (const o of rows) {
      const f = families[o.model] ?? o.base_model;
      byFamily.set(f, [...(byFamily.get(f) ?? []), o]);
    }
    const fams: FamilyResult[] = [];
    for (const [family, members] of [...byFamily].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (members.length < 4) continue;
      const sorted = [...members].sort((a, b) => a.compute_flops - b.compute_flops);
      const largest = sorted[sorted.length - 1]!;
      const smaller = sorted.slice(0, -1).filter((o) => o.compute_flops < largest.compute_flops);
      const pooledRows = rows.filter((o) => o.compute_flops < largest.compute_flops);
      const one = (rs: Observation[]) => {
        const fit = fitLaw(kernel, "context-blind", k, rs, s);
        return kernel.predict("context-blind", fit.params, [toPoint(largest, k)])[0]!;
      };
      const r: FamilyResult = { family, n_models: members.length, largest: largest.model, compute_flops: largest.compute_flops, observed: largest.score, within_family: null, pooled: null };
      try {
        if (smaller.length >= 3) r.within_family = one(smaller);
        else r.error = "fewer than 3 smaller models with less compute";
        if (pooledRows.length >= 3) r.pooled = one(pooledRows);
      } catch (err) {
        r.error = (err as Error).message;
      }
      fams.push(r);
    }
    const both = fams.filter((f) => f.within_family !== null && f.pooled !== null);
    benchmarks.push({
      benchmark, chance_floor: k, laws, named, families: fams,
      families_mae: {
        n: both.length,
        within_family: both.length ? both.reduce((a, f) => a + Math.abs(f.within_family! - f.observed), 0) / both.length : null,
        pooled: both.length ? both.reduce((a, f) => a + Math.abs(f.pooled! - f.observed), 0) / both.length : null,
      },
    });
  }
  return {
    experiment: "public-compute",
    question: "Fitted on smaller models, does a law of compute predict the larger ones (the paper's §4.1, on other, public models)?",
    source: "Observational Scaling Laws (Ruan, Maddison, Hashimoto, NeurIPS 2024, arXiv 2405.10938; Apache-2.0): public base models, Open LLM Leaderboard v1 protocol (one fixed shot count per benchmark), FLOPs the study's 6·N·D estimate",
    settings: s,
    benchmarks,
  };
}

const f3 = (x: number | null) => (x === null ? "—" : x.toFixed(3));
const sci = (x: number) => x.toExponential(1);

/** Readable tables of the result, for the command line. */
export function formatPublicCompute(r: PublicComputeResult): string {
  const out: string[] = [`public-compute: ${r.question}`, `data: ${r.source}`, `fit on FLOPs ≤ ${sci(r.settings.threshold)}, predict above; seed ${r.settings.seed}, ${r.settings.resamples} bootstrap resamples`, ""];
  out.push("benchmark       law                                   n_fit n_held  MAE held-out [95 % CI]     within 0.05  MAE fit");
  for (const b of r.benchmarks)
    for (const l of b.laws)
      out.push(`${b.benchmark.padEnd(15)} ${l.label.padEnd(37)} ${String(l.n_fit).padStart(5)} ${String(l.n_held_out).padStart(6)}  ${f3(l.mae_held_out)} [${l.mae_interval ? `${f3(l.mae_interval[0])}, ${f3(l.mae_interval[1])}` : "—"}]`.padEnd(100) + `${l.within_005 === null ? "—" : (100 * l.within_005).toFixed(0) + " %"}`.padStart(6) + `  ${f3(l.mae_fit)}`);
  out.push("", "pooled vs within family (saturating + chance floor): each family with ≥ 4 models, its largest predicted");
  out.push("benchmark       families  MAE within family  MAE pooled");
  for (const b of r.benchmarks) out.push(`${b.benchmark.padEnd(15)} ${String(b.families_mae.n).padStart(8)}  ${f3(b.families_mae.within_family).padStart(17)}  ${f3(b.families_mae.pooled).padStart(10)}`);
  out.push("", "per family (saturating + chance floor): largest model, observed, within-family and pooled predictions");
  for (const b of r.benchmarks)
    for (const f of b.families) out.push(`${b.benchmark.padEnd(15)} ${f.family.padEnd(14)} ${String(f.n_models).padStart(2)} ${f.largest.padEnd(40)} ${sci(f.compute_flops)}  obs ${f3(f.observed)}  within ${f3(f.within_family)}  pooled ${f3(f.pooled)}${f.error ? `  (${f.error})` : ""}`);
  out.push("", "the paper's held-out compute models (§4.1), where the study's table has them");
  for (const b of r.benchmarks)
    for (const n of b.named) {
      if (!n.model) {
        out.push(`${b.benchmark.padEnd(15)} ${n.label.padEnd(13)} ${n.note}`);
        continue;
      }
      out.push(`${b.benchmark.padEnd(15)} ${n.label.padEnd(13)} ${n.model} — ${n.note}; observed ${f3(n.rows[0]!.observed)}; predicted: ${n.rows.map((x) => `${x.law} ${f3(x.predicted)}`).join(", ")}`);
    }
  return out.join("\n");
}

export { percentileInterval };
