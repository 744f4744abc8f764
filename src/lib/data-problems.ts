// The problems of a data file, as they are reported: each names the file, the line and the field,
// what was found there and what was expected. Every reader of a table collects all of them and
// throws one DataError listing them in file order, so a user fixing a file by hand sees every
// problem at once, not one per attempt.

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

export const quote = (s: string): string => JSON.stringify(s);

