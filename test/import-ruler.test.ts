// The RULER importer (src/lib/import/ruler.ts): the real README table read in place from
// ../shared/external/ruler (skipped, with the reason, when absent), a small synthetic table in
// the same markdown shape (fictional models), and broken copies of both, each of which must be
// refused with exactly one problem per fault, naming its line and column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { formatProblem, DataError, type DataProblem } from "../src/lib/data-problems.js";
import { importRuler, importRulerOrThrow, rulerTokens, type RulerTable } from "../src/lib/import/ruler.js";
import { locateExternal } from "../src/lib/node/import-files.js";

const EXTERNAL = locateExternal();
const REAL = EXTERNAL ? join(EXTERNAL, "ruler", "README.md") : null;
const skipReal = REAL && existsSync(REAL) ? false : `RULER's README is not at ${EXTERNAL ?? "../shared/external"}/ruler/README.md`;
const realText = () => readFileSync(REAL!, "utf8");

// Fictional models; the shapes of the real table: a reference row that stops at its window,
// rows without a leading or trailing |, a link whose address holds parentheses, lower-case k,
// a leading space, active/total parameters, a model without parameters, `-`, `*` and a note.
const SYNTHETIC = [
  "# A results README",
  "",
  "Some text.",
  "",
  "|Models|Claimed Length|Effective Length|4K|8K|16K|32K|64K|128K|Avg.|wAvg. (inc)|wAvg. (dec)|",
  "|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|",
  "|[Base](https://example.org/base) (7B)|4K||85.6|",
  "[Alpha*](https://example.org/a#:~:text=x%20(y),-z) (3B/30B)|128k|>128k|<ins>96.0</ins>|<ins>95.0</ins>|<ins>94.0</ins>|<ins>93.0</ins>|<ins>92.0</ins>|<ins>91.0</ins>|93.5|93.0 **(1st)**|94.0 **(1st)**",
  "[Beta](https://example.org/b)|32K|16K|<ins>93.1</ins>|<ins>90.4</ins>|<ins>86.9</ins>|74.2|50.5|12.0|67.9|TBD|TBD|",
  "[Beta](https://example.org/b2) (12B)|32K|<4K|80.0|70.0|60.0|50.0|0.0|0.0|43.3|TBD|TBD|",
  "[Gamma](https://example.org/g) (1.5B)| 64K|32K|<ins>90.0</ins>|<ins>89.0</ins>|<ins>88.0</ins>|<ins>87.0</ins>|80.0|-|86.8|TBD|TBD|",
  "",
  "- Notes",
  "    - Alpha results are reported by authors from this [paper](https://example.org/p).",
  "",
].join("\n");

/** The text with line `n` (1-based) changed; `from` must occur in it, so a stale edit fails loudly. */
function edit(text: string, n: number, from: string, to: string): string {
  const lines = text.split("\n");
  assert.ok(lines[n - 1]!.includes(from), `line ${n} has no ${JSON.stringify(from)}: ${lines[n - 1]}`);
  lines[n - 1] = lines[n - 1]!.replace(from, to);
  return lines.join("\n");
}

function imported(text: string, name = "ruler/README.md"): RulerTable {
  const r = importRuler({ name, text });
  assert.ok(r.ok, r.ok ? "" : r.problems.map(formatProblem).join("\n"));
  return r.table;
}

/** The problems of a refused table, as (row, field) pairs, after checking that no rows came back. */
function refused(text: string, name = "ruler/README.md"): DataProblem[] {
  const r = importRuler({ name, text });
  assert.equal(r.ok, false, "the broken table was imported");
  if (r.ok) return [];
  assert.ok(!("table" in r), "rows returned beside the problems");
  for (const p of r.problems) {
    assert.equal(p.file, name);
    const field = p.field === null ? "" : `, field "${p.field.replace(/[.()]/g, "\\$&")}"`;
    assert.match(formatProblem(p), new RegExp(`^${name.replace(/[.]/g, "\\.")} row ${p.row}${field}: found .+, expected .+`));
  }
  return r.problems;
}

const at = (ps: DataProblem[]) => ps.map((p) => [p.row, p.field]);

// ---------------------------------------------------------------------------------------------
// Units

test("ruler: lengths in binary units (K = 1,024, M = 1,024²), either case", () => {
  assert.equal(rulerTokens("4K"), 4096);
  assert.equal(rulerTokens("128K"), 131072);
  assert.equal(rulerTokens("256k"), 262144);
  assert.equal(rulerTokens("200K"), 204800);
  assert.equal(rulerTokens("1M"), 1048576);
  assert.equal(rulerTokens("4 tokens"), null);
});

// ---------------------------------------------------------------------------------------------
// The synthetic table

