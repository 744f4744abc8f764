// Tests of src/lib/observations.ts: the bundled tables load, the writer inverts the reader, and
// each kind of malformed file is refused with a message naming the row, the field and what was
// expected. Every assertion is on a concrete value, so a parser that accepted bad input, or
// reported the wrong place, fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  parseObservationsCsv, parseModelsCsv, checkAgainstModels, serializeObservationsCsv,
  serializeModelsCsv, DataError, OBSERVATION_COLUMNS, FAR_PAST_WINDOW, promptWarnings, type DataProblem,
} from "../src/lib/observations.js";
import type { Observation } from "../src/lib/types.js";

const read = (name: string) => readFileSync(new URL(`../data/${name}`, import.meta.url), "utf8");
const OBS_FILE = "data/observations.csv";
const MODELS_FILE = "data/models.csv";

// A small valid observations file, built as a string so each test can break one thing.
const HEADER = OBSERVATION_COLUMNS.join(",");
type Cells = Partial<Record<(typeof OBSERVATION_COLUMNS)[number], string>>;
const BASE: Record<(typeof OBSERVATION_COLUMNS)[number], string> = {
  task: "arithmetic", model: "Yarn-Llama-2-7b-8k", base_model: "Llama-2-7B", extension: "yarn",
  n_ctx: "8192", compute_flops: "7.7723e+22", shots: "0", n_pmt: "51", score: "0.0760",
  metric: "accuracy", score_uncertainty: "0.001", n_pmt_uncertainty_rel: "0.02", paper_role: "fit",
  source: "test",
};
const row = (over: Cells = {}) => OBSERVATION_COLUMNS.map((c) => over[c] ?? BASE[c]).join(",");
/** Header (line 1) + rows; row k of the array is file line k + 2. */
const file = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";
const validRows = () => [0, 1, 3, 7].map((k) => row({ shots: String(k) }));

/** Runs fn, requires a DataError, and returns it so the caller can inspect its problems. */
function dataError(fn: () => unknown): DataError {
  let caught: unknown;
  assert.throws(fn, (e) => ((caught = e), true));
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  assert.equal(caught.name, "DataError");
  assert.equal(caught.message.split("\n").length, caught.problems.length, "one message line per problem");
  return caught;
}

/** Asserts exactly one problem, at this row and field, whose expectation mentions `expected`. */
function single(err: DataError, row: number | null, field: string | null, expected: string | RegExp): DataProblem {
  assert.equal(err.problems.length, 1, err.message);
  const p = err.problems[0]!;
  assert.equal(p.row, row, err.message);
  assert.equal(p.field, field, err.message);
  if (typeof expected === "string") assert.ok(p.expected.includes(expected), `"${p.expected}" should mention "${expected}"`);
  else assert.match(p.expected, expected);
  if (row !== null) assert.ok(err.message.includes(`row ${row}`), err.message);
  if (field !== null) assert.ok(err.message.includes(`field "${field}"`), err.message);
  return p;
}

// ---------------------------------------------------------------------------------------------
// The bundled data

test("bundled data/observations.csv and data/models.csv parse and agree", () => {
  const obs = parseObservationsCsv(read("observations.csv"), OBS_FILE);
  const models = parseModelsCsv(read("models.csv"), MODELS_FILE);
  assert.equal(obs.length, 120);
  assert.equal(models.length, 12);
  checkAgainstModels(obs, models, OBS_FILE);
  // Spot-check the first row against the file so a parser that shuffles columns fails.
  assert.deepEqual(obs[0], {
    task: "arithmetic", model: "Yarn-Llama-2-7b-8k", base_model: "Llama-2-7B", extension: "yarn",
    n_ctx: 8192, compute_flops: 7.7723e22, shots: 0, n_pmt: 51, score: 0.076, metric: "accuracy",
    score_uncertainty: 0.001, n_pmt_uncertainty_rel: 0.02, paper_role: "fit",
    source: "arXiv:2510.14919 Fig. 2 (digitised)",
  });
  assert.equal(obs.filter((o) => o.paper_role === "held_out").length, 12);
  assert.deepEqual([...new Set(obs.map((o) => o.task))].sort(), ["arithmetic", "common_sense", "translation"]);
  assert.equal(models.find((m) => m.model === "Yarn-Llama-2-13b-128k")?.compute_flops, 1.5251e23);
});

