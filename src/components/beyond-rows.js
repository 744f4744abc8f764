// The rows of the "Beyond the paper" tables, from the analysis of src/lib/beyond.ts: each
// study's headline, its variants, the failure rules and the groups, with attribution.
import { num } from "./lib.js";

export const SHORT = { full: "full", "soft-penalty": "soft", additive: "additive", "no-penalty": "no-pen", "fixed-compute": "fixed-C" };

/** "Bertsch et al. 2024 (github.com/abertsch72/long-context-icl, Apache-2.0)". */
export const attribution = (s) => `${s.name} (${s.citation}; ${s.repository}; licence ${s.licence})`;
export const shortAttribution = (s) => `${s.name}, ${s.repository.split(" ")[0]}, ${s.licence}`;

/** The cells of the headline table, one row per study (the browser test compares them with analyseBeyond's numbers). */
export function headlineRows(result) {
  return result.studies.map((s) => [
    s.study.name,
    s.study.axis.split(":")[0],
    String(s.groups),
    String(s.points),
    String(s.pastContext),
    num(s.medianHeldOutMae, 3),
    `${s.withinFivePoints} of ${s.withHeldOut}`,
    Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ") || "—",
    `${s.study.repository.split(" ")[0]}, ${s.study.licence}`,
  ]);
}

export const HEADLINE_COLUMNS = [
  { label: "study" }, { label: "tests" }, { label: "fit groups", align: "right" }, { label: "points", align: "right" },
  { label: "past n_ctx", align: "right" }, { label: "median best held-out MAE", align: "right" }, { label: "groups with held-out MAE ≤ 0.05", align: "right" },
  { label: "best variant (groups)" }, { label: "data from (licence)" },
];

export const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function variantRows(result, studyId) {
  const groups = result.groups.filter((g) => g.study === studyId);
  const study = result.studies.find((s) => s.study.id === studyId);
  return result.settings.variants.map((v) => {
    const outs = groups.map((g) => g.variants.find((x) => x.variant === v)).filter(Boolean);
    const all = outs.filter((o) => o.all).length;
    const codes = {};
    for (const o of outs) if (o.refused) codes[o.refused.code] = (codes[o.refused.code] ?? 0) + 1;
    const held = outs.filter((o) => o.heldOut).map((o) => o.heldOut.mae);
    const refusedText = Object.entries(codes).map(([c, n]) => `${n} (${c === "one-compute-level" ? "one compute level" : c === "too-few-points" ? "too few points" : c})`).join(", ");
    return [v, `${all} of ${groups.length}`, refusedText || "0", `${held.length}`, held.length ? num(median(held), 3) : "—", String(study.wins[v] ?? 0)];
  });
}

const FAILURE_RULES = [
  { label: "best held-out MAE above 0.05 (five points)", test: (f) => /^held-out MAE/.test(f) },
  { label: "in-sample MAE above 0.05: the law cannot follow the points even fitted to all of them", test: (f) => /^in-sample MAE/.test(f) },
  { label: "the score falls by more than 0.05 with longer prompts inside the window (the law's context factor only rises)", test: (f) => /^inside the window/.test(f) },
  { label: "points more than 1 % past n_ctx still score ≥ 0.1 (the sharp penalty predicts ≈ 0)", test: (f) => /past n_ctx still score/.test(f) },
  { label: "prompts exactly at n_ctx (the literal sigmoid gives half the score)", test: (f) => /exactly n_ctx/.test(f) },
  { label: "no variant could predict the held-out points", test: (f) => /^no variant/.test(f) },
];

export function failureRuleRows(result) {
  const rows = FAILURE_RULES.map((r) => [r.label, ...result.studies.map((s) => {
    const gs = result.groups.filter((g) => g.study === s.study.id);
    return `${gs.filter((g) => g.failures.some(r.test)).length} of ${gs.length}`;
  })]);
  rows.push(["groups failing at least one rule", ...result.studies.map((s) => {
    const gs = result.groups.filter((g) => g.study === s.study.id);
    return `${gs.filter((g) => g.failures.length).length} of ${gs.length}`;
  })]);
  return rows;
}

function variantCell(v) {
  if (v.heldOut && v.fittedAs) return num(v.heldOut.mae, 3) + "*";
  if (v.heldOut) return num(v.heldOut.mae, 3);
  if (v.refused?.code === "one-compute-level") return "1 level";
  if (v.refused?.code === "too-few-points") return "too few";
  if (v.refused) return v.refused.code;
  if (v.heldOutReason?.startsWith("not predictable")) return "other C";
  return "—";
}

export function groupRows(result, studyId) {
  return result.groups.filter((g) => g.study === studyId).map((g) => {
    const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all.mae - b.all.mae)[0];
    return [g.id, String(g.n), String(g.nPastContext), bestAll ? num(bestAll.all.mae, 3) : "—", ...g.variants.map(variantCell), g.best ? g.best.variants.map((v) => SHORT[v] ?? v).join(" = ") : "—"];
  });
}
