// The settings of a run, declared once: each one's kind, default, range, unit, label and help.
// The command line's options, their parsing and `--help` (src/cli/fit.ts), the pages' inputs and
// their URL state (src/components/notebook/), the checks of a plan or run document
// (plan-check.ts) and the reproduction line under each result are derived from this list, so a
// new setting is one entry here (and, for a fit setting, a field of `Settings`).
import { PAPER } from "./paper.js";
import { WEIGHTINGS } from "./weights.js";
import { fittableLaw } from "./named-laws.js";

/** Where an experiment's observations come from (the registry's data sources). */
export type SourceName = "bundled" | "public-models";

export type SettingKind = "integer" | "number" | "choice" | "law" | "list";

export interface SettingSpec {
  /** the field of the settings (or of the row selection) and the URL's parameter */
  key: string;
  /** the command line's option, `--flag` */
  flag: string;
  /** an older spelling the command line still takes */
  alias?: string;
  kind: SettingKind;
  /** integer and number: the range, inclusive; `above` makes the lower bound exclusive */
  min?: number;
  max?: number;
  above?: true;
  choices?: readonly string[];
  /** how a page's input names each choice */
  choiceLabels?: Readonly<Record<string, string>>;
  default: unknown;
  unit?: string;
  /** the page input's label */
  label: string;
  /** the `--help` text (after the option's name) */
  help: string;
  /** a row selection (it goes into the query), not a setting of the fits */
  rows?: true;
  /** left out of a plan's settings while it has its default (so baked results keep their shape) */
  optional?: true;
  /** what differs by data source; `offered: false` where the setting does not apply */
  bySource?: Partial<Record<SourceName, Partial<SettingSpec> & { offered?: false }>>;
}

/** Every setting. The order is the order of `--help`, of a page's inputs and of the reproduction line. */
export const SETTINGS: SettingSpec[] = [
  { key: "tasks", flag: "task", kind: "list", rows: true, default: "all", label: "tasks",
    help: "only these tasks (repeatable, or comma-separated; default: every task of the experiment)" },
  { key: "models", flag: "model", kind: "list", rows: true, default: "all", label: "models",
    help: "only these models' rows (repeatable, or comma-separated; default: every model), as a page's models input",
    bySource: { "public-models": { offered: false } } },
  { key: "seed", flag: "seed", kind: "integer", min: 0, max: 0xffffffff, default: 1, label: "seed",
    help: "seed of the global search" },
  { key: "variant", flag: "law", alias: "variant", kind: "law", default: "full", label: "law under test",
    help: "the law under test: a name or a composition of parts (see below; default full)",
    bySource: { "public-models": { offered: false } } },
  { key: "threshold", flag: "threshold", kind: "integer", min: 1, max: 1e9, default: PAPER.contextGeneralisationThreshold, unit: "tokens", label: "hold out n_pmt ≥",
    help: "context generalisation: fit below N tokens, predict at or above; public-compute: fit on C ≤ N FLOPs, predict above",
    bySource: { "public-models": { kind: "number", min: 0, above: true, max: Number.MAX_VALUE, unit: "FLOPs", label: "fit on C ≤ (FLOPs)" } } },
  { key: "restarts", flag: "restarts", kind: "integer", min: 1, max: 64, default: 4, label: "global searches per fit",
    help: "independent global searches per fit, best kept" },
  { key: "resamples", flag: "resamples", kind: "integer", min: 0, max: 1_000_000, default: 1000, label: "bootstrap resamples (0: none)",
    help: "bootstrap resamples per fit for the 95 % intervals (0: none)" },
  { key: "scheme", flag: "scheme", kind: "choice", choices: ["observations", "models"], default: "observations", label: "bootstrap unit",
    choiceLabels: { observations: "single observations", models: "whole models" },
    help: "what the bootstrap resamples: single observations, or whole models" },
  { key: "weights", flag: "weights", kind: "choice", choices: WEIGHTINGS, default: "none", optional: true, label: "least-squares weights",
    choiceLabels: { none: "none (the paper's fit)", binomial: "binomial, p(1−p)/n (needs n_instances)" },
    help: "none (the paper's unweighted fit) or binomial (weighted least squares with variance p(1-p)/n; needs an n_instances column, docs/method.md)" },
];

/** The declaration of one setting as it applies on a data source; undefined where it does not apply. */
export function settingSpec(key: string, source: SourceName = "bundled"): SettingSpec | undefined {
  const base = SETTINGS.find((s) => s.key === key);
  const own = base?.bySource?.[source];
  if (!base || own?.offered === false) return undefined;
  return own ? { ...base, ...own } : base;
}

/** The settings that apply on a data source, in declaration order. */
export function settingsFor(source: SourceName = "bundled", which: { rows?: boolean } = {}): SettingSpec[] {
  return SETTINGS.map((s) => settingSpec(s.key, source)).filter((s): s is SettingSpec => !!s && (which.rows === undefined || !!s.rows === which.rows));
}

