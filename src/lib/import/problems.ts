// Collecting problems while importing other tools' result files.
//
// The importers report through the same DataProblem / DataError as src/lib/observations.ts, so
// a user sees one message style whichever file was wrong. Two conventions for the location:
// - CSV files: `row` is the 1-based line (header = 1) and `field` the column name;
// - JSON files and file names: `row` is null and `field` is the JSON path
//   (`instances[3].prompt_length`) or the literal "file name".
// Every importer collects all problems of all files before throwing, so one run shows
// everything that has to be fixed.
import { DataError, type DataProblem } from "../observations.js";

export const quote = (s: string): string => JSON.stringify(s);

/** The text of a cell or JSON value as printed in a message: strings quoted, others as JSON. */
export function shown(value: unknown): string {
  if (typeof value === "string") {
    const nonFinite = nonFiniteToken(value);
    if (nonFinite !== null) return nonFinite;
    return quote(value.length > 80 ? `${value.slice(0, 77)}…` : value);
  }
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  return JSON.stringify(value);
}

export class Problems {
  readonly list: DataProblem[] = [];

  add(file: string, row: number | null, field: string | null, found: string, expected: string): void {
    this.list.push({ file, row, field, found, expected });
  }

  /** Problems of one file, so call sites do not repeat the file name. */
  in(file: string): FileProblems {
    return new FileProblems(this, file);
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws a DataError with every problem, grouped by file (in order of first report) and sorted by row. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const fileOrder = new Map<string, number>();
    for (const p of this.list) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
    const sorted = this.list
      .map((p, i) => ({ p, i }))
      .sort((a, b) => fileOrder.get(a.p.file)! - fileOrder.get(b.p.file)! || (a.p.row ?? 0) - (b.p.row ?? 0) || a.i - b.i)
      .map((x) => x.p);
    throw new DataError(sorted);
  }
}

export class FileProblems {
  constructor(private readonly all: Problems, readonly file: string) {}

  add(row: number | null, field: string | null, found: string, expected: string): void {
    this.all.add(this.file, row, field, found, expected);
  }

  /** Problems reported so far, for all files (compare before and after reading a part). */
  get count(): number {
    return this.all.count;
  }

  /** A JSON problem: no line, the path as the field. */
  at(path: string, found: string, expected: string): void {
    this.all.add(this.file, null, path, found, expected);
  }
}

// ---------------------------------------------------------------------------------------------
// Text-level checks shared by every format

/**
 * Checks that apply to any text file before it is parsed: empty, byte-order mark, carriage
 * returns. Returns the text to parse (BOM removed, CR LF → LF) so the other problems of the
 * file are still found, or null when there is nothing to parse. CRLF is refused for the same
 * reason data/README.md gives: the imported files are hashed and compared, and must not depend
 * on the editor that last saved them. `crlfAllowed` is for JSON, where a line break is
 * whitespace like any other and changes no value.
 */
