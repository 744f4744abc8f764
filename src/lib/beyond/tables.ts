// Beyond's tables, once: table models (columns and cells as text) that `npm run import -- beyond`
// prints as plain text (text.ts) and the page draws as HTML (src/components/pages/beyond.js), so the
// two show the same cells by construction, as the experiments' tables do (src/lib/format.ts).
import { num, openMark, type TableModel } from "../format.js";
import { median } from "../metrics.js";
import { PENALTY_SHAPES } from "../law.js";
import type { BeyondResult, GroupResult, PenaltyShape, LawOutcome, Ranking } from "./results.js";
import type { ExternalStudy } from "./studies.js";

const R = "right" as const;

/** The short names of the compared laws in narrow columns. */
const SHORT: Readonly<Record<string, string>> = { full: "full", "soft-penalty": "soft", additive: "additive", "no-penalty": "no-pen", "fixed-compute": "fixed-C" };
const short = (v: string) => SHORT[v] ?? v;

/** "Bertsch et al. 2024, github.com/abertsch72/long-context-icl, Apache-2.0": where a study's numbers appear. */
export const shortAttribution = (s: ExternalStudy): string => `${s.name}, ${s.repository.split(" ")[0]}, ${s.licence}`;

/** One row per study: what it tests, its groups and points, the best held-out error, and the wins. */
export function beyondHeadlineTable(r: BeyondResult): TableModel {
  return {
    columns: [
      { label: "study" }, { label: "tests" }, { label: "fit groups", align: R }, { label: "points", align: R },
      { label: "past n_ctx", align: R }, { label: "median best held-out MAE", align: R }, { label: "groups with held-out MAE ≤ 0.05", align: R },
      { label: "decided best (groups)" }, { label: "cannot tell (groups)", align: R }, { label: "data from (licence)" },
    ],
    rows: r.studies.map((s) => [
      s.study.name, s.study.axis.split(":")[0]!, String(s.groups), String(s.points), String(s.pastContext), num(s.medianHeldOutMae, 3),
      `${s.withinFivePoints} of ${s.withHeldOut}`, Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ") || "—", String(s.cannotTell),
      `${s.study.repository.split(" ")[0]}, ${s.study.licence}`,
    ]),
  };
}

/** One row per compared law on one study: fitted, refused (and why), held-out errors, wins. */
export function beyondLawsTable(r: BeyondResult, studyId: string): TableModel {
  const groups = r.groups.filter((g) => g.study === studyId);
  const study = r.studies.find((s) => s.study.id === studyId)!;
  return {
    columns: [{ label: "variant" }, { label: "fitted to all points", align: R }, { label: "refused" }, { label: "groups with a held-out MAE", align: R }, { label: "median held-out MAE", align: R }, { label: "undetermined (groups)", align: R }, { label: "decided best in (groups)", align: R }],
    rows: r.settings.variants.map((v) => {
      const outs = groups.map((g) => g.variants.find((x) => x.variant === v)).filter((x): x is LawOutcome => x !== undefined);
      const codes: Record<string, number> = {};
      for (const o of outs) if (o.refused) codes[o.refused.code] = (codes[o.refused.code] ?? 0) + 1;
      const held = outs.filter((o) => o.heldOut).map((o) => o.heldOut!.mae);
      const refused = Object.entries(codes).map(([c, n]) => `${n} (${c === "one-compute-level" ? "one compute level" : c === "too-few-points" ? "too few points" : c})`).join(", ");
      return [v, `${outs.filter((o) => o.all).length} of ${groups.length}`, refused || "0", `${held.length}`, held.length ? num(median(held), 3) : "—", String(outs.filter((o) => o.undetermined).length), String(study.wins[v] ?? 0)];
    }),
  };
}

const FAILURE_RULES: { label: string; test: (failure: string) => boolean }[] = [
  { label: "best held-out MAE above 0.05 (five points)", test: (f) => /^held-out MAE/.test(f) },
  { label: "in-sample MAE above 0.05: the law cannot follow the points even fitted to all of them", test: (f) => /^in-sample MAE/.test(f) },
  { label: "the score falls by more than 0.05 with longer prompts inside the window (the law's context factor only rises)", test: (f) => /^inside the window/.test(f) },
  { label: "points more than 1 % past n_ctx still score ≥ 0.1 (the sharp penalty predicts ≈ 0)", test: (f) => /past n_ctx still score/.test(f) },
  { label: "prompts exactly at n_ctx (the literal sigmoid gives half the score)", test: (f) => /exactly n_ctx/.test(f) },
  { label: "no variant could predict the held-out points", test: (f) => /^no variant/.test(f) },
];

