// The corpus of malformed inputs (test/malformed/<case>/): every case must be refused with
// exactly the problems its case.json lists, each naming the file, the row or JSON path, the
// field, what was found and what was expected. A parser that accepted a bad file, stopped at
// the first problem, reported a problem twice or pointed at the wrong place fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import { DataError, parseModelsCsv, type DataProblem } from "../src/lib/observations.js";
import { importFiles, isFormat, BERTSCH_MODELS, pythiaModels, type ModelsTable, type ImportOptions } from "../src/lib/import/index.js";
import { readSourceFiles } from "../src/lib/node/import-files.js";

const CORPUS = join(ROOT, "test", "malformed");

interface Case {
  description: string;
  format: string;
  models: "bertsch" | "pythia" | "data" | "case";
  options: ImportOptions;
  problems: { file: string; row: number | null; field: string | null; found: string; expected: string }[];
}

function table(dir: string, c: Case): ModelsTable {
  if (c.models === "bertsch") return { models: [...BERTSCH_MODELS], file: "BERTSCH_MODELS" };
  if (c.models === "pythia") return { models: pythiaModels(), file: "pythiaModels()" };
  const file = c.models === "case" ? join(dir, "models.csv") : join(ROOT, "data", "models.csv");
  return { models: parseModelsCsv(readFileSync(file, "utf8"), c.models === "case" ? "models.csv" : "data/models.csv"), file: c.models === "case" ? "models.csv" : "data/models.csv" };
}

const cases = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test("the corpus holds at least 25 malformed inputs, each with its expectations", () => {
  assert.ok(cases.length >= 25, `${cases.length} cases`);
  for (const name of cases) {
    assert.ok(existsSync(join(CORPUS, name, "case.json")), `${name}/case.json`);
    assert.ok(existsSync(join(CORPUS, name, "input")), `${name}/input`);
  }
});

// The byte-level cases only test something if the bytes survived the checkout (a git setting
// can rewrite line endings); say so plainly rather than pass vacuously.
test("byte-level cases still hold their CRLF and BOM bytes", () => {
  const bytesOf = (c: string) => readSourceFiles([join(CORPUS, c, "input")], () => true, "any").map((f) => f.text).join("");
  for (const c of cases.filter((n) => n.includes("crlf"))) assert.ok(bytesOf(c).includes("\r\n"), `${c}: the CRLF line endings were lost (git's autocrlf?)`);
  for (const c of cases.filter((n) => n.includes("bom"))) assert.equal(bytesOf(c).charCodeAt(0), 0xfeff, `${c}: the BOM was lost`);
});

for (const name of cases) {
  const dir = join(CORPUS, name);
  const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
  test(`malformed/${name}: ${c.description}`, () => {
    assert.ok(isFormat(c.format), `unknown format ${c.format}`);
    // Every file of input/, as if the user had named each one (a folder walk would skip the
    // wrongly named ones, which some cases are about); names relative to input/.
    const files = readSourceFiles([join(dir, "input")], () => true, "any file").map((f) => ({ ...f, name: relative(join(dir, "input"), f.name) }));
    let caught: unknown;
    assert.throws(() => importFiles(c.format as never, files, table(dir, c), c.options), (e) => ((caught = e), true));
    assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
    const got: DataProblem[] = caught.problems;
    const listing = caught.message;
    assert.equal(got.length, c.problems.length, `expected ${c.problems.length} problem(s), got:\n${listing}`);
    c.problems.forEach((want, i) => {
      const p = got[i]!;
      assert.equal(p.file, want.file, `problem ${i + 1} file\n${listing}`);
      assert.equal(p.row, want.row, `problem ${i + 1} row\n${listing}`);
      assert.equal(p.field, want.field, `problem ${i + 1} field\n${listing}`);
      assert.ok(p.found.includes(want.found), `problem ${i + 1}: found "${p.found}" should contain "${want.found}"`);
      assert.ok(p.expected.includes(want.expected), `problem ${i + 1}: expected "${p.expected}" should contain "${want.expected}"`);
    });
    // One line per problem, each naming its file (and row or field where there is one).
    const lines = listing.split("\n");
    assert.equal(lines.length, got.length);
    got.forEach((p, i) => {
      assert.ok(lines[i]!.startsWith(p.file), lines[i]);
      if (p.row !== null) assert.ok(lines[i]!.includes(`row ${p.row}`), lines[i]);
      if (p.field !== null) assert.ok(lines[i]!.includes(`field "${p.field}"`), lines[i]);
      assert.match(lines[i]!, /: found .+, expected .+/);
    });
  });
}
