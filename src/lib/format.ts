// The result tables, once: table models (columns and cells as text) that the command line
// prints as plain text, the pages draw as HTML (src/components/render/result-sections.js) and the
// browser tests compare cell by cell, so "page = command line" holds by construction.
import type { ExperimentResult, FitRunResult, SplitResult, ContrastResult } from "./run.js";

export interface TableModel {
  columns: { label: string; align?: "right" }[];
  rows: string[][];
}

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const width = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? "").length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(width[j]) : c.padStart(width[j]))).join("  ").trimEnd();
  return [line(cells[0]), width.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return "—";
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return x.toFixed(digits);
}

export function signed(x: number | null | undefined): string {
  return x === null || x === undefined ? "—" : (x >= 0 ? "+" : "") + num(x);
}

export function interval(iv: [number, number] | null | undefined): string {
  return iv ? `[${num(iv[0])}, ${num(iv[1])}]` : "—";
}

const R = "right" as const;

/** A fit's parameters: value, standard error, and the 95 % bootstrap interval when there is one. */
export function paramsTableModel(f: FitRunResult): TableModel {
  const fit = f.fit!;
  const withIv = f.uncertainty !== undefined;
  const iv = f.uncertainty?.params ?? {};
  return {
    columns: [{ label: "parameter" }, { label: "value", align: R }, { label: "standard error", align: R }, ...(withIv ? [{ label: "95 % bootstrap interval", align: R }] : [])],
    rows: fit.paramNames.map((p) => [p, num(fit.params[p]), fit.se[p] === null ? "undetermined" : num(fit.se[p]), ...(withIv ? [interval(iv[p])] : [])]),
  };
}

/** A fit's errors on each split ("—" where not computable). */
export function splitsTableModel(f: FitRunResult): TableModel {
  const withIv = f.uncertainty !== undefined;
  return {
    columns: [{ label: "split" }, { label: "n", align: R }, { label: "MAE", align: R }, ...(withIv ? [{ label: "95 % interval", align: R }] : []), { label: "max |err|", align: R }, { label: "SSE", align: R }],
    rows: f.splits.map((s) =>
      s.errors
        ? [s.name, String(s.errors.n), maeCell(s), ...(withIv ? [interval(s.maeInterval)] : []), num(s.errors.maxAbs), num(s.errors.sse, 6)]
        : [s.name, "—", "—", ...(withIv ? ["—"] : []), "—", "—"]),
  };
}

/** An MAE, marked "?" with the range of its equally good fits where the fitted points leave it open (determined.ts). */
export function maeCell(s: Pick<SplitResult, "errors" | "undetermined">): string {
  if (!s.errors) return "—";
  return num(s.errors.mae) + (s.undetermined ? ` ${openMark(s.undetermined)}` : "");
}

/** "? (0.003–0.824)": an error the fitted points leave open, with its equally good fits' range. */
export function openMark(d: { maeRange: [number, number] }, digits = 4): string {
  return `? (${num(d.maeRange[0], digits)}–${num(d.maeRange[1], digits)})`;
}

/** Why an error is marked undetermined, in words. */
export function undeterminedNote(s: Pick<SplitResult, "name" | "undetermined">): string | null {
  if (!s.undetermined) return null;
  const [lo, hi] = s.undetermined.maeRange;
  return `${s.name}: MAE not determined by the fitted points: ${s.undetermined.parameters.join(", ") || "the undetermined parameters"} can take other values that fit them as well and give MAE ${num(lo)} to ${num(hi)} here; it counts as no win`;
}

/** The verdict of a paired comparison in words: which fit the data favour, or that they cannot tell. */
export function verdictText(c: Pick<ContrastResult, "a" | "b" | "verdict">): string {
  return c.verdict === "a" ? `${c.a} better` : c.verdict === "b" ? `${c.b} better` : "cannot tell";
}

/** Paired comparisons: MAE of A − B on a split, its 95 % paired bootstrap interval and the verdict. */
export function contrastsTableModel(r: ExperimentResult): TableModel {
  return {
    columns: [{ label: "A − B" }, { label: "on" }, { label: "MAE difference", align: R }, { label: "95 % paired interval", align: R }, { label: "verdict" }],
    rows: (r.contrasts ?? []).map((c) => [`${c.a} − ${c.b}`, c.split, signed(c.difference), interval(c.interval), verdictText(c) + (c.reason ? ` (${c.reason})` : "")]),
  };
}

