// CSV text that arrives in pieces (a file read in chunks, or a whole file as one piece), cut into
// blocks of whole records and checked on the way for what a data table must not hold: a
// byte-order mark, carriage returns, bytes that were not UTF-8 (decoded as U+FFFD), NUL bytes
// and a quoted field that never closes. Environment-neutral: the observations parser runs it on
// one string in the browser, and the Node importer on a file of any size without holding it.
//
// Records are cut at line breaks outside quoted fields, with d3-dsv's rule for when a quote
// opens one (only at the start of a field), so parsing the blocks one by one gives exactly the
// rows parsing the whole text would.
import { csvParseRows } from "d3-dsv";

export interface TextProblem {
  /** 1-based line, or null for the whole file */
  line: number | null;
  found: string;
  expected: string;
}

/** Number of "\n" in text[from, to). */
function newlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

export class CsvTextStream {
  /** text held back: white space before any content (an all-blank file is "empty", nothing else), or a final "\r" */
  private held = "";
  private started = false;
  /** line breaks in the (normalised) text passed on so far */
  private linesBefore = 0;
  private seenCr = false;
  private seenBadUtf8 = false;
  private seenNul = false;
  private readonly quotes = new QuoteState();
  /** an unfinished record, and the line it starts on */
  private carry = "";
  private carryLine = 1;

  constructor(
    /** what a valid file looks like, for the "empty file" message */
    private readonly expectedContent: string,
    private readonly report: (problem: TextProblem) => void,
    /** each whole record and the line it starts on, in file order */
    private readonly onRow: (cells: string[], line: number) => void,
  ) {}

  push(chunk: string): void {
    const text = this.held + chunk;
    this.held = "";
    this.take(text, false);
  }

  end(): void {
    const rest = this.held;
    this.held = "";
    this.take(rest, true);
    if (!this.started) {
      this.report({ line: null, found: "an empty file", expected: this.expectedContent });
      return;
    }
    if (this.quotes.inQuote) {
      this.report({ line: this.quotes.openedAt, found: "a quoted field that is never closed", expected: 'a closing double quote (") for every opening one; the file may be truncated' });
    }
    if (this.carry !== "") this.emit(this.carry);
    this.carry = "";
  }

  private take(input: string, final: boolean): void {
    let text = input;
    if (!this.started) {
      // String.prototype.trim's white space is \s's, BOM included: a file of only those is empty.
      if (!/\S/.test(text)) {
        if (!final) this.held = text;
        return;
      }
      this.started = true;
      // Refused rather than silently fixed: the data files are hashed, and the same table must
      // hash the same whichever editor or platform last saved it.
      if (text.charCodeAt(0) === 0xfeff) {
        this.report({ line: 1, found: "a byte-order mark (BOM) at the start of the file", expected: "plain UTF-8 without BOM; re-save the file as UTF-8 without BOM" });
        text = text.slice(1);
      }
    }
    // A "\r" at the end of a piece may be the first half of a "\r\n" split across two pieces,
    // and a '"' the first half of an escaped '""': the next piece decides.
    if (!final && (text.endsWith("\r") || text.endsWith('"'))) {
      this.held = text[text.length - 1]!;
      text = text.slice(0, -1);
    }
    const cr = text.indexOf("\r");
    if (cr >= 0) {
      if (!this.seenCr) {
        this.seenCr = true;
        this.report({ line: this.linesBefore + newlines(text, 0, cr) + 1, found: text[cr + 1] === "\n" ? "CRLF (\\r\\n) line endings" : "a carriage return (\\r)",
          expected: "LF (\\n) line endings only; convert the file to LF (e.g. `dos2unix FILE` or your editor's line-ending setting) so its hash is the same on every platform" });
      }
      text = text.replace(/\r\n?/g, "\n"); // read on, so the other problems are reported too
    }
    // Decoders (Node's "utf8", the browser's File.text(), TextDecoder) turn bytes that are not
    // UTF-8 into U+FFFD; without this check they would be read as part of a name and copied on.
    if (!this.seenBadUtf8) {
      const at = text.indexOf("\ufffd");
      if (at >= 0) {
        this.seenBadUtf8 = true;
        this.report({ line: this.linesBefore + newlines(text, 0, at) + 1, found: "bytes that are not valid UTF-8", expected: "UTF-8 text; re-save the file as UTF-8 (it may be in another encoding, compressed or binary)" });
      }
    }
    if (!this.seenNul) {
      const at = text.indexOf("\u0000");
      if (at >= 0) {
        this.seenNul = true;
        this.report({ line: this.linesBefore + newlines(text, 0, at) + 1, found: "a NUL byte (binary data)", expected: "a text file; the file may be corrupt or not a text file at all" });
      }
    }
    const boundary = this.recordBoundary(text);
    this.linesBefore += newlines(text);
    if (boundary === 0) {
      this.carry += text;
      return;
    }
    this.emit(this.carry + text.slice(0, boundary));
    this.carry = text.slice(boundary);
  }

