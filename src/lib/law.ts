// A law is a composition of parts (docs/method.md): one option for each of compute factor,
// context factor, combination, penalty and floor. The kernel (assembly/model.ts) holds each
// option's value and derivatives and takes a law as a code; this module holds each option's
// parameters, bounds and wording, and turns a name or a composition into that code. The named
// laws (src/lib/named-laws.ts) are compositions too.

export interface PartOption {
  /** the option's number in the kernel's law code (assembly/model.ts) */
  readonly code: number;
  /** the parameters it adds to the law, in order, each with its search bounds [low, high] */
  readonly params: Readonly<Record<string, readonly [number, number]>>;
  readonly text: string;
}

/**
 * Every option of every part: the one definition that the kernel's host, the command line, the
 * pages, Beyond, the tests and the SciPy mirror (scripts/scipy_fit.py, through
 * scripts/law-parts.ts) enumerate. The kernel holds each option's value and derivatives under
 * the same code; it is checked against this when it is loaded (src/lib/kernel.ts).
 */
export const PARTS = {
  compute: {
    saturating: { code: 0, params: { log10_C0: [18, 40], alpha: [0.01, 3] }, text: "the paper's saturating power law in C" },
    constant: { code: 1, params: { compute_factor: [1e-6, 1] }, text: "a free constant (one compute level, α cannot be fitted)" },
    absent: { code: 2, params: {}, text: "no compute factor" },
    // The logistic's midpoint spans the compute of today's public models (1e18–4e25 FLOPs) with
    // room on both sides; its width is in decades of C (0.05: a near step, 5: near linear).
    logistic: { code: 3, params: { log10_C_mid: [18, 28], log10_width_C: [0.05, 5] }, text: "a logistic in log10 C" },
  },
  context: {
    saturating: { code: 0, params: { log10_n0: [0, 7], beta: [0.01, 5] }, text: "the paper's saturating power law in n_pmt" },
    absent: { code: 1, params: {}, text: "no context factor" },
  },
  combine: {
    product: { code: 0, params: {}, text: "the factors multiplied (the paper's)" },
    mean: { code: 1, params: {}, text: "the factors averaged" },
  },
  penalty: {
    none: { code: 0, params: {}, text: "no penalty" },
    step: { code: 1, params: {}, text: "the paper's S(n_pmt − n_ctx), a step at n_ctx" },
    soft: { code: 2, params: { delta: [-1, 1], log10_width: [-4, 0] }, text: "a logistic in log10(n_pmt/n_ctx) with fitted offset and width" },
    // The rate r in exp(−r·(n_pmt/n_ctx − 1)): 10^−2 (hardly falls by 2× n_ctx) to 10^3 (a
    // step: nothing left at 1.01× n_ctx).
    decay: { code: 3, params: { log10_decay_rate: [-2, 3] }, text: "1 up to n_ctx, then exp(−rate·(n_pmt/n_ctx − 1)) with a fitted rate" },
  },
  floor: {
    none: { code: 0, params: {}, text: "no floor (a chance level given with the data still applies)" },
    given: { code: 0, params: {}, text: "a given chance level k: k + (1 − k)·law (k from the data or the call)" },
    // A fitted floor below 1: at 1 the law would have nothing left to explain.
    fitted: { code: 1, params: { floor: [0, 0.99] }, text: "a fitted floor φ: φ + (1 − φ)·law" },
  },
} as const satisfies Record<string, Record<string, PartOption>>;

export type Part = keyof typeof PARTS;
export const PART_ORDER: readonly Part[] = ["compute", "context", "combine", "penalty", "floor"];
/**
 * Bits of each part's field in the law code, in PART_ORDER: code = Σ option·2^(index·bits). The
 * kernel decodes with the same width (its export LAW_FIELD_BITS, checked when it is loaded), so
 * a new option of a part never moves another part's field.
 */
export const LAW_FIELD_BITS = 4;

export type LawParts = { [K in Part]: keyof (typeof PARTS)[K] };

/** The paper's law: omitted parts of a composition take these options. */
export const PAPER_PARTS: LawParts = { compute: "saturating", context: "saturating", combine: "product", penalty: "step", floor: "none" };

