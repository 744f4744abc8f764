// A plan given as data (JSON from a file, or the plan cell of a page) checked before it runs:
// every problem names its field (e.g. `plans[0].fits[1].fitOn.n_pmt_below`) and says what is
// expected, so `npm run fit -- --plan FILE.json` can refuse a bad plan with all its problems at
// once instead of failing half-way through a fit. A page's plan cell holds exactly this shape
// (src/write-your-own-ablation.md), so a reader's page has its command-line twin.
import { DEFAULT_SETTINGS, type ExperimentPlan, type Settings } from "./experiment-plan.js";
import { resolveLaw } from "./named-laws.js";
import { SETTINGS, settingProblem, settingSpec, type SourceName } from "./settings.js";

type Json = unknown;
const isObject = (x: Json): x is Record<string, Json> => typeof x === "object" && x !== null && !Array.isArray(x);
const isString = (x: Json): x is string => typeof x === "string" && x.length > 0;
const isStringArray = (x: Json): x is string[] => Array.isArray(x) && x.every((s) => typeof s === "string");
const isNumber = (x: Json): x is number => typeof x === "number" && Number.isFinite(x);

/** The keys of a row selection (src/lib/select.ts) and what each must hold. */
const SELECTION_KEYS: Record<string, [(x: Json) => boolean, string]> = {
  models: [isStringArray, "a list of model names"],
  base_models: [isStringArray, "a list of base model names"],
  n_pmt_below: [isNumber, "a number of tokens"],
  n_pmt_at_least: [isNumber, "a number of tokens"],
  within_context: [(x) => typeof x === "boolean", "true or false"],
  paper_role: [isString, "a paper role (text)"],
  compute_below: [isNumber, "a compute in FLOPs"],
  compute_at_most: [isNumber, "a compute in FLOPs"],
  compute_above: [isNumber, "a compute in FLOPs"],
};

/** The fit settings a plan or document may give (src/lib/settings.ts). */
const fitSettings = () => SETTINGS.filter((x) => !x.rows);

/** Every problem of a `settings` object at `at` (a plan's, or a document's), each naming its field, with the ranges of the rows' data source. */
export function settingsFieldProblems(x: Json, at: string, source: SourceName = "bundled"): string[] {
  if (!isObject(x)) return [`${at}: must be an object such as {"seed": 1, "restarts": 4, "resamples": 0}`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(x)) {
    const base = fitSettings().find((s) => s.key === k);
    // A setting the source does not offer as an input (the public models' law) is checked as declared.
    const spec = base && (settingSpec(k, source) ?? base);
    const problem = spec && settingProblem(spec, v);
    if (!spec) out.push(`${at}.${k}: not a setting; valid: ${fitSettings().map((s) => s.key).join(", ")}`);
    else if (problem) out.push(`${at}.${k}: ${problem}, got ${JSON.stringify(v)}`);
  }
  return out;
}

