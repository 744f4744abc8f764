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
  const word = firstWord(text)?.word.toUpperCase() ?? "";
  return READING.includes(word) ? null : notReading(word);
}

/** The first word of a query after comments and parentheses, and where it starts. */
function firstWord(text: string): { word: string; from: number } | null {
  const skipped = /^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/.exec(text)![0].length;
  const word = /^[A-Za-z_]+/.exec(text.slice(skipped))?.[0];
  return word ? { word, from: skipped } : null;
}

const notReading = (word: string) => `must be a query that only reads the site's tables (it starts with ${READING.slice(0, 3).join(", ")} …); ${word ? `${word} is` : "this is"} not run: a document may not install, attach, copy, create or set anything`;

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

/**
 * The most rows a document's query may return: the page holds every row in memory and sends them
 * to the fits, and the command line does the same. A query that returns more is refused (the
 * check stops reading at one row past it, so even an endless query answers at once).
 */
export const MAX_QUERY_ROWS = 200_000;

/** A problem of a query: its message and, when DuckDB names a place, the offsets [from, to) of that place in the query's text. */
export interface QueryProblem {
  message: string;
  from?: number;
  to?: number;
}

export interface QueryColumn {
  name: string;
  type: string;
}

/** A query's rows, as plain objects (src/components/notebook/sql-text.js plain), and its columns. */
export interface QueryRows {
  rows: Record<string, unknown>[];
  columns: QueryColumn[];
}

/**
 * What checkQuery needs of a DuckDB (the page's, src/components/notebook/db.js, or the command
 * line's, src/lib/node/duckdb.ts), whose tables are loaded and whose configuration is locked.
 */
export interface QueryDatabase {
  /** why the text is not exactly one statement DuckDB can prepare (DuckDB's message), or null */
  statementProblem(text: string): string | null | Promise<string | null>;
  /** the query's rows and columns, reading no more than `maxRows` rows of its result */
  query(text: string, limits: { maxRows: number }): QueryRows | Promise<QueryRows>;
}

/**
 * A document's query checked and run on `db`, the same way in the page and on the command line:
 * it must read only (its first word, then DuckDB's own parse: a single SELECT), be one statement
 * DuckDB can prepare, run, return at most MAX_QUERY_ROWS rows, and return the columns the fits
 * read (rowsProblems). Problems are messages under `at` (e.g. "doc.json: query"), with the place
 * in the text DuckDB names; `hint` is added to a "DuckDB cannot run it" message. Never throws for
 * a bad query; with problems, no rows.
 */
export async function checkQuery(db: QueryDatabase, text: string, at: string, { hint = "" }: { hint?: string } = {}): Promise<QueryRows & { problems: QueryProblem[] }> {
  const refused = (problem: QueryProblem, columns: QueryColumn[] = []) => ({ rows: [], columns, problems: [problem] });
  const kind = queryKindProblem(text);
  if (kind) return refused({ message: `${at}: ${kind}`, ...wordRange(text, firstWord(text)?.from) });
  const statement = await db.statementProblem(text);
  if (statement) return refused({ message: `${at}: DuckDB cannot run it: ${firstLine(statement)}${hint}`, ...errorRange(statement, text) });
  // A statement may start like a query and still write (WITH x AS (…) DELETE FROM observations):
  // DuckDB's query() table function parses its text and takes nothing but a single SELECT.
  const select = await db.statementProblem(`SELECT * FROM query(${literal(text)})`);
  if (select) {
    if (!/single SELECT statement/i.test(select)) return refused({ message: `${at}: DuckDB cannot run it: ${firstLine(select)}${hint}` });
    const writing = writingWord(text);
    return refused({ message: `${at}: ${notReading(writing?.word.toUpperCase() ?? "")}`, ...wordRange(text, writing?.from) });
  }
  let result: QueryRows;
  try {
    result = await db.query(text, { maxRows: MAX_QUERY_ROWS + 1 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return refused({ message: `${at}: DuckDB failed: ${firstLine(message)}`, ...errorRange(message, text) });
  }
  if (result.rows.length > MAX_QUERY_ROWS) {
    return refused({ message: `${at}: the query returns more than ${MAX_QUERY_ROWS.toLocaleString("en-US")} rows, the most a query here may return; select fewer rows: add a WHERE (e.g. WHERE task = 'arithmetic') or a LIMIT` }, result.columns);
  }
  return { ...result, problems: rowsProblems(result.rows, result.columns.map((c) => c.name), at).map((message) => ({ message })) };
}

const firstLine = (message: string) => message.split("\n")[0]!;

/** The words of statements that write or change something, for naming the one a query holds. */
const WRITING = /\b(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|DROP|ALTER|ATTACH|DETACH|INSTALL|LOAD|SET|RESET|PRAGMA|CALL|EXPORT|IMPORT|CHECKPOINT|VACUUM|BEGIN|COMMIT|ROLLBACK|EXPLAIN|PIVOT|UNPIVOT)\b/i;

/** The first word of a writing statement in a query, outside its texts, quoted names and comments. */
function writingWord(text: string): { word: string; from: number } | null {
  const blanked = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => " ".repeat(m.length));
  const m = WRITING.exec(blanked);
  return m ? { word: m[1]!, from: m.index } : null;
}

/** The offsets of the token starting at `from`: a word, a quoted text or name, or one character. */
function wordRange(text: string, from: number | undefined): { from: number; to: number } | Record<string, never> {
  if (from === undefined || from < 0 || from > text.length) return {};
  const rest = text.slice(from);
  const token = /^(?:[A-Za-z_][\w$]*|\d[\w.]*|'(?:[^']|'')*'?|"(?:[^"]|"")*"?)/.exec(rest)?.[0] ?? rest.slice(0, 1);
  return { from, to: from + token.length };
}

