// CsvTextStream cuts text arriving in pieces into whole records: wherever the pieces are cut (in
// a "\r\n", in an escaped "" or a quoted line break, before the first content), the rows, their
// lines and the problems must be exactly those of the whole text read at once, and the rows
// those d3-dsv gives for the whole text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { csvParseRows } from "d3-dsv";
import { CsvTextStream, type TextProblem } from "../src/lib/csv-text.js";

function read(pieces: string[]) {
  const rows: { cells: string[]; line: number }[] = [];
  const problems: TextProblem[] = [];
  const s = new CsvTextStream("a table", (p) => problems.push(p), (cells, line) => rows.push({ cells, line }));
  for (const p of pieces) s.push(p);
  s.end();
  return { rows, problems };
}

const TEXTS = [
  "a,b\n1,2\n3,4\n",
  "a,b\n1,2\n3,4", // no final line break
  "a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n", // CRLF, a line break inside quotes
  "a,b\n\"he said \"\"hi\"\"\",2\n\n5,\"\"\"\"\n", // escaped quotes, a blank line, a field of one quote
  "\ufeffa,b\n1,2\n", // BOM
  "a,b\n1,\"open\n2,3\n", // a quote never closed
  "a,b\n1,caf\ufffd\n2,\u0000\n", // bad UTF-8 (as decoded) and a NUL byte
  "a,b\n1,x\"y\n2,3\n", // a quote inside an unquoted field: literal, not an opening one
  "a,b\r1,2\r", // lone carriage returns
  "  \n \n", // only white space: an empty file
  "\n\na,b\n1,2\n", // blank lines before the header
];

for (const text of TEXTS) {
  test(`pieces of ${JSON.stringify(text)} read as the whole`, () => {
    const whole = read([text]);
    if (whole.problems.every((p) => p.found !== "an empty file")) {
      const normalised = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
      assert.deepEqual(whole.rows.map((r) => r.cells), csvParseRows(normalised));
    } else assert.deepEqual(whole.rows, []);
    for (let cut = 0; cut <= text.length; cut++) {
      assert.deepEqual(read([text.slice(0, cut), text.slice(cut)]), whole, `cut at ${cut}`);
    }
    assert.deepEqual(read([...text]), whole, "one character per piece");
  });
}

test("line numbers count the line breaks inside quoted fields", () => {
  const { rows } = read(["a,b\n\"x\ny\nz\",1\n2,3\n"]);
  assert.deepEqual(rows.map((r) => r.line), [1, 2, 5]);
});