export function checkText(text: string, p: FileProblems, what: string, crlfAllowed = false): string | null {
  if (text.trim() === "") {
    p.add(null, null, text.length === 0 ? "an empty file" : "a file with only white space", what);
    return null;
  }
  let out = text;
  if (out.charCodeAt(0) === 0xfeff) {
    p.add(1, null, "a byte-order mark (BOM) at the start of the file", "plain UTF-8 without BOM; re-save the file as UTF-8 without BOM");
    out = out.slice(1);
  }
  const cr = out.indexOf("\r");
  if (cr >= 0 && !crlfAllowed) {
    const line = out.slice(0, cr).split("\n").length;
    p.add(line, null, out[cr + 1] === "\n" ? "CRLF (\\r\\n) line endings" : "a carriage return (\\r)",
      "LF (\\n) line endings only; convert the file (e.g. `dos2unix FILE`)");
  }
  if (cr >= 0) out = out.replace(/\r\n?/g, "\n");
  if (out.includes("\ufffd")) {
    const line = out.slice(0, out.indexOf("\ufffd")).split("\n").length;
    p.add(line, null, "bytes that are not valid UTF-8", "UTF-8 text; re-save the file as UTF-8 (it may be in another encoding, compressed or binary)");
  }
  if (out.includes("\u0000")) {
    const line = out.slice(0, out.indexOf("\u0000")).split("\n").length;
    p.add(line, null, "a NUL byte (binary data)", "a text file; the file may be corrupt or not a text file at all");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

// Python's json module writes NaN, Infinity and -Infinity for undefined or overflowing floats
// (an evaluation metric of an empty set, say). They are not JSON, so JSON.parse fails with a
// position only. We replace them by marker strings first, so the file parses and the
// validators can name the JSON path of every such value instead of the first character.
const NON_FINITE_MARK = "\u0000nonfinite:";

export function nonFiniteToken(value: string): string | null {
  return value.startsWith(NON_FINITE_MARK) ? value.slice(NON_FINITE_MARK.length) : null;
}

function markNonFinite(text: string): string {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    for (const token of ["-Infinity", "Infinity", "NaN"]) {
      if (text.startsWith(token, i) && !/[\w$]/.test(text[i + token.length] ?? "") && !/[\w$.]/.test(text[i - 1] ?? "")) {
        out += text.slice(last, i) + JSON.stringify(NON_FINITE_MARK + token);
        i += token.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  return out + text.slice(last);
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}

/** Parses a JSON file; on a syntax error reports where and returns undefined. */
export function parseJsonText(text: string, p: FileProblems, what: string): unknown {
  const clean = checkText(text, p, what, true);
  if (clean === null) return undefined;
  const marked = markNonFinite(clean);
  try {
    return JSON.parse(marked);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    if (/end of JSON input/i.test(message) || (position && Number(position[1]) >= marked.trimEnd().length)) {
      p.add(null, null, `the JSON ends early (${lineColumn(marked, marked.trimEnd().length)}, an object or array is never closed)`,
        `${what}; the file is probably truncated: copy or write it again`);
    } else {
      const where = position ? lineColumn(marked, Number(position[1])) : "an unknown position";
      p.add(null, null, `invalid JSON at ${where} (${message.replace(/ in JSON at position \d+.*$/, "")})`, what);
    }
    return undefined;
  }
}

/** `base.key` for identifier-like keys, `base["key"]` otherwise. */
export function jsonPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Plain decimal or scientific notation only (the rule of data/README.md). */
export const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface NumberRule {
  min?: number;
  /** the minimum itself is not allowed */
  minExclusive?: boolean;
  max?: number;
  integer?: boolean;
  /** what to print as expected, e.g. "a percentage from 0 to 100" */
  expected: string;
}

/** Whether a number obeys the rule (finite, integral if asked, within the bounds). */
export function obeys(n: number, rule: NumberRule): boolean {
  return Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.minExclusive ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || n <= rule.max);
}

/** A CSV cell as a number, or null after reporting why it is not an acceptable one. */
export function cellNumber(raw: string, rule: NumberRule, bad: (found: string, expected: string) => void): number | null {
  const n = Number(raw);
  if (!NUMBER_RE.test(raw) || !obeys(n, rule)) {
    bad(raw === "" ? "an empty cell" : quote(raw), rule.expected);
    return null;
  }
  return n;
}

/** A JSON value as a number, or null after reporting why it is not an acceptable one. */
export function jsonNumber(value: unknown, path: string, rule: NumberRule, p: FileProblems): number | null {
  if (typeof value !== "number" || !obeys(value, rule)) {
    p.at(path, shown(value), rule.expected);
    return null;
  }
  return value;
}

export function jsonString(value: unknown, path: string, p: FileProblems, expected = "a non-empty text"): string | null {
  if (typeof value !== "string" || value === "" || nonFiniteToken(value) !== null) {
    p.at(path, shown(value), expected);
    return null;
  }
  return value;
}

/** Rows as ranges, "rows 2–5, 9 (5 rows)"; past 20 ranges the rest is counted, not listed. */
export function rowList(rows: readonly number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  const shown = ranges.length > 20 ? `${ranges.slice(0, 20).join(", ")}, …` : ranges.join(", ");
  return `rows ${shown} (${sorted.length} rows)`;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * 12 significant digits: drops the float noise of averaging decimal percentages
 * (0.34759999999999996 → 0.3476) so the written CSV shows the numbers a reader expects; far
 * below any score's real precision.
 */
export const tidy = (x: number): number => Number(x.toPrecision(12));

/** Standard error of the mean (sample standard deviation / √n), or null for fewer than two values. */
export function standardError(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance / xs.length);
}

/** The last path segment of a file name given with / or \ separators. */
export function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

/** Path segments of a file name (either separator), without empty ones. */
export function segments(name: string): string[] {
  return name.split(/[\\/]/).filter((s) => s !== "" && s !== ".");
}
