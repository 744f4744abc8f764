// Reading the CSV files of other studies (Bertsch et al., HELMET, Pythia) into rows keyed by
// column name, with the layout problems reported the way src/lib/observations.ts reports them
// for the project's own tables. The cell values are checked by each format's importer, which
// knows what a column means.
import { csvParseRows } from "d3-dsv";
import { checkText, quote, type FileProblems } from "./problems.js";
import { unterminatedQuoteLine, rowStartLines } from "../csv-text.js";

export interface CsvSpec {
  /** what the file should be, for messages: "a Bertsch et al. combined_results.csv" */
  what: string;
  /** required columns, in any order */
  columns: readonly string[];
}

export interface CsvRow {
  /** 1-based line of the row in the file (the header is line 1) */
  line: number;
  cells: Record<string, string>;
}

/**
 * Parses `text` as a CSV with exactly the columns of `spec` (any order, each once, no others).
 * Returns the rows that have one cell per header column; every other problem is reported to
 * `p`. `looksLike` may name the format the file appears to be in when its header is wholly
 * wrong, so the message can say which import format to use instead.
 */
export function readCsv(text: string, p: FileProblems, spec: CsvSpec, looksLike?: (header: string[]) => string | null): CsvRow[] {
  const expectedHeader = spec.columns.join(",");
  const clean = checkText(text, p, `${spec.what}: a header line (${expectedHeader}) followed by data rows`);
  if (clean === null) return [];
  const openQuote = unterminatedQuoteLine(clean);
  if (openQuote !== null) {
    p.add(openQuote, null, "a quoted field that is never closed", 'a closing double quote (") for every opening one; the file may be truncated');
  }
  const rows = csvParseRows(clean);
  const lines = rowStartLines(rows);
  const header = rows[0]!;

  // A header sharing no column with the expected one is another kind of file: one problem
  // that says so beats a dozen about missing columns and every row.
  if (!header.some((h) => spec.columns.includes(h))) {
    const guess = looksLike?.(header) ?? null;
    p.add(1, null, `the header ${quote(header.join(",").slice(0, 120))}`,
      `${spec.what} with the header ${expectedHeader}` + (guess ? `; this looks like ${guess}` : "; is this the right import format?"));
    return [];
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (!spec.columns.includes(name)) p.add(1, name, `an extra column ${quote(name)}`, `only the columns ${spec.columns.join(", ")}`);
    else if (seen.has(name)) p.add(1, name, `the column ${quote(name)} twice`, "each column once");
    seen.add(name);
  }
  const missing = spec.columns.filter((c) => !seen.has(c));
  for (const name of missing) p.add(1, name, "no such column", `a column ${quote(name)}; ${spec.what} has the columns ${spec.columns.join(", ")}`);
  if (rows.length === 1) {
    p.add(null, null, "a header but no data rows", "at least one data row");
    return [];
  }

  const out: CsvRow[] = [];
  const endsWithNewline = clean.endsWith("\n");
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    const line = lines[r]!;
    if (cells.length !== header.length) {
      const blank = cells.length === 1 && cells[0] === "";
      const last = r === rows.length - 1;
      if (blank) p.add(line, null, "an empty line", "no blank lines; remove it");
      else if (last && !endsWithNewline && cells.length < header.length) {
        p.add(line, null, `${cells.length} of ${header.length} fields and no line break at the end of the file`,
          `${header.length} comma-separated fields; the file looks truncated: copy or write it again`);
      } else {
        p.add(line, null, `${cells.length} fields`, `${header.length} comma-separated fields, one per header column (${header.join(",")})`);
      }
      continue;
    }
    // Rows are kept even when the header lacks a column; the importer skips what it cannot read.
    if (missing.length) continue;
    const byName: Record<string, string> = {};
    header.forEach((name, j) => {
      if (!(name in byName)) byName[name] = cells[j]!;
    });
    out.push({ line, cells: byName });
  }
  return out;
}
