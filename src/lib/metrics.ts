// Error metrics. The paper reports the mean absolute error |P − P̂|; SSE is what is minimised.

export interface ErrorSummary {
  n: number;
  mae: number;
  sse: number;
  maxAbs: number;
}

export function errorSummary(observed: readonly number[], predicted: readonly number[]): ErrorSummary {
  if (observed.length !== predicted.length) throw new Error(`errorSummary: ${observed.length} observations but ${predicted.length} predictions`);
  let abs = 0;
  let sq = 0;
  let maxAbs = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = predicted[i] - observed[i];
    abs += Math.abs(e);
    sq += e * e;
    maxAbs = Math.max(maxAbs, Math.abs(e));
  }
  const n = observed.length;
  return { n, mae: n ? abs / n : NaN, sse: sq, maxAbs };
}

/** Evenly spaced values from a to b inclusive (the paper drew its curves on such a grid). */
export function linspace(a: number, b: number, count: number): number[] {
  if (count < 2) return [a];
  return Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
}

/** The median of the numbers (the mean of the middle two for an even count), or null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