  /** Index just after the last line break that ends a record (0: none), updating the quote state. */
  private recordBoundary(text: string): number {
    if (text.length === 0) return 0;
    if (!this.quotes.inQuote && !text.includes('"')) {
      const last = text[text.length - 1];
      this.quotes.atFieldStart = last === "\n" || last === ",";
      return text.lastIndexOf("\n") + 1;
    }
    return this.quotes.scan(text, this.linesBefore + 1);
  }

  private emit(block: string): void {
    // Row by row, so that the cells of one row are garbage before the next is read: a block
    // of 4 MB as an array of rows would survive into the old generation and slow the GC.
    if (block.includes('"')) {
      let next = this.carryLine;
      csvParseRows(block, (row) => {
        this.onRow(row, next);
        next++;
        for (const cell of row) next += newlines(cell);
        return null;
      });
    } else {
      // Without quotes a record is a line and a field what lies between commas: the native
      // split gives d3-dsv's rows (the last line break ends a row, it does not start one)
      // several times faster, which is most of the time of reading a large file.
      let line = this.carryLine;
      for (let from = 0; from < block.length; line++) {
        const nl = block.indexOf("\n", from);
        const end = nl < 0 ? block.length : nl;
        this.onRow(block.slice(from, end).split(","), line);
        from = end + 1;
      }
    }
    this.carryLine += newlines(block);
  }
}

/**
 * The file line each parsed row starts on. d3-dsv does not report positions; a row's first
 * line is 1 + the lines taken by the rows before it (its own line break plus any line breaks
 * inside quoted fields).
 */
export function rowStartLines(rows: readonly string[][], firstLine = 1): number[] {
  const lines: number[] = [];
  let next = firstLine;
  for (const row of rows) {
    lines.push(next);
    next++;
    for (const cell of row) next += newlines(cell);
  }
  return lines;
}

/** Whether the text read so far ends inside a quoted field, by d3-dsv's rule: a quote opens a
 *  quoted field only at the start of a field, and "" inside one is an escaped quote. */
class QuoteState {
  inQuote = false;
  atFieldStart = true;
  /** line where the open quoted field started */
  openedAt = 0;

  /** Reads `text` (starting on line `line`); returns the index just after the last line break
   *  outside a quoted field, 0 when there is none. */
  scan(text: string, line: number): number {
    let boundary = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.inQuote) {
        if (c === '"') {
          if (text[i + 1] === '"') i++;
          else this.inQuote = false;
        } else if (c === "\n") line++;
      } else if (c === '"' && this.atFieldStart) {
        this.inQuote = true;
        this.openedAt = line;
        this.atFieldStart = false;
      } else if (c === "\n") {
        line++;
        this.atFieldStart = true;
        boundary = i + 1;
      } else this.atFieldStart = c === ",";
    }
    return boundary;
  }
}

/** Line where a quoted field opens and never closes (d3-dsv silently accepts that), or null. */
export function unterminatedQuoteLine(text: string): number | null {
  const q = new QuoteState();
  q.scan(text, 1);
  return q.inQuote ? q.openedAt : null;
}
