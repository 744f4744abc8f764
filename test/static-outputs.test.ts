// The insertion of a page's static outputs into its built HTML (src/lib/node/static-outputs.ts):
// where each output goes, and what it refuses. The capture itself runs in Chromium at build
// time; test/browser/site.test.ts checks its result page by page with JavaScript off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { insertPrefetches, insertStaticOutputs, removeStaticOutputs } from "../src/lib/node/static-outputs.js";

const PAGE = [
  "<p>seed <observablehq-loading></observablehq-loading><!--:0000000a:-->.</p>",
  '<div class="observablehq observablehq--block"><observablehq-loading></observablehq-loading><!--:0000000b:--></div>',
  '<div class="observablehq observablehq--block"><!--:0000000c:--></div>',
  '<div class="observablehq observablehq--block"><!--:0000000d:--></div>',
].join("\n");

test("a cell's output goes into its placeholder, which the runtime removes when the cell first displays; a cell without one gets one", () => {
  const out = insertStaticOutputs(PAGE, [
    { id: "0000000a", html: "1" },
    { id: "0000000b", html: "<table><tr><td>0.012</td></tr></table>" },
    { id: "0000000c", html: "<figure><svg></svg></figure>" },
  ]);
  assert.equal(out, [
    '<p>seed <observablehq-loading data-static="">1</observablehq-loading><!--:0000000a:-->.</p>',
    '<div class="observablehq observablehq--block"><observablehq-loading data-static=""><table><tr><td>0.012</td></tr></table></observablehq-loading><!--:0000000b:--></div>',
    '<div class="observablehq observablehq--block"><observablehq-loading data-static="added"><figure><svg></svg></figure></observablehq-loading><!--:0000000c:--></div>',
    // a cell with nothing captured is left as Framework built it
    '<div class="observablehq observablehq--block"><!--:0000000d:--></div>',
  ].join("\n"));
});

test("an output for a cell the page does not have, or whose placeholder is filled already, is refused, naming the file", () => {
  assert.throws(() => insertStaticOutputs(PAGE, [{ id: "000000ff", html: "x" }], "dist/index.html"), /dist\/index\.html: no placeholder for cell 000000ff/);
  const once = insertStaticOutputs(PAGE, [{ id: "0000000b", html: "x" }]);
  assert.throws(() => insertStaticOutputs(once, [{ id: "0000000b", html: "x" }], "dist/index.html"), /no placeholder for cell 0000000b/);
});

test("taking the static outputs out again gives the page as Framework built it", () => {
  const filled = insertStaticOutputs(PAGE, [
    { id: "0000000a", html: "1" },
    { id: "0000000b", html: "<observablehq-loading></observablehq-loading><table><tr><td>0.012</td></tr></table>" },
    { id: "0000000c", html: "<figure><svg></svg></figure>" },
  ]);
  assert.notEqual(filled, PAGE);
  assert.equal(removeStaticOutputs(filled), PAGE);
});

test("the WebAssembly a page fetched while captured is hinted in its head for prefetch; taken out again, the page is as built", () => {
  const built = `<!DOCTYPE html>\n<head>\n<link rel="icon" href="data:,">\n</head>\n<body>${PAGE}</body>`;
  const hinted = insertPrefetches(insertStaticOutputs(built, [{ id: "0000000b", html: "x" }]), ["./_node/@duckdb/duckdb-wasm@1.32.0/dist/duckdb-eh.wasm", "./_file/lib/wasm/kernel.d29215ae.wasm"]);
  assert.match(hinted, /<link rel="icon" href="data:,">\n<link rel="prefetch" href="\.\/_node\/@duckdb\/duckdb-wasm@1\.32\.0\/dist\/duckdb-eh\.wasm" data-static-prefetch="">\n<link rel="prefetch" href="\.\/_file\/lib\/wasm\/kernel\.d29215ae\.wasm" data-static-prefetch="">\n<\/head>/);
  assert.equal(removeStaticOutputs(hinted), built);
  // A page that fetched none is left alone; one hinted already, or with no head, is refused.
  assert.equal(insertPrefetches(built, []), built);
  assert.throws(() => insertPrefetches(hinted, ["./a.wasm"], "dist/data.html"), /dist\/data\.html: has its prefetch hints already/);
  assert.throws(() => insertPrefetches(PAGE, ["./a.wasm"], "dist/data.html"), /dist\/data\.html: no <\/head>/);
});
