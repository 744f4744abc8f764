// Reading, checking and writing the two data tables (data/observations.csv, data/models.csv).
//
// Environment-neutral on purpose (no node: imports): the same parser runs in the command line,
// in the site's data loaders and in the browser when a reader drops in a CSV of their own
// results, so the three can never disagree on what a valid file is.
//
// Validation collects every problem of a file before throwing, because a user fixing their
// file by hand should see all of its problems at once, not one per attempt.
import { csvFormatRows, csvFormatRow } from "d3-dsv";
import { CsvTextStream } from "./csv-text.js";
import type { Observation, ModelInfo } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Errors

/** One thing wrong with a data file. */
export interface DataProblem {
  file: string;
  /** 1-based line number in the file (the header is line 1), or null for the whole file */
  row: number | null;
  /** column name, several joined by ", ", or null when no single column is at fault */
  field: string | null;
  /** what was found, as printed in the message: cell values are quoted (JSON string syntax) */
  found: string;
  /** what was expected instead, with the fix when there is an obvious one */
  expected: string;
}

/** Longest message we build; the problems array always holds every problem. */
const MAX_MESSAGE_LINES = 100;

export function formatProblem(p: DataProblem): string {
  let where = p.file;
  if (p.row !== null) where += ` row ${p.row}`;
  if (p.field !== null) where += `, field "${p.field}"`;
  return `${where}: found ${p.found}, expected ${p.expected}`;
}

/** Thrown by the parsers and checks below; `problems` lists everything wrong, in file order. */
export class DataError extends Error {
  readonly problems: DataProblem[];
  /** problems in all, and files with a problem: more than `problems` holds when a reader of a
   *  very large input kept only the first ones (src/lib/node/import-project.ts) */
  readonly total: number;
  readonly files: number;
  constructor(problems: DataProblem[], counts?: { total: number; files: number }) {
    const total = counts?.total ?? problems.length;
    const lines = problems.slice(0, MAX_MESSAGE_LINES).map(formatProblem);
    if (total > lines.length) lines.push(`… and ${total - lines.length} more problems`);
    super(lines.join("\n"));
    this.name = "DataError";
    this.problems = problems;
    this.total = total;
    this.files = counts?.files ?? new Set(problems.map((p) => p.file)).size;
  }
}

const quote = (s: string): string => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------
// Column specifications. Typed as Record<keyof …> so adding a field to types.ts without saying
// how to read it is a compile error.

type Spec =
  | { kind: "text" }
  | { kind: "number"; integer: boolean; min: number; minExclusive: boolean; max?: number; optional: boolean; expected: string }
  | { kind: "choice"; values: readonly string[]; empty: string };

const text: Spec = { kind: "text" };
const positive = (expected: string, integer = false): Spec =>
  ({ kind: "number", integer, min: 0, minExclusive: true, optional: false, expected });
const nonNegative = (expected: string, integer = false, optional = false): Spec =>
  ({ kind: "number", integer, min: 0, minExclusive: false, optional, expected });

export const PAPER_ROLES = ["fit", "held_out"] as const;

