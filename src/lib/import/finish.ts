// The last step of every importer: aggregated points → the project's observations. Looks up
// each model's compute and context limit in the models table, refuses unknown models and
// conflicting duplicates (naming where each came from), and checks the result with the
// project's own reader, so an import can only ever produce a file `npm run fit` accepts.
import type { Observation, ModelInfo } from "../types.js";
import {
  parseObservationsCsv, serializeObservationsCsv, checkAgainstModels, DataError, PromptLengthWarnings, MIN_PROMPT_TOKENS, N_PMT_EXPECTED,
} from "../observations.js";
import { quote, tidy, rowList, type Problems } from "./problems.js";

/** Where a value was read: file, line (CSV) and column or JSON path. */
export interface Location {
  file: string;
  row: number | null;
  field: string | null;
}

/** One aggregated point, before the models table is consulted. */
export interface RawPoint {
  task: string;
  model: string;
  shots: number;
  n_pmt: number;
  score: number;
  metric: string;
  score_uncertainty: number | null;
  n_pmt_uncertainty_rel: number | null;
  source: string;
  /** where the point came from (its first row or file) */
  at: Location;
  /** where the model name was read (a column, the file name, a JSON path) */
  modelAt: Location;
}

/** A models table and the name of the file it came from (for messages). */
export interface ModelsTable {
  models: ModelInfo[];
  file: string;
}

export interface ImportResult {
  observations: Observation[];
  /** what the importer assumed or skipped, for the user to read (not errors) */
  notes: string[];
}

const where = (l: Location) => `${l.file}${l.row !== null ? ` row ${l.row}` : ""}${l.field !== null ? ` (${l.field})` : ""}`;

const sameValue = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));

/** A close name from the table, for the "did you mean" hint: same letters ignoring case, or the same last path part. */
function similar(model: string, known: string[]): string | null {
  const tail = (s: string) => s.toLowerCase().split("/").pop()!.split("@")[0];
  return known.find((k) => k.toLowerCase() === model.toLowerCase()) ??
    known.find((k) => tail(k) === tail(model)) ?? null;
}

/**
 * Turns points into observations. Problems (unknown models, conflicting duplicates) go to `p`;
 * the caller throws once every file has been read. Identical duplicates (the same file given
 * twice) are merged, with a note.
 */
export function toObservations(points: RawPoint[], table: ModelsTable, p: Problems, notes: string[]): Observation[] {
  const byName = new Map(table.models.map((m) => [m.model, m] as const));
  const known = [...byName.keys()];
  const knownList = known.length <= 12 ? known.join(", ") : `${known.slice(0, 12).join(", ")}, … (${known.length} in all)`;
  // Unknown models: one problem per (file, model), at its first place, listing every row.
  const unknown = new Map<string, { at: Location; model: string; rows: number[]; points: number }>();
  const first = new Map<string, RawPoint>();
  let merged = 0;
  const longPrompts = new PromptLengthWarnings();
  const out: Observation[] = [];
  for (const pt of points) {
    const m = byName.get(pt.model);
    if (!m) {
      const key = `${pt.modelAt.file}\u0000${pt.model}`;
      const u = unknown.get(key) ?? unknown.set(key, { at: pt.modelAt, model: pt.model, rows: [], points: 0 }).get(key)!;
      u.points++;
      if (pt.modelAt.row !== null) u.rows.push(pt.modelAt.row);
      continue;
    }
    const key = JSON.stringify([pt.task, pt.model, pt.shots]);
    const before = first.get(key);
    if (before) {
      if (sameValue(before.score, pt.score) && sameValue(before.n_pmt, pt.n_pmt) && before.metric === pt.metric) {
        merged++;
        continue;
      }
      p.add(pt.at.file, pt.at.row, pt.at.field ?? "task, model, shots",
        `a second value for (task ${quote(pt.task)}, model ${quote(pt.model)}, shots ${pt.shots}): score ${pt.score}, n_pmt ${pt.n_pmt}, ` +
          `while ${where(before.at)} gives score ${before.score}, n_pmt ${before.n_pmt}`,
        "one value per (task, model, shots); remove one of the two, or map them to different tasks");
      continue;
    }
    first.set(key, pt);
    // The project's rule for prompt lengths (src/lib/observations.ts): shorter than a token is
    // refused here, where the point's origin is known, not later as the importer's own error.
    if (!(pt.n_pmt >= MIN_PROMPT_TOKENS)) {
      p.add(pt.at.file, pt.at.row, pt.at.field ?? "n_pmt",
        `an n_pmt of ${pt.n_pmt} for (task ${quote(pt.task)}, model ${quote(pt.model)}, shots ${pt.shots}), from: ${pt.source}`,
        `${N_PMT_EXPECTED}; where n_pmt is estimated from tokens per example or demonstration, give at least 1 (--tokens-per-shot)`);
      continue;
    }
    longPrompts.check(pt.at.file, pt.at.row, { n_pmt: pt.n_pmt, n_ctx: m.n_ctx });
    out.push({
      task: pt.task, model: pt.model, base_model: m.base_model, extension: m.extension, n_ctx: m.n_ctx,
      compute_flops: m.compute_flops, shots: pt.shots, n_pmt: tidy(pt.n_pmt), score: tidy(pt.score), metric: pt.metric,
      score_uncertainty: pt.score_uncertainty === null ? null : tidy(pt.score_uncertainty),
      n_pmt_uncertainty_rel: pt.n_pmt_uncertainty_rel, paper_role: "fit", source: pt.source,
    });
  }
  for (const { at, model, rows, points } of unknown.values()) {
    const hint = similar(model, known);
    const where = rows.length > 1 ? `, in ${rowList(rows)}` : points > 1 ? `, in ${points} points of this file` : "";
    p.add(at.file, at.row, at.field, `the model ${quote(model)}, which is not in ${table.file}${where}`,
      `a model listed in ${table.file} (known: ${knownList || "none"})` +
        (hint ? `; did you mean ${quote(hint)}?` : `; add a row for ${quote(model)} with its compute and context limit (columns of data/models.csv)`));
  }
  if (merged) notes.push(`${merged} point(s) appeared twice with identical values (the same file given twice?) and were kept once`);
  notes.push(...longPrompts.warnings());
  return out;
}

const byKey = (a: Observation, b: Observation) =>
  a.task < b.task ? -1 : a.task > b.task ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : a.shots - b.shots;

/** The error of an import that selected nothing. */
export function nothingToImport(): DataError {
  return new DataError([{ file: "(all inputs)", row: null, field: null, found: "no observations to import",
    expected: "at least one (task, model, shots) point; check that the files and options select something" }]);
}

/**
 * Throws every collected problem, or returns the observations sorted by (task, model, shots)
 * after reading them back through the project's own validator. A failure of that last check
 * is a bug in an importer, not in the user's file, and is reported as such.
 */
export function finish(observations: Observation[], table: ModelsTable, p: Problems, notes: string[]): ImportResult {
  p.throwIfAny();
  if (observations.length === 0) throw nothingToImport();
  const sorted = [...observations].sort(byKey);
  try {
    const back = parseObservationsCsv(serializeObservationsCsv(sorted), "(imported observations)");
    checkAgainstModels(back, table.models, "(imported observations)", table.file);
    return { observations: back, notes };
  } catch (err) {
    throw new Error(`internal error: an importer produced observations the project's reader refuses; please report this with the input files:\n${(err as Error).message}`);
  }
}
