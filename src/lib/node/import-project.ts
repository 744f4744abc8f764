// `npm run import -- project FILES…` without holding the files: each is read in 4 MB pieces
// through ProjectImport (src/lib/import/project.ts), which validates row by row; accepted rows
// go to a temporary file as CSV lines, and what orders them (a few numbers per row) stays in
// memory. At the end the rows are copied in the output order (task, model, shots) to a second
// temporary file beside the output, renamed onto it only when every file was valid. Problems
// are all counted, but only the first KEPT_PROBLEMS are held (and printed): a file of a million
// bad rows gives a count, not a million lines.
import { openSync, readSync, writeSync, closeSync, fstatSync, renameSync, rmSync, mkdirSync, createReadStream } from "node:fs";
import { dirname, basename, join } from "node:path";
import { tmpdir } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { isAscii } from "node:buffer";
import { DataError, type DataProblem } from "../observations.js";
import { ProjectImport, Numbers, compareRows, type ProjectRow } from "../import/project.js";
import { nothingToImport, type ModelsTable } from "../import/finish.js";

const PIECE = 4 << 20;
/** problems held for the message; all are counted */
export const KEPT_PROBLEMS = 200;

export interface ProjectImportProgress {
  step: string;
  done: number;
  total: number;
  unit: string;
}

export interface StreamedImport {
  rows: number;
  tasks: number;
  models: number;
  notes: string[];
}

/** Writes strings to a file descriptor in blocks of about 1 MB. */
class BlockWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

/** Collects problems: all counted, the first `keep` (and every one about a file's bytes) held. */
class ProblemLog {
  readonly held: DataProblem[] = [];
  total = 0;
  readonly files = new Set<string>();
  constructor(private readonly keep: number) {}
  add(p: DataProblem, textLevel: boolean): void {
    this.total++;
    this.files.add(p.file);
    if (textLevel || this.held.length < this.keep) this.held.push(p);
  }
  /** Grouped by file (in order of first report), then by row, as Problems.throwIfAny does. */
  error(): DataError {
    const order = new Map<string, number>();
    for (const p of this.held) if (!order.has(p.file)) order.set(p.file, order.size);
    const sorted = this.held.map((p, i) => ({ p, i }))
      .sort((a, b) => order.get(a.p.file)! - order.get(b.p.file)! || (a.p.row ?? 0) - (b.p.row ?? 0) || a.i - b.i)
      .map((x) => x.p);
    return new DataError(sorted, { total: this.total, files: this.files.size });
  }
}

/**
 * Imports `files` (paths) of the project format into `out` (a path; undefined: standard output).
 * Rows are read in pieces of PIECE bytes, so a row longer than that is read from its own place.
 * `earlier` are problems found before (misnamed files in a folder), reported with the rest.
 * Throws DataError with every problem (counted; the first KEPT_PROBLEMS listed), writing nothing.
 */
export async function importProjectFiles(
  files: readonly string[], table: ModelsTable, out: string | undefined,
  options: {
    earlier?: readonly DataProblem[];
    onProgress?: (p: ProjectImportProgress) => void;
    /** output bytes held at once while the rows are put in order (default 32 MB; tests use a few hundred) */
    window?: number;
  } = {},
): Promise<StreamedImport> {
  const problems = new ProblemLog(KEPT_PROBLEMS);
  for (const p of options.earlier ?? []) problems.add(p, false);
  const dir = out ? dirname(out) : tmpdir();
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `.${out ? basename(out) : "import"}.${process.pid}`);
  const rowsFile = `${stem}.rows.tmp`;
  // the output before it is renamed onto `out`, or copied to standard output
  const outFile = `${stem}.tmp`;
  try {
    // Pass 1: validate, and keep each accepted row's line in rowsFile.
    const rowsFd = openSync(rowsFile, "w");
    const offset = new Numbers();
    const length = new Numbers();
    const count = new Numbers();
    const task = new Numbers();
    const model = new Numbers();
    const shots = new Numbers();
    const taskIds = new Map<string, number>();
    const modelIds = new Map<string, number>();
    const id = (m: Map<string, number>, s: string) => m.get(s) ?? (m.set(s, m.size), m.size - 1);
    let written = 0;
    let sorted = true;
    let previous: ProjectRow | null = null;
    const rowsOut = new BlockWriter(rowsFd);
    const run = new ProjectImport(table, (p, textLevel) => problems.add(p, textLevel), (r) => {
      const bytes = Buffer.byteLength(r.line) + 1;
      offset.push(written);
      length.push(bytes - 1);
      count.push(r.count ?? NaN);
      task.push(id(taskIds, r.task));
      model.push(id(modelIds, r.model));
      shots.push(r.shots);
      rowsOut.write(`${r.line}\n`);
      written += bytes;
      if (previous && compareRows(previous, r) > 0) sorted = false;
      previous = r;
    });
    try {
      const piece = Buffer.allocUnsafe(PIECE);
      for (const name of files) {
        const fd = openSync(name, "r");
        try {
          const size = fstatSync(fd).size;
          // Not fatal: a byte that is not UTF-8 becomes U+FFFD, which the reader reports with
          // its line, and the rest of the file is still read for its other problems.
          // (StringDecoder, like readFileSync's "utf8", keeps a BOM for the reader to report.)
          const decoder = new StringDecoder("utf8");
          // An all-ASCII piece (nearly every piece of a data file) gives the same string read
          // as latin1, which is several times faster than UTF-8 decoding, but only when the
          // decoder holds no unfinished character from the piece before: it holds none after
          // a piece whose last byte is ASCII.
          let decoderEmpty = true;
          const reader = run.file(name);
          let done = 0;
          for (let n; (n = readSync(fd, piece, 0, PIECE, null)) > 0; ) {
            const bytes = piece.subarray(0, n);
            if (decoderEmpty && isAscii(bytes)) reader.push(bytes.toString("latin1"));
            else {
              reader.push(decoder.write(bytes));
              decoderEmpty = bytes[n - 1]! < 0x80;
            }
            done += n;
            options.onProgress?.({ step: `reading ${name}`, done: Math.round(done / 1e6), total: Math.round(size / 1e6), unit: "MB" });
          }
          reader.push(decoder.end());
          reader.end();
        } finally {
          closeSync(fd);
        }
      }
      rowsOut.flush();
    } finally {
      closeSync(rowsFd);
    }
    if (problems.total) throw problems.error();
    if (run.accepted === 0) throw nothingToImport();

    // Pass 2: the rows in output order, with the n_instances column if any row has a count.
    const n = offset.length;
    let order: Uint32Array | null = null;
    if (!sorted) {
      options.onProgress?.({ step: "sorting", done: 0, total: n, unit: "rows" });
      const rank = (m: Map<string, number>) => {
        const names = [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const r = new Float64Array(names.length);
        names.forEach((s, i) => (r[m.get(s)!] = i));
        return r;
      };
      const taskRank = rank(taskIds);
      const modelRank = rank(modelIds);
      const t = task.data, m = model.data, s = shots.data;
      order = new Uint32Array(n).map((_, i) => i);
      order.sort((a, b) => taskRank[t[a]!]! - taskRank[t[b]!]! || modelRank[m[a]!]! - modelRank[m[b]!]! || s[a]! - s[b]!);
    }
    copyInOrder(rowsFile, outFile, `${run.header()}\n`, offset, length, run.counted ? count : null, order, options.window ?? WINDOW, options.onProgress);
    if (out) renameSync(outFile, out);
    else await copyToStdout(outFile);
    return { rows: n, tasks: taskIds.size, models: modelIds.size, notes: run.notes() };
  } finally {
    rmSync(rowsFile, { force: true });
    rmSync(outFile, { force: true });
  }
}

