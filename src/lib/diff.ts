// The first place where two JSON-like values differ, named by its path. Used to check that a
// rerun (in the reader's browser, or by `npm run verify`) reproduces baked numbers exactly.

/** "path: baked X, rerun Y" for the first difference, or null when identical. */
export function firstDifference(baked: unknown, rerun: unknown, path = "", rerunName = "rerun"): string | null {
  return diff(baked, JSON.parse(JSON.stringify(rerun ?? null)), path, rerunName);
}

function show(x: unknown): string {
  return typeof x === "number" ? String(x) : (JSON.stringify(x) ?? "undefined").slice(0, 60);
}

function diff(a: unknown, b: unknown, path: string, rerunName: string): string | null {
  if (a === b) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b))
    return `${path || "(result)"}: baked ${show(a)}, ${rerunName} ${show(b)}`;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Array.isArray(a)
    ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(ao), ...Object.keys(bo)])];
  for (const k of keys) {
    const d = diff(ao[k], bo[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k, rerunName);
    if (d) return d;
  }
  return null;
}