/** The default value of every fit setting (not the row selections), optional ones left out. */
export function declaredDefaults(source: SourceName = "bundled"): Record<string, unknown> {
  return Object.fromEntries(settingsFor(source, { rows: false }).filter((s) => !s.optional).map((s) => [s.key, s.default]));
}

const fmt = (x: number) => (Number.isInteger(x) && Math.abs(x) <= 1e12 ? String(x) : x.toExponential().replace("+", ""));

/** What a value of the setting must be, in words ("an integer from 1 to 64"). */
export function expected(s: SettingSpec): string {
  switch (s.kind) {
    case "integer": return `an integer from ${fmt(s.min!)} to ${fmt(s.max!)}`;
    case "number": return s.above ? `a number > ${fmt(s.min!)}${s.unit ? ` (${s.unit})` : ""}` : `a number from ${fmt(s.min!)} to ${fmt(s.max!)}`;
    case "choice": return `one of ${s.choices!.join(", ")}`;
    case "law": return `a law: a name such as "full" or a composition such as "penalty=decay"`;
    case "list": return "a list of names";
  }
}

/** Why a value (already of its JSON type) is not valid for the setting, or null. */
export function settingProblem(s: SettingSpec, x: unknown): string | null {
  switch (s.kind) {
    case "integer":
      return Number.isInteger(x) && (x as number) >= s.min! && (x as number) <= s.max! ? null : `must be ${expected(s)}`;
    case "number": {
      const ok = typeof x === "number" && Number.isFinite(x) && (s.above ? x > s.min! : x >= s.min!) && x <= s.max!;
      return ok ? null : `must be ${expected(s)}`;
    }
    case "choice":
      return s.choices!.includes(x as string) ? null : `unknown ${s.key === "scheme" ? "scheme" : s.key} ${JSON.stringify(x)}; valid: ${s.choices!.join(", ")}`;
    case "law":
      if (typeof x !== "string" || !x) return `must be ${expected(s)}`;
      try {
        fittableLaw(x);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    case "list":
      return x === "all" || (Array.isArray(x) && x.every((v) => typeof v === "string" && v.length > 0)) ? null : `must be "all" or ${expected(s)}`;
  }
}

// Decimal only: Number() also accepts "0x10", "0b1", " 12 " and "", which no one means as a
// count or a FLOP count, and reading them silently would hide a typo.
const DECIMAL_INTEGER = /^\d+$/;
const DECIMAL_NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A setting's value from text (an option's or a URL parameter's); throws a message naming the problem. */
export function settingFromText(s: SettingSpec, text: string): unknown {
  const bad = (what: string) => new Error(`${what}, got "${text}"`);
  switch (s.kind) {
    case "integer": {
      const x = Number(text);
      if (!DECIMAL_INTEGER.test(text) || settingProblem(s, x)) throw bad(`must be ${expected(s)} in decimal digits`);
      return x;
    }
    case "number": {
      const x = Number(text);
      if (!DECIMAL_NUMBER.test(text) || settingProblem(s, x)) throw bad(`must be ${expected(s)} in decimal notation, e.g. 1e23`);
      return x;
    }
    case "choice": {
      const problem = settingProblem(s, text);
      if (problem) throw new Error(problem);
      return text;
    }
    case "law": {
      const problem = settingProblem(s, text);
      if (problem) throw new Error(problem);
      return text; // as written (the page's select shows it so); fitSettings names it canonically
    }
    case "list":
      return text === "all" ? "all" : text.split(",").map((v) => v.trim()).filter(Boolean);
  }
}

/** A setting's value as text, the inverse of settingFromText (for an option or a URL parameter). */
export function settingText(s: SettingSpec, value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

const same = (s: SettingSpec, a: unknown, b: unknown) => settingText(s, a) === settingText(s, b);

/**
 * The values a page's address holds: `defaults` overridden by each parameter that parses. A
 * parameter that does not parse is ignored (a mistyped link still opens the page, with that
 * input at its default) and named in `problems`, which the page shows above its inputs.
 */
export function settingsFromSearch(search: string, keys: readonly string[], defaults: Record<string, unknown>, source: SourceName = "bundled") {
  const params = new URLSearchParams(search);
  const values: Record<string, unknown> = { ...defaults };
  const problems: string[] = [];
  for (const key of keys) {
    const s = settingSpec(key, source);
    if (!s || !params.has(key)) continue;
    const text = params.get(key)!;
    try {
      values[key] = s.kind === "list" && text === "" ? [] : settingFromText(s, text);
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
    }
  }
  return { values, problems };
}

/** The address's parameters for these values: those that differ from the defaults, as text; the rest removed. */
export function searchFromSettings(values: Record<string, unknown>, defaults: Record<string, unknown>, search = "", source: SourceName = "bundled"): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(values)) {
    const s = settingSpec(key, source);
    if (!s) continue;
    if (same(s, value, defaults[key])) params.delete(key);
    else params.set(key, settingText(s, value));
  }
  return params.toString();
}

