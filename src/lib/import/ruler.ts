// RULER (Hsieh et al., "RULER: What's the Real Context Size of Your Long-Context Language
// Models?", COLM 2024, arXiv 2404.06654; NVIDIA/RULER, Apache-2.0): the main results table of
// its README.md, read as published (markdown links, <ins> marks, `*` notes, `-` cells,
// "active/total" parameter counts, rows with or without a leading `|`).
//
// Conventions:
// - Lengths: "4K" = 4 × 1,024 tokens … "128K" = 131,072, "1M" = 1,048,576 (the external
//   README's reading; RULER's lengths are powers of two). Claimed windows use the same units,
//   so "200K" = 204,800 although the model's config may say 200,000: the claimed window is the
//   table's label, not the model's exact limit (no tested length lies between the two).
// - Scores: the table's percentages / 100, parsed from the decimal text so 96.7 → 0.967 exactly.
// - Parameters: counts of parameters (not billions); "(94B/398B)" is active/total, a single
//   number is both; null where the table gives none (API models, and Mistral-Nemo).
// - A row may stop at its claimed window with an empty Effective Length: the Llama2 reference
//   row (the 85.6 threshold) does. Every other missing or empty cell is a problem.
import type { DataProblem } from "../data-problems.js";
import { DataError } from "../data-problems.js";
import { Problems, checkText, quote, type FileProblems } from "./problems.js";
import type { SourceFile } from "./types.js";

export const RULER_CITATION = "Hsieh et al., RULER (COLM 2024, arXiv 2404.06654; NVIDIA/RULER, Apache-2.0)";

/** The tested input lengths, in thousands (× 1,024) of tokens, in the table's order. */
export const RULER_LENGTHS_K = [4, 8, 16, 32, 64, 128] as const;

/** Llama-2-7B-chat at 4K: RULER's threshold for "effective" and for the <ins> marks (percent). */
export const RULER_THRESHOLD_PERCENT = 85.6;

const FIXED = ["Models", "Claimed Length", "Effective Length"] as const;
const TRAILING = ["Avg.", "wAvg. (inc)", "wAvg. (dec)"] as const;
const WHAT = "RULER's README.md with its main results table (a line starting |Models|Claimed Length|…)";
const SCORE_EXPECTED = "a percentage from 0 to 100, plain or as <ins>…</ins>, or - for a length not run";

export interface RulerLength {
  /** as in the header, e.g. "4K" */
  label: string;
  tokens: number;
}

/** One score: a model at one tested length. Lengths not run (`-`) have no row. */
export interface RulerRow {
  /** the model's key in `models` (name, and its parameter label when given) */
  model: string;
  /** line of the table row in the file (1-based) */
  line: number;
  /** the column, e.g. "32K" */
  length: string;
  lengthTokens: number;
  claimedTokens: number;
  /** 0–1 (the table's percentage / 100) */
  score: number;
  /** the table's <ins> mark: at or above the 85.6 threshold, as RULER judged it */
  underlined: boolean;
  /** the input is longer than the model's claimed window */
  pastWindow: boolean;
}

export interface RulerModel {
  /** unique key: name plus " (params)" when the table gives them (two rows are named "Llama3.1") */
  model: string;
  /** the link text, without the `*` note mark */
  name: string;
  link: string | null;
  line: number;
  /** e.g. "94B/398B", null when absent */
  paramsLabel: string | null;
  /** number of parameters (not billions); total of a mixture of experts */
  paramsTotal: number | null;
  /** number of active parameters; equal to paramsTotal when one number is given */
  paramsActive: number | null;
  claimedLabel: string;
  claimedTokens: number;
  /** as printed ("<4K", "32K", ">128k"), "" for the reference row */
  effectiveLabel: string;
  /** tokens of the effective length's bound, null when the cell is empty or `-` */
  effectiveTokens: number | null;
  /** "=": that length; "<": shorter than it (<4K); ">": longer than every tested length (>128K) */
  effectiveRelation: "=" | "<" | ">" | null;
  /** the Avg. column, 0–1; null for the reference row, which stops before it */
  average: number | null;
  /** tested lengths (tokens) without a score: `-`, or past the end of the reference row */
  notRunTokens: number[];
  /** the `*` mark: results reported by the model's authors, not run by RULER */
  reportedByAuthors: boolean;
  /** the line of the note under "- Notes" naming the model, null when unmarked */
  noteLine: number | null;
}

