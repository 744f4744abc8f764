// lm-evaluation-harness results JSON (EleutherAI): `results` → task → metric → value, with the
// run's settings in `config` (model_args "pretrained=<id>,revision=<r>", num_fewshot). Version
// 0.4 writes metric keys as "<metric>,<filter>" ("acc,none") and per-task shot counts under
// "n-shot"; both layouts are read. Tested on the Pythia evaluations in EleutherAI/pythia
// (evals/pythia-v1/<model>/{zero,five}-shot/*.json).
//
// The files hold no prompt lengths. n_pmt is estimated as (shots + 1) × tokens per example,
// the test item counted as one example so that 0-shot prompts have a length; the user gives
// the tokens per example (one number, or one per task). The estimate only rescales the fitted
// n₀ as long as every prompt is far inside the context limit, but it decides where the
// penalty bites when prompts approach n_ctx, so say what it is wherever it is used.
import type { RawPoint, ModelsTable, ImportResult } from "./finish.js";
import { toObservations, finish } from "./finish.js";
import { Problems, parseJsonText, isObject, jsonPath, shown, quote, nonFiniteToken, type FileProblems } from "./problems.js";
import type { TaskMap } from "./task-map.js";
import type { SourceFile } from "./types.js";

export interface HarnessOptions {
  /** metric to import (default "acc"); tasks without it are skipped, with a note */
  metric?: string;
  /** tokens per example (demonstration or test item), one number or per harness task */
  tokensPerExample: number | Readonly<Record<string, number>>;
  /** import only these harness tasks (each must be present) */
  tasks?: readonly string[];
  /** harness task → task name; tasks not listed are skipped; several tasks of one name are averaged */
  taskMap?: TaskMap;
  taskMapFile?: string;
}

const WHAT = "lm-evaluation-harness output (JSON with results → task → metrics and config.num_fewshot)";

/** Model id from config.model_args ("pretrained=EleutherAI/pythia-1.4b,revision=step143000"), as "<id>@<revision>". */
function modelOf(doc: Record<string, unknown>): string | null {
  const config = isObject(doc.config) ? doc.config : {};
  let pretrained: string | null = null;
  let revision: string | null = null;
  const args = config.model_args;
  if (typeof args === "string") {
    for (const part of args.split(",")) {
      const [k, ...v] = part.split("=");
      if (k?.trim() === "pretrained") pretrained = v.join("=").trim();
      if (k?.trim() === "revision") revision = v.join("=").trim();
    }
  } else if (isObject(args)) {
    if (typeof args.pretrained === "string") pretrained = args.pretrained;
    if (typeof args.revision === "string") revision = args.revision;
  }
  if (!pretrained && typeof doc.model_name === "string") pretrained = doc.model_name;
  if (!pretrained) return null;
  return revision && revision !== "main" ? `${pretrained}@${revision}` : pretrained;
}

function shotsOf(doc: Record<string, unknown>, task: string): number | null {
  const perTask = doc["n-shot"];
  if (isObject(perTask) && typeof perTask[task] === "number") return perTask[task] as number;
  const config = isObject(doc.config) ? doc.config : {};
  return typeof config.num_fewshot === "number" ? config.num_fewshot : null;
}

const lookup = (metrics: Record<string, unknown>, name: string): [string, unknown] | null => {
  for (const key of [name, `${name},none`]) if (key in metrics) return [key, metrics[key]];
  return null;
};

interface TaskScore {
  file: string;
  task: string;
  model: string;
  shots: number;
  score: number;
  se: number | null;
  tokens: number;
}