test("ruler (synthetic): models, rows, scores on 0–1, past-window rows, notes", () => {
  const t = imported(SYNTHETIC);
  assert.equal(t.headerLine, 5);
  assert.deepEqual(t.lengths.map((l) => [l.label, l.tokens]), [["4K", 4096], ["8K", 8192], ["16K", 16384], ["32K", 32768], ["64K", 65536], ["128K", 131072]]);
  assert.deepEqual(t.models.map((m) => m.model), ["Base (7B)", "Alpha (3B/30B)", "Beta", "Beta (12B)", "Gamma (1.5B)"]);
  assert.deepEqual(t.models.map((m) => m.line), [7, 8, 9, 10, 11]);
  assert.deepEqual(t.models.map((m) => m.claimedTokens), [4096, 131072, 32768, 32768, 65536]);
  assert.equal(t.rows.length, 1 + 6 + 6 + 6 + 5);
  const alpha = t.models[1]!;
  assert.equal(alpha.name, "Alpha");
  assert.equal(alpha.link, "https://example.org/a#:~:text=x%20(y),-z");
  assert.equal(alpha.paramsActive, 3_000_000_000);
  assert.equal(alpha.paramsTotal, 30_000_000_000);
  assert.equal(alpha.reportedByAuthors, true);
  assert.equal(alpha.noteLine, 14);
  assert.deepEqual([alpha.effectiveRelation, alpha.effectiveTokens], [">", 131072]);
  assert.equal(alpha.average, 0.935);
  const base = t.models[0]!;
  assert.deepEqual([base.effectiveLabel, base.effectiveTokens, base.effectiveRelation, base.average], ["", null, null, null]);
  assert.deepEqual(base.notRunTokens, [8192, 16384, 32768, 65536, 131072]);
  assert.deepEqual([t.models[2]!.paramsTotal, t.models[2]!.paramsActive, t.models[2]!.reportedByAuthors], [null, null, false]);
  assert.deepEqual([t.models[3]!.effectiveRelation, t.models[3]!.effectiveTokens], ["<", 4096]);
  assert.equal(t.models[4]!.paramsTotal, 1_500_000_000);
  assert.deepEqual(t.models[4]!.notRunTokens, [131072]);
  const beta32 = t.rows.find((r) => r.model === "Beta" && r.length === "32K")!;
  assert.deepEqual(beta32, { model: "Beta", line: 9, length: "32K", lengthTokens: 32768, claimedTokens: 32768, score: 0.742, underlined: false, pastWindow: false });
  assert.equal(t.rows.find((r) => r.model === "Beta" && r.length === "16K")!.underlined, true);
  assert.deepEqual(t.rows.filter((r) => r.pastWindow).map((r) => `${r.model} ${r.length} ${r.score}`),
    ["Beta 64K 0.505", "Beta 128K 0.12", "Beta (12B) 64K 0", "Beta (12B) 128K 0"]);
  assert.deepEqual(t.notes.map((n) => [n.line, n.subject, n.reportedByAuthors]), [[14, "Alpha", true]]);
  assert.deepEqual(t.oddities, []);
});

test("ruler (synthetic): a missing cell, emptied or dropped, names its row and column", () => {
  assert.deepEqual(at(refused(edit(SYNTHETIC, 9, "|74.2|", "||"))), [[9, "32K"]]);
  const dropped = refused(edit(SYNTHETIC, 9, "|74.2|", "|"));
  assert.deepEqual(at(dropped), [[9, "wAvg. (dec)"]]);
  assert.match(dropped[0]!.found, /^11 cells/);
  assert.deepEqual(at(refused(edit(SYNTHETIC, 10, "|32K|<4K|", "|32K||"))), [[10, "Effective Length"]]);
  assert.deepEqual(at(refused(edit(SYNTHETIC, 10, "|32K|", "||"))), [[10, "Claimed Length"]]);
});

test("ruler (synthetic): a length column out of order or unknown is a header problem", () => {
  const swapped = refused(edit(SYNTHETIC, 5, "|8K|16K|", "|16K|8K|"));
  assert.deepEqual(at(swapped), [[5, "8K"]]);
  assert.match(swapped[0]!.found, /8K after 16K/);
  const unknown = refused(edit(SYNTHETIC, 5, "|64K|", "|48K|"));
  // Two faults: an unknown column, and no column for 64K.
  assert.deepEqual(at(unknown), [[5, "48K"], [5, null]]);
  assert.match(unknown[0]!.found, /unknown length column "48K"/);
  assert.equal(unknown[1]!.found, "no column for 64K");
});

test("ruler (synthetic): a non-numeric or out-of-range score names its row and column", () => {
  const bad = refused(edit(SYNTHETIC, 11, "|80.0|", "|8O.0|"));
  assert.deepEqual(at(bad), [[11, "64K"]]);
  assert.equal(bad[0]!.found, '"8O.0"');
  assert.deepEqual(at(refused(edit(SYNTHETIC, 10, "|80.0|", "|180.0|"))), [[10, "4K"]]);
  assert.deepEqual(at(refused(edit(SYNTHETIC, 8, "<ins>95.0</ins>", "<ins>95.0"))), [[8, "8K"]]);
});