/** A law as written by a user or a plan: a name (see named-laws.ts) or a composition. */
export type Law = string;

/** A composition that is not a law, or a string that is neither a name nor a composition. */
export class LawError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LawError";
  }
}

export function validParts(): string {
  return PART_ORDER.map((p) => `${p}=${Object.keys(PARTS[p]).join("|")}`).join(", ");
}

/** The composition in its canonical, complete form: compute=…,context=…,combine=…,penalty=…,floor=… */
export function compositionString(parts: LawParts): string {
  return PART_ORDER.map((p) => `${p}=${parts[p]}`).join(",");
}

/** Reads "part=option,…" (omitted parts take the paper's option); throws LawError naming the bad piece. */
export function parseComposition(text: string): LawParts {
  const parts: Record<string, string> = { ...PAPER_PARTS };
  const seen = new Set<string>();
  for (const piece of text.split(",")) {
    const m = /^\s*([a-z]+)\s*=\s*([a-z]+)\s*$/.exec(piece);
    if (!m) throw new LawError(`"${piece.trim()}" in the law "${text}" is not part=option; valid parts: ${validParts()}`);
    const [, part, option] = m;
    if (!(part in PARTS)) throw new LawError(`unknown part "${part}" in the law "${text}"; valid parts: ${validParts()}`);
    if (seen.has(part)) throw new LawError(`part "${part}" is given twice in the law "${text}"; valid parts: ${validParts()}`);
    seen.add(part);
    if (!(option in PARTS[part as Part])) throw new LawError(`unknown ${part} option "${option}" in the law "${text}"; valid: ${part}=${Object.keys(PARTS[part as Part]).join("|")}`);
    parts[part] = option;
  }
  const law = parts as LawParts;
  const problem = compositionProblem(law);
  if (problem) throw new LawError(`the law "${text}" ${problem}; valid parts: ${validParts()}`);
  return law;
}

/** Why a composition is not a law (the kernel refuses the same ones), or null. */
export function compositionProblem(parts: LawParts): string | null {
  if (parts.compute === "absent" && parts.context === "absent") return "has neither a compute nor a context factor: nothing to fit";
  if (parts.combine === "mean" && (parts.compute === "absent" || parts.context === "absent")) return "averages two factors but has only one";
  return null;
}

export function lawCode(parts: LawParts): number {
  return PART_ORDER.reduce((code, p, index) => code + option(p, parts[p]).code * 2 ** (index * LAW_FIELD_BITS), 0);
}

export function partParams(parts: LawParts): string[] {
  return PART_ORDER.flatMap((p) => Object.keys(option(p, parts[p]).params));
}

/** One option of a part, by name. */
export function option(part: Part, name: string): PartOption {
  return (PARTS[part] as Record<string, PartOption>)[name]!;
}

/** The options of a part, in the order they are defined. */
export function partOptions(part: Part): string[] {
  return Object.keys(PARTS[part]);
}

/** The penalty shapes past n_ctx that a law can have: every penalty option but none. */
export const PENALTY_SHAPES = partOptions("penalty").filter((p) => p !== "none");

/** The parameters of the penalty options: what the points past n_ctx alone determine. */
export const PENALTY_PARAMS: readonly string[] = partOptions("penalty").flatMap((p) => Object.keys(option("penalty", p).params));

/** Search bounds of every part's parameters (from PARTS; docs/method.md, "Bounds"). */
export const DEFAULT_BOUNDS: Record<string, readonly [number, number]> = Object.fromEntries(
  PART_ORDER.flatMap((p) => partOptions(p).flatMap((o) => Object.entries(option(p, o).params))),
);

/** One sentence saying what the composition is, from its parts' wording. */
export function describeParts(parts: LawParts): string {
  const factors = [parts.compute !== "absent" ? `compute: ${PARTS.compute[parts.compute].text}` : null, parts.context !== "absent" ? `context: ${PARTS.context[parts.context].text}` : null].filter(Boolean);
  const combine = parts.compute !== "absent" && parts.context !== "absent" ? `, ${PARTS.combine[parts.combine].text}` : "";
  return `${factors.join("; ")}${combine}; penalty: ${PARTS.penalty[parts.penalty].text}; floor: ${PARTS.floor[parts.floor].text}`;
}
