// Which dataset counts toward which task. The paper fits one law per task family (arithmetic,
// common sense, translation), each pooling several datasets; the default table is its grouping
// (paper README, "Evaluation protocol"), keyed by the dataset names of its evaluation configs
// (configs/eval/dataset/*.yaml in wang-research-lab/context-scaling). A user can replace it
// with a two-column CSV (dataset,task), e.g. to fit GSM8K alone or to add a dataset.
import { readCsv } from "./csv-table.js";
import type { Problems } from "./problems.js";

export type TaskMap = ReadonlyMap<string, string>;

export const STUDY_TASK_MAP: TaskMap = new Map([
  ["gsm", "arithmetic"], ["math", "arithmetic"], ["aqua-rat", "arithmetic"], ["deepmind-math", "arithmetic"],
  ["piqa", "common_sense"], ["siqa", "common_sense"], ["openbookqa", "common_sense"], ["hellaswag", "common_sense"],
  ["winogrande", "common_sense"], ["arc-easy", "common_sense"], ["arc-challenge", "common_sense"], ["commonsenseqa", "common_sense"],
  ["wmt14-cs-en", "translation"], ["wmt14-de-en", "translation"], ["wmt14-fr-en", "translation"], ["wmt14-hi-en", "translation"],
  ["wmt14-ru-en", "translation"],
]);

export const TASK_MAP_COLUMNS = ["dataset", "task"] as const;

/** Reads a dataset → task table (columns dataset,task); problems go to `p`. */
export function parseTaskMapCsv(text: string, file: string, p: Problems): Map<string, string> {
  const fp = p.in(file);
  const rows = readCsv(text, fp, { what: "a task map", columns: TASK_MAP_COLUMNS });
  const map = new Map<string, string>();
  const firstLine = new Map<string, number>();
  for (const { line, cells } of rows) {
    let ok = true;
    for (const c of TASK_MAP_COLUMNS) {
      const v = cells[c]!;
      if (v === "" || v.trim() !== v) {
        fp.add(line, c, JSON.stringify(v), "a non-empty name without spaces at the start or end");
        ok = false;
      }
    }
    if (!ok) continue;
    const before = firstLine.get(cells.dataset!);
    if (before !== undefined) {
      fp.add(line, "dataset", `${JSON.stringify(cells.dataset)}, already mapped on row ${before}`, "each dataset once");
      continue;
    }
    firstLine.set(cells.dataset!, line);
    map.set(cells.dataset!, cells.task!);
  }
  return map;
}

/** The table as CSV text, to start a custom one from the default. */
export function serializeTaskMap(map: TaskMap): string {
  return ["dataset,task", ...[...map].map(([d, t]) => `${d},${t}`)].join("\n") + "\n";
}
