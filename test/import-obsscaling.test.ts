// The Observational Scaling Laws importer (src/lib/import/obsscaling.ts): the real table when
// ../shared/external is present, and malformed laws built from a small valid table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { importObsScaling, OBSSCALING_N_CTX } from "../src/lib/import/obsscaling.js";
import { DataError } from "../src/lib/observations.js";

const HEADER = "Model,Model Family,Model Size (B),Pretraining Data Size (T),FLOPs (1E21),MMLU,ARC-C,HellaSwag,Winograd,TruthfulQA,GSM8K,XWinograd,HumanEval";
const GOOD = [
  HEADER,
  "a/one-7b,Fam,7.0,2.0,84.0,0.44,0.53,0.78,0.74,0.39,0.14,0.75,0.13",
  "a/one-13b,Fam,13.0,2.0,156.0,0.54,0.58,0.81,0.77,0.34,0.23,0.79,0.18",
  "b/nodata-1b,Other,1.0,,,0.30,0.40,0.50,0.60,0.35,0.02,0.6,",
].join("\n") + "\n";
const EXTERNAL = "../shared/external/obsscaling/base_llm_benchmark_eval.csv";

function problems(text: string) {
  let caught: unknown;
  assert.throws(() => importObsScaling({ name: "t.csv", text }), (e) => ((caught = e), true));
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  return caught.problems;
}

test("a valid table: models with FLOPs kept, those without counted and left out, placeholders labelled", () => {
  const r = importObsScaling({ name: "t.csv", text: GOOD });
  assert.deepEqual(r.models.map((m) => m.model), ["a/one-7b", "a/one-13b"]);
  assert.deepEqual(r.withoutFlops, ["b/nodata-1b"]);
  assert.equal(r.models[0]!.compute_flops, 84e21);
  assert.equal(r.families["a/one-13b"], "Fam");
  assert.equal(r.observations.length, 16); // 2 models × 8 benchmarks
  for (const o of r.observations) {
    assert.ok(o.n_pmt < o.n_ctx, "the penalty must never bind");
    assert.equal(o.n_ctx, OBSSCALING_N_CTX);
    assert.match(o.source, /Observational Scaling Laws.*estimate/);
  }
  const mmlu = r.observations.find((o) => o.task === "mmlu" && o.model === "a/one-7b")!;
  assert.equal(mmlu.shots, 5);
  assert.equal(mmlu.score, 0.44);
});

const BAD: Array<[string, string, string, number, string]> = [
  ["score above 1", GOOD.replace("0.44,", "1.44,"), "MMLU", 2, "1.44"],
  ["non-numeric FLOPs", GOOD.replace("84.0", "lots"), "FLOPs (1E21)", 2, "lots"],
  ["negative size", GOOD.replace("13.0", "-13"), "Model Size (B)", 3, "-13"],
  ["empty model name", GOOD.replace("a/one-7b,", ","), "Model", 2, "empty"],
  ["repeated model", GOOD.replace("a/one-13b", "a/one-7b"), "Model", 3, "row 2"],
];
for (const [what, text, field, row, found] of BAD) {
  test(`malformed: ${what} is named by file, row and field`, () => {
    const ps = problems(text);
    const p = ps.find((x) => x.field === field);
    assert.ok(p, `no problem for ${field}: ${JSON.stringify(ps)}`);
    assert.equal(p.file, "t.csv");
    assert.equal(p.row, row);
    assert.ok(p.found.includes(found), p.found);
  });
}

test("malformed: missing column, short row, wrong file kind", () => {
  assert.ok(problems(GOOD.replace(",HumanEval", "")).some((p) => p.field === "HumanEval" && p.row === 1));
  assert.ok(problems(GOOD.replace(",0.13\n", "\n")).some((p) => p.row === 2 && p.field === null));
  assert.ok(problems("task,model,compute_flops\nx,y,1\n").some((p) => /project/.test(p.expected)));
});

test("the command line: exit 2 and nothing written on a bad file; both tables written on a good one", () => {
  const dir = tempDir("obs-");
  const bad = join(dir, "bad.csv");
  writeFileSync(bad, GOOD.replace("0.44,", "1.44,"));
  const out = join(dir, "o.csv");
  const r = spawnSync("npx", ["tsx", "src/cli/import.ts", "obsscaling", bad, "--out", out], { encoding: "utf8" });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /bad\.csv row 2, field "MMLU"/);
  assert.ok(!existsSync(out));
  const good = join(dir, "good.csv");
  writeFileSync(good, GOOD);
  const ok = spawnSync("npx", ["tsx", "src/cli/import.ts", "obsscaling", good, "--out", out, "--models-out", join(dir, "m.csv")], { encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 17);
  assert.match(ok.stderr, /1 model\(s\) have no FLOPs/);
});

test("the real table (../shared/external): 123 models with FLOPs, 25 without", { skip: !existsSync(EXTERNAL) && "no ../shared/external" }, () => {
  const r = importObsScaling({ name: EXTERNAL, text: readFileSync(EXTERNAL, "utf8") });
  assert.equal(r.models.length, 123);
  assert.equal(r.withoutFlops.length, 25);
  const f = r.models.map((m) => m.compute_flops);
  assert.ok(Math.min(...f) < 1e19 && Math.max(...f) > 1e25);
});
