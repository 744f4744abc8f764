// Beyond's result as text, for `npm run import -- beyond`.
import { PENALTY_SHAPES, PENALTY_PARAMS } from "../law.js";
import { table, num } from "../format.js";
import { type BeyondResult, type PenaltyShape, type VariantOutcome, penaltyShapeWins } from "./results.js";

// ---------------------------------------------------------------------------------------------
// Text output

const short: Record<string, string> = { full: "full", "soft-penalty": "soft", additive: "additive", "no-penalty": "no-pen", "fixed-compute": "fixed-C" };

function variantCell(v: VariantOutcome): string {
  if (v.heldOut) return num(v.heldOut.mae, 3) + (v.fittedAs ? "*" : "");
  if (v.refused?.code === "one-compute-level") return "1 level";
  if (v.refused) return v.refused.code;
  return "—";
}

/** The results as plain-text tables, one section per study, with its citation. */
export function formatBeyond(r: BeyondResult): string {
  const out: string[] = [];
  out.push(`== Beyond the paper: the law on other studies' results · seed ${r.settings.seed} · ${r.settings.restarts} global searches per fit ==`);
  out.push(`Held-out MAE per variant (score on a 0–1 scale); * = refused on one compute level (α not identifiable) and fitted in its fixed-compute form (f_C a free constant), as run.ts does; full* is then the fixed-C fit again and is not ranked.`);
  out.push(`Best = lowest held-out MAE (ties within ${r.settings.tieMae}); a group fails where the best held-out MAE exceeds ${r.settings.failMae}.`);
  for (const s of r.studies) {
    const groups = r.groups.filter((g) => g.study === s.study.id);
    out.push("");
    out.push(`-- ${s.study.name}: ${s.study.citation}; ${s.study.repository}, ${s.study.licence} --`);
    out.push(`tests ${s.study.axis}`);
    out.push(`hold-out: ${groups[0]?.holdOut.scheme ?? "—"}`);
    for (const u of s.study.unknowns) out.push(`caveat: ${u}`);
    for (const n of s.notes) out.push(`import: ${n}`);
    out.push(table(
      ["group", "n", ">ctx", "fit MAE", ...r.settings.variants.map((v) => short[v] ?? v), "best"],
      groups.map((g) => {
        const bestAll = g.variants.filter((v) => v.all).sort((a, b) => a.all!.mae - b.all!.mae)[0];
        return [g.id, g.n, g.nPastContext, bestAll ? num(bestAll.all!.mae, 3) : "—", ...g.variants.map(variantCell), g.best ? g.best.variants.map((v) => short[v] ?? v).join("=") : "—"];
      }),
    ));
    const wins = Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ");
    out.push(`summary: ${s.groups} groups, ${s.points} points (${s.pastContext} past n_ctx); median best held-out MAE ${num(s.medianHeldOutMae, 3)}; ` +
      `${s.withinFivePoints} of ${s.withHeldOut} groups within ${r.settings.failMae}; best variant: ${wins || "—"}`);
    const failing = groups.filter((g) => g.failures.length);
    if (failing.length) {
      out.push(`where it fails (${failing.length} of ${groups.length} groups):`);
      for (const g of failing) for (const f of g.failures) out.push(`  ${g.id}: ${f}`);
    }
    const shapes = groups.filter((g) => g.penaltyShapes);
    if (shapes.length) {
      out.push(`${PENALTY_SHAPES.join(" vs ")} past n_ctx: (a) fitted inside the window, MAE on the points past it; (b) fitted to all points, in-sample MAE (all points / past n_ctx); ? = the fit inside leaves the penalty's parameters undetermined`);
      const cell = (s: PenaltyShape) => (s.inside ? `${num(s.inside.maePast, 3)}${s.inside.undetermined.some((p) => PENALTY_PARAMS.includes(p)) ? "?" : ""}` : "—");
      out.push(table(
        ["group", "past", ...PENALTY_SHAPES.map((p) => `(a) ${p}`), ...PENALTY_SHAPES.map((p) => `(b) ${p}`), "(b) log10 decay rate"],
        shapes.map((g) => {
          const by = (p: string) => g.penaltyShapes!.find((s) => s.penalty === p)!;
          const decay = by("decay")?.all;
          return [g.id, g.nPastContext, ...PENALTY_SHAPES.map((p) => cell(by(p))),
            ...PENALTY_SHAPES.map((p) => (by(p).all ? `${num(by(p).all!.mae, 3)} / ${num(by(p).all!.maePast, 3)}` : "—")),
            decay ? num(decay.params.log10_decay_rate!, 2) : "—"];
        }),
      ));
      const w = s.penaltyShapeWins;
      const list = (wins: Record<string, number>) => PENALTY_SHAPES.map((p) => `${p} ${wins[p] ?? 0}`).join(", ");
      out.push(`lowest error of ${w.groups} groups (ties within ${r.settings.tieMae} count for each): (a) ${list(w.inside)}; (b) ${list(w.all)}`);
    }
    const penalties = groups.filter((g) => g.penalty?.length);
    if (penalties.length) {
      out.push("penalty the data show past n_ctx (observed / unpenalised prediction of a fit inside the window; the sharp law: ≈ 0):");
      for (const g of penalties) {
        out.push(`  ${g.id}: ` + g.penalty!.map((p) => `${num(p.n_pmt / p.n_ctx, 2)}× n_ctx → ${p.ratio === null ? "—" : num(p.ratio, 2)}`).join(", "));
      }
    }
  }
  return out.join("\n");
}
