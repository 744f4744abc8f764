// Reading, checking and writing the two data tables (data/observations.csv, data/models.csv).
//
// Environment-neutral on purpose (no node: imports): the same parser runs in the command line,
// in the site's data loaders and in the browser when a reader drops in a CSV of their own
// results, so the three can never disagree on what a valid file is.
//
// Validation collects every problem of a file before throwing, because a user fixing their
// file by hand should see all of its problems at once, not one per attempt.
import { csvFormatRows, csvFormatRow } from "d3-dsv";
import type { Observation, ModelInfo } from "./types.js";
import { DataError, formatProblem, quote, type DataProblem } from "./data-problems.js";
import { TableReader, parseTable, text, positive, nonNegative, type Spec, type TableRecord } from "./table-reader.js";

// The problems of a file and the table reader live in their own modules; importers of this one
// still find them here.
export { DataError, formatProblem, type DataProblem } from "./data-problems.js";
export { TableReader, type TableRecord } from "./table-reader.js";

// ---------------------------------------------------------------------------------------------
// Column specifications. Typed as Record<keyof …> so adding a field to types.ts without saying
// how to read it is a compile error.

export const PAPER_ROLES = ["fit", "held_out"] as const;

// ---------------------------------------------------------------------------------------------
// Prompt lengths: the one rule every reader of observations applies (this module's parsers, the
// streamed project import, the other importers through src/lib/import/finish.ts).

/** The shortest prompt a row may give, in tokens: a prompt holds at least one token, so a smaller
 *  n_pmt is a unit or a typing slip (thousands of tokens, a fraction of n_ctx, 1e-300), refused. */
export const MIN_PROMPT_TOKENS = 1;

/** What n_pmt must be, as the problems of a file say it. */
export const N_PMT_EXPECTED =
  `a number of tokens, ${MIN_PROMPT_TOKENS} or more: n_pmt is the prompt's (mean) length in tokens and a prompt holds at least one token; give it in tokens, not in thousands of tokens or as a fraction`;

/** A prompt longer than this many times its row's n_ctx is warned about, not refused: past the
 *  window is data the law's penalty describes, but 1000× lies orders of magnitude beyond any
 *  evaluation (the bundled data reach 4.8×, the studies of Beyond the paper 16×; context
 *  extension stretches a window 4–32×), so it is almost surely a slip: n_ctx in thousands of
 *  tokens (8 for 8k), or digits too many in n_pmt. */
export const FAR_PAST_WINDOW = 1000;

/** Rows named one by one in the warnings about long prompts; the rest are counted. */
const MAX_PROMPT_WARNINGS = 10;

/** Collects the rows whose prompt is more than FAR_PAST_WINDOW × their n_ctx, as warnings. */
export class PromptLengthWarnings {
  private readonly lines: string[] = [];
  private count = 0;

  check(file: string, row: number | null, o: { n_pmt: number; n_ctx: number }): void {
    if (!(o.n_pmt > FAR_PAST_WINDOW * o.n_ctx)) return;
    if (this.count++ >= MAX_PROMPT_WARNINGS) return;
    const times = Math.round(o.n_pmt / o.n_ctx);
    this.lines.push(formatProblem({
      file, row, field: "n_pmt", found: `${quote(String(o.n_pmt))}, ${times.toLocaleString("en-US")} × the row's n_ctx (${o.n_ctx})`,
      expected: `at most ${FAR_PAST_WINDOW} × n_ctx: a prompt that long is beyond any model's window by orders of magnitude; ` +
        `check that both are in tokens (n_ctx not in thousands: 8192, not 8) and that n_pmt has no digits too many. The row is kept as it is`,
    }));
  }

  /** One line per row (the first MAX_PROMPT_WARNINGS), then how many more there are. */
  warnings(): string[] {
    const more = this.count - this.lines.length;
    return more > 0 ? [...this.lines, `… and ${more} more rows with n_pmt above ${FAR_PAST_WINDOW} × their n_ctx`] : [...this.lines];
  }
}

/** The warnings about long prompts of observations read from `file` (rows named by their line). */
export function promptWarnings(observations: readonly Observation[], file: string): string[] {
  const w = new PromptLengthWarnings();
  observations.forEach((o, i) => w.check(file, sourceLineOf(o) ?? i + 2, o));
  return w.warnings();
}

