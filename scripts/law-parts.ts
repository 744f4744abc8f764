// `node --import tsx scripts/law-parts.ts`: the parts of a law and the named laws as JSON, from
// their one definition (src/lib/law.ts, src/lib/named-laws.ts), for the SciPy mirror
// (scripts/scipy_fit.py), which reads them rather than keeping a copy of its own.
import { PARTS, PART_ORDER, PAPER_PARTS, type PartOption } from "../src/lib/law.js";
import { NAMED_LAWS, partsOf } from "../src/lib/named-laws.js";

const parts = Object.fromEntries(PART_ORDER.map((part) => [part, Object.fromEntries(
  Object.entries<PartOption>(PARTS[part]).map(([name, o]) => [name, { code: o.code, params: Object.entries(o.params).map(([p, [lo, hi]]) => ({ name: p, bounds: [lo, hi] })) }]),
)]));
const named = Object.fromEntries(NAMED_LAWS.map((v) => [v, partsOf(v)]));
process.stdout.write(JSON.stringify({ partOrder: PART_ORDER, paperParts: PAPER_PARTS, parts, named }, null, 1) + "\n");
