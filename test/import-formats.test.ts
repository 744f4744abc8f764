// The importers on valid input: the study's evaluation output (test/fixtures/study-eval, built
// for this test because no real files of that format are published), the other studies' real
// files read in place from ../shared/external (skipped, with the reason, when absent), and the
// project's own format. Expected numbers are computed here by hand or from the raw files by an
// independent route, so an importer that averages, scales or keys wrongly fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import { parseModelsCsv, parseObservationsCsv, serializeObservationsCsv, checkAgainstModels, DataError } from "../src/lib/observations.js";
import {
  importFiles, importStudyEval, importHarness, importBertsch, importHelmet, importPythia, FORMAT_INFO, STUDY_EVAL_NAME_RE,
  BERTSCH_MODELS, pythiaModels, helmetModels, parseTaskMapCsv, serializeTaskMap, STUDY_TASK_MAP, currentPythiaName, pythiaTask,
  type ModelsTable, type SourceFile,
} from "../src/lib/import/index.js";
import { Problems } from "../src/lib/import/problems.js";
import { readSourceFiles, locateExternal } from "../src/lib/node/import-files.js";

const DATA_MODELS: ModelsTable = { models: parseModelsCsv(readFileSync(join(ROOT, "data/models.csv"), "utf8"), "data/models.csv"), file: "data/models.csv" };
const FIXTURES = join(ROOT, "test/fixtures/study-eval");
const EXTERNAL = locateExternal();
const external = (sub: string) => (EXTERNAL && existsSync(join(EXTERNAL, sub)) ? join(EXTERNAL, sub) : null);
const skipExternal = (sub: string) => (external(sub) ? false : `the other studies' files are not at ${EXTERNAL ?? "../shared/external"}/${sub}`);

// ---------------------------------------------------------------------------------------------
// The study's own evaluation output

const studyFiles = () => readSourceFiles([FIXTURES], FORMAT_INFO["study-eval"].picks, "");

test("study-eval: file names as eval.py writes them, DeepMind Math with its config", () => {
  const m = STUDY_EVAL_NAME_RE.exec("dataset=deepmind-math,model=Yarn-Llama-2-7b-8k,config=algebra__linear_1d,shots=3,local_seed=31337.json");
  assert.deepEqual(m?.slice(1), ["deepmind-math", "Yarn-Llama-2-7b-8k", "algebra__linear_1d", "3", "31337"]);
  assert.deepEqual(STUDY_EVAL_NAME_RE.exec("dataset=gsm,model=Yarn-Llama-2-7b-8k,shots=0,local_seed=31337.json")?.slice(1),
    ["gsm", "Yarn-Llama-2-7b-8k", undefined, "0", "31337"]);
  assert.equal(STUDY_EVAL_NAME_RE.exec("gsm_Yarn-Llama-2-7b-8k_0.json"), null);
});

test("study-eval: instances pooled per (task, model, shots); mean score, mean prompt length, count", () => {
  const files = studyFiles();
  assert.equal(files.length, 10);
  const { observations: obs } = importStudyEval(files, DATA_MODELS);
  assert.equal(obs.length, 6);
  const get = (task: string, shots: number) => obs.find((o) => o.task === task && o.shots === shots)!;
  // arithmetic, 0 shots: gsm [1, 0, 1], DeepMind algebra [1, 0], add_or_sub [1, 0] → 4 of 7;
  // prompt lengths 58 + 41 + 77 + 23 + 25 + 15 + 16 = 255 over 7 instances.
  const a0 = get("arithmetic", 0);
  assert.ok(Math.abs(a0.score - 4 / 7) < 1e-11, String(a0.score));
  assert.ok(Math.abs(a0.n_pmt - 255 / 7) < 1e-9, String(a0.n_pmt));
  assert.match(a0.source, /deepmind-math \+ gsm; 3 file\(s\), 7 instances/);
  const a3 = get("arithmetic", 3);
  assert.ok(Math.abs(a3.score - 6 / 7) < 1e-11);
  assert.ok(Math.abs(a3.n_pmt - 1871 / 7) < 1e-9);
  const c3 = get("common_sense", 3);
  assert.ok(Math.abs(c3.score - 2 / 3) < 1e-11);
  assert.ok(Math.abs(c3.n_pmt - 812 / 3) < 1e-9);
  assert.equal(c3.metric, "accuracy");
  const t0 = get("translation", 0);
  assert.equal(t0.metric, "bleu4");
  assert.ok(Math.abs(t0.score - 0.18257418583505536 / 3) < 1e-11);
  // Standard error over instances: [1, 0, 0] → sd √(1/3), se √(1/3)/√3 = 1/3.
  assert.ok(Math.abs(get("common_sense", 0).score_uncertainty! - 1 / 3) < 1e-11);
  // Compute and context limit from the models table, never from the files.
  assert.equal(a0.compute_flops, 7.7723e22);
  assert.equal(a0.n_ctx, 8192);
  assert.equal(a0.paper_role, "fit");
  checkAgainstModels(obs, DATA_MODELS.models, "imported");
  assert.deepEqual(parseObservationsCsv(serializeObservationsCsv(obs), "x.csv"), obs);
});

