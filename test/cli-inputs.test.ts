// Issue 12, "no input that crashes or slips through", on the command line: every bad path,
// byte, name or number gives one line per problem and exit code 2 (never a stack trace); a
// refused fit exits 3; predict reads its arguments by fit's rules; the paper's text appears on
// the paper's data only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, readFileSync, cpSync, readdirSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import { parseObservationsCsv, serializeObservationsCsv } from "../src/lib/observations.js";
import type { Observation } from "../src/lib/types.js";

const run = (cli: string, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", `src/cli/${cli}.ts`, ...args], { cwd: ROOT, encoding: "utf8" });
const noStack = (r: { stderr: string }) => assert.doesNotMatch(r.stderr, /\n\s+at /, `a stack trace:\n${r.stderr}`);
const BUNDLED = readFileSync(join(ROOT, "data/observations.csv"));
const tmp = () => tempDir("cli-inputs-");

test("import: a misnamed file in a folder is named, together with the other files' problems", () => {
  const dir = tmp();
  cpSync(join(ROOT, "test/fixtures/study-eval"), join(dir, "eval"), { recursive: true });
  writeFileSync(join(dir, "eval", "gsm_Llama_0shot.json"), "{}");
  cpSync(join(ROOT, "test/malformed/study-eval-bad-instances/input"), join(dir, "eval", "bad"), { recursive: true });
  const r = run("import", ["study-eval", join(dir, "eval")]);
  assert.equal(r.status, 2, r.stderr);
  noStack(r);
  assert.match(r.stderr, /gsm_Llama_0shot\.json, field "file name": found not a study-eval result file name, expected dataset=…,model=…,shots=…,local_seed=….json; rename it/);
  assert.match(r.stderr, /field "instances\[0\]\.prompt_length"/, "the other file's problems are listed in the same run");
  assert.equal(r.stdout, "");
});

test("import: --out naming a folder is one line naming it, exit 2, and nothing is written", () => {
  const dir = tmp();
  const r = run("import", ["project", "data/observations.csv", "--out", dir]);
  assert.equal(r.status, 2);
  noStack(r);
  assert.match(r.stderr, new RegExp(`--out ${dir} is a folder: give a file name`));
  assert.deepEqual(readdirSync(dir), []);
});

test("import: --out inside a path that is a file is one line naming the path, exit 2", () => {
  const dir = tmp();
  writeFileSync(join(dir, "file"), "x");
  const r = run("import", ["project", "data/observations.csv", "--out", join(dir, "file", "obs.csv")]);
  assert.equal(r.status, 2, r.stderr);
  noStack(r);
  assert.match(r.stderr, /^error: .*file.* (has a part that is not a folder|already exists|could not be used)/m);
});

/** The three commands that read an observations CSV, each pointed at `file`. */
function readersOf(file: string) {
  return [
    ["fit", ["--data", file, "--experiment", "in-distribution", "--resamples", "0"]],
    ["predict", ["--data", file, "--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100"]],
    ["import", ["project", file]],
  ] as const;
}

for (const [label, bytes] of [["invalid UTF-8", Buffer.from([0x63, 0x61, 0x66, 0xe9])], ["a NUL byte", Buffer.from([0x00])]] as const) {
  const found = label === "invalid UTF-8" ? "bytes that are not valid UTF-8" : "a NUL byte";
  test(`${label} in an observations CSV is refused by fit --data, predict --data and import project, naming file and line`, () => {
    const dir = tmp();
    const lines = BUNDLED.toString("utf8").split("\n");
    const file = join(dir, "obs.csv");
    // line 3 of the file: the second data row, its source cell with the bad bytes appended
    writeFileSync(file, Buffer.concat([Buffer.from(lines.slice(0, 2).join("\n") + "\n" + lines[2]), bytes, Buffer.from("\n" + lines.slice(3).join("\n"))]));
    for (const [cli, args] of readersOf(file)) {
      const r = run(cli, [...args]);
      assert.equal(r.status, 2, `${cli}: ${r.stderr}`);
      noStack(r);
      assert.ok(r.stderr.includes(`obs.csv row 3: found ${found}`), `${cli}: ${r.stderr}`);
      assert.equal(r.stdout, "", `${cli} wrote output`);
    }
  });
}

/** The bundled observations with the second data row's (file line 3's) n_pmt replaced. */
function withPrompt(nPmt: string): string {
  const file = join(tmp(), "obs.csv");
  const lines = BUNDLED.toString("utf8").split("\n");
  assert.ok(lines[2]!.includes(",1,120,0.0974,"));
  lines[2] = lines[2]!.replace(",1,120,0.0974,", `,1,${nPmt},0.0974,`);
  writeFileSync(file, lines.join("\n"));
  return file;
}

test("a prompt shorter than one token is refused by fit --data, predict --data and import project, naming file, row and field, exit 2", () => {
  const file = withPrompt("1e-300");
  for (const [cli, args] of readersOf(file)) {
    const r = run(cli, [...args]);
    assert.equal(r.status, 2, `${cli}: ${r.stderr}`);
    noStack(r);
    assert.ok(r.stderr.includes('obs.csv row 3, field "n_pmt": found "1e-300", expected a number of tokens, 1 or more'), `${cli}: ${r.stderr}`);
    assert.match(r.stderr, /give it in tokens/);
    assert.equal(r.stdout, "", `${cli} wrote output`);
  }
});

test("a prompt over 1000 × n_ctx is a warning naming the row from fit, predict and import project, not a refusal", () => {
  const file = withPrompt("1e12");
  const warning = /obs\.csv row 3, field "n_pmt": found "1000000000000", 122,070,313 × the row's n_ctx \(8192\), expected at most 1000 × n_ctx: .*The row is kept as it is/;
  for (const [cli, args, prefix] of [
    ["fit", ["--data", file, "--experiment", "in-distribution", "--task", "arithmetic", "--resamples", "0"], "warning"],
    ["predict", ["--data", file, "--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100", "--resamples", "20"], "warning"],
    ["import", ["project", file], "note"],
  ] as const) {
    const r = run(cli, [...args]);
    assert.equal(r.status, 0, `${cli}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^${prefix}: \\S*${warning.source}$`, "m"), `${cli}: ${r.stderr}`);
    assert.equal(r.stderr.match(/n_ctx: /g)?.length ?? 0, 1, `${cli}: one warning`);
    assert.notEqual(r.stdout, "");
  }
  const bundled = run("import", ["project", "data/observations.csv"]);
  assert.doesNotMatch(bundled.stderr, /n_pmt/);
});

