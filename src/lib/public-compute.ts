// Experiment `public-compute`: the paper's compute-generalisation question (§4.1) asked of the
// public models of the Observational Scaling Laws study (Ruan, Maddison, Hashimoto, NeurIPS 2024,
// arXiv 2405.10938; Apache-2.0), since the paper's own held-out results were never published.
// Per benchmark, a law of compute alone is fitted on the models with FLOPs ≤ a threshold and
// predicts those above it. Each benchmark is run at one fixed shot count, so the context factor
// is a constant there and only compute laws are compared: the paper's saturating compute factor
// ("context-blind") and a logistic in log C, each without a floor, with the benchmark's chance
// floor, and with a fitted floor.
//
// Its descriptor (PUBLIC_COMPUTE_EXPERIMENT) is in the registry (src/lib/experiments.ts) beside
// the paper's experiments, and its plan runs through run.ts like theirs. This module holds its
// constants and plan, and turns its results (one per benchmark) into the tables the command line
// prints and the page shows, so both show the same numbers by construction.
import type { NamedLaw } from "./named-laws.js";
import type { ExperimentResult, FitRunResult, SplitPoint, ContrastResult } from "./run.js";
import { signed, verdictText } from "./format.js";
import type { Interval } from "./intervals.js";
import type { Observation } from "./types.js";
import type { Selection } from "./select.js";
// The data source's files and parser, for the importers of this module.
export { parsePublicTables, PUBLIC_FILES } from "./public-tables.js";
import { DEFAULT_SETTINGS, type ExperimentDescriptor, type FitSpec, type PlanBody, type Settings, type Split } from "./experiment-plan.js";
import { withinClaim, betterClaim } from "./claims.js";
import { pairedUnitsDifference, type PairedDifference } from "./compare.js";

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

/** The laws compared, in table order. A label never contains " · " (familyFitLabel's separator). */
export const PUBLIC_LAWS: ReadonlyArray<{ label: string; variant: NamedLaw; floor: "none" | "chance" | "fitted" }> = [
  { label: "saturating (paper's compute factor)", variant: "context-blind", floor: "none" },
  { label: "saturating + chance floor", variant: "context-blind", floor: "chance" },
  { label: "logistic in log C", variant: "logistic-compute", floor: "none" },
  { label: "logistic in log C + chance floor", variant: "logistic-compute", floor: "chance" },
  // Is the chance level the right floor? A floor fitted to the smaller models answers it (and
  // gives GSM8K, whose chance level is 0, a floor at all).
  { label: "saturating + fitted floor", variant: "context-blind-fitted-floor", floor: "fitted" },
  { label: "logistic in log C + fitted floor", variant: "logistic-compute-fitted-floor", floor: "fitted" },
];

export type FamilyScope = "within family" | "pooled";
const SCOPES: readonly FamilyScope[] = ["within family", "pooled"];

/** The label of a family fit: "within family: Llama-2 · saturating + chance floor". */
export function familyFitLabel(scope: FamilyScope, family: string, law: string): string {
  return `${scope}: ${family} · ${law}`;
}

function parseFamilyLabel(label: string): { scope: FamilyScope; family: string; law: string } | null {
  const scope = SCOPES.find((s) => label.startsWith(`${s}: `));
  const cut = label.lastIndexOf(" · ");
  if (!scope || cut < 0) return null;
  return { scope, family: label.slice(scope.length + 2, cut), law: label.slice(cut + 3) };
}

/** 1e+23 → "1e23", as the tables write a threshold. */
export function computeLabel(c: number): string {
  return c.toExponential().replace("e+", "e");
}

export interface LawRow {
  benchmark: string;
  law: string;
  n_fit: number;
  n_held_out: number;
  mae_held_out: number | null;
  mae_interval: Interval | null;
  /** share of held-out models predicted within 0.05 (the paper's "most errors within 5 points") */
  within_005: number | null;
  mae_fit: number | null;
  params: Record<string, number> | null;
  /** why there is no number, when the fit was refused */
  reason?: string;
}

export interface FamilyRow {
  benchmark: string;
  law: string;
  family: string;
  largest: string;
  compute_flops: number;
  observed: number;
  /** the largest model predicted by a fit on the family's smaller models / on every model with less compute */
  within_family: number | null;
  pooled: number | null;
  note?: string;
}

