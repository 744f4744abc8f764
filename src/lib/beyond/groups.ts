// Beyond's fit groups (one model family on one task of a study) and the hold-out scheme of each
// study: which points a law is fitted to and which it must predict.
import type { Observation } from "../types.js";
import type { NamedLaw } from "../named-laws.js";
import { select, type Selection } from "../select.js";
import { type StudyId, prepareRows } from "./studies.js";

// ---------------------------------------------------------------------------------------------
// Fit groups and hold-out schemes

/** The laws compared: sharp vs soft penalty, multiplicative vs additive, no penalty, and the one-compute-level form. */
export const BEYOND_LAWS = ["full", "soft-penalty", "additive", "no-penalty", "fixed-compute"] as const satisfies readonly NamedLaw[];

export type HoldOut =
  /** per model: fit all but the `count` longest prompts, predict those (context extrapolation, as the paper's §4.2) */
  | { kind: "longest-prompts"; count: number }
  /** pooled over sizes: fit every size but the largest, predict all checkpoints of the largest (compute extrapolation, as §4.1) */
  | { kind: "largest-model" };

export function describeHoldOut(h: HoldOut): string {
  return h.kind === "longest-prompts"
    ? `fit all but the ${h.count} longest prompt${h.count > 1 ? "s" : ""} of each group, predict ${h.count > 1 ? "those" : "that one"}`
    : "fit every model size but the largest, predict every checkpoint of the largest";
}

export interface FitGroup {
  study: StudyId;
  /** "mistralai/Mistral-7B-v0.1 · nlu" */
  id: string;
  task: string;
  rows: Observation[];
  holdOut: HoldOut;
}

/** The hold-out scheme as two row selections (select.ts): the training part and the held-out part. */
export function holdOutSelections(rows: readonly Observation[], h: HoldOut): { train: Selection; test: Selection } {
  if (h.kind === "longest-prompts") {
    const lengths = [...new Set(rows.map((r) => r.n_pmt))].sort((a, b) => a - b);
    const cut = lengths[Math.max(0, lengths.length - h.count)]!;
    return { train: { n_pmt_below: cut }, test: { n_pmt_at_least: cut } };
  }
  const top = rows.reduce((a, r) => (r.compute_flops > a.compute_flops ? r : a), rows[0]!);
  const others = [...new Set(rows.map((r) => r.base_model))].filter((b) => b !== top.base_model);
  return { train: { base_models: others }, test: { base_models: [top.base_model] } };
}

/** Splits rows into (train, test) by the group's hold-out scheme. */
export function splitHoldOut(rows: readonly Observation[], h: HoldOut): { train: Observation[]; test: Observation[] } {
  if (rows.length === 0) return { train: [], test: [] };
  const { train, test } = holdOutSelections(rows, h);
  return { train: select(rows, train), test: select(rows, test) };
}

/** How many of the longest prompts each study's groups hold out. */
export const HOLD_OUT: Record<StudyId, HoldOut> = {
  bertsch2024: { kind: "longest-prompts", count: 2 },
  helmet: { kind: "longest-prompts", count: 1 },
  pythia: { kind: "largest-model" },
};

/**
 * The fit groups of a study's observations: one per (model, task) where each model is a
 * compute level of its own (Bertsch, HELMET: the context axis, fixed-compute), one per task
 * pooled over sizes and checkpoints where compute is known (Pythia: the compute axis).
 */
export function beyondGroups(study: StudyId, observations: readonly Observation[]): FitGroup[] {
  const groups = new Map<string, Observation[]>();
  for (const o of prepareRows(study, observations)) {
    const key = study === "pythia" ? o.task : `${o.model} · ${o.task}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, rows]) => ({
    study, id, task: rows[0]!.task, rows: [...rows].sort((a, b) => a.compute_flops - b.compute_flops || a.n_pmt - b.n_pmt), holdOut: HOLD_OUT[study],
  }));
}