test("study-eval: a task map from the user regroups datasets; an unmapped dataset is refused", () => {
  const p = new Problems();
  const map = parseTaskMapCsv("dataset,task\ngsm,gsm_only\npiqa,common_sense\nwmt14-de-en,translation\ndeepmind-math,dm_math\n", "map.csv", p);
  p.throwIfAny();
  const { observations } = importStudyEval(studyFiles(), DATA_MODELS, { taskMap: map, taskMapFile: "map.csv" });
  assert.deepEqual([...new Set(observations.map((o) => o.task))].sort(), ["common_sense", "dm_math", "gsm_only", "translation"]);
  const g0 = observations.find((o) => o.task === "gsm_only" && o.shots === 0)!;
  assert.ok(Math.abs(g0.score - 2 / 3) < 1e-11);
  assert.ok(Math.abs(g0.n_pmt - 176 / 3) < 1e-9);
  const partial = new Map([["gsm", "arithmetic"]]);
  assert.throws(() => importStudyEval(studyFiles(), DATA_MODELS, { taskMap: partial, taskMapFile: "map.csv" }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    // piqa and wmt14-de-en at 0 and 3 shots, DeepMind Math 4 files: 8 files, one problem each.
    assert.equal(e.problems.length, 8, e.message);
    assert.ok(e.problems.every((q) => q.field === "file name" && q.found.includes("which the task map (map.csv) does not list")));
    return true;
  });
  assert.equal(parseTaskMapCsv(serializeTaskMap(STUDY_TASK_MAP), "default", new Problems()).size, STUDY_TASK_MAP.size);
});

test("study-eval: the same run given twice (two copies of a folder) is read once", () => {
  const files = studyFiles();
  const twice = [...files, { ...files[0]!, name: `copy/${files[0]!.name}` }];
  const r = importStudyEval(twice, DATA_MODELS);
  assert.deepEqual(r.observations, importStudyEval(files, DATA_MODELS).observations);
  assert.ok(r.notes.some((n) => n.includes("is a copy of")));
});

// ---------------------------------------------------------------------------------------------
// lm-evaluation-harness

const PYTHIA: ModelsTable = { models: pythiaModels(), file: "pythiaModels()" };

test("harness: the Pythia v1 results (0 and 5 shots, three sizes)", { skip: skipExternal("pythia/evals/pythia-v1") }, () => {
  const files = readSourceFiles([external("pythia/evals/pythia-v1")!], FORMAT_INFO.harness.picks, "");
  assert.equal(files.length, 6);
  const r = importHarness(files, PYTHIA, { tokensPerExample: 40, tasks: ["arc_easy", "piqa"] });
  assert.equal(r.observations.length, 12);
  const five = files.find((f) => f.name.endsWith("160m-5shot_step143000.json"))!;
  const raw = JSON.parse(five.text);
  const o = r.observations.find((x) => x.task === "arc_easy" && x.model === "EleutherAI/pythia-v1.1-160m@step143000" && x.shots === 5)!;
  assert.equal(o.score, Number(raw.results.arc_easy.acc.toPrecision(12)));
  assert.equal(o.score_uncertainty, Number(raw.results.arc_easy.acc_stderr.toPrecision(12)));
  assert.equal(o.n_pmt, 6 * 40);
  assert.equal(r.observations.find((x) => x.shots === 0)!.n_pmt, 40);
  // Without a task list: every task with "acc"; the others (crows_pairs: no acc) are noted.
  const all = importHarness(files, PYTHIA, { tokensPerExample: 40 });
  assert.ok(all.notes.some((n) => /skipped \d+ task\(s\): .*no acc/.test(n)), all.notes.join("\n"));
  assert.ok(all.observations.every((x) => x.metric === "acc" && x.score >= 0 && x.score <= 1));
});