const OBSERVATION_SPECS: Record<keyof Observation, Spec> = {
  task: text,
  model: text,
  base_model: text,
  extension: text,
  n_ctx: positive("a whole number of tokens greater than 0", true),
  compute_flops: positive("a finite number of FLOPs greater than 0 (e.g. 7.7723e+22)"),
  shots: nonNegative("a whole number, 0 or more", true),
  n_pmt: positive("a number of tokens greater than 0"),
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
// Reading a table

/** Plain decimal or scientific notation only: Number() alone would also accept "", " ", "0x1F". */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A data row as read; `badFields` names the cells that failed their check. */
export interface TableRecord<T> {
  line: number;
  value: T;
  badFields: ReadonlySet<string>;
}

const NO_BAD_FIELDS: ReadonlySet<string> = new Set();

/** Distinct text values a TableReader shares (see TableReader.shared). */
const MAX_SHARED = 10_000;

interface CellVerdict {
  bad: boolean;
  found: string;
  expected: string;
}

/**
 * Reads a table given in pieces (push, then end): the text checks of CsvTextStream, the header
 * against the columns, and each row's cells against their specs. Every row with the right
 * number of cells goes to `onRecord`, bad cells included (so duplicate checks still see their
 * valid key fields); every problem goes to `add`, `textLevel` for those about the file's bytes.
 */
export class TableReader<T extends object> {
  private readonly text: CsvTextStream;
  private header: string[] | null = null;
  /** per column of `columns`, its index in the file's header (-1: absent) */
  private index: number[] = [];
  private dataRows = 0;
  /** the verdict on the last cell read, one object reused for every cell */
  private readonly cell: CellVerdict = { bad: false, found: "", expected: "" };

  constructor(
    private readonly file: string,
    private readonly specs: Record<string, Spec>,
    private readonly columns: readonly string[],
    private readonly optionalColumns: readonly string[],
    private readonly add: (problem: DataProblem, textLevel: boolean) => void,
    private readonly onRecord: (record: TableRecord<T>) => void,
    /** share one string per distinct text cell value: for a caller that keeps every row */
    private readonly intern = false,
  ) {
    this.text = new CsvTextStream(`a header line (${columns.join(",")}) followed by data rows`,
      (t) => add({ file, row: t.line, field: null, found: t.found, expected: t.expected }, true),
      (cells, line) => this.row(cells, line));
  }

  push(chunk: string): void {
    this.text.push(chunk);
  }

  end(): void {
    this.text.end();
    if (this.header !== null && this.dataRows === 0) this.problem(null, null, "a header but no data rows", "at least one data row");
  }

  // A cell is a slice of the piece of text it was read from, and keeps all of that piece
  // alive: a million kept rows would hold the whole file, and a string object per cell. The
  // names, models and sources repeat, so one copy of each (detached from its piece) is kept;
  // past MAX_SHARED distinct values (text unique to each row) new ones are left as they are.
  private readonly sharedText = new Map<string, string>();
  private shared(raw: string): string {
    const known = this.sharedText.get(raw);
    if (known !== undefined) return known;
    if (this.sharedText.size >= MAX_SHARED) return raw;
    const copy = [...raw].join(""); // a new flat string, not a slice of the piece
    this.sharedText.set(copy, copy);
    return copy;
  }

  private problem(row: number | null, field: string | null, found: string, expected: string): void {
    this.add({ file: this.file, row, field, found, expected }, false);
  }

  private readHeader(header: string[]): void {
    const { columns, optionalColumns } = this;
    const allowed = new Set(columns);
    const seen = new Set<string>();
    for (const name of header) {
      if (!allowed.has(name)) this.problem(1, name, `an unknown column ${quote(name)}`, `only the columns ${columns.join(", ")}`);
      else if (seen.has(name)) this.problem(1, name, `the column ${quote(name)} twice`, "each column once");
      seen.add(name);
    }
    for (const name of columns) {
      if (!seen.has(name) && !optionalColumns.includes(name)) {
        this.problem(1, name, "no such column",
          `a column "${name}" in the header; the header must have the columns ${columns.join(", ")}` +
            (optionalColumns.length ? ` (optional: ${optionalColumns.join(", ")})` : ""));
      }
    }
    this.header = header;
    this.index = columns.map((name) => header.indexOf(name));
  }

  private row(cells: string[], line: number): void {
    if (this.header === null) {
      this.readHeader(cells);
      return;
    }
    const header = this.header;
    const { columns, optionalColumns, specs } = this;
    this.dataRows++;
    if (cells.length !== header.length) {
      const blank = cells.length === 1 && cells[0] === "";
      this.problem(line, null, blank ? "an empty line" : `${cells.length} fields`,
        `${header.length} comma-separated fields, one per header column` +
          (blank ? "; remove blank lines" : "; a short row usually means a truncated file or a missing quote"));
      return; // the cells cannot be matched to columns reliably
    }
    let badFields: Set<string> | null = null; // made only for a row with a bad cell: most have none
    const value: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) {
      const name = columns[c]!;
      const index = this.index[c]!;
      // A missing required column was reported once for the header, not again on every row.
      if (index < 0 && !optionalColumns.includes(name)) {
        (badFields ??= new Set()).add(name);
        continue;
      }
      const cell = this.cell;
      const spec = specs[name]!;
      const raw = index < 0 ? null : cells[index]!;
      value[name] = readCell(this.intern && spec.kind === "text" && raw !== null ? this.shared(raw) : raw, spec, cell);
      if (cell.bad) {
        (badFields ??= new Set()).add(name);
        this.problem(line, name, cell.found, cell.expected);
        cell.bad = false;
      }
    }
    this.onRecord({ line, value: value as T, badFields: badFields ?? NO_BAD_FIELDS });
  }
}

function parseTable<T extends object>(
  input: string | Iterable<string>,
  file: string,
  specs: Record<string, Spec>,
  columns: readonly string[],
  optionalColumns: readonly string[],
): { records: TableRecord<T>[]; problems: DataProblem[] } {
  // Problems with the bytes first, as a reader fixes those first.
  const textProblems: DataProblem[] = [];
  const problems: DataProblem[] = [];
  const records: TableRecord<T>[] = [];
  const reader = new TableReader<T>(file, specs, columns, optionalColumns,
    (p, textLevel) => (textLevel ? textProblems : problems).push(p), (r) => records.push(r), true);
  for (const piece of typeof input === "string" ? [input] : input) reader.push(piece);
  reader.end();
  return { records, problems: [...textProblems, ...problems] };
}

function fail(verdict: CellVerdict, found: string, expected: string): void {
  verdict.bad = true;
  verdict.found = found;
  verdict.expected = expected;
}

/** One cell → its typed value; `raw` is null when an optional column is absent from the file.
 *  A bad cell sets `verdict` (the caller resets it), rather than calling back, so reading a
 *  million rows makes no closure per cell. */
function readCell(raw: string | null, spec: Spec, verdict: CellVerdict): unknown {
  if (spec.kind === "choice") {
    if (raw === null || raw === "") return spec.empty;
    if (spec.values.includes(raw)) return raw;
    fail(verdict, quote(raw), `${spec.values.map(quote).join(" or ")}, or empty (meaning ${quote(spec.empty)})`);
    return undefined;
  }
  if (spec.kind === "text") {
    if (raw === null || raw === "") fail(verdict, quote(raw ?? ""), "a non-empty text");
    else if (raw.trim() !== raw) fail(verdict, quote(raw), `no spaces at the start or end (${quote(raw.trim())})`);
    return raw;
  }
  if (raw === null || (raw === "" && spec.optional)) return null;
  const n = Number(raw);
  const ok =
    NUMBER_RE.test(raw) && Number.isFinite(n) && (!spec.integer || Number.isInteger(n)) &&
    (spec.minExclusive ? n > spec.min : n >= spec.min) && (spec.max === undefined || n <= spec.max);
  if (!ok) fail(verdict, quote(raw), spec.expected);
  return n;
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
