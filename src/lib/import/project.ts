// The project's own CSV format (data/README.md), read by the project's own parser: importing it
// checks a hand-made or exported file against a models table and merges several files into
// one, refusing (task, model, shots) keys that two files give different values for.
//
// ProjectImport reads the files a piece at a time and hands on each accepted row as a CSV line,
// holding per row only a few numbers (for duplicates and the final order), never the rows
// themselves: the Node command streams files of millions of rows through it
// (src/lib/node/import-project.ts), and importProject below runs it on whole texts.
import type { Observation } from "../types.js";
import {
  observationsReader, observationLine, observationColumns, modelChecker, KeyIndex, hasKey, duplicateRow, parseObservationsCsv,
  PromptLengthWarnings, type DataProblem, type TableRecord,
} from "../observations.js";
import { Problems, quote } from "./problems.js";
import { finish, type ModelsTable, type ImportResult } from "./finish.js";
import type { SourceFile } from "./types.js";

/** An accepted row: its CSV line without the n_instances cell, and what orders it. */
export interface ProjectRow {
  line: string;
  /** the n_instances cell, null when empty (the column is written only if some row has one) */
  count: number | null;
  task: string;
  model: string;
  shots: number;
}

/** A growable Float64Array: one number per row, without an object per row. */
export class Numbers {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
}

export class ProjectImport {
  private readonly keys = new KeyIndex();
  // Per key seen (an index into these): where it was first given, and its values. A row that
  // is not accepted (bad cells, unknown model, a duplicate) is recorded with score NaN, so
  // it takes part in the duplicate check of its file but is compared with no other file.
  private readonly fileOf = new Numbers();
  private readonly lineOf = new Numbers();
  private readonly scoreOf = new Numbers();
  private readonly nPmtOf = new Numbers();
  private readonly files: string[] = [];
  private readonly check: ReturnType<typeof modelChecker>;
  private readonly longPrompts = new PromptLengthWarnings();
  /** rows given twice, in two files, with the same values */
  merged = 0;
  accepted = 0;
  /** whether some accepted row has an n_instances count */
  counted = false;

  constructor(
    private readonly table: ModelsTable,
    private readonly report: (problem: DataProblem, textLevel: boolean) => void,
    private readonly onRow: (row: ProjectRow) => void,
  ) {
    this.check = modelChecker(table.models, table.file);
  }

  /** Starts the next file; push its text in pieces of any size, then end it. */
  file(name: string): { push(chunk: string): void; end(): void } {
    const index = this.files.push(name) - 1;
    return observationsReader(name, this.report, (r) => this.row(index, r));
  }

  notes(): string[] {
    return [
      ...(this.merged ? [`${this.merged} row(s) appeared in two files with identical values and were kept once`] : []),
      ...this.longPrompts.warnings(),
    ];
  }

  /** The header line of the output. */
  header(): string {
    return observationColumns(this.counted).join(",");
  }

  /** the row being checked against the models table, for modelProblem */
  private readonly at = { file: "", line: 0, problems: 0 };
  // One function for every row (not a closure per row: a million rows are read).
  private readonly modelProblem = (field: string, found: string, expected: string): void => {
    this.at.problems++;
    this.report({ file: this.at.file, row: this.at.line, field, found, expected }, false);
  };

  private row(file: number, { line, value: o, badFields }: TableRecord<Observation>): void {
    const name = this.files[file]!;
    let ok = badFields.size === 0;
    let first = true;
    if (hasKey(badFields)) {
      const before = this.keys.get(o);
      if (before === undefined) this.keys.set(o, this.lineOf.length);
      else {
        first = false;
        const beforeFile = this.fileOf.data[before]!;
        const beforeLine = this.lineOf.data[before]!;
        const beforeScore = this.scoreOf.data[before]!;
        const beforeNPmt = this.nPmtOf.data[before]!;
        // Within one file a repeated key is an error even with equal values; across files, equal
        // values are the same point given twice (merged), different ones a conflict.
        if (beforeFile === file) this.report(duplicateRow(name, line, o, beforeLine), false);
        else if (ok && !Number.isNaN(beforeScore)) {
          if (beforeScore === o.score && beforeNPmt === o.n_pmt) this.merged++;
          else {
            this.report({
              file: name, row: line, field: "task, model, shots",
              found: `a second value for (task ${quote(o.task)}, model ${quote(o.model)}, shots ${o.shots}): score ${o.score}, n_pmt ${o.n_pmt}, ` +
                `while ${this.files[beforeFile]} row ${beforeLine} gives score ${beforeScore}, n_pmt ${beforeNPmt}`,
              expected: "one value per (task, model, shots); remove one of the two",
            }, false);
          }
        }
      }
    }
    if (badFields.size === 0) {
      this.at.file = name;
      this.at.line = line;
      this.at.problems = 0;
      this.check(o, this.modelProblem);
      if (this.at.problems) ok = false;
    }
    if (first && hasKey(badFields)) {
      this.fileOf.push(file);
      this.lineOf.push(line);
      this.scoreOf.push(ok ? o.score : NaN);
      this.nPmtOf.push(o.n_pmt);
    }
    if (!ok || !first) return;
    this.accepted++;
    this.longPrompts.check(name, line, o);
    const count = o.n_instances ?? null;
    if (count !== null) this.counted = true;
    this.onRow({ line: observationLine(o), count, task: o.task, model: o.model, shots: o.shots });
  }
}

/** The output order of src/lib/import/finish.ts: task, model, then shots. */
export function compareRows(a: { task: string; model: string; shots: number }, b: { task: string; model: string; shots: number }): number {
  return a.task < b.task ? -1 : a.task > b.task ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : a.shots - b.shots;
}

/** The output line of a row, with its count when the output has the n_instances column. */
export const outputLine = (r: ProjectRow, counted: boolean): string => (counted ? `${r.line},${r.count ?? ""}` : r.line);

export function importProject(files: readonly SourceFile[], table: ModelsTable): ImportResult {
  const p = new Problems();
  const rows: ProjectRow[] = [];
  const run = new ProjectImport(table, (q) => p.add(q.file, q.row, q.field, q.found, q.expected), (r) => rows.push(r));
  for (const f of files) {
    const reader = run.file(f.name);
    reader.push(f.text);
    reader.end();
  }
  p.throwIfAny();
  rows.sort(compareRows);
  const text = [run.header(), ...rows.map((r) => outputLine(r, run.counted))].join("\n") + "\n";
  return finish(rows.length ? parseObservationsCsv(text, "(imported observations)") : [], table, p, run.notes());
}