test("round trip: parse(serialize(x)) deep-equals x, for the bundled tables and awkward values", () => {
  const obs = parseObservationsCsv(read("observations.csv"), OBS_FILE);
  assert.deepEqual(parseObservationsCsv(serializeObservationsCsv(obs), "x.csv"), obs);
  const models = parseModelsCsv(read("models.csv"), MODELS_FILE);
  assert.deepEqual(parseModelsCsv(serializeModelsCsv(models), "m.csv"), models);

  const awkward: Observation[] = [{
    task: "my task, v2", model: 'model "quoted"', base_model: "B\nwith a line break", extension: "pi",
    n_ctx: 131072, compute_flops: 1.2345678901234567e23, shots: 511, n_pmt: 10 * (0.1 + 0.2), score: 1,
    metric: "bleu4", score_uncertainty: null, n_pmt_uncertainty_rel: null, paper_role: "held_out",
    source: "x",
  }];
  const csv = serializeObservationsCsv(awkward);
  assert.equal(csv.split("\n")[0], HEADER, "same column order as data/observations.csv");
  assert.ok(!csv.includes("\r") && csv.endsWith("\n"));
  assert.deepEqual(parseObservationsCsv(csv, "x.csv"), awkward);
});

test("the serializer writes the bundled file's columns in the bundled file's order", () => {
  assert.equal(read("observations.csv").split("\n")[0], HEADER);
  const models = parseModelsCsv(read("models.csv"), MODELS_FILE);
  assert.equal(serializeModelsCsv(models).split("\n")[0], read("models.csv").split("\n")[0]);
});

// ---------------------------------------------------------------------------------------------
// Malformed inputs, one kind each

test("empty file", () => {
  for (const text of ["", "\n\n", "   "]) {
    single(dataError(() => parseObservationsCsv(text, "e.csv")), null, null, "header line");
  }
  assert.match(dataError(() => parseModelsCsv("", "m.csv")).message, /^m\.csv: found an empty file, expected a header line/);
});

test("header without data rows", () => {
  single(dataError(() => parseObservationsCsv(HEADER + "\n", "h.csv")), null, null, "at least one data row");
});

test("byte-order mark is refused with advice to re-save without BOM", () => {
  const err = dataError(() => parseObservationsCsv("\uFEFF" + file(...validRows()), OBS_FILE));
  const p = single(err, 1, null, "re-save the file as UTF-8 without BOM");
  assert.match(p.found, /byte-order mark/);
});

test("CRLF line endings are refused with advice to convert to LF", () => {
  const err = dataError(() => parseObservationsCsv(file(...validRows()).replace(/\n/g, "\r\n"), OBS_FILE));
  const p = single(err, 1, null, "convert the file to LF");
  assert.match(p.found, /CRLF/);
  // A CR first appearing on a later line is located there.
  const late = [HEADER, row(), row({ shots: "1" }) + "\r", row({ shots: "3" })].join("\n");
  single(dataError(() => parseObservationsCsv(late, OBS_FILE)), 3, null, "LF");
});

test("missing required column and unknown extra column are named, with the expected columns", () => {
  const cols = OBSERVATION_COLUMNS.filter((c) => c !== "score");
  const noScore = [cols.join(","), cols.map((c) => BASE[c]).join(",")].join("\n");
  const p = single(dataError(() => parseObservationsCsv(noScore, OBS_FILE)), 1, "score", 'a column "score"');
  assert.ok(p.expected.includes(OBSERVATION_COLUMNS.join(", ")), "lists the expected columns");
  assert.equal(p.found, "no such column");

  const extra = [HEADER + ",notes", row() + ",hello"].join("\n");
  const q = single(dataError(() => parseObservationsCsv(extra, OBS_FILE)), 1, "notes", "only the columns task, model");
  assert.equal(q.found, 'an unknown column "notes"');
});

test("optional columns may be absent: uncertainties become null, paper_role becomes fit", () => {
  const cols = OBSERVATION_COLUMNS.filter((c) => !["score_uncertainty", "n_pmt_uncertainty_rel", "paper_role"].includes(c));
  const [o] = parseObservationsCsv([cols.join(","), cols.map((c) => BASE[c]).join(",")].join("\n"), "u.csv");
  assert.equal(o!.score_uncertainty, null);
  assert.equal(o!.n_pmt_uncertainty_rel, null);
  assert.equal(o!.paper_role, "fit");
});

test("empty optional values: uncertainties become null, paper_role becomes fit", () => {
  const [o] = parseObservationsCsv(file(row({ score_uncertainty: "", n_pmt_uncertainty_rel: "", paper_role: "" })), "u.csv");
  assert.deepEqual([o!.score_uncertainty, o!.n_pmt_uncertainty_rel, o!.paper_role], [null, null, "fit"]);
});