export interface RulerNote {
  line: number;
  /** the note's text with links reduced to their text */
  text: string;
  /** the models it names ("Qwen3" in "Qwen3 results are reported by authors …"), null if none */
  subject: string | null;
  reportedByAuthors: boolean;
}

export interface RulerTable {
  file: string;
  headerLine: number;
  lengths: RulerLength[];
  rows: RulerRow[];
  models: RulerModel[];
  notes: RulerNote[];
  /** things that look inconsistent in the published table but do not stop the import */
  oddities: string[];
}

export type RulerImport = { ok: true; table: RulerTable } | { ok: false; problems: DataProblem[] };

// ---------------------------------------------------------------------------------------------
// Cells and values

/** The cells of a table line: optional outer pipes dropped, split on unescaped `|`, trimmed. */
export function rulerCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim());
}

/** A plain decimal times 10^exp, via the decimal text, so no float noise is added. */
function scaled(decimal: string, exp: number): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(decimal)!;
  const frac = m[2] ?? "";
  return Number(`${m[1]}${frac}e${exp - frac.length}`);
}

/** "4K" → 4096, "1M" → 1048576 (binary units); null when not of that form. */
export function rulerTokens(label: string): number | null {
  const m = /^(\d+)\s*([KM])$/i.exec(label);
  if (!m) return null;
  return Number(m[1]) * (m[2]!.toUpperCase() === "K" ? 1024 : 1024 * 1024);
}

const PERCENT_RE = /^\d{1,3}(\.\d+)?$/;

/** A percentage cell: its value on 0–1 and the <ins> mark, "-" for not run, or null when bad. */
function scoreCell(raw: string): { score: number; percent: number; underlined: boolean } | "-" | null {
  if (raw === "-") return "-";
  const ins = /^<ins>\s*(.*?)\s*<\/ins>$/.exec(raw);
  const text = ins ? ins[1]! : raw;
  if (!PERCENT_RE.test(text) || Number(text) > 100) return null;
  return { score: scaled(text, -2), percent: Number(text), underlined: ins !== null };
}

interface ModelCell {
  name: string;
  link: string | null;
  starred: boolean;
  paramsLabel: string | null;
  paramsTotal: number | null;
  paramsActive: number | null;
}

const cleanText = (s: string) => s.replace(/<\/?ins>/g, "").replace(/\*\*/g, "").trim();

/** `[name](url) (params)` or `name (params)`; the url may hold balanced parentheses (Gemini's does). */
function modelCell(raw: string): ModelCell | string {
  let name: string;
  let link: string | null = null;
  let rest: string;
  if (raw.startsWith("[")) {
    const close = raw.indexOf("](");
    if (close < 0) return "a link without its (address)";
    name = raw.slice(1, close);
    let depth = 0;
    let end = -1;
    for (let i = close + 1; i < raw.length; i++) {
      if (raw[i] === "(") depth++;
      else if (raw[i] === ")" && --depth === 0) {
        end = i;
        break;
      }
    }
    if (end < 0) return "a link whose (address) is never closed";
    link = raw.slice(close + 2, end);
    rest = raw.slice(end + 1).trim();
  } else {
    const m = /^(.*?)\s*(\([^()]*\))?$/.exec(raw)!;
    name = m[1]!;
    rest = m[2] ?? "";
  }
  name = cleanText(name);
  const starred = name.endsWith("*");
  if (starred) name = name.slice(0, -1).trim();
  if (name === "") return "no model name";
  if (rest === "") return { name, link, starred, paramsLabel: null, paramsTotal: null, paramsActive: null };
  const p = /^\((\d+(?:\.\d+)?)B(?:\s*\/\s*(\d+(?:\.\d+)?)B)?\)$/.exec(rest);
  if (!p) return `${quote(rest)} after the name`;
  const first = scaled(p[1]!, 9);
  const total = p[2] === undefined ? first : scaled(p[2], 9);
  if (first > total) return `${quote(rest)}: more active than total parameters`;
  return { name, link, starred, paramsLabel: rest.slice(1, -1), paramsTotal: total, paramsActive: first };
}