function readFile(f: SourceFile, p: FileProblems, o: HarnessOptions, metric: string, skipped: Set<string>): TaskScore[] {
  const doc = parseJsonText(f.text, p, WHAT);
  if (doc === undefined) return [];
  if (!isObject(doc) || !isObject(doc.results)) {
    const guess = isObject(doc) && "instances" in doc ? "; this looks like the study's own evaluation output: use the `study-eval` format" : "";
    p.at(isObject(doc) ? "results" : "(top level)", isObject(doc) ? shown(doc.results) : shown(doc), `${WHAT}${guess}`);
    return [];
  }
  const model = modelOf(doc);
  if (model === null) p.at("config.model_args", shown(isObject(doc.config) ? doc.config.model_args : undefined), 'the model, as "pretrained=<model id>[,revision=<r>]"');
  const results = doc.results;
  const wanted = o.tasks ?? Object.keys(results);
  for (const t of o.tasks ?? []) if (!(t in results)) p.at(jsonPath("results", t), "no such task", `a task of this file (${Object.keys(results).slice(0, 10).join(", ")}${Object.keys(results).length > 10 ? ", …" : ""})`);
  const out: TaskScore[] = [];
  let shotsReported = false; // one problem per file, not one per task
  for (const task of wanted) {
    const metrics = results[task];
    const at = jsonPath("results", task);
    if (!isObject(metrics)) {
      if (task in results) p.at(at, shown(metrics), "an object of metric → value");
      continue;
    }
    if (o.taskMap && !o.taskMap.has(task)) {
      skipped.add(`${task} (not in the task map)`);
      continue;
    }
    const found = lookup(metrics, metric);
    if (!found) {
      if (o.tasks) p.at(jsonPath(at, metric), "no such metric", `the metric ${quote(metric)} (this task has ${Object.keys(metrics).map(quote).join(", ")})`);
      else skipped.add(`${task} (no ${metric})`);
      continue;
    }
    const [key, value] = found;
    const path = jsonPath(at, key);
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
      const token = typeof value === "string" ? nonFiniteToken(value) : null;
      p.at(path, token ?? shown(value),
        typeof value === "number" && value > 1 && value <= 100
          ? "a fraction from 0 to 1 (the harness reports accuracies as fractions; is this a percentage?)"
          : "a number from 0 to 1");
      continue;
    }
    const shots = shotsOf(doc, task);
    if (shots === null || !Number.isInteger(shots) || shots < 0) {
      if (!shotsReported) p.at("config.num_fewshot", shown(isObject(doc.config) ? doc.config.num_fewshot : undefined), "the number of demonstrations, a whole number ≥ 0");
      shotsReported = true;
      continue;
    }
    const tokens = typeof o.tokensPerExample === "number" ? o.tokensPerExample : o.tokensPerExample[task];
    if (tokens === undefined || !(tokens > 0) || !Number.isFinite(tokens)) {
      p.at(at, `no tokens-per-example estimate for the task ${quote(task)}`, "a number > 0 for every imported task (--tokens-per-shot N or TASK=N,…)");
      continue;
    }
    const seEntry = lookup(metrics, `${metric}_stderr`);
    const se = seEntry && typeof seEntry[1] === "number" && Number.isFinite(seEntry[1]) && seEntry[1] >= 0 ? seEntry[1] : null;
    if (model !== null) out.push({ file: f.name, task, model, shots, score: value, se, tokens });
  }
  return out;
}

/** Imports lm-evaluation-harness results files; throws DataError listing every problem. */
export function importHarness(files: readonly SourceFile[], table: ModelsTable, options: HarnessOptions): ImportResult {
  const metric = options.metric ?? "acc";
  const p = new Problems();
  const notes: string[] = [];
  const skipped = new Set<string>();
  const scores = files.flatMap((f) => readFile(f, p.in(f.name), options, metric, skipped));
  if (skipped.size) {
    const list = [...skipped];
    notes.push(`skipped ${list.length} task(s): ${list.slice(0, 8).join(", ")}${list.length > 8 ? ", …" : ""}`);
  }
  // Several harness tasks mapped to one name: an unweighted mean (the files hold no instance counts).
  const groups = new Map<string, TaskScore[]>();
  for (const s of scores) {
    const task = options.taskMap?.get(s.task) ?? s.task;
    const key = JSON.stringify([s.file, task, s.model, s.shots]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const points: RawPoint[] = [];
  for (const [key, group] of groups) {
    const [file, task, model, shots] = JSON.parse(key) as [string, string, string, number];
    const k = group.length;
    const tokens = group.reduce((a, s) => a + s.tokens, 0) / k;
    const ses = group.map((s) => s.se);
    points.push({
      task, model, shots, n_pmt: (shots + 1) * tokens, score: group.reduce((a, s) => a + s.score, 0) / k, metric,
      score_uncertainty: ses.every((x) => x !== null) ? Math.sqrt(ses.reduce((a, x) => a + x! ** 2, 0)) / k : null,
      n_pmt_uncertainty_rel: null,
      source: `lm-evaluation-harness ${file}: ${k === 1 ? `results.${group[0]!.task}` : `mean of ${k} tasks`}.${metric}; n_pmt ≈ (shots + 1) × ${tokens} tokens (estimate)`,
      at: { file, row: null, field: jsonPath("results", group[0]!.task) },
      modelAt: { file, row: null, field: "config.model_args" },
    });
  }
  return finish(toObservations(points, table, p, notes), table, p, notes);
}