test("truncated file: a short last row is reported with its field count", () => {
  const full = file(...validRows());
  const truncated = full.slice(0, full.length - 40); // cuts into the last row (line 5)
  const p = single(dataError(() => parseObservationsCsv(truncated, OBS_FILE)), 5, null, "14 comma-separated fields");
  assert.match(p.found, /^\d+ fields$/);
});

test("unterminated quote is reported where it opens", () => {
  const text = file(row(), row({ shots: "1", source: '"cut off' }));
  const err = dataError(() => parseObservationsCsv(text, OBS_FILE));
  assert.ok(err.problems.some((p) => p.row === 3 && p.field === null && p.expected.includes("closing double quote")), err.message);
});

test("blank line in the middle is reported", () => {
  const text = [HEADER, row(), "", row({ shots: "1" })].join("\n");
  const p = single(dataError(() => parseObservationsCsv(text, OBS_FILE)), 3, null, "remove blank lines");
  assert.equal(p.found, "an empty line");
});

test("non-numeric score: message in the documented form", () => {
  const text = file(row(), row({ shots: "1" }), row({ shots: "2" }), row({ shots: "3" }), row({ shots: "4" }), row({ shots: "5", score: "abc" }));
  const err = dataError(() => parseObservationsCsv(text, OBS_FILE));
  single(err, 7, "score", "a number between 0 and 1");
  assert.equal(err.message, 'data/observations.csv row 7, field "score": found "abc", expected a number between 0 and 1');
});

test("NaN, infinite, hexadecimal and empty numbers are refused", () => {
  for (const bad of ["NaN", "Infinity", "-Infinity", "1e999", "0x10", "", " 5"]) {
    const p = single(dataError(() => parseObservationsCsv(file(row({ n_pmt: bad })), OBS_FILE)), 2, "n_pmt", "a number of tokens, 1 or more");
    assert.equal(p.found, JSON.stringify(bad));
  }
});

test("compute_flops must be greater than 0", () => {
  for (const bad of ["0", "-7.7e22"]) {
    single(dataError(() => parseObservationsCsv(file(row({ compute_flops: bad })), OBS_FILE)), 2, "compute_flops", "greater than 0");
  }
});

test("n_pmt must be at least 1 token: a shorter prompt is refused, naming file, row and field, with what to do", () => {
  for (const bad of ["0", "1e-300", "0.5", "0.999"]) {
    const err = dataError(() => parseObservationsCsv(file(row(), row({ shots: "1", n_pmt: bad })), OBS_FILE));
    const p = single(err, 3, "n_pmt", "a number of tokens, 1 or more");
    assert.equal(p.found, JSON.stringify(bad));
    assert.match(err.message, /^data\/observations\.csv row 3, field "n_pmt": found "[^"]+", expected a number of tokens, 1 or more: .*give it in tokens/);
  }
  // one token, and a mean length with decimals, are prompts
  assert.deepEqual(parseObservationsCsv(file(row({ n_pmt: "1" }), row({ shots: "1", n_pmt: "1.5" })), OBS_FILE).map((o) => o.n_pmt), [1, 1.5]);
});

test("a prompt more than 1000 × its n_ctx is read with a warning naming the row; up to 1000 × none", () => {
  const obs = parseObservationsCsv(file(row(), row({ shots: "1", n_pmt: "1e12" }), row({ shots: "2", n_pmt: String(FAR_PAST_WINDOW * 8192) })), OBS_FILE);
  assert.equal(obs[1]!.n_pmt, 1e12, "a warning, not a refusal");
  const warnings = promptWarnings(obs, OBS_FILE);
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0]!, /^data\/observations\.csv row 3, field "n_pmt": found "1000000000000", 122,070,313 × the row's n_ctx \(8192\), expected at most 1000 × n_ctx: .*The row is kept as it is$/);
  assert.deepEqual(promptWarnings(parseObservationsCsv(read("observations.csv"), OBS_FILE), OBS_FILE), [], "the bundled data give none");
  // Many rows: the first ten named, the rest counted.
  const many = parseObservationsCsv(file(...Array.from({ length: 13 }, (_, k) => row({ shots: String(k), n_pmt: "1e9" }))), OBS_FILE);
  const lines = promptWarnings(many, OBS_FILE);
  assert.equal(lines.length, 11);
  assert.match(lines[9]!, /row 11, field "n_pmt"/);
  assert.equal(lines[10], "… and 3 more rows with n_pmt above 1000 × their n_ctx");
});

