// The text helpers of the Edit controls' editor (src/components/editor/entry.js, which
// scripts/bundle-editor.ts bundles into src/components/vendor/editor.js): the line diff a reader
// sees, where a plan's problem is shown, and the plan's JSON syntax errors. They need no DOM, so
// they run here in Node, from the same module as the page's (importing it, CodeMirror included,
// must not touch `document`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonRange, jsonSyntaxProblems, lineDiff } from "../src/components/editor/entry.js";

test("lineDiff marks each line kept, removed or added, with no line for a final newline", () => {
  assert.deepEqual(lineDiff("SELECT *\nFROM observations\nWHERE x > 1\n", "SELECT *\nFROM observations\nWHERE x > 2\n"), [
    { kind: " ", text: "SELECT *" },
    { kind: " ", text: "FROM observations" },
    { kind: "-", text: "WHERE x > 1" },
    { kind: "+", text: "WHERE x > 2" },
  ]);
  // A final newline more or less, or \r\n for \n, is no change to the reader.
  assert.deepEqual(lineDiff("a\r\nb\r\n", "a\nb"), [{ kind: " ", text: "a" }, { kind: " ", text: "b" }]);
  // An empty line is a line.
  assert.deepEqual(lineDiff("a\n\nb", "a\nb"), [{ kind: " ", text: "a" }, { kind: "-", text: "" }, { kind: " ", text: "b" }]);
  assert.deepEqual(lineDiff("", "x\n"), [{ kind: "+", text: "x" }]);
  assert.deepEqual(lineDiff("", ""), []);
});

const PLAN = '[\n  {"name": "a", "fits": [\n    {"variant": "x"},\n    {"variant": "y", "restarts": 4}\n  ]}\n]\n';
const at = (text: string, path: (string | number)[]) => {
  const r = jsonRange(text, path);
  return r && text.slice(r.from, r.to);
};

test("jsonRange finds a value by keys and indices, or its deepest ancestor the text has", () => {
  assert.equal(at(PLAN, [0, "fits", 1, "variant"]), '"y"');
  assert.equal(at(PLAN, [0, "fits", 1, "restarts"]), "4");
  assert.equal(at(PLAN, [0, "fits", 1, "missing"]), '{"variant": "y", "restarts": 4}');
  assert.equal(at(PLAN, [0, "fits", 7, "variant"]), at(PLAN, [0, "fits"]));
  assert.equal(at(PLAN, [0, 0]), at(PLAN, [0])); // an index into an object: not there
  assert.equal(at(PLAN, []), PLAN.trim());
  // A syntax error elsewhere does not stop it.
  assert.equal(at('[{"fits": [{"variant": "y",}]', [0, "fits", 0, "variant"]), '"y"');
  assert.equal(jsonRange("", [0]), null);
  assert.equal(jsonRange("  \n", []), null);
});

test("jsonSyntaxProblems: strict JSON's first error, placed and said in words", () => {
  assert.deepEqual(jsonSyntaxProblems(PLAN), []);
  const one = (text: string) => {
    const problems = jsonSyntaxProblems(text);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    const [{ from, to, message }] = problems;
    assert.doesNotMatch(message, /[a-z][A-Z]/, "a code name left as it is");
    return { text: text.slice(from, to), message };
  };
  assert.deepEqual(one('{"a": 1 "b": 2}'), { text: '"b"', message: "expected a comma" });
  assert.deepEqual(one('{"a" 1}'), { text: "1", message: "expected a colon" });
  // A trailing comma is shown on the comma, the thing to delete.
  assert.deepEqual(one('[\n  {"a": 1},\n]'), { text: ",", message: "a comma before ], which JSON does not allow" });
  assert.deepEqual(one('{"a": 1,\n}'), { text: ",", message: "a comma before }, which JSON does not allow" });
  assert.equal(one('// note\n{"a": 1}').message, "JSON has no comments");
  assert.equal(one('{"a": 1').message, "expected a closing }");
  assert.equal(one("[1, 2").message, "expected a closing ]");
  assert.equal(one("").message, "expected a value");
  assert.equal(one('{"a": "x').message, "a string with no closing quote");
  assert.equal(one('{"a": "\\q"}').message, "invalid escape character");
  assert.match(one("{'a': 1}").message, /^not JSON/);
  assert.match(one('{"a": tru}').message, /^not JSON/);
  assert.match(one("{} {}").message, /^expected the end/);
});
