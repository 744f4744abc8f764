// The study's own evaluation output (wang-research-lab/context-scaling, eval.py): one JSON per
// run, written by `json.dump(dataset.to_dict())` to outputs/eval/<dataset>/ under the name
//   dataset=<d>,model=<m>,shots=<k>,local_seed=<s>.json
//   dataset=deepmind-math,model=<m>,config=<c>,shots=<k>,local_seed=<s>.json
// The model appears only in the file name (eval.py keeps the part after the last "/").
// Fields used: name, metric, n_shots, local_seed, metric_value (the mean) and instances[]
// with prompt_length (tokens, from vLLM) and metric_value (0–1) per test item.
//
// Aggregation, per (task, model, shots): the datasets of a task (task-map.ts) are pooled at the
// instance level, as the paper's "one observation per (model, task, shot count) uses the mean
// prompt length over the evaluated instances" reads: score = mean per-instance metric,
// n_pmt = mean prompt_length, and the instance count goes into `source`. A dataset's weight is
// therefore its number of instances (at most 250; DeepMind Math one file per config).
import type { RawPoint, ModelsTable, ImportResult } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import {
  Problems, type FileProblems, parseJsonText, isObject, jsonNumber, jsonString, jsonPath, mean, standardError,
  baseName, quote, shown,
} from "./problems.js";
import { STUDY_TASK_MAP, type TaskMap } from "./task-map.js";
import type { SourceFile } from "./types.js";

export const STUDY_EVAL_NAME_RE = /^dataset=([^,]+),model=([^,]+),(?:config=([^,]*),)?shots=(\d+),local_seed=(\d+)\.json$/;
const NAME_EXPECTED = "dataset=<d>,model=<m>,shots=<k>,local_seed=<s>.json (DeepMind Math: dataset=<d>,model=<m>,config=<c>,shots=<k>,local_seed=<s>.json), as eval.py names its outputs";

/** eval.py's metric names → the names data/README.md uses for a task's score. */
export const STUDY_METRICS: Record<string, string> = {
  math_equiv: "accuracy", mc_match: "accuracy", exact_match: "accuracy", quasi_exact_match: "accuracy",
  is_equiv_chain_of_thought: "accuracy", bleu_4: "bleu4", f1_score: "f1", rouge2_f1: "rouge2_f1",
};

export interface StudyEvalOptions {
  /** dataset → task (default: the paper's grouping) */
  taskMap?: TaskMap;
  /** name of the task map's file, for messages */
  taskMapFile?: string;
}

interface Run {
  file: string;
  dataset: string;
  model: string;
  config: string | null;
  shots: number;
  seed: number;
  metric: string;
  scores: number[];
  promptLengths: number[];
}

const WHAT = "an evaluation output of the study (JSON with name, metric, n_shots, metric_value and instances[])";

/** What another kind of JSON file looks like, to say which import format fits it. */
function looksLike(x: unknown): string | null {
  if (isObject(x) && isObject(x.results)) return "lm-evaluation-harness output: use the `harness` format";
  return null;
}

function readRun(f: SourceFile, p: FileProblems, taskMap: TaskMap, taskMapFile: string): Run | null {
  const m = STUDY_EVAL_NAME_RE.exec(baseName(f.name));
  if (!m) p.at("file name", quote(baseName(f.name)), NAME_EXPECTED);
  const doc = parseJsonText(f.text, p, WHAT);
  if (doc === undefined) return null;
  if (!isObject(doc)) {
    p.at("(top level)", shown(doc), `${WHAT}: a JSON object`);
    return null;
  }
  if (!("instances" in doc) && !("metric_value" in doc)) {
    const guess = looksLike(doc);
    p.at("(top level)", `an object with the keys ${Object.keys(doc).slice(0, 8).map(quote).join(", ") || "(none)"}`,
      `${WHAT}` + (guess ? `; this looks like ${guess}` : ""));
    return null;
  }
  const [, dataset, model, config, shotsText, seedText] = m ?? [];
  const before = p.count;

  const name = jsonString(doc.name, "name", p, "the dataset name, e.g. \"gsm\"");
  if (name !== null && dataset !== undefined && name !== dataset) {
    p.at("name", quote(name), `${quote(dataset)}, the dataset in the file name; the file may have been renamed`);
  }
  const shots = jsonNumber(doc.n_shots, "n_shots", { integer: true, min: 0, expected: "the number of demonstrations, a whole number ≥ 0" }, p);
  if (shots !== null && shotsText !== undefined && shots !== Number(shotsText)) {
    p.at("n_shots", String(shots), `${shotsText}, the shots in the file name; the file may have been renamed`);
  }
  if ("local_seed" in doc && seedText !== undefined && doc.local_seed !== Number(seedText)) {
    p.at("local_seed", shown(doc.local_seed), `${seedText}, the local_seed in the file name`);
  }
  const metric = jsonString(doc.metric, "metric", p, `one of eval.py's metrics (${Object.keys(STUDY_METRICS).join(", ")})`);
  if (metric !== null && !(metric in STUDY_METRICS)) {
    p.at("metric", quote(metric), metric === "None"
      ? "a scored run; metric \"None\" means eval.py computed no score for this dataset (e.g. narrativeqa): leave the file out"
      : `one of eval.py's metrics (${Object.keys(STUDY_METRICS).join(", ")})`);
  }
  if (dataset !== undefined && !taskMap.has(dataset)) {
    p.at("file name", `the dataset ${quote(dataset)}, which the task map (${taskMapFile}) does not list`,
      `a dataset of the task map (${[...taskMap.keys()].join(", ")}); add a row "${dataset},<task>" to a task map given with --task-map, or leave the file out`);
  }

  const scores: number[] = [];
  const promptLengths: number[] = [];
  if (!Array.isArray(doc.instances) || doc.instances.length === 0) {
    p.at("instances", shown(doc.instances), "a non-empty array of evaluated test items");
  } else {
    doc.instances.forEach((inst: unknown, i: number) => {
      const at = jsonPath("instances", i);
      if (!isObject(inst)) {
        p.at(at, shown(inst), "an object with prompt_length and metric_value");
        return;
      }
      const len = jsonNumber(inst.prompt_length, jsonPath(at, "prompt_length"),
        { integer: true, min: 0, minExclusive: true, expected: "the prompt's length in tokens, a whole number > 0" }, p);
      const score = jsonNumber(inst.metric_value, jsonPath(at, "metric_value"),
        { min: 0, max: 1, expected: "the item's score, a number from 0 to 1" }, p);
      if (len !== null && score !== null) {
        promptLengths.push(len);
        scores.push(score);
      }
    });
  }
  const fileMean = jsonNumber(doc.metric_value, "metric_value", { min: 0, max: 1, expected: "the mean score, a number from 0 to 1" }, p);
  // eval.py writes metric_value = mean(instances[].metric_value); a disagreement means the
  // file was edited or cut short after it was written.
  if (fileMean !== null && Array.isArray(doc.instances) && scores.length === doc.instances.length && scores.length > 0) {
    const recomputed = mean(scores);
    if (Math.abs(recomputed - fileMean) > 1e-9) {
      p.at("metric_value", String(fileMean),
        `${recomputed}, the mean of instances[].metric_value (${scores.length} items), as eval.py writes it; the file may have been edited or truncated`);
    }
  }
  if (p.count > before || !m || metric === null || shots === null) return null;
  return { file: f.name, dataset: dataset!, model: model!, config: config ?? null, shots, seed: Number(seedText), metric, scores, promptLengths };
}

