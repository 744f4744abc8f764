// The import command line: output written atomically and identical to the library's, exit
// code 2 with every problem on standard error and the output file untouched on bad input, and
// clear refusals of bad arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync, readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import { parseModelsCsv, parseObservationsCsv, serializeObservationsCsv } from "../src/lib/observations.js";
import { importStudyEval, BERTSCH_MODELS } from "../src/lib/import/index.js";
import { readSourceFiles } from "../src/lib/node/import-files.js";

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/import.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });

const FIXTURES = "test/fixtures/study-eval";

test("study-eval to --out: the file is the library's output, the summary goes to standard error", () => {
  const dir = tempDir("import-");
  const out = join(dir, "sub", "obs.csv");
  const r = cli(["study-eval", FIXTURES, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /wrote 6 observations \(3 tasks, 1 models, from 10 files\)/);
  const models = { models: parseModelsCsv(readFileSync(join(ROOT, "data/models.csv"), "utf8"), "data/models.csv"), file: "data/models.csv" };
  const expected = serializeObservationsCsv(importStudyEval(readSourceFiles([join(ROOT, FIXTURES)], () => true, ""), models).observations);
  assert.equal(readFileSync(out, "utf8"), expected);
  assert.deepEqual(readdirSync(join(dir, "sub")), ["obs.csv"], "no temporary file left behind");
});

test("without --out the observations go to standard output and parse back", () => {
  const r = cli(["study-eval", FIXTURES]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(parseObservationsCsv(r.stdout, "stdout").length, 6);
});

test("bad input: exit 2, every problem listed, an existing --out file left exactly as it was", () => {
  const dir = tempDir("import-");
  const out = join(dir, "obs.csv");
  writeFileSync(out, "previous contents\n");
  const before = statSync(out).mtimeMs;
  // A bad file among good ones: nothing of the good ones is written either.
  const r = cli(["study-eval", "test/malformed/study-eval-bad-instances/input", `${FIXTURES}/outputs/eval/piqa`, "--out", out]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: 3 problems in 1 file; nothing was written\n/);
  for (const path of ["instances[0].prompt_length", "instances[1].metric_value", "instances[2].metric_value"]) assert.ok(r.stderr.includes(`field "${path}"`), r.stderr);
  assert.equal(readFileSync(out, "utf8"), "previous contents\n");
  assert.equal(statSync(out).mtimeMs, before);
  assert.deepEqual(readdirSync(dir), ["obs.csv"]);
});

test("bad input without an existing output: no file is created", () => {
  const dir = tempDir("import-");
  const out = join(dir, "obs.csv");
  const r = cli(["bertsch", "test/malformed/bertsch-nan-several/input", "--models", "test/malformed/helmet-unknown-model/models.csv", "--out", out]);
  assert.equal(r.status, 2);
  assert.ok(!existsSync(out));
  assert.deepEqual(readdirSync(dir), []);
  // The model problem and the three cell problems, all at once.
  assert.match(r.stderr, /error: 4 problems in 1 file/);
});

test("arguments: unknown format, missing models table, missing path, unreadable option values → exit 2 with the reason", () => {
  const cases: [string[], RegExp][] = [
    [["csv", "x.csv"], /unknown format or command "csv"; formats: study-eval, harness, bertsch, helmet, pythia, project/],
    [["bertsch", "test/malformed/bertsch-bom/input"], /the bertsch format needs --models FILE/],
    [["study-eval", "does/not/exist"], /cannot read does\/not\/exist: no such file or folder/],
    [["study-eval", "docs"], /the folder docs holds no files to import \(looked for dataset=…[^\n]*\): its \d+ file\(s\) \([^)]*\.md[^)]*\) do not have such names; rename the ones that are results/],
    [["harness", "test/malformed/harness-percentage/input", "--models", "data/models.csv"], /the harness format needs --tokens-per-shot/],
    [["bertsch", "test/malformed/bertsch-bom/input", "--models", "data/models.csv", "--tokens-per-shot", "nlu=abc"], /--tokens-per-shot needs numbers > 0, got "abc"/],
    [["study-eval", FIXTURES, "--nonsense"], /Unknown option '--nonsense'/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
});

test("models: the documented tables are valid models CSVs; BERTSCH_MODELS as written", () => {
  const r = cli(["models", "bertsch"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(parseModelsCsv(r.stdout, "stdout"), BERTSCH_MODELS);
  const p = cli(["models", "pythia"]);
  assert.equal(parseModelsCsv(p.stdout, "stdout").length, 7 * 6 + 7);
  const bad = cli(["models", "helmet"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /models helmet needs the HELMET files/);
});

test("beyond without the other studies' files: exit 2 and where to get them", () => {
  const r = cli(["beyond", "--external", "/nonexistent/external"]);
  assert.equal(r.status, 2);
  for (const s of ["bertsch2024/", "helmet/", "pythia/", "abertsch72/long-context-icl", "princeton-nlp/HELMET", "EleutherAI/pythia", "CONTEXT_SCALING_EXTERNAL"]) {
    assert.ok(r.stderr.includes(s), `${s} in\n${r.stderr}`);
  }
  const env = cli(["beyond"], { CONTEXT_SCALING_EXTERNAL: "/nonexistent/by-env" });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /no folder of other studies' results at \/nonexistent\/by-env/);
});