/** Our numbers beside the paper's. */
export function comparisonsTableModel(r: ExperimentResult): TableModel {
  const withIv = r.comparisons.some((c) => c.oursInterval !== undefined);
  return {
    columns: [{ label: "ours vs the paper" }, { label: "ours", align: R }, ...(withIv ? [{ label: "95 % interval", align: R }] : []), { label: "paper", align: R }, { label: "ours − paper", align: R }],
    rows: r.comparisons.map((c) => [c.label, num(c.ours), ...(withIv ? [interval(c.oursInterval)] : []), num(c.paper), signed(c.difference)]),
  };
}

/** A table model as plain text, aligned as the page aligns it, its first column indented by `indent`. */
export function textTable(m: TableModel, indent = ""): string {
  const cells = [m.columns.map((c) => c.label), ...m.rows];
  const width = m.columns.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? "").length)));
  const line = (r: string[]) => r.map((c, j) => (m.columns[j].align === "right" ? c.padStart(width[j]) : c.padEnd(width[j]))).join("  ").trimEnd();
  // The indent goes before every line, the rule under the header included.
  return [line(cells[0]), width.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].map((l) => indent + l).join("\n");
}

export function formatResult(r: ExperimentResult): string {
  const { plan } = r;
  const out: string[] = [];
  out.push(`== ${plan.title} · ${plan.task} · law: ${plan.settings.variant} · seed ${plan.settings.seed} · ${plan.settings.restarts} global searches per fit · ${plan.settings.resamples} bootstrap resamples ==`);
  out.push(plan.question);
  for (const f of r.fits) {
    out.push("");
    out.push(`fit "${f.label}" (${f.fit?.variant ?? f.variant}) on ${f.fitOn}: ${f.nFit} points`);
    if (f.refused) out.push(`  ${f.variant} refused: ${f.refused.message}${f.refused.fallback ? `\n  fitted ${f.refused.fallback} instead, for the fitted points only` : ""}${f.refused.fallbackRefused ? `\n  its fixed-compute form ${f.refused.fallbackRefused.law} refused too: ${f.refused.fallbackRefused.message}` : ""}`);
    if (f.fit) {
      const fit = f.fit;
      // The parameters as the page's table draws them: one table model, text here, HTML there.
      out.push(textTable(paramsTableModel(f), "  "));
      out.push(`  SSE ${num(fit.sse, 6)}, status ${fit.status}, best reached by ${fit.globalSearch.restartsAtBest} of ${fit.globalSearch.restarts} global searches, ${fit.globalSearch.generations} generations, ${fit.evaluations} evaluations, condition number ${num(fit.conditionNumber, 1)}`);
      if (fit.weighting && f.weighting) {
        // With the scale known the standard errors assume the law fits within binomial noise;
        // χ²/dof far above 1 says it does not, and then they are too small.
        const dof = fit.n - fit.paramNames.length;
        out.push(`  weighted least squares (${f.weighting.weights}, ${f.weighting.reweights} reweighting rounds${f.weighting.converged ? "" : ", not settled"}): SSE above is χ² = Σ w·r², χ²/dof = ${num(fit.sse / dof, 3)}; standard errors assume σ² = ${fit.weighting.scale === "known" ? "1 (known scale)" : "χ²/dof (estimated)"}`);
      }
      if (f.uncertainty) {
        const u = f.uncertainty;
        out.push(`  ${Math.round(u.level * 100)} % bootstrap intervals from ${u.kept} of ${u.requested} resamples of ${u.scheme}${u.dropped ? ` (${u.dropped} dropped: one compute level, α undetermined)` : ""}${u.cancelled ? " (cancelled)" : ""}`);
      }
      for (const w of f.identifiability?.warnings ?? []) out.push(`  warning: ${w}`);
    }
    out.push(textTable(splitsTableModel(f), "  "));
    for (const s of f.splits) if (!s.errors && s.reason) out.push(`  ${s.name}: ${s.reason}`);
    for (const s of f.splits) if (undeterminedNote(s)) out.push(`  ${undeterminedNote(s)}`);
  }
  if (r.comparisons.length) {
    out.push("");
    out.push(textTable(comparisonsTableModel(r)));
  }
  if (r.contrasts?.length) {
    out.push("");
    out.push(textTable(contrastsTableModel(r)));
  }
  for (const m of plan.missing) out.push(`note: ${m}`);
  return out.join("\n");
}