export interface FamilySummary {
  /** within family − pooled, mean absolute error over the families, with its interval over resampled families */
  versus?: PairedDifference;
  benchmark: string;
  law: string;
  /** families with both predictions */
  n: number;
  within_family: number | null;
  pooled: number | null;
}

export interface NamedRow {
  benchmark: string;
  label: string;
  model: string | null;
  role: string;
  observed: number | null;
  /** law → prediction, with its bootstrap interval when there is one */
  predicted: Record<string, { value: number; interval: Interval | null }>;
}

export interface PublicComputeTables {
  threshold: number;
  laws: LawRow[];
  /** each law against the paper's compute factor on the held-out models (paired bootstrap) */
  versus: (ContrastResult & { benchmark: string })[];
  familySummary: FamilySummary[];
  families: FamilyRow[];
  named: NamedRow[];
}

const isPublicCompute = (r: ExperimentResult) => r.plan.experiment === "public-compute";
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function heldOutSplit(f: FitRunResult) {
  return f.splits.find((s) => s.name.startsWith("held out"));
}

/** The tables of the public-compute results (one ExperimentResult per benchmark). */
export function publicComputeTables(results: readonly ExperimentResult[]): PublicComputeTables {
  const rs = results.filter(isPublicCompute);
  const out: PublicComputeTables = { threshold: rs[0]?.plan.settings.threshold ?? NaN, laws: [], versus: [], familySummary: [], families: [], named: [] };
  for (const r of rs) {
    const benchmark = r.plan.task;
    out.versus.push(...(r.contrasts ?? []).map((c) => ({ benchmark, ...c })));
    const lawFits = r.fits.filter((f) => parseFamilyLabel(f.label) === null);
    for (const f of lawFits) {
      const fitted = f.splits.find((s) => s.name.startsWith("fitted"));
      const held = heldOutSplit(f);
      const pts = held?.points ?? [];
      out.laws.push({
        benchmark, law: f.label, n_fit: f.nFit, n_held_out: held?.errors?.n ?? 0,
        mae_held_out: held?.errors?.mae ?? null, mae_interval: held?.maeInterval ?? null,
        within_005: pts.length ? pts.filter((p) => Math.abs(p.predicted - p.observed) <= 0.05).length / pts.length : null,
        mae_fit: fitted?.errors?.mae ?? null, params: f.fit?.params ?? null,
        ...(f.refused ? { reason: f.refused.message } : {}),
      });
    }
    // Family fits: one row per (law, family), within and pooled side by side.
    const rows = new Map<string, FamilyRow>();
    for (const f of r.fits) {
      const p = parseFamilyLabel(f.label);
      if (!p) continue;
      const split = f.splits[0];
      const point: SplitPoint | undefined = split?.points?.[0];
      const key = JSON.stringify([p.law, p.family]);
      const row = rows.get(key) ?? { benchmark, law: p.law, family: p.family, largest: split?.name ?? "", compute_flops: point?.compute_flops ?? NaN, observed: point?.observed ?? NaN, within_family: null, pooled: null };
      if (point) {
        row.compute_flops = point.compute_flops;
        row.observed = point.observed;
      }
      const value = point?.predicted ?? null;
      if (p.scope === "within family") row.within_family = value;
      else row.pooled = value;
      if (value === null) row.note = [row.note, `${p.scope}: ${f.refused?.message ?? split?.reason ?? "not computed"}`].filter(Boolean).join("; ");
      rows.set(key, row);
    }
    const byLaw = [...rows.values()];
    out.families.push(...byLaw);
    for (const law of [...new Set(byLaw.map((x) => x.law))]) {
      const both = byLaw.filter((x) => x.law === law && x.within_family !== null && x.pooled !== null);
      const within = both.map((x) => Math.abs(x.within_family! - x.observed));
      const pooled = both.map((x) => Math.abs(x.pooled! - x.observed));
      out.familySummary.push({
        benchmark, law, n: both.length, within_family: mean(within), pooled: mean(pooled),
        versus: pairedUnitsDifference(r.plan.settings.seed, within, pooled),
      });
    }
    for (const n of PAPER_HELD_OUT) {
      const predicted: NamedRow["predicted"] = {};
      let model: string | null = null;
      let observed: number | null = null;
      let heldOut = false;
      for (const f of lawFits) {
        const s = f.splits.find((x) => x.name === n.label);
        const pt = s?.points?.[0];
        if (!s || !pt) continue;
        model = pt.model;
        observed = pt.observed;
        heldOut = heldOutSplit(f)?.points?.some((x) => x.model === pt.model) ?? false;
        predicted[f.label] = { value: pt.predicted, interval: s.meanPredictionInterval ?? null };
      }
      out.named.push({
        benchmark, label: n.label, model, observed, predicted,
        role: model === null ? "not in the study's table with FLOPs" : heldOut ? "held out (above the threshold)" : "in the fit (at or below the threshold)",
      });
    }
  }
  return out;
}

