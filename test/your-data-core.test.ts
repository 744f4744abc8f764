// The environment-neutral part of the "Your data" page (src/lib/import/your-data.ts):
// format detection, which files a format reads, the documented models tables, the options, and
// the fit plans, whose split names must be the library's so the command line prints the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import {
  guessFile, detectFormat, filesFor, parseTokensPerShot, runImport, userPlan, documentedTable, DEFAULT_FIT_SETTINGS, logGrid, defaultShownModels,
  type DroppedFile,
} from "../src/lib/import/your-data.js";
import { plan } from "../src/lib/experiments.js";
import { serializeTaskMap, STUDY_TASK_MAP, ImportOptionError } from "../src/lib/import/index.js";
import { readSourceFiles, loadExternal, locateExternal } from "../src/lib/node/import-files.js";
import { parseObservationsCsv } from "../src/lib/observations.js";

const EXTERNAL = locateExternal();
const read = (path: string, name = relative(ROOT, path), fromFolder = false): DroppedFile => ({ name, text: readFileSync(path, "utf8"), fromFolder });
const siteModelsText = readFileSync(join(ROOT, "data", "models.csv"), "utf8");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test("guessFile tells every format from a real file of it, and models tables and task maps apart", () => {
  assert.equal(guessFile(read(join(ROOT, "data", "observations.csv"))), "project");
  assert.equal(guessFile(read(join(ROOT, "data", "models.csv"))), "models-table");
  assert.equal(guessFile({ name: "map.csv", text: serializeTaskMap(STUDY_TASK_MAP) }), "task-map");
  const evalFile = walk(join(ROOT, "test", "fixtures", "study-eval")).find((f) => f.endsWith(".json"))!;
  assert.equal(guessFile(read(evalFile)), "study-eval");
  // Renamed, the content still says what it is.
  assert.equal(guessFile({ name: "run.json", text: readFileSync(evalFile, "utf8") }), "study-eval");
  assert.equal(guessFile({ name: "notes.txt", text: "hello" }), null);
  if (EXTERNAL) {
    const bertsch = walk(join(EXTERNAL, "bertsch2024")).find((f) => f.endsWith("combined_results.csv"))!;
    assert.equal(guessFile(read(bertsch)), "bertsch");
    assert.equal(guessFile(read(join(EXTERNAL, "helmet", "agg_results_8k.csv"))), "helmet");
    const pythia = walk(join(EXTERNAL, "pythia", "evals", "csv")).find((f) => f.endsWith(".csv"))!;
    assert.equal(guessFile(read(pythia)), "pythia");
    const harness = walk(join(EXTERNAL, "pythia", "evals", "pythia-v1")).find((f) => f.endsWith(".json"))!;
    assert.equal(guessFile(read(harness)), "harness");
  }
});

test("detectFormat takes the format of most files; a dropped models table is set apart", () => {
  const obs = read(join(ROOT, "data", "observations.csv"));
  const models = read(join(ROOT, "data", "models.csv"));
  const d = detectFormat([obs, models]);
  assert.equal(d.format, "project");
  assert.deepEqual(d.modelsTables, [models]);
  assert.equal(detectFormat([]).format, null);
  const unknown = { name: "x.csv", text: "a,b\n1,2\n", fromFolder: false };
  assert.deepEqual(detectFormat([unknown]).unknown, [unknown]);
  // A file of no known format inside a folder is simply not read, as a folder walk would skip it.
  assert.deepEqual(detectFormat([{ ...unknown, fromFolder: true }]).unknown, []);
});

test("filesFor reads every named file, and in folders only the files the format picks (as `npm run import` walks a folder)", () => {
  const named = { name: "anything.csv", text: "", fromFolder: false };
  const inFolder = { name: "dir/readme.csv", text: "", fromFolder: true };
  const picked = { name: "dir/m/d/combined_results.csv", text: "", fromFolder: true };
  assert.deepEqual(filesFor("bertsch", [named, inFolder, picked]).map((f) => f.name), ["anything.csv", "dir/m/d/combined_results.csv"]);
  assert.deepEqual(filesFor("bertsch", [named, picked], [named]).map((f) => f.name), ["dir/m/d/combined_results.csv"]);
});

test("tokens per shot: the command line's syntax and refusals", () => {
  assert.equal(parseTokensPerShot(""), undefined);
  assert.equal(parseTokensPerShot("40"), 40);
  assert.deepEqual(parseTokensPerShot("banking77=39, nlu=25"), { banking77: 39, nlu: 25 });
  assert.throws(() => parseTokensPerShot("0"), ImportOptionError);
  assert.throws(() => parseTokensPerShot("a=b=c"), ImportOptionError);
});