const OBSERVATION_SPECS: Record<keyof Observation, Spec> = {
  task: text,
  model: text,
  base_model: text,
  extension: text,
  n_ctx: positive("a whole number of tokens greater than 0", true),
  compute_flops: positive("a finite number of FLOPs greater than 0 (e.g. 7.7723e+22)"),
  shots: nonNegative("a whole number, 0 or more", true),
  n_pmt: { kind: "number", integer: false, min: MIN_PROMPT_TOKENS, minExclusive: false, optional: false, expected: N_PMT_EXPECTED },
  score: { kind: "number", integer: false, min: 0, minExclusive: false, max: 1, optional: false, expected: "a number between 0 and 1" },
  metric: text,
  score_uncertainty: nonNegative("empty or a number, 0 or more", false, true),
  n_pmt_uncertainty_rel: nonNegative("empty or a number, 0 or more (relative, 0.02 = 2 %)", false, true),
  n_instances: { kind: "number", integer: true, min: 0, minExclusive: true, optional: true, expected: "empty or a whole number of evaluated instances, 1 or more" },
  paper_role: { kind: "choice", values: PAPER_ROLES, empty: "fit" },
  source: text,
};

const MODEL_SPECS: Record<keyof ModelInfo, Spec> = {
  model: text,
  base_model: text,
  params_nonembed: positive("a whole number of parameters greater than 0", true),
  pretrain_tokens: positive("a number of tokens greater than 0"),
  extension_tokens: nonNegative("a number of tokens, 0 or more"),
  n_ctx: positive("a whole number of tokens greater than 0", true),
  extension: text,
  compute_flops: positive("a finite number of FLOPs greater than 0 (e.g. 7.7723e+22)"),
  source: text,
};

/** Column order of data/observations.csv; serializeObservationsCsv writes this order. */
export const OBSERVATION_COLUMNS = [
  "task", "model", "base_model", "extension", "n_ctx", "compute_flops", "shots", "n_pmt", "score",
  "metric", "score_uncertainty", "n_pmt_uncertainty_rel", "paper_role", "source",
] as const satisfies readonly (keyof Observation)[];

/** Columns a user's file may leave out (the values then default to null / "fit"). */
export const OBSERVATION_OPTIONAL_COLUMNS: readonly string[] = ["score_uncertainty", "n_pmt_uncertainty_rel", "paper_role", "n_instances"];

/** An optional column after the fixed ones, for binomial weights (src/lib/weights.ts); written
 *  only when a row has it, so data/observations.csv and every table without counts round-trip
 *  byte for byte. */
export const OBSERVATION_EXTRA_COLUMNS = ["n_instances"] as const satisfies readonly (keyof Observation)[];

/** Column order of data/models.csv; every column is required. */
export const MODEL_COLUMNS = [
  "model", "base_model", "params_nonembed", "pretrain_tokens", "extension_tokens", "n_ctx",
  "extension", "compute_flops", "source",
] as const satisfies readonly (keyof ModelInfo)[];

// ---------------------------------------------------------------------------------------------
// Where each parsed object came from. A WeakMap rather than a field, so the objects keep exactly
// the shape of types.ts (and deep-equal their round trip) while checkAgainstModels can still
// name the true file line.
const sourceLines = new WeakMap<object, number>();

/** The file line a parsed row came from, if it was produced by this module's parsers. */
export function sourceLineOf(record: object): number | undefined {
  return sourceLines.get(record);
}

// ---------------------------------------------------------------------------------------------
// Public parsers

/** The key fields of an observation; two rows with the same key are one point given twice. */
export type ObservationKey = Pick<Observation, "task" | "model" | "shots">;

/** Whether a row's key fields all read (its other cells may still be bad). */
export const hasKey = (badFields: ReadonlySet<string>): boolean =>
  !badFields.has("task") && !badFields.has("model") && !badFields.has("shots");

/**
 * (task, model, shots) → a number (a line, an index). Shots are kept as numbers under each
 * (task, model) pair, so 10^6 keys cost a few tens of MB rather than 10^6 key strings.
 */