const f3 = (x: number | null) => (x === null || Number.isNaN(x) ? "—" : x.toFixed(3));
const sci = (x: number) => x.toExponential(1);
const iv = (x: Interval | null) => (x ? `[${f3(x[0])}, ${f3(x[1])}]` : "—");

const dash = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(3));
const range = (x: Interval | null) => (x ? `${dash(x[0])}–${dash(x[1])}` : "—");

/** The cells of the page's tables (rows of column → text), so a test can rebuild them from the command line's JSON. */
export function publicComputeCells(t: PublicComputeTables) {
  return {
    laws: t.laws.map((l) => ({
      benchmark: l.benchmark, law: l.law, fitted: l.n_fit, "held out": l.n_held_out, "MAE held out": dash(l.mae_held_out),
      "95 % interval": range(l.mae_interval), "within 0.05": l.within_005 === null ? "—" : `${Math.round(100 * l.within_005)} %`, "MAE fit": dash(l.mae_fit),
    })),
    versus: t.versus.map((c) => ({
      benchmark: c.benchmark, "law A": c.a, "against B": c.b, "MAE A − B, held out": c.difference === null ? "—" : signed(c.difference),
      "95 % paired interval": range(c.interval), verdict: verdictText(c) + (c.reason ? ` (${c.reason})` : ""),
    })),
    families: t.familySummary.map((f) => ({
      benchmark: f.benchmark, law: f.law, families: f.n, "MAE within family": dash(f.within_family), "MAE pooled": dash(f.pooled),
      "within − pooled": f.versus && Number.isFinite(f.versus.difference) ? signed(f.versus.difference) : "—", "95 % interval (families resampled)": range(f.versus?.interval ?? null),
      verdict: f.versus ? verdictText({ a: "within family", b: "pooled", verdict: f.versus.verdict }) + (f.versus.reason ? ` (${f.versus.reason})` : "") : "—",
    })),
    perFamily: t.families.map((f) => ({
      benchmark: f.benchmark, law: f.law, family: f.family, "largest model": f.largest, "C (FLOPs)": f.compute_flops.toExponential(1),
      observed: dash(f.observed), "within family": dash(f.within_family), pooled: dash(f.pooled), note: f.note ?? "",
    })),
    named: t.named.map((n) => ({
      benchmark: n.benchmark, model: n.label, "in the table as": n.model ?? "—", role: n.role, observed: dash(n.observed),
      ...Object.fromEntries(PUBLIC_LAWS.map((l) => {
        const p = n.predicted[l.label];
        return [l.label, p ? `${dash(p.value)} [${range(p.interval)}]` : "—"];
      })),
    })),
  };
}