/** Lower-case words of a name, split at spaces, hyphens, slashes and underscores ("." kept: "2.5"). */
const words = (s: string) => s.toLowerCase().split(/[\s\-_/]+/).filter((w) => w !== "");

// ---------------------------------------------------------------------------------------------
// The table

interface Header {
  cells: string[];
  /** header index → length, for the length columns that parsed */
  lengthAt: Map<number, RulerLength>;
  lengths: RulerLength[];
  avgAt: number;
  /** the fixed columns are where they belong, so rows can be read */
  readable: boolean;
}

function readHeader(cells: string[], line: number, p: FileProblems): Header {
  let readable = true;
  FIXED.forEach((name, i) => {
    if (cells[i] !== name) {
      p.add(line, cells[i] ? cells[i]! : `column ${i + 1}`, cells[i] === undefined ? "nothing" : quote(cells[i]!), `the column ${quote(name)} as column ${i + 1}`);
      readable = false;
    }
  });
  const avgAt = cells.indexOf(TRAILING[0]);
  if (avgAt < 0) p.add(line, null, "no column \"Avg.\"", `the columns ${TRAILING.map(quote).join(", ")} after the lengths`);
  else {
    TRAILING.forEach((name, i) => {
      const c = cells[avgAt + i];
      if (c !== name) p.add(line, c ? c : `column ${avgAt + i + 1}`, c === undefined ? "nothing" : quote(c), `the column ${quote(name)} as column ${avgAt + i + 1}`);
    });
  }
  const known = RULER_LENGTHS_K.map((k) => `${k}K`).join(", ");
  const lengthAt = new Map<number, RulerLength>();
  let previous: RulerLength | null = null;
  for (let i = FIXED.length; i < (avgAt < 0 ? cells.length : avgAt); i++) {
    const label = cells[i]!;
    const m = /^(\d+)K$/i.exec(label);
    const k = m ? Number(m[1]) : NaN;
    if (!(RULER_LENGTHS_K as readonly number[]).includes(k)) {
      p.add(line, label || `column ${i + 1}`, label === "" ? "an empty header cell" : `the unknown length column ${quote(label)}`, `one of RULER's lengths ${known}, in that order`);
      continue;
    }
    const length = { label, tokens: k * 1024 };
    if (previous && length.tokens <= previous.tokens) {
      p.add(line, label, `the length ${label} after ${previous.label}`, `the lengths in increasing order, each once: ${known}`);
      continue;
    }
    lengthAt.set(i, length);
    previous = length;
  }
  const have = new Set([...lengthAt.values()].map((l) => l.tokens));
  const missing = RULER_LENGTHS_K.filter((k) => !have.has(k * 1024) && !cells.some((c) => c.toUpperCase() === `${k}K`));
  if (missing.length) p.add(line, null, `no column for ${missing.map((k) => `${k}K`).join(", ")}`, `a column for each of RULER's lengths ${known}`);
  return { cells, lengthAt, lengths: [...lengthAt.values()], avgAt, readable };
}

interface ParsedRow {
  line: number;
  cell: ModelCell;
  model: string;
  claimedLabel: string;
  claimedTokens: number;
  effectiveLabel: string;
  effectiveTokens: number | null;
  effectiveRelation: "=" | "<" | ">" | null;
  scores: { length: RulerLength; score: number; percent: number; underlined: boolean }[];
  notRunTokens: number[];
  average: number | null;
  reference: boolean;
}

/** A row's model (when its cell reads, for the duplicate and note checks even if other cells are bad) and the row when all is well. */
interface RowRead {
  line: number;
  cell: ModelCell | null;
  row: ParsedRow | null;
}