/** Per failure rule (beyond/analysis.ts, failuresOf), in how many groups of each study it holds. */
export function beyondRulesTable(r: BeyondResult): TableModel {
  const count = (s: BeyondResult["studies"][number], pick: (g: GroupResult) => boolean) => {
    const gs = r.groups.filter((g) => g.study === s.study.id);
    return `${gs.filter(pick).length} of ${gs.length}`;
  };
  return {
    columns: [{ label: "rule" }, ...r.studies.map((s) => ({ label: s.study.name, align: R }))],
    rows: [
      ...FAILURE_RULES.map((rule) => [rule.label, ...r.studies.map((s) => count(s, (g) => g.failures.some(rule.test)))]),
      ["groups failing at least one rule", ...r.studies.map((s) => count(s, (g) => g.failures.length > 0))],
    ],
  };
}

/** A compared law's held-out MAE in a group, or why there is none ("*": fitted in its fixed-compute form; "?": undetermined, with the range of its equally good fits). */
function lawCell(v: LawOutcome): string {
  if (v.heldOut) return num(v.heldOut.mae, 3) + (v.fittedAs ? "*" : "") + (v.undetermined ? openMark(v.undetermined, 3) : "");
  if (v.refused?.code === "one-compute-level") return "1 level";
  if (v.refused?.code === "too-few-points") return "too few";
  if (v.refused?.code === "undetermined" || v.refused?.code === "past-context" || v.refused?.code === "constant-score") return "nothing fixed";
  if (v.refused) return v.refused.code;
  if (v.heldOutReason?.startsWith("not predictable")) return "other C";
  return "—";
}

/** One row per fit group of a study: its points, the best in-sample MAE, each law's held-out MAE, the best. */
export function beyondGroupsTable(r: BeyondResult, studyId: string): TableModel {
  return {
    columns: [{ label: "group" }, { label: "n", align: R }, { label: "past n_ctx", align: R }, { label: "fit MAE", align: R }, ...r.settings.variants.map((v) => ({ label: short(v), align: R })), { label: "best" }],
    rows: r.groups.filter((g) => g.study === studyId).map((g) => {
      const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
      return [g.id, String(g.n), String(g.nPastContext), bestAll ? num(bestAll.all!.mae, 3) : "—", ...g.variants.map(lawCell), g.best ? (g.best.decided ? short(g.best.variants[0]!) : `cannot tell: ${g.best.variants.map(short).join(" = ")}`) : "—"];
    }),
  };
}

/**
 * The penalty shapes past n_ctx, one row per group with points there (null when none has): (a)
 * fitted inside the window, MAE past it ("?": the points inside leave it open, with the range of
 * the equally good fits); (b) fitted to all points, in-sample MAE over all points / past n_ctx;
 * the decay's fitted rate; and which shape the paired comparisons decide for, (a) and (b).
 */
export function beyondPenaltyShapesTable(groups: readonly GroupResult[]): TableModel | null {
  const withShapes = groups.filter((g) => g.penaltyShapes);
  if (!withShapes.length) return null;
  const inside = (s: PenaltyShape | undefined) => (s?.inside ? num(s.inside.maePast, 3) + (s.inside.open ? openMark(s.inside.open, 3) : "") : "—");
  const decided = (r: Ranking | null | undefined) => (!r ? "—" : r.decided ? r.best[0]! : "cannot tell");
  const all = (s: PenaltyShape | undefined) => (s?.all ? `${num(s.all.mae, 3)} / ${num(s.all.maePast, 3)}` : "—");
  return {
    columns: [{ label: "group" }, { label: "past n_ctx", align: R }, ...PENALTY_SHAPES.map((p) => ({ label: `(a) ${p}`, align: R })), ...PENALTY_SHAPES.map((p) => ({ label: `(b) ${p}`, align: R })), { label: "(b) log10 decay rate", align: R }, { label: "(a) decided" }, { label: "(b) decided" }],
    rows: withShapes.map((g) => {
      const by = (p: string) => g.penaltyShapes!.find((s) => s.penalty === p);
      const decay = by("decay")?.all;
      return [g.id, String(g.nPastContext), ...PENALTY_SHAPES.map((p) => inside(by(p))), ...PENALTY_SHAPES.map((p) => all(by(p))), decay ? num(decay.params.log10_decay_rate!, 2) : "—", decided(g.penaltyRankings?.inside), decided(g.penaltyRankings?.all)];
    }),
  };
}