function lawProblem(x: Json): string | null {
  if (!isString(x)) return "must be a law: a name such as \"full\" or a composition such as \"penalty=decay\"";
  try {
    resolveLaw(x);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function selectionProblems(x: Json, at: string, out: string[]): void {
  if (!isObject(x)) return void out.push(`${at}: must be a row selection, an object such as {"models": ["Yarn-Llama-2-7b-8k"]} ({} selects every row)`);
  for (const [k, v] of Object.entries(x)) {
    const rule = SELECTION_KEYS[k];
    if (!rule) out.push(`${at}.${k}: not a selection key; valid: ${Object.keys(SELECTION_KEYS).join(", ")}`);
    else if (!rule[0](v)) out.push(`${at}.${k}: must be ${rule[1]}, got ${JSON.stringify(v)}`);
  }
}

/** The fields of a plan, of a fit and of a split (experiment-plan.ts): anything else is a typo. */
const PLAN_FIELDS = ["experiment", "title", "question", "task", "settings", "fits", "comparisons", "contrasts", "curveModels", "missing"];
const FIT_FIELDS = ["label", "variant", "fitOn", "evaluate", "floor", "bootstrap", "computeCurve", "intendsFallback"];
const SPLIT_FIELDS = ["name", "on", "points"];

function unknownFields(x: Record<string, Json>, valid: readonly string[], at: string, what: string, out: string[]): void {
  for (const k of Object.keys(x)) if (!valid.includes(k)) out.push(`${at}.${k}: not a field of ${what}; valid: ${valid.join(", ")}`);
}

/** Every problem of one plan, each naming its field under `at` (e.g. "plans[0]"); empty when it can run. `tasks` null: the task is checked later, against the rows. */
export function planProblems(x: Json, at: string, tasks: readonly string[] | null, source: SourceName = "bundled"): string[] {
  const out: string[] = [];
  if (!isObject(x)) return [`${at}: must be a plan, an object with experiment, task, fits, … (see src/write-your-own-ablation.md)`];
  unknownFields(x, PLAN_FIELDS, at, "a plan", out);
  for (const k of ["experiment", "task"]) if (!isString(x[k])) out.push(`${at}.${k}: must be a non-empty text`);
  for (const k of ["title", "question"]) if (x[k] !== undefined && typeof x[k] !== "string") out.push(`${at}.${k}: must be a text`);
  if (tasks && isString(x.task) && !tasks.includes(x.task)) out.push(`${at}.task: "${x.task}" is not a task of the data; the data have: ${tasks.join(", ")}`);
  if (x.settings !== undefined) out.push(...settingsFieldProblems(x.settings, `${at}.settings`, source));
  const labels = new Set<string>();
  if (!Array.isArray(x.fits) || x.fits.length === 0) out.push(`${at}.fits: must be a non-empty list of fits ({label, variant, fitOn, evaluate})`);
  else x.fits.forEach((f: Json, i: number) => {
    const fa = `${at}.fits[${i}]`;
    if (!isObject(f)) return void out.push(`${fa}: must be a fit, an object {label, variant, fitOn, evaluate}`);
    unknownFields(f, FIT_FIELDS, fa, "a fit", out);
    if (!isString(f.label)) out.push(`${fa}.label: must be a non-empty text`);
    else if (labels.has(f.label)) out.push(`${fa}.label: "${f.label}" is the label of an earlier fit; labels must differ`);
    else labels.add(f.label);
    const law = lawProblem(f.variant);
    if (law) out.push(`${fa}.variant: ${law}`);
    selectionProblems(f.fitOn, `${fa}.fitOn`, out);
    if (!Array.isArray(f.evaluate)) out.push(`${fa}.evaluate: must be a list of splits ({name, on}); [] for none`);
    else f.evaluate.forEach((s: Json, j: number) => {
      const sa = `${fa}.evaluate[${j}]`;
      if (!isObject(s)) return void out.push(`${sa}: must be a split, an object {name, on}`);
      unknownFields(s, SPLIT_FIELDS, sa, "a split", out);
      if (!isString(s.name)) out.push(`${sa}.name: must be a non-empty text`);
      selectionProblems(s.on, `${sa}.on`, out);
      if (s.points !== undefined && s.points !== true) out.push(`${sa}.points: must be true or left out`);
    });
    if (f.floor !== undefined && !(isNumber(f.floor) && f.floor >= 0 && f.floor < 1)) out.push(`${fa}.floor: must be a chance level from 0 to below 1`);
    if (f.bootstrap !== undefined && f.bootstrap !== false) out.push(`${fa}.bootstrap: must be false or left out`);
    if (f.computeCurve !== undefined && f.computeCurve !== true) out.push(`${fa}.computeCurve: must be true or left out`);
    if (f.intendsFallback !== undefined && f.intendsFallback !== true) out.push(`${fa}.intendsFallback: must be true or left out`);
  });
  if (x.comparisons !== undefined && !Array.isArray(x.comparisons)) out.push(`${at}.comparisons: must be a list ([] for none)`);
  else (x.comparisons as Json[] | undefined)?.forEach((c, i) => {
    const ca = `${at}.comparisons[${i}]`;
    if (!isObject(c)) return void out.push(`${ca}: must be a comparison {label, ours, paper}`);
    if (!isString(c.label)) out.push(`${ca}.label: must be a non-empty text`);
    if (!(c.paper === null || isNumber(c.paper))) out.push(`${ca}.paper: must be a number or null`);
    const q = c.ours;
    if (!isObject(q) || !["error", "plateau", "level"].includes(q.kind as string)) out.push(`${ca}.ours: must be {kind: "error" | "plateau" | "level", fit, …}`);
    else {
      if (!isString(q.fit) || !labels.has(q.fit)) out.push(`${ca}.ours.fit: must be the label of one of the plan's fits, got ${JSON.stringify(q.fit)}`);
      if (q.kind === "plateau" ? !isString(q.model) : !isString(q.split)) out.push(`${ca}.ours.${q.kind === "plateau" ? "model" : "split"}: must be a non-empty text`);
      if (q.kind === "error" && q.metric !== "mae") out.push(`${ca}.ours.metric: must be "mae"`);
    }
  });
  if (x.contrasts !== undefined && !Array.isArray(x.contrasts)) out.push(`${at}.contrasts: must be a list of paired comparisons ({a, b, split}); [] or left out for none`);
  else (x.contrasts as Json[] | undefined)?.forEach((c, i) => {
    const ca = `${at}.contrasts[${i}]`;
    if (!isObject(c)) return void out.push(`${ca}: must be a paired comparison {a, b, split}: two fit labels and a split both evaluate`);
    for (const side of ["a", "b"] as const)
      if (!isString(c[side]) || !labels.has(c[side] as string)) out.push(`${ca}.${side}: must be the label of one of the plan's fits, got ${JSON.stringify(c[side])}`);
    if (!isString(c.split)) out.push(`${ca}.split: must be the name of a split both fits evaluate`);
    else for (const side of ["a", "b"] as const) {
      const fit = Array.isArray(x.fits) ? (x.fits as Json[]).find((f) => isObject(f) && f.label === c[side]) : undefined;
      if (isObject(fit) && Array.isArray(fit.evaluate) && !fit.evaluate.some((s: Json) => isObject(s) && s.name === c.split))
        out.push(`${ca}.split: fit "${c[side]}" evaluates no split named ${JSON.stringify(c.split)}`);
    }
  });
  for (const k of ["curveModels", "missing"]) if (x[k] !== undefined && !isStringArray(x[k])) out.push(`${at}.${k}: must be a list of texts`);
  return out;
}

/**
 * The plans of a JSON text (one plan, or a list of them, as a page's plan cell shows), with
 * defaults filled in (settings from DEFAULT_SETTINGS, empty comparisons, curves and notes);
 * or every problem, each naming the file and field.
 */
export function parsePlans(text: string, file: string, tasks: readonly string[]): { plans: ExperimentPlan[]; problems: string[] } {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { plans: [], problems: [`${file}: not JSON (${(err as Error).message})`] };
  }
  const list = Array.isArray(value) ? value : [value];
  const at = (i: number) => (Array.isArray(value) ? `plans[${i}]` : "plan");
  if (list.length === 0) return { plans: [], problems: [`${file}: an empty list; give a plan, or a list of plans`] };
  const problems = list.flatMap((p, i) => planProblems(p, at(i), tasks).map((m) => `${file}: ${m}`));
  if (problems.length) return { plans: [], problems };
  return { plans: list.map((p) => completePlan(p as Record<string, Json>, file)), problems: [] };
}

/** A checked plan with what it left out filled in: settings from DEFAULT_SETTINGS, empty comparisons, curves and notes. */
export function completePlan(x: Record<string, Json>, file: string): ExperimentPlan {
  return {
    ...x,
    title: (x.title as string | undefined) ?? `plan of ${file}`,
    question: (x.question as string | undefined) ?? "",
    settings: { ...DEFAULT_SETTINGS, ...(x.settings as Partial<Settings> | undefined) },
    comparisons: x.comparisons ?? [],
    curveModels: x.curveModels ?? [],
    missing: x.missing ?? [],
  } as ExperimentPlan;
}