/** Output bytes held at once while the rows are put in order. */
const WINDOW = 32 << 20;

/**
 * Writes `header` and then the rows of `rowsFile` (row i: `length[i]` bytes at `offset[i]`)
 * into `outFile` in the order `order` (null: as they are), each followed by ",count" when
 * `counts` is given. Reading a million rows one by one in another order would take a million
 * reads; instead the output is built a window of WINDOW bytes at a time, by reading the rows
 * file from start to end and copying each row that falls in the window to its place.
 */
function copyInOrder(
  rowsFile: string, outFile: string, header: string, offset: Numbers, length: Numbers, counts: Numbers | null, order: Uint32Array | null,
  windowBytes: number, onProgress?: (p: ProjectImportProgress) => void,
): void {
  const n = offset.length;
  const suffix = (i: number) => {
    if (!counts) return "\n";
    const c = counts.data[i]!;
    return Number.isNaN(c) ? ",\n" : `,${c}\n`;
  };
  // Where each row goes: start[k] is the output position (after the header) of the k-th row.
  const start = new Float64Array(n + 1);
  let largest = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const size = length.data[i]! + suffix(i).length;
    start[k + 1] = start[k]! + size;
    largest = Math.max(largest, size);
  }
  const rank = new Uint32Array(n);
  for (let k = 0; k < n; k++) rank[order ? order[k]! : k] = k;
  const window = Buffer.allocUnsafe(Math.max(windowBytes, largest));
  const block = Buffer.allocUnsafe(PIECE);
  const source = openSync(rowsFile, "r");
  const target = openSync(outFile, "w");
  try {
    writeSync(target, header);
    for (let k0 = 0; k0 < n; ) {
      let k1 = k0 + 1;
      while (k1 < n && start[k1 + 1]! - start[k0]! <= window.length) k1++;
      // Rows of this window, in file order; rows outside it are skipped without being read.
      let blockStart = 0;
      let blockEnd = 0;
      for (let i = 0; i < n; i++) {
        const k = rank[i]!;
        if (k < k0 || k >= k1) continue;
        const at = offset.data[i]!;
        const len = length.data[i]!;
        const to = start[k]! - start[k0]!;
        if (len > PIECE) readSync(source, window, to, len, at);
        else {
          if (at < blockStart || at + len > blockEnd) {
            blockStart = at;
            blockEnd = at + readSync(source, block, 0, PIECE, at);
          }
          block.copy(window, to, at - blockStart, at - blockStart + len);
        }
        window.write(suffix(i), to + len, "latin1");
      }
      writeSync(target, window, 0, start[k1]! - start[k0]!);
      onProgress?.({ step: "writing", done: k1, total: n, unit: "rows" });
      k0 = k1;
    }
  } finally {
    closeSync(source);
    closeSync(target);
  }
}

/** Standard output may be a pipe, where synchronous writes can fail with EAGAIN: stream it. A
 *  reader that stops early (`| head`) closes the pipe (EPIPE): not an error of the import. */
function copyToStdout(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createReadStream(file);
    const onError = (err: NodeJS.ErrnoException) => {
      s.destroy();
      process.stdout.off("error", onError);
      if (err.code === "EPIPE") resolve();
      else reject(err);
    };
    process.stdout.on("error", onError);
    s.on("error", onError);
    s.on("end", () => {
      process.stdout.off("error", onError);
      resolve();
    });
    s.pipe(process.stdout, { end: false });
  });
}