/** Characters DuckDB renders two columns wide (East Asian wide and full-width forms, emoji), as it counts the caret's place. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

/**
 * Where in the query a DuckDB error points, as offsets into the text: DuckDB ends such a message
 * with "LINE n: <the line, or 80 columns of it between "..."s>" and a caret line under the place
 * (lines end at \r\n, \n or \r; columns are counted by rendered width); "at end of input" is the
 * end of the text. Empty when the message names no place.
 */
export function errorRange(message: string, text: string): { from: number; to: number } | Record<string, never> {
  const m = /^LINE (\d+): (.*)\n( *)\^/m.exec(message);
  if (!m) {
    if (/syntax error at end of input/i.test(message)) {
      const end = text.trimEnd().length;
      return { from: end, to: end };
    }
    return {};
  }
  const lineNumber = Number(m[1]);
  const breaks = [...text.matchAll(/\r\n|\n|\r/g)];
  const previous = breaks[lineNumber - 2];
  const start = lineNumber === 1 ? 0 : previous ? previous.index! + previous[0].length : text.length;
  const next = breaks[lineNumber - 1];
  const line = text.slice(start, next ? next.index : text.length);
  const truncatedStart = m[2]!.startsWith("...");
  const shown = m[2]!.slice(truncatedStart ? 3 : 0).replace(/\.\.\.$/, "");
  let width = m[3]!.length - `LINE ${lineNumber}: `.length - (truncatedStart ? 3 : 0);
  const at = line.indexOf(shown);
  if (at < 0 && truncatedStart) return {};
  // From the start of what is shown, walk the caret's rendered width in characters.
  let offset = Math.max(0, at);
  for (const ch of line.slice(offset)) {
    if (width <= 0) break;
    width -= WIDE.test(ch) ? 2 : 1;
    offset += ch.length;
  }
  return wordRange(text, start + offset);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Whether a parsed JSON value is a run document (rather than an older plan file: one plan or a list). */
export const isRunDocument = (x: unknown): boolean => isObject(x) && ("format" in x || "query" in x || "plans" in x);

/** The data source whose tables a query reads: the public models' when it names theirs (their settings' ranges apply). */
export const querySource = (text: string): SourceName => (/\bpublic_(observations|models)\b/i.test(text) ? "public-models" : "bundled");

/** Problems of a document's own fields and its plans' shape, before any query runs (the tasks are checked against the rows later). */
export function documentProblems(x: unknown, file: string): string[] {
  if (!isObject(x)) return [`${file}: must be a run document, an object {format, version, query, settings, plans} (docs/run-document.md)`];
  const out: string[] = [];
  for (const k of Object.keys(x)) if (!(FIELDS as readonly string[]).includes(k)) out.push(`${file}: ${k}: not a field of a run document; valid: ${FIELDS.join(", ")}`);
  if (x.format !== DOCUMENT_FORMAT) out.push(`${file}: format: must be "${DOCUMENT_FORMAT}", got ${JSON.stringify(x.format ?? null)}`);
  if (x.version !== DOCUMENT_VERSION) out.push(`${file}: version: must be ${DOCUMENT_VERSION}, got ${JSON.stringify(x.version ?? null)}`);
  if (x.experiment !== undefined && !(typeof x.experiment === "string" && x.experiment)) out.push(`${file}: experiment: must be a non-empty text`);
  if (!(typeof x.query === "string" && x.query.trim())) out.push(`${file}: query: must be one SQL query (a text), e.g. "SELECT * FROM observations"`);
  const source = typeof x.query === "string" ? querySource(x.query) : "bundled";
  if (x.settings !== undefined) out.push(...settingsFieldProblems(x.settings, "settings", source).map((m) => `${file}: ${m}`));
  if (!Array.isArray(x.plans) || x.plans.length === 0) out.push(`${file}: plans: must be a non-empty list of plans (one per task)`);
  else x.plans.forEach((p, i) => out.push(...planProblems(p, `plans[${i}]`, null, source).map((m) => `${file}: ${m}`)));
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

/** The tasks a plan names that the rows do not hold, as problems naming the plan (and the file, unless it is ""). */
export function taskProblems(plans: readonly { task: string }[], rows: readonly { task: string }[], file: string): string[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return plans.flatMap((p, i) => (tasks.includes(p.task) ? [] : [`${file ? `${file}: ` : ""}plans[${i}].task: "${p.task}" is not a task of the query's rows; they have: ${tasks.join(", ") || "none"}`]));
}