/** Readable tables of the results, for the command line. */
export function formatPublicCompute(results: readonly ExperimentResult[]): string {
  const t = publicComputeTables(results);
  const s = results.find(isPublicCompute)?.plan.settings;
  const out: string[] = [
    `public-compute: ${results.find(isPublicCompute)?.plan.question ?? ""}`,
    "data: Observational Scaling Laws (Ruan, Maddison, Hashimoto, NeurIPS 2024, arXiv 2405.10938; Apache-2.0): public base models, Open LLM Leaderboard v1 protocol (one fixed shot count per benchmark), FLOPs the study's 6·N·D estimate",
    `fit on FLOPs ≤ ${sci(t.threshold)}, predict above; seed ${s?.seed}, ${s?.restarts} global searches per fit, ${s?.resamples} bootstrap resamples`,
    "",
    "benchmark       law                                   n_fit n_held  MAE held-out [95 % CI]   within 0.05  MAE fit",
  ];
  for (const l of t.laws)
    out.push(`${l.benchmark.padEnd(15)} ${l.law.padEnd(37)} ${String(l.n_fit).padStart(5)} ${String(l.n_held_out).padStart(6)}  ${f3(l.mae_held_out)} ${iv(l.mae_interval)}`.padEnd(100) +
      `${l.within_005 === null ? "—" : (100 * l.within_005).toFixed(0) + " %"}`.padStart(6) + `  ${f3(l.mae_fit)}${l.reason ? `  (${l.reason})` : ""}`);
  out.push("", "each law against the paper's compute factor on the held-out models: MAE A − B [95 % paired bootstrap interval], verdict");
  for (const c of t.versus)
    out.push(`${c.benchmark.padEnd(15)} ${c.a.padEnd(37)} ${c.difference === null ? "—" : signed(c.difference)} ${iv(c.interval)}  ${verdictText(c)}${c.reason ? ` (${c.reason})` : ""}`);
  out.push("", "pooled vs within family: each family with ≥ 4 models, its largest predicted (families with both predictions)");
  out.push("benchmark       law                                   families  MAE within family  MAE pooled  within − pooled [95 %, families resampled]  verdict");
  for (const f of t.familySummary)
    out.push(`${f.benchmark.padEnd(15)} ${f.law.padEnd(37)} ${String(f.n).padStart(8)}  ${f3(f.within_family).padStart(17)}  ${f3(f.pooled).padStart(10)}  ${f.versus && Number.isFinite(f.versus.difference) ? signed(f.versus.difference) : "—"} ${iv(f.versus?.interval ?? null)}  ${f.versus ? verdictText({ a: "within family", b: "pooled", verdict: f.versus.verdict }) + (f.versus.reason ? ` (${f.versus.reason})` : "") : "—"}`);
  out.push("", "per family: largest model, observed, within-family and pooled predictions");
  for (const f of t.families)
    out.push(`${f.benchmark.padEnd(15)} ${f.law.padEnd(37)} ${f.family.padEnd(14)} ${f.largest.padEnd(40)} ${sci(f.compute_flops)}  obs ${f3(f.observed)}  within ${f3(f.within_family)}  pooled ${f3(f.pooled)}${f.note ? `  (${f.note})` : ""}`);
  out.push("", "the paper's held-out compute models (§4.1), where the study's table has them: predicted [95 % bootstrap interval]");
  for (const n of t.named) {
    if (!n.model) {
      out.push(`${n.benchmark.padEnd(15)} ${n.label.padEnd(13)} ${n.role}`);
      continue;
    }
    out.push(`${n.benchmark.padEnd(15)} ${n.label.padEnd(13)} ${n.model} — ${n.role}; observed ${f3(n.observed)}`);
    for (const [law, p] of Object.entries(n.predicted)) out.push(`${"".padEnd(29)} ${law.padEnd(37)} ${f3(p.value)} ${iv(p.interval)}`);
  }
  return out.join("\n");
}

/** Its defaults: the threshold is in FLOPs, and the bootstrap is lighter (six laws on ~80 models per benchmark, five benchmarks). */
export const PUBLIC_COMPUTE_SETTINGS: Settings = { ...DEFAULT_SETTINGS, threshold: 1e23, resamples: 200 };

export const PUBLIC_COMPUTE_EXPERIMENT = {
  id: "public-compute",
  title: "Compute generalisation on public models",
  question: "Fitted on smaller models, does a law of compute predict the larger ones (the paper's §4.1, on other, public models)?",
  // a section of the compute generalisation page, whose own experiment is compute-holdout
  page: "compute-generalisation",
  section: "Compute generalisation (public models)",
  data: "public-models",
  defaults: PUBLIC_COMPUTE_SETTINGS,
  tasks: (observations) => PUBLIC_COMPUTE_BENCHMARKS.filter((b) => observations.some((o) => o.task === b)),
  body: (task, settings, observations) => publicComputePlan(task, settings.threshold, observations),
  formatText: (results) => formatPublicCompute(results),
  claims: (r) => {
    const heldOut = r.fits[0]?.splits[1]?.name ?? "held out";
    return [
      withinClaim(r, "The paper's compute factor, fitted on smaller public models, predicts the larger ones within 0.05", PUBLIC_LAWS[0]!.label, heldOut, null),
      betterClaim(r, "Beyond the paper: a logistic in log C with the chance floor extrapolates better than the paper's compute factor (MAE difference)", "logistic in log C + chance floor", PUBLIC_LAWS[0]!.label, heldOut, null),
    ];
  },
} as const satisfies ExperimentDescriptor;

