// Beyond's result as text, for `npm run import -- beyond`: its tables are the page's table
// models (tables.ts) printed as text.
import { PENALTY_SHAPES } from "../law.js";
import { num, textTable } from "../format.js";
import type { BeyondResult, Tally } from "./results.js";

/** "step 3, soft 1, decay 0; cannot tell 5": decided wins per shape, and the groups that cannot tell. */
export const tallyText = (t: Tally): string => `${PENALTY_SHAPES.map((p) => `${p} ${t.wins[p] ?? 0}`).join(", ")}; cannot tell ${t.cannotTell}`;
import { beyondGroupsTable, beyondPenaltyShapesTable } from "./tables.js";

/** The results as plain-text tables, one section per study, with its citation. */
export function formatBeyond(r: BeyondResult): string {
  const out: string[] = [];
  out.push(`== Beyond the paper: the law on other studies' results · seed ${r.settings.seed} · ${r.settings.restarts} global searches per fit ==`);
  out.push(`Held-out MAE per variant (score on a 0–1 scale); * = refused on one compute level (α not identifiable) and fitted in its fixed-compute form (f_C a free constant), as run.ts does; full* is then the fixed-C fit again and is not ranked. "1 level": refused on one compute level with no fixed-compute form; "too few": fewer points than parameters plus one; "nothing fixed": refused because the points determine none of the law's parameters (docs/method.md, refused inputs); "other C": the fixed-compute form cannot predict another compute level.`);
  out.push(`Best = the law with the lowest held-out MAE whose error is determined by its training part, decided when a ${Math.round(r.settings.level * 100)} % paired bootstrap interval of the difference (${r.settings.resamples} resamples) favours it over every other law; else "cannot tell" (listed with "="). ? = the training part leaves the held-out error open (the range its equally good fits give); such a law never wins. A group fails where the best held-out MAE exceeds ${r.settings.failMae}.`);
  for (const s of r.studies) {
    const groups = r.groups.filter((g) => g.study === s.study.id);
    out.push("");
    out.push(`-- ${s.study.name}: ${s.study.citation}; ${s.study.repository}, ${s.study.licence} --`);
    out.push(`tests ${s.study.axis}`);
    out.push(`hold-out: ${groups[0]?.holdOut.scheme ?? "—"}`);
    for (const u of s.study.unknowns) out.push(`caveat: ${u}`);
    for (const n of s.notes) out.push(`import: ${n}`);
    out.push(textTable(beyondGroupsTable(r, s.study.id)));
    const wins = Object.entries(s.wins).map(([v, n]) => `${v} ${n}`).join(", ");
    out.push(`summary: ${s.groups} groups, ${s.points} points (${s.pastContext} past n_ctx); median best held-out MAE ${num(s.medianHeldOutMae, 3)}; ` +
      `${s.withinFivePoints} of ${s.withHeldOut} groups within ${r.settings.failMae}; decided wins: ${wins || "none"}; cannot tell: ${s.cannotTell} groups`);
    const failing = groups.filter((g) => g.failures.length);
    if (failing.length) {
      out.push(`where it fails (${failing.length} of ${groups.length} groups):`);
      for (const g of failing) for (const f of g.failures) out.push(`  ${g.id}: ${f}`);
    }
    const shapes = groups.filter((g) => g.penaltyShapes);
    if (shapes.length) {
      out.push(`${PENALTY_SHAPES.join(" vs ")} past n_ctx: (a) fitted inside the window, MAE on the points past it; (b) fitted to all points, in-sample MAE (all points / past n_ctx); ? = the points inside leave the error past n_ctx open (range of equally good fits)`);
      out.push(textTable(beyondPenaltyShapesTable(groups)!));
      out.push(`decided by paired comparisons in ${s.penaltyShapeWins.groups} groups: (a) ${tallyText(s.penaltyShapeWins.inside)}; (b) ${tallyText(s.penaltyShapeWins.all)}`);
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