test("fit and predict: a folder or a missing file as --data is one line, exit 2", () => {
  for (const cli of ["fit", "predict"]) {
    const r = run(cli, ["--data", tmp(), "--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100"].slice(0, cli === "fit" ? 2 : 10));
    assert.equal(r.status, 2, r.stderr);
    noStack(r);
    assert.match(r.stderr, /is a folder: give a file/);
  }
});

test("predict --help prints the usage with the exit codes and exits 0", () => {
  const r = run("predict", ["--help"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /usage: npm run predict/);
  assert.match(r.stdout, /exit codes: 0 done; 2 bad input .*3 a requested fit was refused/);
});

for (const [args, message] of [
  [["--compute", "-1e23"], /--compute must be a positive number, got "-1e23"/],
  [["--compute", "0x10"], /--compute must be a positive number, got "0x10"/],
  [["--compute", "Infinity"], /--compute must be a positive number, got "Infinity"/],
  [["--n-ctx", "0x10"], /--n-ctx must be a token count, a positive integer in decimal digits .*got "0x10"/],
  [["--n-pmt", "8192.5"], /--n-pmt must be a token count, .*got "8192\.5"/],
  [["--n-pmt", "-5"], /--n-pmt must be a token count, .*got "-5"/],
  [["--resamples", "1e3"], /--resamples must be an integer from 2 to/],
] as const) {
  test(`predict ${args.join(" ")}: exit 2 naming the option`, () => {
    const base: Record<string, string> = { "--task": "arithmetic", "--compute": "1e23", "--n-ctx": "8192", "--n-pmt": "100", "--resamples": "20" };
    base[args[0]] = args[1];
    const r = run("predict", Object.entries(base).flat());
    assert.equal(r.status, 2, r.stderr);
    noStack(r);
    assert.match(r.stderr, message);
  });
}

test("fit reads numbers by the same rules as predict", () => {
  const r = run("fit", ["--seed", "0x10"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--seed must be an integer from 0 to 4294967295 in decimal digits, got "0x10"/);
  const neg = run("fit", ["--seed", "-3"]);
  assert.equal(neg.status, 2);
  assert.match(neg.stderr, /--seed must be an integer .*got "-3"/);
});

test("predict with a fixed-compute law says that --compute has no effect", () => {
  const r = run("predict", ["--task", "arithmetic", "--variant", "fixed-compute", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100", "--resamples", "20"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: the law fixed-compute does not use --compute: its value has no effect/);
  const full = run("predict", ["--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100", "--resamples", "20"]);
  assert.doesNotMatch(full.stderr, /warning/);
});

test("a refused fit exits 3, with the reason printed", () => {
  const dir = tmp();
  const lines = BUNDLED.toString("utf8").split("\n");
  // one model only: one compute level, which every law with a compute factor refuses
  writeFileSync(join(dir, "one.csv"), [lines[0], ...lines.filter((l) => l.startsWith("arithmetic,Yarn-Llama-2-7b-8k,"))].join("\n") + "\n");
  const r = run("fit", ["--data", join(dir, "one.csv"), "--experiment", "penalty-ablation", "--task", "arithmetic", "--resamples", "0"]);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /full refused: all observations share one compute level/);
  assert.match(r.stderr, /a requested fit was refused/);
});

// Issue 18: data that leave the law undetermined are refused like all scores 0 (exit 3), with
// the reason, and the code reaches --json.
for (const [label, change, code, message] of [
  ["every score 1", (o: Observation) => ({ ...o, score: 1 }), "constant-score", /full refused: every score is 1: the task is saturated/],
  ["every prompt past n_ctx", (o: Observation) => ({ ...o, n_pmt: 2 * o.n_ctx }), "past-context", /full refused: every point lies past its model's context window/],
] as const) {
  test(`fit: ${label} is a refused fit, exit 3, code ${code} in --json`, () => {
    const dir = tmp();
    const rows = parseObservationsCsv(BUNDLED.toString("utf8"), "data/observations.csv").filter((o) => o.task === "arithmetic").map(change);
    writeFileSync(join(dir, "obs.csv"), serializeObservationsCsv(rows));
    const args = ["--data", join(dir, "obs.csv"), "--experiment", "in-distribution", "--task", "arithmetic", "--resamples", "0"];
    const r = run("fit", args);
    assert.equal(r.status, 3, r.stderr);
    noStack(r);
    assert.match(r.stdout, message);
    assert.match(r.stderr, /a requested fit was refused/);
    const json = run("fit", [...args, "--json"]);
    assert.equal(json.status, 3, json.stderr);
    assert.equal(JSON.parse(json.stdout).results[0].fits[0].refused.code, code);
  });
}

test("no paper text on the reader's own data; the bundled data keep it", () => {
  const dir = tmp();
  const lines = BUNDLED.toString("utf8").split("\n");
  // the bundled data with the last row left out: no longer the paper's data
  writeFileSync(join(dir, "mine.csv"), lines.filter(Boolean).slice(0, -1).join("\n") + "\n");
  const args = ["--experiment", "penalty-ablation", "--task", "arithmetic", "--resamples", "0"];
  const mine = run("fit", ["--data", join(dir, "mine.csv"), ...args]);
  assert.equal(mine.status, 0, mine.stderr);
  assert.doesNotMatch(mine.stdout, /paper|Llama-2 variants/i);
  const json = JSON.parse(run("fit", ["--data", join(dir, "mine.csv"), ...args, "--json"]).stdout);
  assert.deepEqual(json.results[0].comparisons, []);
  const paper = run("fit", args);
  assert.equal(paper.status, 0, paper.stderr);
  assert.match(paper.stdout, /ours vs the paper/);
  assert.match(paper.stdout, /12 Llama-2 variants/);
});

test("predict lists every bad argument at once, one line each", () => {
  const r = run("predict", ["--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192.5", "--n-pmt", "0x10"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: --n-ctx must be a token count.*"8192\.5"\nerror: --n-pmt must be a token count.*"0x10"\n/);
});

test("predict: a refused fit exits 3", () => {
  const dir = tmp();
  const lines = BUNDLED.toString("utf8").split("\n");
  writeFileSync(join(dir, "one.csv"), [lines[0], ...lines.filter((l) => l.startsWith("arithmetic,Yarn-Llama-2-7b-8k,"))].join("\n") + "\n");
  const r = run("predict", ["--data", join(dir, "one.csv"), "--task", "arithmetic", "--compute", "1e23", "--n-ctx", "8192", "--n-pmt", "100", "--resamples", "20"]);
  assert.equal(r.status, 3, r.stderr);
  noStack(r);
  assert.match(r.stderr, /error: the fit was refused: all observations share one compute level/);
});

test("fit --data: bad cells and unknown models of one file are reported in one run", () => {
  const r = run("fit", ["--data", "test/malformed/project-many-problems/input/mine.csv"]);
  assert.equal(r.status, 2);
  for (const [row, field] of [[2, "score"], [3, "n_pmt"], [4, "n_pmt"], [5, "model"], [6, "model"]] as const) {
    assert.ok(r.stderr.includes(`mine.csv row ${row}, field "${field}"`), `row ${row} ${field}:\n${r.stderr}`);
  }
});

test("fit lists every bad argument at once, one line each", () => {
  const r = run("fit", ["--seed", "0x10", "--restarts", "0", "--variant", "nope", "--scheme", "q", "--experiment", "no-such"]);
  assert.equal(r.status, 2);
  noStack(r);
  for (const m of [/^error: unknown experiment "no-such"/m, /^error: unknown law "nope"/m, /^error: --seed must be an integer/m, /^error: --restarts must be an integer from 1/m, /^error: unknown scheme "q"/m]) {
    assert.match(r.stderr, m);
  }
});

test("bad bytes are reported with the file's other problems by fit --data, predict --data and import project", () => {
  const dir = tmp();
  const lines = BUNDLED.toString("utf8").split("\n");
  const file = join(dir, "obs.csv");
  // line 3: a Latin-1 byte; line 5: a score above 1; line 7: an unknown model
  const body = [lines[0], lines[1], lines[2], lines[3], lines[4]!.replace(",0.1178,", ",1.5,"), lines[5], lines[6]!.replace("Yarn-Llama-2-7b-8k", "Nope"), ...lines.slice(7)].join("\n");
  const at = body.indexOf("\n", body.indexOf("\n", body.indexOf("\n") + 1) + 1); // end of line 3
  writeFileSync(file, Buffer.concat([Buffer.from(body.slice(0, at)), Buffer.from([0xe9]), Buffer.from(body.slice(at))]));
  for (const [cli, args] of readersOf(file)) {
    const r = run(cli, [...args]);
    assert.equal(r.status, 2, `${cli}: ${r.stderr}`);
    noStack(r);
    assert.ok(r.stderr.includes("obs.csv row 3: found bytes that are not valid UTF-8"), `${cli}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`obs.csv row 5, field "score": found "1.5"`), `${cli}: ${r.stderr}`);
    // predict reads no models table: an unknown model is fit's and import's finding
    if (cli !== "predict") assert.ok(r.stderr.includes(`obs.csv row 7, field "model": found "Nope"`), `${cli}: ${r.stderr}`);
    assert.equal(r.stdout, "", `${cli} wrote output`);
  }
});

test("import project: a file with thousands of problems gives their count, the first 100 lines and nothing written", () => {
  const dir = tmp();
  const lines = BUNDLED.toString("utf8").split("\n");
  const rows = Array.from({ length: 3000 }, (_, i) => `arithmetic,Nope,Llama-2-7B,yarn,8192,7.7723e+22,${i},51,0.5,accuracy,,,fit,x`);
  writeFileSync(join(dir, "many.csv"), [lines[0], ...rows].join("\n") + "\n");
  const out = join(dir, "out.csv");
  const r = run("import", ["project", join(dir, "many.csv"), "--out", out]);
  assert.equal(r.status, 2);
  noStack(r);
  assert.match(r.stderr, /^error: 3000 problems in 1 file; nothing was written\n/);
  assert.match(r.stderr, /\n… and 2900 more problems\n/);
  assert.equal(r.stderr.split("\n").filter((l) => l.includes('field "model": found "Nope"')).length, 100);
  assert.deepEqual(readdirSync(dir), ["many.csv"]);
});