test("ruler (synthetic): a duplicate model, a star without its note, a note without its star", () => {
  const lines = SYNTHETIC.split("\n");
  const twice = [...lines.slice(0, 10), lines[9]!, ...lines.slice(10)].join("\n");
  const dup = refused(twice);
  assert.deepEqual(at(dup), [[11, "Models"]]);
  assert.match(dup[0]!.found, /first on row 10/);
  assert.deepEqual(at(refused(edit(SYNTHETIC, 14, "Alpha results", "Omega results"))), [[8, "Models"], [14, "Notes"]]);
  assert.deepEqual(at(refused(edit(SYNTHETIC, 8, "[Alpha*]", "[Alpha]"))), [[8, "Models"]]);
});

test("ruler (synthetic): every problem at once, sorted by row, one message line each", () => {
  let text = edit(SYNTHETIC, 5, "|8K|16K|", "|16K|8K|");
  text = edit(text, 9, "|74.2|", "||");
  text = edit(text, 11, "|80.0|", "|n/a|");
  assert.deepEqual(at(refused(text)), [[5, "8K"], [9, "32K"], [11, "64K"]]);
  assert.throws(() => importRulerOrThrow({ name: "ruler/README.md", text }), (e) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message.split("\n").length, 3, e.message);
    return true;
  });
});

// ---------------------------------------------------------------------------------------------
// The real table

test("ruler (real): 45 models, 264 scores, claimed windows, 17 rows past the window", { skip: skipReal }, () => {
  const t = imported(realText());
  assert.equal(t.headerLine, 5);
  assert.equal(t.models.length, 45);
  assert.deepEqual([t.models[0]!.line, t.models[44]!.line], [7, 51]);
  assert.deepEqual(t.lengths.map((l) => l.label), ["4K", "8K", "16K", "32K", "64K", "128K"]);
  // 43 models at all six lengths; EXAONE-4.0-1.2B has `-` at 128K; the Llama2 row stops at 4K.
  const counts = new Map(t.models.map((m) => [m.model, t.rows.filter((r) => r.model === m.model).length]));
  assert.equal([...counts.values()].filter((c) => c === 6).length, 43);
  assert.equal(counts.get("EXAONE-4.0-1.2B (1.2B)"), 5);
  assert.equal(counts.get("Llama2 (7B)"), 1);
  assert.equal(t.rows.length, 43 * 6 + 5 + 1);
  assert.ok(t.rows.every((r) => r.score >= 0 && r.score <= 1));

  const byClaim = new Map<number, number>();
  for (const m of t.models) byClaim.set(m.claimedTokens, (byClaim.get(m.claimedTokens) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...byClaim].sort((a, b) => a[0] - b[0])),
    { 4096: 1, 32768: 8, 65536: 2, 131072: 21, 204800: 1, 262144: 2, 524288: 2, 1048576: 8 });

  const past = t.rows.filter((r) => r.pastWindow);
  assert.equal(past.length, 17);
  assert.deepEqual([...new Set(past.map((r) => r.model))].sort(), [
    "DBRX (36B/132B)", "FILM-7B (7B)", "LongAlpaca (13B)", "LongChat (7B)", "Mistral (7B)", "Mixtral-8x22B (39B/141B)",
    "Mixtral-8x7B (12.9B/46.7B)", "Qwen1.5 (72B)", "Together (7B)",
  ]);
  const score = (model: string, length: string) => t.rows.find((r) => r.model === model && r.length === length)?.score;
  assert.deepEqual([score("Mistral (7B)", "64K"), score("Mistral (7B)", "128K")], [0.49, 0.138]);
  assert.deepEqual([score("Mixtral-8x7B (12.9B/46.7B)", "64K"), score("Mixtral-8x7B (12.9B/46.7B)", "128K")], [0.724, 0.445]);
  assert.deepEqual([score("FILM-7B (7B)", "64K"), score("FILM-7B (7B)", "128K")], [0.701, 0.271]);
  assert.equal(score("Mixtral-8x22B (39B/141B)", "128K"), 0.317);
  assert.equal(score("DBRX (36B/132B)", "64K"), 0.024); // the external README says 0.0; the table says 2.4
  for (const m of ["Qwen1.5 (72B)", "Together (7B)", "LongChat (7B)", "LongAlpaca (13B)"]) {
    assert.deepEqual([score(m, "64K"), score(m, "128K")], [0, 0], m);
  }
  assert.equal(score("Jamba-1.5-large (94B/398B)", "4K"), 0.967);
});

