// The static copy of a figure drawn lighter. Vega draws each fitted curve through the paper's
// grid of 1,000 prompt lengths, and each bootstrap band through twice that: on a plot 356 px
// wide that is a point every third of a pixel, so a page's SVG is mostly path data (490 kB of
// the penalty ablation's 800 kB), which a reader's browser must parse before its first paint.
// In the page's static copy, a polyline keeps only the points it needs to stay within
// TOLERANCE_PX of the line Vega drew (Douglas–Peucker); the kept points are Vega's own, written
// as Vega wrote them. The live figure that replaces it, and the SVG offered for download, are
// Vega's drawing unchanged.

/** How far, in the SVG's own pixels, a simplified line may pass from the one drawn: invisible at 1:1 and in print. */
export const TOLERANCE_PX = 0.1;
/** A path with fewer points than this is left as it is (symbols, ticks, legends). */
const MIN_POINTS = 16;

const PATH_D = /(<path\b[^>]*?\sd=")([^"]*)(")/g;
// Only paths made of absolute moves, lines and closes (Vega's lines and areas) are touched:
// arcs, curves and relative commands are left alone.
const POLYLINE = /^(?:[ML]-?[\d.]+(?:e[-+]?\d+)?,-?[\d.]+(?:e[-+]?\d+)?|Z)+$/;
const COMMAND = /([MLZ])([^MLZ]*)/g;

/** The HTML with every long polyline path of its SVG simplified (see above); everything else as it was. */
export function lighterSvgPaths(html: string, tolerance = TOLERANCE_PX): string {
  return html.replace(PATH_D, (whole, open: string, d: string, close: string) => (POLYLINE.test(d) ? open + simplifyPath(d, tolerance) + close : whole));
}

/** One path's data (M, L and Z only), each subpath simplified on its own. */
export function simplifyPath(d: string, tolerance = TOLERANCE_PX): string {
  let out = "";
  let run: { command: string; text: string; x: number; y: number }[] = [];
  const flush = () => {
    // A run's first point keeps its own command (an L right after a Z draws from the subpath's start).
    out += keep(run, tolerance).map((p, i) => (i === 0 ? p.command : "L") + p.text).join("");
    run = [];
  };
  for (const [, command, args] of d.matchAll(COMMAND)) {
    if (command === "Z") {
      flush();
      out += "Z";
      continue;
    }
    if (command === "M") flush();
    const [x, y] = args.split(",").map(Number);
    run.push({ command, text: args, x, y });
  }
  flush();
  return out;
}

/** The points of one polyline to keep: its ends, and every point the line would otherwise miss by more than `tolerance`. */
function keep<P extends { x: number; y: number }>(points: P[], tolerance: number): P[] {
  if (points.length < MIN_POINTS) return points;
  const kept = new Uint8Array(points.length);
  kept[0] = kept[points.length - 1] = 1;
  // Douglas–Peucker with a stack of spans (a recursion could be 2,000 deep).
  const spans: [number, number][] = [[0, points.length - 1]];
  while (spans.length) {
    const [a, b] = spans.pop()!;
    let far = -1;
    let farthest = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = distanceToSegment(points[i], points[a], points[b]);
      if (d > farthest) {
        farthest = d;
        far = i;
      }
    }
    if (far < 0) continue;
    kept[far] = 1;
    spans.push([a, far], [far, b]);
  }
  return points.filter((_, i) => kept[i]);
}

function distanceToSegment(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