export class KeyIndex {
  private readonly byTask = new Map<string, Map<string, Map<number, number>>>();

  get(k: ObservationKey): number | undefined {
    return this.byTask.get(k.task)?.get(k.model)?.get(k.shots);
  }

  set(k: ObservationKey, value: number): void {
    let models = this.byTask.get(k.task);
    if (!models) this.byTask.set(k.task, (models = new Map()));
    let shots = models.get(k.model);
    if (!shots) models.set(k.model, (shots = new Map()));
    shots.set(k.shots, value);
  }
}

/** The problem of a row repeating the key of an earlier row of the same file. */
export function duplicateRow(file: string, line: number, o: ObservationKey, first: number): DataProblem {
  return {
    file, row: line, field: "task, model, shots",
    found: `${quote(`${o.task}, ${o.model}, ${o.shots}`)}, the same as row ${first}`,
    expected: `one row per (task, model, shots); remove row ${line} or row ${first}`,
  };
}

const OBSERVATION_READ_COLUMNS = [...OBSERVATION_COLUMNS, ...OBSERVATION_EXTRA_COLUMNS];

/** A reader of an observations table given in pieces (the rows of parseObservationsCsv, one at a time). */
export function observationsReader(
  file: string, add: (problem: DataProblem, textLevel: boolean) => void, onRecord: (record: TableRecord<Observation>) => void,
): TableReader<Observation> {
  return new TableReader<Observation>(file, OBSERVATION_SPECS, OBSERVATION_READ_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS, add, onRecord);
}

/** Parses and validates an observations table (see data/README.md); throws DataError. `text`
 *  may also be given in pieces (a large file read a piece at a time), with the same result. */
export function parseObservationsCsv(
  text: string | Iterable<string>, fileName: string, against?: { models: ModelInfo[]; file: string },
): Observation[] {
  const { records, problems } = parseTable<Observation>(
    text, fileName, OBSERVATION_SPECS, OBSERVATION_READ_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS);
  // No count (column absent or cell empty) leaves the field out rather than null: the objects
  // of a table without counts keep exactly their former shape.
  for (const { value } of records) if (value.n_instances === null) delete value.n_instances;
  // Two rows for the same (task, model, shots) would silently double-weight a point in the fit.
  const firstLine = new KeyIndex();
  for (const { line, value: o, badFields } of records) {
    if (!hasKey(badFields)) continue;
    const first = firstLine.get(o);
    if (first === undefined) firstLine.set(o, line);
    else problems.push(duplicateRow(fileName, line, o, first));
  }
  // With a models table, the rows that parsed are checked against it in the same pass, so a
  // file with a bad cell and an unknown model reports both at once instead of one per run.
  if (against && problems.length) {
    const clean = records.filter((r) => r.badFields.size === 0);
    for (const { line, value } of clean) sourceLines.set(value, line);
    try {
      checkAgainstModels(clean.map((r) => r.value), against.models, fileName, against.file);
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      problems.push(...err.problems);
    }
  }
  return finish(records, problems);
}

/** Parses and validates a models table (see data/README.md); throws DataError. */
export function parseModelsCsv(text: string | Iterable<string>, fileName: string): ModelInfo[] {
  const { records, problems } = parseTable<ModelInfo>(text, fileName, MODEL_SPECS, MODEL_COLUMNS, []);
  const firstLine = new Map<string, number>();
  for (const { line, value: m, badFields } of records) {
    if (badFields.has("model")) continue;
    const first = firstLine.get(m.model);
    if (first === undefined) firstLine.set(m.model, line);
    else problems.push({
      file: fileName, row: line, field: "model", found: `${quote(m.model)}, the same as row ${first}`,
      expected: `one row per model; remove row ${line} or row ${first}`,
    });
  }
  return finish(records, problems);
}

function finish<T extends object>(records: TableRecord<T>[], problems: DataProblem[]): T[] {
  if (problems.length) throw new DataError(sortProblems(problems));
  for (const { line, value } of records) sourceLines.set(value, line);
  return records.map((r) => r.value);
}

