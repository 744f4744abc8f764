// The Claims table drawn (src/lib/claims.ts): each claim's number with its 95 % interval against
// what decides it (0.05 for an error "within 5 points", 0 for a paired difference of two laws'
// errors), coloured by verdict, so a reader sees at a glance what holds, what does not and what
// these data cannot tell. Two panels, one per kind of number, each on its own scale.
import { CLOSE_MAE, taskName } from "../lib.js";
import { chart } from "./vega.js";
import { FIGURE_CONFIG } from "./figures.js";

export const VERDICT_COLORS = { holds: "#1a7f37", "does not hold": "#cf222e", "cannot tell": "#8c8c8c" };

const KINDS = { error: `an error, decided at ${CLOSE_MAE}`, difference: "a paired difference of two errors, decided at 0" };

/** The figure's rows: one per claim with a number (numbered as in the table), and where it is decided. */
export function claimsRows(claims) {
  return claims.flatMap((c, i) => (c.ours === null ? [] : [{
    claim: `${i + 1}. ${c.claim} (${c.experiment} · ${taskName(c.task)})`,
    kind: c.difference ? KINDS.difference : KINDS.error,
    ours: c.ours, lo: c.interval?.[0] ?? null, hi: c.interval?.[1] ?? null,
    decided: c.difference ? 0 : CLOSE_MAE, verdict: c.verdict,
  }]));
}

/** The Vega-Lite spec of the claims figure. */
export function claimsSpec(claims, { width = 760 } = {}) {
  const rows = claimsRows(claims);
  const kinds = Object.values(KINDS).filter((k) => rows.some((r) => r.kind === k));
  const y = { field: "claim", type: "nominal", sort: null, axis: { title: null, labelLimit: 520, labelFontSize: 11 } };
  const x = { type: "quantitative", axis: { title: null, grid: true } };
  const color = { field: "verdict", type: "nominal", scale: { domain: Object.keys(VERDICT_COLORS), range: Object.values(VERDICT_COLORS) } };
  const panel = (kind) => {
    const mine = rows.filter((r) => r.kind === kind);
    return {
      title: { text: `${mine.length} claim${mine.length === 1 ? "" : "s"} whose number is ${kind}`, anchor: "start", fontSize: 12 },
      width: Math.max(200, width - 560),
      height: { step: 16 },
      data: { values: mine },
      layer: [
        { mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { x: { ...x, field: "decided" } } },
        ...(mine.some((r) => r.lo !== null) ? [{ transform: [{ filter: "datum.lo !== null" }], mark: { type: "rule", strokeWidth: 2 }, encoding: { y, x: { ...x, field: "lo" }, x2: { field: "hi" }, color } }] : []),
        {
          mark: { type: "point", filled: true, size: 50 },
          encoding: {
            y, x: { ...x, field: "ours" }, color: { ...color, legend: { title: "verdict", orient: "bottom" } },
            tooltip: [{ field: "claim" }, { field: "ours", format: ".4f" }, { field: "lo", title: "95 % from", format: ".4f" }, { field: "hi", title: "to", format: ".4f" }, { field: "verdict" }],
          },
        },
      ],
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json", // an identifier only: nothing is fetched
    vconcat: kinds.map(panel),
    resolve: { scale: { x: "independent", y: "independent" } },
    config: FIGURE_CONFIG,
  };
}

/** The claims figure as the home page shows it, with a caption saying what is left out. */
export async function claimsChart(claims) {
  const rows = claimsRows(claims);
  const without = claims.length - rows.length;
  return chart(claimsSpec(claims), {
    name: "claims",
    rows,
    caption: `Each claim of the table above: our number (dot) with its 95 % interval (line), against what decides it (dashed: ${CLOSE_MAE} for an error, 0 for a difference of two laws' errors); green holds, red does not hold, grey cannot tell from these data.` +
      (without ? ` ${without} claim${without === 1 ? " has" : "s have"} no number (see the table) and ${without === 1 ? "is" : "are"} not drawn.` : ""),
  });
}