function readRow(cells: string[], line: number, h: Header, headerLine: number, p: FileProblems): RowRead {
  const n = cells.length;
  const width = h.cells.length;
  const before = p.count;
  const cell = modelCell(cells[0]!);
  const named = typeof cell === "string" ? null : cell;
  if (n > width) {
    p.add(line, null, `${n} cells`, `${width}, one per column of the header (line ${headerLine}); remove the extra cell or |`);
    return { line, cell: named, row: null };
  }
  const claimedTokens = rulerTokens(cells[1] ?? "");
  // The reference row stops at its claimed window: its last cell is the length equal to it.
  const reference = n < width && n > FIXED.length && claimedTokens !== null && h.lengthAt.get(n - 1)?.tokens === claimedTokens;
  if (n < width && !reference) {
    const absent = h.cells.slice(n);
    p.add(line, absent.join(", "), `${n} cells, nothing for ${absent.map(quote).join(", ")}`,
      `${width} cells, one per column of the header (line ${headerLine}); write - for a length not run (a row may stop early only at its claimed window, as the Llama2 reference row does)`);
    return { line, cell: named, row: null };
  }
  if (typeof cell === "string") p.add(line, "Models", `${quote(cells[0]!)}: ${cell}`, "[name](link) followed by the parameters in billions, (7B) or active/total (12.9B/46.7B), or nothing for an API model");
  if (claimedTokens === null) p.add(line, "Claimed Length", cells[1] === "" ? "an empty cell" : quote(cells[1]!), "a context window such as 32K or 1M (K = 1,024 tokens)");

  const eff = cells[2]!;
  let effectiveTokens: number | null = null;
  let effectiveRelation: ParsedRow["effectiveRelation"] = null;
  if (eff === "-" || (eff === "" && reference)) {
    // no effective length: the reference row defines the threshold
  } else {
    const m = /^([<>]?)\s*(\d+)K$/i.exec(eff);
    if (!m || !(RULER_LENGTHS_K as readonly number[]).includes(Number(m[2]))) {
      p.add(line, "Effective Length", eff === "" ? "an empty cell" : quote(eff), `a tested length (${RULER_LENGTHS_K.map((k) => `${k}K`).join(", ")}), <4K, >128K or -`);
    } else {
      effectiveTokens = Number(m[2]) * 1024;
      effectiveRelation = m[1] === "<" ? "<" : m[1] === ">" ? ">" : "=";
    }
  }

  const scores: ParsedRow["scores"] = [];
  const notRunTokens: number[] = [];
  for (const [i, length] of h.lengthAt) {
    if (i >= n) {
      notRunTokens.push(length.tokens);
      continue;
    }
    const s = scoreCell(cells[i]!);
    if (s === null) p.add(line, h.cells[i]!, cells[i] === "" ? "an empty cell" : quote(cells[i]!), SCORE_EXPECTED);
    else if (s === "-") notRunTokens.push(length.tokens);
    else scores.push({ length, ...s });
  }
  let average: number | null = null;
  if (h.avgAt >= 0 && h.avgAt < n) {
    const a = scoreCell(cells[h.avgAt]!);
    if (a === null || a === "-") p.add(line, "Avg.", cells[h.avgAt] === "" ? "an empty cell" : quote(cells[h.avgAt]!), "the mean percentage over the lengths run, 0 to 100");
    else average = a.score;
    for (let i = h.avgAt + 1; i < n; i++) if (cells[i] === "") p.add(line, h.cells[i]!, "an empty cell", "the weighted average with its rank, e.g. 95.7 **(1st)**, or TBD");
  }
  if (p.count > before || typeof cell === "string" || claimedTokens === null) return { line, cell: named, row: null };
  return { line, cell, row: { line, cell, model: modelKey(cell), claimedLabel: cells[1]!, claimedTokens, effectiveLabel: eff, effectiveTokens, effectiveRelation, scores, notRunTokens, average, reference } };
}