test("n_ctx must be a whole number greater than 0", () => {
  for (const bad of ["0", "-8192", "8192.5"]) {
    single(dataError(() => parseObservationsCsv(file(row({ n_ctx: bad })), OBS_FILE)), 2, "n_ctx", "a whole number of tokens greater than 0");
  }
});

test("shots must be a whole number, 0 or more", () => {
  for (const bad of ["-1", "1.5"]) {
    single(dataError(() => parseObservationsCsv(file(row({ shots: bad })), OBS_FILE)), 2, "shots", "a whole number, 0 or more");
  }
  assert.equal(parseObservationsCsv(file(row({ shots: "0" })), OBS_FILE)[0]!.shots, 0);
});

test("score outside [0, 1] is refused; the bounds themselves are accepted", () => {
  for (const bad of ["1.2", "-0.1", "100"]) {
    single(dataError(() => parseObservationsCsv(file(row({ score: bad })), OBS_FILE)), 2, "score", "between 0 and 1");
  }
  const ok = parseObservationsCsv(file(row({ score: "0" }), row({ shots: "1", score: "1" })), OBS_FILE);
  assert.deepEqual(ok.map((o) => o.score), [0, 1]);
});

test("uncertainties, when present, must be 0 or more", () => {
  single(dataError(() => parseObservationsCsv(file(row({ score_uncertainty: "-0.001" })), OBS_FILE)), 2, "score_uncertainty", "empty or a number, 0 or more");
  single(dataError(() => parseObservationsCsv(file(row({ n_pmt_uncertainty_rel: "abc" })), OBS_FILE)), 2, "n_pmt_uncertainty_rel", "empty or a number, 0 or more");
});

test("paper_role must be fit, held_out or empty", () => {
  const p = single(dataError(() => parseObservationsCsv(file(row({ paper_role: "test" })), OBS_FILE)), 2, "paper_role", '"fit" or "held_out"');
  assert.equal(p.found, '"test"');
});

test("text fields must be non-empty and carry no outer spaces", () => {
  single(dataError(() => parseObservationsCsv(file(row({ model: "" })), OBS_FILE)), 2, "model", "a non-empty text");
  single(dataError(() => parseObservationsCsv(file(row({ task: "arithmetic " })), OBS_FILE)), 2, "task", "no spaces at the start or end");
});

test("duplicate (task, model, shots) names both rows", () => {
  const text = file(row(), row({ shots: "1" }), row({ shots: "1", score: "0.5" }));
  const p = single(dataError(() => parseObservationsCsv(text, OBS_FILE)), 4, "task, model, shots", "remove row 4 or row 3");
  assert.match(p.found, /the same as row 3/);
  // Different tasks with the same model and shots are not duplicates.
  assert.equal(parseObservationsCsv(file(row(), row({ task: "translation" })), OBS_FILE).length, 2);
});

test("a missing key column does not turn every row into a duplicate", () => {
  const cols = OBSERVATION_COLUMNS.filter((c) => c !== "shots");
  const text = [cols.join(","), cols.map((c) => BASE[c]).join(","), cols.map((c) => BASE[c]).join(",")].join("\n");
  single(dataError(() => parseObservationsCsv(text, OBS_FILE)), 1, "shots", 'a column "shots"');
});

test("row numbers are file lines even after a quoted field spanning lines", () => {
  const text = file(row({ source: '"two\nlines"' }), row({ shots: "1", score: "2" }));
  single(dataError(() => parseObservationsCsv(text, OBS_FILE)), 4, "score", "between 0 and 1");
});

test("several problems in one file are all reported, in file order", () => {
  const text = file(
    row({ score: "abc" }),                         // line 2
    row({ shots: "1", n_ctx: "0", n_pmt: "-3" }),  // line 3: two problems
    row({ shots: "2" }),                           // line 4: fine
    row({ shots: "3", paper_role: "train" }),      // line 5
    "arithmetic,truncated",                        // line 6
    row({ shots: "2", metric: "" }),               // line 7: duplicate of line 4, and empty metric
  );
  const err = dataError(() => parseObservationsCsv(text, OBS_FILE));
  assert.deepEqual(err.problems.map((p) => [p.row, p.field]), [
    [2, "score"], [3, "n_ctx"], [3, "n_pmt"], [5, "paper_role"], [6, null], [7, "metric"], [7, "task, model, shots"],
  ]);
  const lines = err.message.split("\n");
  assert.equal(lines.length, 7);
  assert.ok(lines.every((l) => l.startsWith("data/observations.csv row ")), err.message);
  assert.equal(lines[1], 'data/observations.csv row 3, field "n_ctx": found "0", expected a whole number of tokens greater than 0');
});