test("harness: version 0.4 layout (\"acc,none\" keys, n-shot per task, model_args as an object)", () => {
  const doc = {
    results: { hellaswag: { alias: "hellaswag", "acc,none": 0.5, "acc_stderr,none": 0.01, "acc_norm,none": 0.6 } },
    "n-shot": { hellaswag: 10 },
    config: { model: "hf", model_args: { pretrained: "EleutherAI/pythia-v1.1-1.4b", revision: "step143000" } },
  };
  const r = importHarness([{ name: "results.json", text: JSON.stringify(doc) }], PYTHIA, { tokensPerExample: { hellaswag: 100 } });
  assert.deepEqual(r.observations.map((o) => [o.task, o.model, o.shots, o.n_pmt, o.score, o.score_uncertainty]),
    [["hellaswag", "EleutherAI/pythia-v1.1-1.4b@step143000", 10, 1100, 0.5, 0.01]]);
});

test("every importer applies the project's prompt rule: under 1 token is a problem naming the point, over 1000 × n_ctx a note", () => {
  const doc = (shots: number) => JSON.stringify({
    results: { hellaswag: { "acc,none": 0.5, "acc_stderr,none": 0.01 } }, "n-shot": { hellaswag: shots },
    config: { model: "hf", model_args: { pretrained: "EleutherAI/pythia-v1.1-1.4b", revision: "step143000" } },
  });
  // 0 shots × a tenth of a token per example: a prompt of 0.1 tokens, refused where it came from
  let caught: unknown;
  assert.throws(() => importHarness([{ name: "results.json", text: doc(0) }], PYTHIA, { tokensPerExample: 0.1 }), (e) => ((caught = e), true));
  assert.ok(caught instanceof DataError, String(caught));
  assert.equal(caught.problems.length, 1, caught.message);
  assert.match(caught.message, /^results\.json, field "results\.hellaswag": found an n_pmt of 0\.1 for \(task "hellaswag", .*expected a number of tokens, 1 or more: .*--tokens-per-shot/);
  // 10 shots × 10^6 tokens: 11 million tokens against a window of 2,048, kept with a note
  const far = importHarness([{ name: "results.json", text: doc(10) }], PYTHIA, { tokensPerExample: 1e6 });
  assert.equal(far.observations[0]!.n_pmt, 11e6);
  assert.deepEqual(far.notes.filter((n) => n.includes("n_pmt")), [
    'results.json, field "n_pmt": found "11000000", 5,371 × the row\'s n_ctx (2048), expected at most 1000 × n_ctx: a prompt that long is beyond any model\'s window by orders of magnitude; check that both are in tokens (n_ctx not in thousands: 8192, not 8) and that n_pmt has no digits too many. The row is kept as it is',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Bertsch et al.

const BERTSCH: ModelsTable = { models: [...BERTSCH_MODELS], file: "BERTSCH_MODELS" };

test("bertsch: runs averaged, percent → fraction, n_pmt = shots × tokens per demonstration", { skip: skipExternal("bertsch2024") }, () => {
  const files = readSourceFiles([external("bertsch2024")!], FORMAT_INFO.bertsch.picks, "");
  assert.equal(files.length, 28);
  const r = importBertsch(files, BERTSCH);
  assert.equal(r.observations.length, 367);
  assert.equal(new Set(r.observations.map((o) => o.model)).size, 7);
  // Independently from the raw text: Mistral-7B-v0.1 on nlu, mean accuracy of the 250-shot runs.
  const nlu = files.find((f) => f.name.includes("Mistral-7B-v0.1") && f.name.includes("/nlu/"))!;
  const runs = nlu.text.trim().split("\n").slice(1).map((l) => l.split(",").map(Number)).filter((c) => c[0] === 250);
  assert.equal(runs.length, 10);
  const o = r.observations.find((x) => x.model === "mistralai/Mistral-7B-v0.1" && x.task === "nlu" && x.shots === 250)!;
  assert.ok(Math.abs(o.score - runs.reduce((a, c) => a + c[1]!, 0) / 10 / 100) < 1e-11);
  assert.equal(o.n_pmt, 250 * 25);
  assert.equal(o.n_ctx, 8192);
  assert.ok(Math.abs(o.score - 0.8176) < 1e-9);
  // The collapse the external README describes: nlu 81.8 at 250 shots → 1.2 at 750.
  assert.ok(Math.abs(r.observations.find((x) => x.model === "mistralai/Mistral-7B-v0.1" && x.task === "nlu" && x.shots === 750)!.score - 0.0124) < 1e-9);
  // A user's estimate replaces the default for every dataset given.
  const own = importFiles("bertsch", files.filter((f) => f.name.includes("/nlu/")), BERTSCH, { tokensPerShot: 20 });
  assert.ok(own.observations.every((x) => x.n_pmt === x.shots * 20));
});

// ---------------------------------------------------------------------------------------------
// HELMET

test("helmet: the ICL column of every length; models table built from the files", { skip: skipExternal("helmet") }, () => {
  const files = readSourceFiles([external("helmet")!], FORMAT_INFO.helmet.picks, "");
  assert.equal(files.length, 5);
  const models = helmetModels(files);
  assert.equal(models.length, 64);
  assert.equal(models.find((m) => m.model === "Yi-6B-200k")!.n_ctx, 200 * 1024);
  assert.equal(models.find((m) => m.model === "GPT-4")!.params_nonembed, 1); // "?" → the placeholder
  assert.ok(models.every((m) => m.compute_flops === 1e24));
  const r = importHelmet(files, { models, file: "helmet" });
  assert.equal(r.observations.length, 316);
  // The external README: about 58 of the 316 points have an input longer than the window.
  assert.equal(r.observations.filter((o) => o.n_pmt > o.n_ctx).length, 58);
  const l3 = r.observations.filter((o) => o.model === "Llama-3-8B").sort((a, b) => a.n_pmt - b.n_pmt);
  assert.deepEqual(l3.map((o) => [o.n_pmt, o.shots, o.score]), [[8192, 360, 0.634], [16384, 720, 0.014], [32768, 1450, 0.022], [65536, 2900, 0], [131072, 5900, 0]]);
});

// ---------------------------------------------------------------------------------------------
// Pythia

test("pythia: old size names mapped, operands averaged, one model per checkpoint", { skip: skipExternal("pythia/evals/csv") }, () => {
  assert.equal(currentPythiaName("EleutherAI/pythia-125m-deduped"), "EleutherAI/pythia-160m-deduped");
  assert.equal(currentPythiaName("EleutherAI/pythia-13b-deduped"), "EleutherAI/pythia-12b-deduped");
  assert.equal(pythiaTask("num_reasoning_arithmetic_multiplication_42"), "arithmetic_multiplication");
  const files = readSourceFiles([external("pythia/evals/csv")!], FORMAT_INFO.pythia.picks, "");
  assert.equal(files.length, 7);
  const r = importPythia(files, PYTHIA);
  assert.equal(r.observations.length, 7 * 6 * 5 * 2);
  const f = files.find((x) => x.name.includes("pythia-13b-deduped"))!;
  const rows = f.text.trim().split("\n").slice(1).map((l) => l.split(","))
    .filter((c) => c[1] === "143000" && c[3] === "16" && c[2]!.startsWith("num_reasoning_arithmetic_addition_"));
  assert.equal(rows.length, 100);
  const o = r.observations.find((x) => x.model === "EleutherAI/pythia-12b-deduped@step143000" && x.task === "arithmetic_addition" && x.shots === 16)!;
  assert.ok(Math.abs(o.score - rows.reduce((a, c) => a + Number(c[4]), 0) / 100) < 1e-11);
  assert.equal(o.n_pmt, 17 * 12);
  assert.equal(o.compute_flops, pythiaModels().find((m) => m.model === o.model)!.compute_flops);
});

// ---------------------------------------------------------------------------------------------
// The project's own format

test("project: data/observations.csv imports unchanged, sorted by (task, model, shots)", () => {
  const text = readFileSync(join(ROOT, "data/observations.csv"), "utf8");
  const r = importFiles("project", [{ name: "data/observations.csv", text }], DATA_MODELS);
  const direct = parseObservationsCsv(text, "data/observations.csv");
  assert.equal(r.observations.length, 120);
  const key = (o: { task: string; model: string; shots: number }) => `${o.task}|${o.model}|${String(o.shots).padStart(4, "0")}`;
  assert.deepEqual(r.observations.map(key), direct.map(key).sort());
  for (const o of r.observations) assert.deepEqual(o, direct.find((d) => key(d) === key(o)));
});

test("every importer is deterministic: the same files give byte-identical output", () => {
  const files: SourceFile[] = studyFiles();
  const a = serializeObservationsCsv(importStudyEval(files, DATA_MODELS).observations);
  const b = serializeObservationsCsv(importStudyEval([...files].reverse(), DATA_MODELS).observations);
  assert.equal(a, b);
});