const modelKey = (c: ModelCell) => (c.paramsLabel === null ? c.name : `${c.name} (${c.paramsLabel})`);

/** The "- Notes" list below the table: its indented items. */
function readNotes(lines: string[], from: number): RulerNote[] {
  const start = lines.findIndex((l, i) => i >= from && /^\s*-\s+Notes\s*$/.test(l));
  if (start < 0) return [];
  const indent = /^\s*/.exec(lines[start]!)![0].length;
  const out: RulerNote[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(\s*)-\s+(.*)$/.exec(lines[i]!);
    if (!m || m[1]!.length <= indent) break;
    const text = m[2]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").trim();
    const subject = /^(.+?)\s+results\b/.exec(text)?.[1] ?? null;
    out.push({ line: i + 1, text, subject, reportedByAuthors: /reported by (the )?authors/i.test(text) });
  }
  return out;
}

/** The effective length RULER's rule gives: the longest length up to which every score is ≥ the threshold. */
function effectiveFromScores(row: ParsedRow, lengths: RulerLength[]): string {
  let last: RulerLength | null = null;
  for (const l of lengths) {
    const s = row.scores.find((x) => x.length.tokens === l.tokens);
    if (!s || s.percent < RULER_THRESHOLD_PERCENT) break;
    last = l;
  }
  if (last === null) return `<${lengths[0]!.label}`;
  return last === lengths[lengths.length - 1] ? `>${last.label}` : last.label;
}

function oddities(rows: ParsedRow[], lengths: RulerLength[]): string[] {
  const out: string[] = [];
  const t = RULER_THRESHOLD_PERCENT;
  for (const r of rows) {
    if (r.reference) continue;
    for (const s of r.scores) {
      if (s.underlined !== (s.percent >= t)) {
        out.push(`row ${r.line} (${r.model}), ${s.length.label}: ${s.percent} is ${s.underlined ? "" : "not "}underlined, though ${s.underlined ? "below" : "at or above"} the ${t} threshold`);
      }
    }
    const computed = effectiveFromScores(r, lengths);
    const printed = r.effectiveTokens === null ? "" : `${r.effectiveRelation === "=" ? "" : r.effectiveRelation}${r.effectiveTokens / 1024}K`;
    if (computed.toUpperCase() !== printed.toUpperCase()) {
      out.push(`row ${r.line} (${r.model}): Effective Length ${quote(r.effectiveLabel)}, but the scores stay at or above ${t} up to ${computed}`);
    }
    if (r.average !== null && r.scores.length) {
      const mean = r.scores.reduce((a, s) => a + s.percent, 0) / r.scores.length;
      // Each printed score and the average are rounded to 0.1, so up to 0.1 apart is rounding.
      if (Math.abs(mean - r.average * 100) > 0.1 + 1e-9) out.push(`row ${r.line} (${r.model}): Avg. ${r.average * 100}, but the mean of its ${r.scores.length} scores is ${mean.toFixed(2)}`);
    }
  }
  return out;
}

/**
 * Imports RULER's main results table from its README. On any problem returns every problem
 * (sorted by line) and no rows, so nothing is half-imported.
 */