/** File order (whole-file problems first), so the message reads top to bottom. Stable. */
function sortProblems(problems: DataProblem[]): DataProblem[] {
  return [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Cross-check

const sameNumber = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/**
 * Every observation must name a model of the models table and agree with it on n_ctx and
 * compute_flops (relative 1e-9): the fit reads C and n_ctx from the observation, so a
 * disagreement would silently fit a different model than the table documents. base_model and
 * extension are compared too, since a mismatch there is almost always a copy-paste slip.
 */
export function checkAgainstModels(
  obs: Observation[], models: ModelInfo[], fileName: string, modelsFileName = "data/models.csv",
): void {
  const check = modelChecker(models, modelsFileName);
  const problems: DataProblem[] = [];
  obs.forEach((o, i) => {
    // Objects from parseObservationsCsv know their line; otherwise assume file order.
    const row = sourceLineOf(o) ?? i + 2;
    check(o, (field, found, expected) => problems.push({ file: fileName, row, field, found, expected }));
  });
  if (problems.length) throw new DataError(sortProblems(problems));
}

/** checkAgainstModels for one observation at a time (a table read in pieces): `add` gets each problem. */
export function modelChecker(models: ModelInfo[], modelsFileName = "data/models.csv") {
  const byName = new Map<string, ModelInfo>();
  for (const m of models) if (!byName.has(m.model)) byName.set(m.model, m);
  const known = [...byName.keys()];
  const knownList = known.length <= 20 ? known.join(", ") : `${known.slice(0, 20).join(", ")}, …`;
  return (o: Observation, add: (field: string, found: string, expected: string) => void): void => {
    const m = byName.get(o.model);
    if (!m) {
      add("model", quote(o.model),
        `a model listed in ${modelsFileName} (known: ${knownList || "none"}); add a row for ${quote(o.model)} to ${modelsFileName}`);
      return;
    }
    const fix = `fix the observation or the row of ${quote(o.model)} in ${modelsFileName}`;
    if (!sameNumber(o.n_ctx, m.n_ctx)) add("n_ctx", quote(String(o.n_ctx)), `${m.n_ctx}, the n_ctx of ${quote(o.model)} in ${modelsFileName}; ${fix}`);
    if (!sameNumber(o.compute_flops, m.compute_flops)) {
      add("compute_flops", quote(String(o.compute_flops)), `${m.compute_flops} (relative tolerance 1e-9), the compute_flops of ${quote(o.model)} in ${modelsFileName}; ${fix}`);
    }
    if (o.base_model !== m.base_model) add("base_model", quote(o.base_model), `${quote(m.base_model)}, the base_model of ${quote(o.model)} in ${modelsFileName}; ${fix}`);
    if (o.extension !== m.extension) add("extension", quote(o.extension), `${quote(m.extension)}, the extension of ${quote(o.model)} in ${modelsFileName}; ${fix}`);
  };
}

// ---------------------------------------------------------------------------------------------
// Writing. String(number) is the shortest text that reads back to the identical double, so
// parse(serialize(x)) deep-equals x; quoting of commas, quotes and line breaks is d3-dsv's.

const cell = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

function toCsv<T extends object>(rows: T[], columns: readonly (keyof T & string)[]): string {
  return csvFormatRows([[...columns], ...rows.map((r) => columns.map((c) => cell(r[c])))]) + "\n";
}

/** Inverse of parseObservationsCsv, in the column order of data/observations.csv, LF line ends. */
export function serializeObservationsCsv(obs: Observation[]): string {
  return toCsv(obs, observationColumns(obs.some((o) => o.n_instances != null)));
}

/** The columns serializeObservationsCsv writes: n_instances last, when any row has a count. */
export function observationColumns(counted: boolean): readonly (keyof Observation)[] {
  return counted ? [...OBSERVATION_COLUMNS, ...OBSERVATION_EXTRA_COLUMNS] : OBSERVATION_COLUMNS;
}

/** One row as serializeObservationsCsv writes it without the n_instances column (no line break);
 *  with counts, the line is this + "," + the count, as n_instances is the last column. */
export function observationLine(o: Observation): string {
  return csvFormatRow(OBSERVATION_COLUMNS.map((c) => cell(o[c])));
}

/** Inverse of parseModelsCsv, in the column order of data/models.csv, LF line ends. */
export function serializeModelsCsv(models: ModelInfo[]): string {
  return toCsv(models, MODEL_COLUMNS);
}
