// Reading a table of typed columns from CSV text given whole or in pieces (a file streamed in
// chunks), with every bad cell, unknown column and byte problem collected as a DataProblem
// rather than thrown. The data tables (src/lib/observations.ts) and the importers describe
// their columns with the specs below; this module knows nothing of what the columns mean.
import { CsvTextStream } from "./csv-text.js";
import { quote, type DataProblem } from "./data-problems.js";

// ---------------------------------------------------------------------------------------------
// Column specifications

export type Spec =
  | { kind: "text" }
  | { kind: "number"; integer: boolean; min: number; minExclusive: boolean; max?: number; optional: boolean; expected: string }
  | { kind: "choice"; values: readonly string[]; empty: string };

export const text: Spec = { kind: "text" };
export const positive = (expected: string, integer = false): Spec =>
  ({ kind: "number", integer, min: 0, minExclusive: true, optional: false, expected });
export const nonNegative = (expected: string, integer = false, optional = false): Spec =>
  ({ kind: "number", integer, min: 0, minExclusive: false, optional, expected });

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

export function parseTable<T extends object>(
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