export function importRuler(file: SourceFile): RulerImport {
  const all = new Problems();
  const p = all.in(file.name);
  const done = (): RulerImport => ({ ok: false, problems: [...all.list].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)) });
  const text = checkText(file.text, p, WHAT);
  if (text === null) return done();
  const lines = text.split("\n");
  const at = lines.findIndex((l) => rulerCells(l)[0] === "Models" && l.includes("|"));
  if (at < 0) {
    p.add(null, null, "no line starting |Models|", WHAT);
    return done();
  }
  const headerLine = at + 1;
  const h = readHeader(rulerCells(lines[at]!), headerLine, p);
  const sep = lines[at + 1] === undefined ? [] : rulerCells(lines[at + 1]!);
  if (sep.length !== h.cells.length || !sep.every((c) => /^:?-{3,}:?$/.test(c))) {
    p.add(headerLine + 1, null, lines[at + 1] === undefined ? "the end of the file" : quote(lines[at + 1]!), `the markdown separator line |:---:|… with ${h.cells.length} cells, one per header column`);
  }
  let end = at + 2;
  while (end < lines.length && lines[end]!.trim() !== "" && lines[end]!.includes("|")) end++;
  if (end === at + 2) p.add(headerLine + 2, null, "no table rows", "one row per model below the header");

  const read: RowRead[] = [];
  const firstLine = new Map<string, number>();
  if (h.readable) {
    for (let i = at + 2; i < end; i++) {
      const r = readRow(rulerCells(lines[i]!), i + 1, h, headerLine, p);
      if (r.cell === null) continue;
      const key = modelKey(r.cell);
      const first = firstLine.get(key);
      if (first !== undefined) {
        p.add(r.line, "Models", `the model ${quote(key)} again, first on row ${first}`, "one row per model; remove the repeated row (models of one name are told apart by their parameters)");
        continue;
      }
      firstLine.set(key, r.line);
      read.push(r);
    }
  }
  const rows = read.flatMap((r) => (r.row ? [r.row] : []));

  // `*` marks rows their models' authors reported; each must match one note, and each such note a row.
  const notes = readNotes(lines, end);
  const authorNotes = notes.filter((n) => n.reportedByAuthors && n.subject !== null);
  const noteOf = new Map<number, RulerNote>();
  const used = new Set<RulerNote>();
  for (const { line, cell } of read) {
    const mine = words(cell!.name);
    const matches = authorNotes.filter((n) => words(n.subject!).every((w) => mine.includes(w)));
    matches.forEach((n) => used.add(n));
    if (cell!.starred && matches.length !== 1) {
      p.add(line, "Models", `${quote(`${cell!.name}*`)} marked as reported by its authors, with ${matches.length === 0 ? "no note" : `${matches.length} notes (lines ${matches.map((n) => n.line).join(", ")})`} naming it`,
        "exactly one note under \"- Notes\" below the table (\"<model> results are reported by authors …\")");
    } else if (!cell!.starred && matches.length > 0) {
      p.add(line, "Models", `${quote(cell!.name)} without the * mark, though the note on line ${matches[0]!.line} says its authors reported it`, "the * mark after the name, or a note that does not name it");
    } else if (cell!.starred) noteOf.set(line, matches[0]!);
  }
  if (h.readable) {
    for (const n of authorNotes) {
      if (!used.has(n)) p.add(n.line, "Notes", `a note on ${quote(n.subject!)}, which names no row of the table`, "a model of the table, marked with *, for each note on results reported by authors");
    }
  }
  if (all.count > 0) return done();

  const models: RulerModel[] = rows.map((r) => ({
    model: r.model, name: r.cell.name, link: r.cell.link, line: r.line,
    paramsLabel: r.cell.paramsLabel, paramsTotal: r.cell.paramsTotal, paramsActive: r.cell.paramsActive,
    claimedLabel: r.claimedLabel, claimedTokens: r.claimedTokens,
    effectiveLabel: r.effectiveLabel, effectiveTokens: r.effectiveTokens, effectiveRelation: r.effectiveRelation,
    average: r.average, notRunTokens: r.notRunTokens,
    reportedByAuthors: r.cell.starred, noteLine: noteOf.get(r.line)?.line ?? null,
  }));
  const out: RulerRow[] = rows.flatMap((r) => r.scores.map((s) => ({
    model: r.model, line: r.line, length: s.length.label, lengthTokens: s.length.tokens, claimedTokens: r.claimedTokens,
    score: s.score, underlined: s.underlined, pastWindow: s.length.tokens > r.claimedTokens,
  })));
  return { ok: true, table: { file: file.name, headerLine, lengths: h.lengths, rows: out, models, notes, oddities: oddities(rows, h.lengths) } };
}

/** importRuler for callers that stop on bad input: throws DataError listing every problem. */
export function importRulerOrThrow(file: SourceFile): RulerTable {
  const r = importRuler(file);
  if (!r.ok) throw new DataError(r.problems);
  return r.table;
}