/** Imports the study's per-run JSON files; throws DataError listing every problem of every file. */
export function importStudyEval(files: readonly SourceFile[], table: ModelsTable, options: StudyEvalOptions = {}): ImportResult {
  const taskMap = options.taskMap ?? STUDY_TASK_MAP;
  const taskMapFile = options.taskMapFile ?? "the default task map";
  const p = new Problems();
  const notes: string[] = [];
  const runs: Run[] = [];
  // The same run given twice (two copies of one folder) would count its instances twice.
  const seenRun = new Map<string, { file: string; text: string }>();
  for (const f of files) {
    const fp = p.in(f.name);
    const key = baseName(f.name);
    const earlier = seenRun.get(key);
    if (earlier) {
      if (earlier.text === f.text) notes.push(`${f.name} is a copy of ${earlier.file} and was read once`);
      else fp.at("file name", `a second run named ${quote(key)} with different contents (the first is ${earlier.file})`,
        "one file per (dataset, model, config, shots, local_seed); remove one of the two");
      continue;
    }
    seenRun.set(key, { file: f.name, text: f.text });
    const run = readRun(f, fp, taskMap, taskMapFile);
    if (run) runs.push(run);
  }

  // Pool instances per (task, model, shots).
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const key = JSON.stringify([taskMap.get(r.dataset)!, r.model, r.shots]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const points: RawPoint[] = [];
  for (const [key, group] of groups) {
    const [task, model, shots] = JSON.parse(key) as [string, string, number];
    const metrics = [...new Set(group.map((r) => STUDY_METRICS[r.metric]!))];
    if (metrics.length > 1) {
      const other = group.find((r) => STUDY_METRICS[r.metric] !== STUDY_METRICS[group[0]!.metric])!;
      p.add(other.file, null, "metric", `${quote(other.metric)} (${STUDY_METRICS[other.metric]}), while ${group[0]!.file} of the same task ${quote(task)} has ${quote(group[0]!.metric)}`,
        "one kind of score per task; map datasets with different metrics to different tasks (--task-map)");
      continue;
    }
    const scores = group.flatMap((r) => r.scores);
    const lengths = group.flatMap((r) => r.promptLengths);
    const datasets = [...new Set(group.map((r) => r.dataset))].sort();
    const seeds = [...new Set(group.map((r) => r.seed))];
    points.push({
      task, model, shots, n_pmt: mean(lengths), score: mean(scores), metric: metrics[0]!,
      score_uncertainty: standardError(scores),
      // prompt_length is vLLM's exact token count: the mean has no reading error.
      n_pmt_uncertainty_rel: 0,
      source: `study evaluation output: ${datasets.join(" + ")}; ${group.length} file(s), ${scores.length} instances` +
        (seeds.length > 1 ? `, local seeds ${seeds.join(" ")}` : ""),
      at: { file: group[0]!.file, row: null, field: null },
      modelAt: { file: group[0]!.file, row: null, field: "file name" },
    });
  }
  const observations = toObservations(points, table, p, notes);
  return finish(observations, table, p, notes);
}