/** A page input, as plain data: the notebook makes an Inputs widget of each (src/components/notebook/inputs.js). */
export interface InputSpec {
  key: string;
  label: string;
  widget: "checkbox" | "select" | "radio" | "number";
  value: unknown;
  options?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  range?: [number, number];
  step?: number | "any";
}

/**
 * The inputs a page offers for these keys, from the declaration: `options` gives the data's
 * tasks, models and the laws to offer; `values` each input's starting value.
 */
export function inputSpecs(keys: readonly string[], values: Record<string, unknown>, options: { tasks: readonly string[]; models: readonly string[]; laws: readonly string[] }, source: SourceName = "bundled"): InputSpec[] {
  return keys.map((key) => {
    const s = settingSpec(key, source);
    if (!s) throw new Error(`the page offers an input "${key}" that is not a setting of ${source} experiments; settings: ${settingsFor(source).map((x) => x.key).join(", ")}`);
    const value = values[key] ?? s.default;
    const base = { key, label: s.label, value };
    switch (s.kind) {
      case "list": {
        const all = key === "tasks" ? options.tasks : key === "models" ? options.models : [];
        return { ...base, widget: "checkbox", options: all, value: value === "all" ? all : value };
      }
      case "law": return { ...base, widget: "select", options: options.laws.includes(value as string) ? options.laws : [...options.laws, value as string] };
      case "choice": return { ...base, widget: "radio", options: s.choices!, labels: s.choiceLabels };
      case "integer": return { ...base, widget: "number", range: [s.min!, s.max!] as [number, number], step: 1 };
      case "number": return { ...base, widget: "number", range: [s.above ? Number.MIN_VALUE : s.min!, s.max!] as [number, number], step: "any" as const };
    }
  });
}

/** Every problem of these values, in the command line's words ("restarts must be an integer from 1 to 64, got 0"). */
export function settingsProblems(values: Record<string, unknown>, source: SourceName = "bundled"): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const s = settingSpec(key, source);
    if (!s) continue;
    const problem = settingProblem(s, value);
    if (problem) out.push(problem.startsWith("unknown") || s.kind === "law" ? problem : `${key} ${problem}, got ${JSON.stringify(value)}`);
    else if (s.kind === "list" && Array.isArray(value) && value.length === 0) out.push(`choose at least one of the ${key}`);
  }
  return out;
}

/** The `--help` lines of the settings (each option, its help, its default and range). */
export function settingsHelp(source: SourceName = "bundled"): string {
  return SETTINGS.map((base) => {
    const s = settingSpec(base.key, source) ?? base;
    const value = s.kind === "list" ? "NAME" : s.kind === "law" ? "LAW" : s.kind === "choice" ? "NAME" : "N";
    const name = `  --${s.flag} ${value}`.padEnd(21);
    const extra = s.kind === "integer" || s.kind === "number" ? ` (${expected(s)}; default ${fmt(s.default as number)}${s.unit ? ` ${s.unit}` : ""})`
      : s.kind === "choice" ? ` (${s.choices!.join(" or ")}; default ${s.default})` : "";
    return `${name}${s.help}${extra}${s.alias ? `\n${"".padEnd(21)}--${s.alias} is its older name` : ""}`;
  }).join("\n");
}

/**
 * The command that prints the numbers of one experiment of the registry for these inputs: its
 * id, its tasks, and every setting that differs from the experiment's defaults (so the line is
 * short for the build's inputs and names everything a reader changed).
 */
export function experimentCommand(experiment: string, values: Record<string, unknown>, defaults: Record<string, unknown>, source: SourceName = "bundled"): string {
  const parts = ["npm run fit --", "--experiment", experiment];
  for (const s of settingsFor(source)) {
    const v = values[s.key];
    if (v === undefined || v === "all") continue;
    if (!s.rows && same(s, v, defaults[s.key] ?? s.default)) continue;
    parts.push(`--${s.flag}`, quoteArg(settingText(s, v)));
  }
  return parts.join(" ");
}

/** An argument as a POSIX shell reads it back unchanged. */
export function quoteArg(text: string): string {
  return /^[\w.,:=+@%/-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The settings of a run from these values (a page's inputs, the options), each missing one from
 * `defaults` (the experiment's): the shape of a plan's `settings`, the same wherever it is made,
 * so the page, a document and the command line give equal plans. An optional setting at its
 * default is left out; a law is named by its canonical composition.
 */
export function fitSettings(values: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    if (s.rows) continue;
    let v = values[s.key] ?? defaults[s.key] ?? (s.optional ? undefined : s.default);
    if (v === undefined || (s.optional && v === s.default)) continue;
    if (s.kind === "law" && settingProblem(s, v) === null) v = fittableLaw(v as string).name;
    out[s.key] = v;
  }
  return out;
}
