// The named laws (docs/method.md): each is a composition of parts (src/lib/law.ts), so its
// parameters, bounds and kernel code follow from the parts. A law anywhere (a plan, the command
// line, the kernel wrapper) is one of these names or a composition "part=option,…".
import {
  PAPER_PARTS, DEFAULT_BOUNDS, LawError, compositionString, describeParts, lawCode, parseComposition, partParams, validParts,
  type Law, type LawParts,
} from "./law.js";

export { DEFAULT_BOUNDS, LawError, type Law };

const NAMED = {
  full: { parts: {}, text: "the paper's law: compute factor × context factor × sigmoid penalty past n_ctx" },
  "no-penalty": { parts: { penalty: "none" }, text: "the paper's ablation: compute factor × context factor, no penalty" },
  "context-blind": { parts: { context: "absent", penalty: "none" }, text: "compute factor only: the 'existing work' line of the paper's Figure 1" },
  additive: { parts: { combine: "mean" }, text: "the two factors averaged instead of multiplied, times the penalty" },
  "soft-penalty": { parts: { penalty: "soft" }, text: "the penalty's offset and width (in log10 n_pmt/n_ctx) fitted too" },
  "fixed-compute": { parts: { compute: "constant" }, text: "one compute level: the compute factor is a free constant, α cannot be fitted" },
  "fixed-compute-soft": { parts: { compute: "constant", penalty: "soft" }, text: "soft-penalty with the compute factor a free constant (one compute level)" },
  "fixed-compute-additive": { parts: { compute: "constant", combine: "mean" }, text: "additive with the compute factor a free constant (one compute level)" },
  "fixed-compute-no-penalty": { parts: { compute: "constant", penalty: "none" }, text: "no-penalty with the compute factor a free constant (one compute level)" },
  "logistic-compute": { parts: { compute: "logistic", context: "absent", penalty: "none" }, text: "compute only, a logistic in log10 C: 1/(1 + exp(−(log10 C − mid)/width))" },
  "context-blind-fitted-floor": { parts: { context: "absent", penalty: "none", floor: "fitted" }, text: "context-blind above a fitted floor φ: φ + (1 − φ)·f_C" },
  "logistic-compute-fitted-floor": { parts: { compute: "logistic", context: "absent", penalty: "none", floor: "fitted" }, text: "logistic-compute above a fitted floor φ: φ + (1 − φ)·f" },
  "decay-penalty": { parts: { penalty: "decay" }, text: "the step penalty replaced by a decay past n_ctx with a fitted rate" },
  "fixed-compute-decay": { parts: { compute: "constant", penalty: "decay" }, text: "decay-penalty with the compute factor a free constant (one compute level)" },
} as const satisfies Record<string, { parts: Partial<LawParts>; text: string }>;

export type NamedLaw = keyof typeof NAMED;
export const NAMED_LAWS = Object.keys(NAMED) as NamedLaw[];

export function isNamedLaw(name: string): name is NamedLaw {
  return Object.hasOwn(NAMED, name);
}

export function partsOf(name: NamedLaw): LawParts {
  return { ...PAPER_PARTS, ...NAMED[name].parts } as LawParts;
}

/** A law resolved: its display name, parts, kernel code and parameter names. */
export interface ResolvedLaw {
  /** the law's name if the composition has one, else its canonical composition */
  name: Law;
  parts: LawParts;
  code: number;
  paramNames: readonly string[];
}

const byComposition = new Map(NAMED_LAWS.map((v) => [compositionString(partsOf(v)), v]));

function resolved(parts: LawParts): ResolvedLaw {
  const composition = compositionString(parts);
  return { name: byComposition.get(composition) ?? composition, parts, code: lawCode(parts), paramNames: partParams(parts) };
}

const cache = new Map<string, ResolvedLaw>();

/** A name or a composition ("penalty=decay", "compute=logistic,context=absent,…"); throws LawError. */
export function resolveLaw(law: Law): ResolvedLaw {
  let r = cache.get(law);
  if (r) return r;
  if (isNamedLaw(law)) r = resolved(partsOf(law));
  else if (law.includes("=")) r = resolved(parseComposition(law));
  else throw new LawError(`unknown law "${law}": give a name (${NAMED_LAWS.join(", ")}) or a composition of parts (${validParts()}), e.g. penalty=decay`);
  cache.set(law, r);
  return r;
}

/**
 * A law that can be fitted to an observations table as the command line and the pages read it:
 * resolved like resolveLaw, and refused (LawError) when it needs what such a table lacks.
 */
export function fittableLaw(law: Law): ResolvedLaw {
  const r = resolveLaw(law);
  if (r.parts.floor === "given") throw new LawError(`${law}: floor=given needs a chance level k for every observation, and the observations CSV has no column for one; use floor=fitted, or fit through the library (src/lib/kernel.ts, FitOptions.floor)`);
  return r;
}

/** The parameter names of each named law, derived from its parts. */
export const PARAM_NAMES = Object.fromEntries(NAMED_LAWS.map((v) => [v, resolveLaw(v).paramNames])) as Record<NamedLaw, readonly string[]>;

export const LAW_DESCRIPTIONS = Object.fromEntries(NAMED_LAWS.map((v) => [v, NAMED[v].text])) as Record<NamedLaw, string>;

/** What a law is, in words: a named law's sentence, or its parts'. */
export function describeLaw(law: Law): string {
  return isNamedLaw(law) ? NAMED[law].text : describeParts(resolveLaw(law).parts);
}

/**
 * The form of a law for data with one compute level, where α cannot be fitted: the same law with
 * its compute factor a free constant (null: the law is nothing but its compute factor).
 */
export function fixedComputeForm(law: Law): Law | null {
  const { parts } = resolveLaw(law);
  if (parts.context === "absent") return null;
  if (parts.compute === "constant" || parts.compute === "absent") return resolveLaw(law).name;
  return resolved({ ...parts, compute: "constant" }).name;
}

export const FIXED_COMPUTE_FORM = Object.fromEntries(NAMED_LAWS.map((v) => [v, fixedComputeForm(v)])) as Record<NamedLaw, NamedLaw | null>;

/** Whether the law's compute factor is a free constant (fitted on one compute level, cannot extrapolate in C). */
export function isFixedCompute(law: Law): boolean {
  return resolveLaw(law).parts.compute === "constant";
}