/**
 * public-compute for one benchmark: each law of compute (with and without the benchmark's chance
 * floor, or a fitted one) fitted on the models with C ≤ threshold and judged on those above, the
 * paper's named held-out models as one-model splits; then, for every family with ≥ 4 models, its
 * largest model predicted by each given-floor law fitted on the family's smaller models
 * ("within family") or on every model with less compute ("pooled"), point estimates only.
 */
function publicComputePlan(task: string, threshold: number, observations: readonly Observation[]): PlanBody {
  const rows = observations.filter((o) => o.task === task);
  const k = CHANCE_FLOOR[task] ?? 0;
  const floorOf = (floor: "none" | "chance" | "fitted") => (floor === "chance" && k > 0 ? { floor: k } : {});
  const fitOn: Selection = { compute_at_most: threshold };
  const named: Split[] = [];
  const absent: string[] = [];
  for (const n of PAPER_HELD_OUT) {
    const o = rows.find((r) => n.pattern.test(r.model));
    if (o) named.push({ name: n.label, on: { models: [o.model] }, points: true });
    else absent.push(n.label);
  }
  const evaluate: Split[] = [
    { name: `fitted (C ≤ ${computeLabel(threshold)})`, on: fitOn, points: true },
    { name: `held out (C > ${computeLabel(threshold)})`, on: { compute_above: threshold }, points: true },
    ...named,
  ];
  const fits: FitSpec[] = PUBLIC_LAWS.map((l) => ({ label: l.label, variant: l.variant, ...floorOf(l.floor), fitOn, evaluate, computeCurve: true }));
  // Each law against the paper's compute factor on the larger models, by the paired bootstrap.
  const heldOut = evaluate[1]!.name;
  const contrasts = PUBLIC_LAWS.slice(1).map((l) => ({ a: l.label, b: PUBLIC_LAWS[0]!.label, split: heldOut }));
  const byFamily = new Map<string, Observation[]>();
  for (const o of rows) byFamily.set(o.base_model, [...(byFamily.get(o.base_model) ?? []), o]);
  const short: string[] = [];
  for (const [family, members] of [...byFamily].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (members.length < 4) continue;
    const largest = [...members].sort((a, b) => a.compute_flops - b.compute_flops).at(-1)!;
    const c = largest.compute_flops;
    const smaller = members.filter((o) => o.compute_flops < c).length;
    const target: Split[] = [{ name: largest.model, on: { models: [largest.model] }, points: true }];
    if (smaller < 3) short.push(family);
    for (const l of PUBLIC_LAWS.filter((x) => x.floor !== "fitted")) {
      if (smaller >= 3) fits.push({ label: familyFitLabel("within family", family, l.label), variant: l.variant, ...floorOf(l.floor), fitOn: { base_models: [family], compute_below: c }, evaluate: target, bootstrap: false });
      fits.push({ label: familyFitLabel("pooled", family, l.label), variant: l.variant, ...floorOf(l.floor), fitOn: { compute_below: c }, evaluate: target, bootstrap: false });
    }
  }
  return {
    fits,
    comparisons: [],
    contrasts,
    curveModels: [],
    missing: [
      "The paper's own held-out compute results (Qwen2.5-0.5B, the Gemma-2 series, Llama-2-70B) were never published; these are other models, scored by another study (Observational Scaling Laws, Ruan, Maddison, Hashimoto 2024) at one fixed prompt per benchmark, with training FLOPs that study's 6·N·D estimate.",
      ...(absent.length ? [`Not in the study's table with FLOPs: ${absent.join(", ")}.`] : []),
      ...(short.length ? [`${task}: within family not fitted for ${short.join(", ")} (fewer than 3 smaller models); pooled only.`] : []),
      "The fitted-floor laws are not fitted within a family: most families have only three smaller models, no more than the law's three parameters (the kernel refuses such a fit), and on the few larger families the fitted floor is often not determined.",
    ],
  };
}