// ---------------------------------------------------------------------------------------------
// The models table and the cross-check

const MODELS_HEADER = "model,base_model,params_nonembed,pretrain_tokens,extension_tokens,n_ctx,extension,compute_flops,source";
const MODEL_7B_8K = "Yarn-Llama-2-7b-8k,Llama-2-7B,6476271616,2000000000000,210000000,8192,yarn,7.7723e+22,t";

test("models table: bad numbers and duplicate models are all reported", () => {
  const text = [MODELS_HEADER, MODEL_7B_8K, MODEL_7B_8K, "X,B,-5,2e12,0,4096.5,none,1e23,t"].join("\n");
  const err = dataError(() => parseModelsCsv(text, MODELS_FILE));
  assert.deepEqual(err.problems.map((p) => [p.row, p.field]), [[3, "model"], [4, "params_nonembed"], [4, "n_ctx"]]);
  assert.match(err.problems[0]!.expected, /remove row 3 or row 2/);
  assert.match(err.problems[1]!.expected, /a whole number of parameters greater than 0/);
});

test("checkAgainstModels: unknown model, n_ctx and compute mismatches, with the fix", () => {
  const models = parseModelsCsv([MODELS_HEADER, MODEL_7B_8K].join("\n") + "\n", MODELS_FILE);
  const obs = parseObservationsCsv(file(
    row(),                                               // line 2: matches
    row({ shots: "1", model: "My-Model-1b" }),           // line 3: unknown
    row({ shots: "3", n_ctx: "16384" }),                 // line 4: n_ctx differs
    row({ shots: "7", compute_flops: "7.7724e+22" }),    // line 5: compute differs by 1.3e-5
    row({ shots: "15", compute_flops: String(7.7723e22 * (1 + 1e-12)) }), // line 6: within 1e-9
  ), OBS_FILE);
  const err = dataError(() => checkAgainstModels(obs, models, OBS_FILE));
  assert.deepEqual(err.problems.map((p) => [p.row, p.field]), [[3, "model"], [4, "n_ctx"], [5, "compute_flops"]]);
  assert.match(err.problems[0]!.expected, /add a row for "My-Model-1b" to data\/models\.csv/);
  assert.match(err.problems[0]!.expected, /known: Yarn-Llama-2-7b-8k/);
  assert.match(err.problems[1]!.expected, /^8192, the n_ctx of "Yarn-Llama-2-7b-8k"/);
  assert.match(err.problems[2]!.expected, /^7\.7723e\+22/);
  assert.ok(err.message.includes('data/observations.csv row 3, field "model": found "My-Model-1b"'), err.message);
});

test("checkAgainstModels: base_model and extension must agree too", () => {
  const models = parseModelsCsv([MODELS_HEADER, MODEL_7B_8K].join("\n"), MODELS_FILE);
  const obs = parseObservationsCsv(file(row({ base_model: "Llama-2-13B", extension: "pi" })), OBS_FILE);
  const err = dataError(() => checkAgainstModels(obs, models, OBS_FILE));
  assert.deepEqual(err.problems.map((p) => p.field), ["base_model", "extension"]);
});

test("checkAgainstModels on objects not from the parser falls back to file order for rows", () => {
  const obs = parseObservationsCsv(file(row()), OBS_FILE).map((o) => ({ ...o, model: "Nope" }));
  single(dataError(() => checkAgainstModels(obs, [], OBS_FILE)), 2, "model", "known: none");
});

test("checkAgainstModels names the true file line of parsed rows, even in a filtered list", () => {
  const obs = parseObservationsCsv(file(row({ source: '"two\nlines"' }), row({ shots: "1", model: "Nope" })), OBS_FILE);
  const models = parseModelsCsv([MODELS_HEADER, MODEL_7B_8K].join("\n"), MODELS_FILE);
  // The second observation sits on line 4 (line 2 holds a line break); index + 2 would say 3 or 2.
  single(dataError(() => checkAgainstModels(obs, models, OBS_FILE)), 4, "model", "add a row for \"Nope\"");
  single(dataError(() => checkAgainstModels(obs.slice(1), models, OBS_FILE)), 4, "model", "add a row for \"Nope\"");
});