test("ruler (real): names, parameters, effective lengths, authors' rows", { skip: skipReal }, () => {
  const t = imported(realText());
  const m = (key: string) => t.models.find((x) => x.model === key)!;
  assert.ok(t.models.every((x) => !/[[\]*<>]|\]\(/.test(x.name)), t.models.map((x) => x.name).join(", "));
  assert.equal(new Set(t.models.map((x) => x.model)).size, 45);
  assert.deepEqual(t.models.filter((x) => x.name === "Llama3.1").map((x) => x.model), ["Llama3.1 (70B)", "Llama3.1 (8B)"]);
  const gemini = m("Gemini-1.5-pro");
  assert.match(gemini.link!, /Gemini%201\.5%20Pro%20\(Preview%20only\),-Text%20and%20images$/);
  assert.deepEqual([gemini.paramsTotal, gemini.paramsActive], [null, null]);
  assert.deepEqual([m("Mistral-Nemo").paramsTotal, m("GPT-4-1106-preview").paramsTotal], [null, null]);
  assert.deepEqual([m("Jamba-1.5-large (94B/398B)").paramsActive, m("Jamba-1.5-large (94B/398B)").paramsTotal], [94e9, 398e9]);
  assert.deepEqual([m("Mixtral-8x7B (12.9B/46.7B)").paramsActive, m("Mixtral-8x7B (12.9B/46.7B)").paramsTotal], [12_900_000_000, 46_700_000_000]);
  assert.equal(m("EXAONE-4.0-1.2B (1.2B)").paramsTotal, 1_200_000_000);
  assert.equal(t.models.filter((x) => x.paramsActive !== x.paramsTotal).length, 5);
  assert.equal(m("Jamba-1.5-large (94B/398B)").claimedTokens, 262144); // printed "256k"
  assert.equal(m("LongAlpaca (13B)").claimedTokens, 32768); // printed " 32K"

  assert.deepEqual([m("LWM (7B)").effectiveRelation, m("LWM (7B)").effectiveTokens], ["<", 4096]);
  assert.deepEqual([m("Jamba-1.5-large (94B/398B)").effectiveRelation, m("Jamba-1.5-large (94B/398B)").effectiveTokens], [">", 131072]);
  assert.deepEqual([m("Mistral (7B)").effectiveRelation, m("Mistral (7B)").effectiveTokens], ["=", 16384]);
  assert.deepEqual([m("Llama2 (7B)").effectiveRelation, m("Llama2 (7B)").effectiveTokens], [null, null]);

  const authors = t.models.filter((x) => x.reportedByAuthors);
  assert.equal(authors.length, 12);
  assert.deepEqual(Object.fromEntries(t.notes.map((n) => [n.line, authors.filter((x) => x.noteLine === n.line).length])),
    { 57: 1, 58: 1, 59: 2, 60: 6, 61: 2 });
  assert.equal(m("FILM-7B (7B)").noteLine, 58);
  assert.equal(m("Jamba-1.5-mini (12B/52B)").reportedByAuthors, false);

  // The published table's own inconsistencies, all in rows reported by the models' authors.
  const odd = t.oddities.map((o) => Number(/^row (\d+)/.exec(o)![1]));
  assert.deepEqual(odd, [10, 12, 12, 16, 20, 35, 36], t.oddities.join("\n"));
  assert.ok(odd.every((line) => t.models.find((x) => x.line === line)!.reportedByAuthors));
});

test("ruler (real): broken copies refused, one problem per fault with its row and column", { skip: skipReal }, () => {
  const text = realText();
  const lines = text.split("\n");
  const lineOf = (start: string) => lines.findIndex((l) => l.startsWith(start)) + 1;
  const mistral = lineOf("[Mistral](");
  const glm3 = lineOf("[GLM3](");
  const alpaca = lineOf("[LongAlpaca](");
  assert.deepEqual([mistral, glm3, alpaca], [43, 45, 51]);
  assert.deepEqual(at(refused(edit(text, mistral, "|49.0|", "||"))), [[43, "64K"]]);
  assert.deepEqual(at(refused(edit(text, 5, "|8K|16K|", "|16K|8K|"))), [[5, "8K"]]);
  assert.deepEqual(at(refused(edit(text, alpaca, "|43.6|", "|43.6%|"))), [[51, "32K"]]);
  assert.deepEqual(at(refused(edit(text, glm3, "|69.9|", "|"))), [[45, "wAvg. (dec)"]]);
  let all = edit(text, 5, "|8K|16K|", "|16K|8K|");
  all = edit(all, mistral, "|49.0|", "||");
  all = edit(all, glm3, "|69.9|", "|");
  all = edit(all, alpaca, "|43.6|", "|43.6%|");
  assert.deepEqual(at(refused(all)), [[5, "8K"], [43, "64K"], [45, "wAvg. (dec)"], [51, "32K"]]);
});
