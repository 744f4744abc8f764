// The project's own CSV format (data/README.md), read by the project's own parser: importing it
// checks a hand-made or exported file against a models table and merges several files into
// one, refusing (task, model, shots) keys that two files give different values for.
import type { Observation } from "../types.js";
import { parseObservationsCsv, checkAgainstModels, DataError, sourceLineOf } from "../observations.js";
import { Problems, quote } from "./problems.js";
import { finish, type ModelsTable, type ImportResult } from "./finish.js";
import type { SourceFile } from "./types.js";

export function importProject(files: readonly SourceFile[], table: ModelsTable): ImportResult {
  const p = new Problems();
  const notes: string[] = [];
  const out: Observation[] = [];
  // Within one file the parser already refuses repeated keys; across files it is done here.
  const first = new Map<string, { o: Observation; file: string }>();
  let merged = 0;
  for (const f of files) {
    let obs: Observation[];
    try {
      obs = parseObservationsCsv(f.text, f.name, table);
      checkAgainstModels(obs, table.models, f.name, table.file);
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      for (const q of err.problems) p.add(q.file, q.row, q.field, q.found, q.expected);
      continue;
    }
    for (const o of obs) {
      const key = JSON.stringify([o.task, o.model, o.shots]);
      const before = first.get(key);
      if (!before) {
        first.set(key, { o, file: f.name });
        out.push(o);
      } else if (before.o.score === o.score && before.o.n_pmt === o.n_pmt) {
        merged++;
      } else {
        p.add(f.name, sourceLineOf(o) ?? null, "task, model, shots",
          `a second value for (task ${quote(o.task)}, model ${quote(o.model)}, shots ${o.shots}): score ${o.score}, n_pmt ${o.n_pmt}, ` +
            `while ${before.file} row ${sourceLineOf(before.o)} gives score ${before.o.score}, n_pmt ${before.o.n_pmt}`,
          "one value per (task, model, shots); remove one of the two");
      }
    }
  }
  if (merged) notes.push(`${merged} row(s) appeared in two files with identical values and were kept once`);
  return finish(out, table, p, notes);
}
