// One run as one plain-data document (docs/run-document.md): the query that selects the rows,
// the settings, and the plan for each task. A page builds it from its inputs, offers it for
// download and names the command that reruns it; `npm run fit -- --plan FILE` checks it field
// by field and runs it, its query on DuckDB as in the page (src/lib/node/duckdb.ts). The parts
// here are environment-neutral: the query runs wherever the caller's DuckDB is.
import { DEFAULT_SETTINGS, type ExperimentDescriptor, type ExperimentPlan, type Settings } from "./experiment-plan.js";
import { planProblems, completePlan, settingsFieldProblems } from "./plan-check.js";
import type { SourceName } from "./settings.js";
import { literal, OBSERVATION_TYPES } from "../components/notebook/sql-text.js";

export const DOCUMENT_FORMAT = "context-scaling-run";
export const DOCUMENT_VERSION = 1;

export interface RunDocument {
  format: typeof DOCUMENT_FORMAT;
  version: typeof DOCUMENT_VERSION;
  /** the experiment of the registry it runs, or the name of a plan written elsewhere */
  experiment?: string;
  /** one SQL query over the site's tables; its rows are what every plan's fits see */
  query: string;
  /** the settings of every plan that gives none of its own (defaults where absent) */
  settings?: Partial<Settings>;
  plans: ExperimentPlan[];
}

const FIELDS = ["format", "version", "experiment", "query", "settings", "plans"] as const;

/** Each data source's query, with `$tasks` and `$models` for the inputs (what a page's SQL cell shows). */
export const DEFAULT_QUERIES: Record<SourceName, string> = {
  bundled: "SELECT * FROM observations\nWHERE task IN $tasks AND model IN $models",
  "public-models": "SELECT * FROM public_observations\nWHERE task IN $tasks",
};

/** The query template of an experiment of the registry. */
export const experimentQuery = (d: Pick<ExperimentDescriptor, "data"> & { query?: string }): string => d.query ?? DEFAULT_QUERIES[d.data];

/**
 * The rows query of an experiment (or of a page's own plan, on its data source) for these inputs:
 * a list, or "all" (or absent) for every task the experiment runs and every model of the
 * observations. The page and the command line both build it here, so the text is the same.
 */
export function experimentRowsQuery(d: Pick<ExperimentDescriptor, "data"> & { query?: string; tasks?: ExperimentDescriptor["tasks"] }, inputs: { tasks?: readonly string[] | "all"; models?: readonly string[] | "all" }, observations: readonly { task: string; model: string }[]): string {
  const all = { tasks: d.tasks ? d.tasks(observations as never) : [...new Set(observations.map((o) => o.task))], models: [...new Set(observations.map((o) => o.model))] };
  const list = (k: "tasks" | "models") => (inputs[k] === undefined || inputs[k] === "all" ? all[k] : (inputs[k] as readonly string[]));
  return fillQuery(experimentQuery(d), { tasks: list("tasks"), models: list("models") });
}

/** A query template with its inputs as SQL literals: the text shown is the text run. */
export function fillQuery(template: string, inputs: { tasks: readonly string[]; models: readonly string[] }): string {
  return template.replace(/\$(tasks|models)\b/g, (_, k: "tasks" | "models") => literal(inputs[k]));
}

/** The words a query that only reads may start with (after comments and parentheses). */
const READING = ["SELECT", "WITH", "FROM", "VALUES", "TABLE"];

/** Why a document's query is not one that only reads (INSTALL, ATTACH, COPY, CREATE, SET, …), or null. */
export function queryKindProblem(text: string): string | null {
  const rest = text.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, "");
  const word = /^[A-Za-z_]+/.exec(rest)?.[0]?.toUpperCase() ?? "";
  return READING.includes(word) ? null : `must be a query that only reads the site's tables (it starts with ${READING.slice(0, 3).join(", ")} …); ${word ? `${word} is` : "this is"} not run: a document may not install, attach, copy, create or set anything`;
}

/** The columns a query must return, with the kind of value each holds, for the fits to read the rows. */
export const REQUIRED_COLUMNS: Record<string, "text" | "number"> = {
  task: "text", model: "text", base_model: "text", n_ctx: "number", compute_flops: "number", n_pmt: "number", score: "number",
};

