// The static copy's lighter figures (src/lib/node/static-svg.ts): a long polyline keeps only the
// points it needs to stay within the tolerance of the line drawn; nothing else changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lighterSvgPaths, simplifyPath, TOLERANCE_PX } from "../src/lib/node/static-svg.js";

const polyline = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join("");
const pointsOf = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);

/** The largest distance from any of `original`'s points to the polyline `simplified`. */
function deviation(original: [number, number][], simplified: [number, number][]): number {
  let worst = 0;
  for (const [px, py] of original) {
    let best = Infinity;
    for (let i = 0; i + 1 < simplified.length; i++) {
      const [ax, ay] = simplified[i];
      const [bx, by] = simplified[i + 1];
      const dx = bx - ax, dy = by - ay;
      const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(px - ax - t * dx, py - ay - t * dy));
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

test("a straight run keeps its ends; a curve keeps what it needs to stay within the tolerance, as Vega wrote its numbers", () => {
  const flat = Array.from({ length: 200 }, (_, i) => [Number((i * 0.356).toFixed(3)), 72.309] as [number, number]);
  assert.equal(simplifyPath(polyline(flat)), "M0,72.309L70.844,72.309");
  // A saturating curve on a log grid, as the fitted curves are, and a band (upper, lower, close).
  const curve = Array.from({ length: 1000 }, (_, i) => [Number((i * 0.356).toFixed(3)), Number((150 * Math.exp(-i / 60) + 18).toFixed(3))] as [number, number]);
  const d = polyline(curve);
  const light = simplifyPath(d);
  const kept = pointsOf(light);
  assert.ok(kept.length < 100, `${kept.length} points kept of 1000`);
  assert.ok(deviation(curve, kept) <= TOLERANCE_PX + 1e-9);
  for (const p of kept) assert.ok(curve.some((q) => q[0] === p[0] && q[1] === p[1]), "a kept point is one of the drawn ones");
  const band = `${polyline(curve)}${polyline(curve.map(([x, y]) => [x, y + 20] as [number, number]).reverse()).replace(/^M/, "L")}Z`;
  const lightBand = simplifyPath(band);
  assert.match(lightBand, /^M0,168L.*Z$/);
  assert.ok(lightBand.length < band.length / 5);
});

test("only long polylines change: symbols, rules, relative commands and short paths stay as they were", () => {
  const html = [
    '<path transform="translate(6,6)" d="M3.354,0A3.354,3.354,0,1,1,-3.354,0A3.354,3.354,0,1,1,3.354,0" fill="#222"></path>',
    '<path class="background" d="M0,0h0v200h0Z"></path>',
    '<path d="M-5,0L5,0"></path>',
    `<path d="${polyline(Array.from({ length: 10 }, (_, i) => [i, 5] as [number, number]))}"></path>`,
  ].join("");
  assert.equal(lighterSvgPaths(html), html);
  const long = `<svg><path aria-label="a" d="${polyline(Array.from({ length: 50 }, (_, i) => [i, 5] as [number, number]))}" fill="none"></path></svg>`;
  assert.equal(lighterSvgPaths(long), '<svg><path aria-label="a" d="M0,5L49,5" fill="none"></path></svg>');
  // After a close, a run that goes on with L draws from the subpath's start, and keeps its L.
  const reopened = `M0,0${polyline(Array.from({ length: 20 }, (_, i) => [i, 0] as [number, number])).slice(4)}ZL${polyline(Array.from({ length: 20 }, (_, i) => [0, i] as [number, number])).slice(1)}`;
  assert.equal(simplifyPath(reopened), "M0,0L19,0ZL0,0L0,19");
});