test("runImport: the project's data round-trips; settings problems are listed like file problems", () => {
  const obs = read(join(ROOT, "data", "observations.csv"));
  const ok = runImport({ format: "project", files: [obs], models: null, taskMap: null, siteModelsText });
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.equal(ok.observations.length, 120);
    assert.equal(ok.table.file, "data/models.csv");
    assert.deepEqual(parseObservationsCsv(ok.csv, "x"), ok.observations);
  }
  const harness = runImport({ format: "harness", files: [{ name: "r.json", text: "{}" }], models: null, taskMap: null, siteModelsText, tokensPerShot: "40" });
  assert.ok(!harness.ok);
  if (!harness.ok) assert.deepEqual(harness.problems.map((p) => [p.file, p.field]), [["(settings on this page)", "models table"]]);
  const badTokens = runImport({ format: "pythia", files: [{ name: "p.csv", text: "x" }], models: null, taskMap: null, siteModelsText, tokensPerShot: "-3" });
  assert.ok(!badTokens.ok);
  if (!badTokens.ok) assert.match(badTokens.problems[0]!.found, /tokens per shot/);
});

test("runImport (the Your data page): a prompt under 1 token is a problem naming the row, one over 1000 × n_ctx a note", () => {
  const lines = readFileSync(join(ROOT, "data", "observations.csv"), "utf8").split("\n");
  const mine = (nPmt: string) => [{ name: "mine.csv", text: [...lines.slice(0, 2), lines[2]!.replace(",1,120,0.0974,", `,1,${nPmt},0.0974,`), ...lines.slice(3)].join("\n") }];
  const short = runImport({ format: "project", files: mine("1e-300"), models: null, taskMap: null, siteModelsText });
  assert.ok(!short.ok);
  if (!short.ok) assert.deepEqual(short.problems.map((p) => [p.file, p.row, p.field, p.found]), [["mine.csv", 3, "n_pmt", '"1e-300"']]);
  const long = runImport({ format: "project", files: mine("1e12"), models: null, taskMap: null, siteModelsText });
  assert.ok(long.ok);
  if (long.ok) {
    assert.equal(long.observations.length, 120);
    assert.equal(long.notes.length, 1, long.notes.join("\n"));
    assert.match(long.notes[0]!, /^mine\.csv row 3, field "n_pmt": found "1000000000000", .*The row is kept as it is$/);
  }
});

test("the documented tables give the observations the Beyond analysis reads", { skip: !EXTERNAL && "no ../shared/external" }, () => {
  const dir = join(EXTERNAL!, "bertsch2024");
  const files = readSourceFiles([dir], (n) => n.endsWith("combined_results.csv"), "x");
  const mine = runImport({ format: "bertsch", files, models: null, taskMap: null, siteModelsText });
  assert.ok(mine.ok);
  const theirs = loadExternal(EXTERNAL!).find((d) => d.study === "bertsch2024")!;
  if (mine.ok) assert.deepEqual(mine.observations, theirs.observations);
  const helmet = readSourceFiles([join(EXTERNAL!, "helmet")], (n) => /agg_results_\d+k\.csv$/.test(n), "x");
  assert.equal(documentedTable("helmet", helmet, siteModelsText)!.models.length, 64);
  assert.ok(existsSync(dir));
});

test("the fit plans use the library's split names and selections, so `npm run fit --data` prints the same", () => {
  const mine = userPlan("arithmetic", DEFAULT_FIT_SETTINGS);
  const lib = plan("in-distribution", "arithmetic", { resamples: 0 });
  assert.deepEqual(mine.fits.map((f) => [f.fitOn, f.evaluate]), lib.fits.map((f) => [f.fitOn, f.evaluate]));
  const held = userPlan("arithmetic", { ...DEFAULT_FIT_SETTINGS, threshold: 5000 });
  const libHeld = plan("context-generalisation", "arithmetic", { threshold: 5000, resamples: 0 });
  assert.deepEqual(held.fits.map((f) => [f.fitOn, f.evaluate]), libHeld.fits.map((f) => [f.fitOn, f.evaluate]));
  assert.deepEqual(mine.comparisons, [], "no comparison with the paper's numbers: not the paper's data");
});

test("curve grids and the default models drawn", () => {
  const g = logGrid(10, 1000, 3, 100);
  assert.equal(g.length, 5);
  assert.ok(Math.abs(g[0]! - 10) < 1e-9 && Math.abs(g.at(-1)! - 1000) < 1e-9);
  assert.ok(g.includes(92) && g.includes(108));
  const rows = Array.from({ length: 30 }, (_, i) => ({ model: `m${i}`, compute_flops: 1e20 * (i + 1), n_ctx: 2048 })) as never[];
  const shown = defaultShownModels(rows, 12);
  assert.equal(shown.length, 12);
  assert.equal(shown[0], "m0");
  assert.equal(shown.at(-1), "m29");
});