/** Problems of a query's rows: missing columns, values of the wrong kind (the first row each), no rows. */
export function rowsProblems(rows: readonly Record<string, unknown>[], columns: readonly string[], at: string): string[] {
  const out: string[] = [];
  const missing = Object.keys(REQUIRED_COLUMNS).filter((c) => !columns.includes(c));
  if (missing.length) out.push(`${at}: the query returns no column ${missing.join(", ")}; the fits read ${Object.keys(REQUIRED_COLUMNS).join(", ")} (the columns of observations: ${Object.keys(OBSERVATION_TYPES).join(", ")})`);
  if (rows.length === 0) out.push(`${at}: the query returns no rows; select at least one observation`);
  for (const [c, kind] of Object.entries(REQUIRED_COLUMNS)) {
    if (missing.includes(c)) continue;
    const i = rows.findIndex((r) => (kind === "number" ? !(typeof r[c] === "number" && Number.isFinite(r[c])) : !(typeof r[c] === "string" && r[c] !== "")));
    if (i >= 0) out.push(`${at}: column ${c} must hold ${kind === "number" ? "finite numbers" : "non-empty texts"}; row ${i + 1} of the result has ${JSON.stringify(rows[i]![c] ?? null)}`);
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Whether a parsed JSON value is a run document (rather than an older plan file: one plan or a list). */
export const isRunDocument = (x: unknown): boolean => isObject(x) && ("format" in x || "query" in x || "plans" in x);

/** Problems of a document's own fields and its plans' shape, before any query runs (the tasks are checked against the rows later). */
export function documentProblems(x: unknown, file: string): string[] {
  if (!isObject(x)) return [`${file}: must be a run document, an object {format, version, query, settings, plans} (docs/run-document.md)`];
  const out: string[] = [];
  for (const k of Object.keys(x)) if (!(FIELDS as readonly string[]).includes(k)) out.push(`${file}: ${k}: not a field of a run document; valid: ${FIELDS.join(", ")}`);
  if (x.format !== DOCUMENT_FORMAT) out.push(`${file}: format: must be "${DOCUMENT_FORMAT}", got ${JSON.stringify(x.format ?? null)}`);
  if (x.version !== DOCUMENT_VERSION) out.push(`${file}: version: must be ${DOCUMENT_VERSION}, got ${JSON.stringify(x.version ?? null)}`);
  if (x.experiment !== undefined && !(typeof x.experiment === "string" && x.experiment)) out.push(`${file}: experiment: must be a non-empty text`);
  if (!(typeof x.query === "string" && x.query.trim())) out.push(`${file}: query: must be one SQL query (a text), e.g. "SELECT * FROM observations"`);
  if (x.settings !== undefined) out.push(...settingsFieldProblems(x.settings, "settings").map((m) => `${file}: ${m}`));
  if (!Array.isArray(x.plans) || x.plans.length === 0) out.push(`${file}: plans: must be a non-empty list of plans (one per task)`);
  else x.plans.forEach((p, i) => out.push(...planProblems(p, `plans[${i}]`, null).map((m) => `${file}: ${m}`)));
  return out;
}

/** The document's plans with their settings complete: defaults, then the document's, then the plan's own. */
export function documentPlans(doc: Pick<RunDocument, "settings" | "plans">, file: string): ExperimentPlan[] {
  return doc.plans.map((p) => completePlan({ ...p, settings: { ...doc.settings, ...p.settings } } as unknown as Record<string, unknown>, file));
}

/**
 * A document of these plans: the settings said once at the top, each plan without them (a plan
 * whose settings differ from the first keeps its own).
 */
export function runDocument(query: string, plans: readonly ExperimentPlan[], experiment?: string): RunDocument {
  const settings = plans[0]?.settings ?? DEFAULT_SETTINGS;
  const same = (s: Settings) => JSON.stringify(s) === JSON.stringify(settings);
  return {
    format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, ...(experiment ? { experiment } : {}), query, settings,
    plans: plans.map(({ settings: own, ...rest }) => (same(own) ? rest : { ...rest, settings: own }) as ExperimentPlan),
  };
}

/** The tasks a plan names that the rows do not hold, as problems naming the plan. */
export function taskProblems(plans: readonly { task: string }[], rows: readonly { task: string }[], file: string): string[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return plans.flatMap((p, i) => (tasks.includes(p.task) ? [] : [`${file}: plans[${i}].task: "${p.task}" is not a task of the query's rows; they have: ${tasks.join(", ") || "none"}`]));
}
