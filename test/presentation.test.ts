// One presentation layer: the command line prints the table models of src/lib (format.ts,
// summary.ts) as text, the very models the pages draw as HTML (the browser tests compare the
// pages' cells with them), so "page = command line" holds by construction.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { ROOT } from "./helpers/fixtures.js";
import { paramsTableModel, splitsTableModel, comparisonsTableModel, textTable } from "../src/lib/format.js";
import { summaryTableModel, summaryPages } from "../src/lib/summary.js";
import { experimentPages } from "../src/lib/node/site-pages.js";
import { EXPERIMENTS } from "../src/lib/experiments.js";
import type { ExperimentResult } from "../src/lib/run.js";

const fit = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });

test("npm run fit prints every fit's parameters, errors and comparisons as the pages' table models", () => {
  const args = ["--experiment", "in-distribution,context-generalisation", "--task", "arithmetic", "--resamples", "20"];
  const text = fit(args);
  assert.equal(text.status, 0, text.stderr);
  const results: ExperimentResult[] = JSON.parse(fit([...args, "--json"]).stdout).results;
  for (const r of results) {
    for (const f of r.fits) {
      assert.ok(text.stdout.includes(textTable(paramsTableModel(f), "  ")), `${r.plan.experiment} ${f.label}: parameters`);
      assert.ok(text.stdout.includes(textTable(splitsTableModel(f), "  ")), `${r.plan.experiment} ${f.label}: splits`);
    }
    assert.ok(text.stdout.includes(textTable(comparisonsTableModel(r))), `${r.plan.experiment}: comparisons`);
  }
  // Only a run of every experiment ends with the home page's summary.
  assert.doesNotMatch(text.stdout, /== Summary/);
});

test("npm run fit (every experiment) ends with the home page's summary, from its table model", () => {
  const args = ["--task", "arithmetic", "--resamples", "0"];
  const text = fit(args);
  // Exit 0: compute-holdout's full law is refused on one compute level and its fixed-compute
  // form fitted, as its plan intends (intendsFallback): the plan working, not a refused fit.
  assert.equal(text.status, 0, text.stderr);
  assert.doesNotMatch(text.stderr, /refused/);
  const results: ExperimentResult[] = JSON.parse(fit([...args, "--json"]).stdout).results;
  const model = summaryTableModel(results, summaryPages(experimentPages()));
  assert.ok(text.stdout.includes(`== Summary: the paper's numbers and ours, as on the home page ==\n${textTable(model)}`));
  // A row per paper number, a headline row per experiment without one, a row per page with its own plan.
  assert.ok(model.rows.some((r) => r[0] === "Write your own ablation" && r[2] === "a plan written in its page: fitted there"));
  assert.ok(model.rows.some((r) => r[0] === "Compute generalisation" && r[3] === "not published" && r[4] === "not computable"));
});

test("text tables align as the pages do: right-aligned columns padded on the left", () => {
  const t = textTable({ columns: [{ label: "a" }, { label: "b" }, { label: "c", align: "right" }], rows: [["xx", "y", "1"], ["x", "yy", "22"]] });
  assert.equal(t, ["a   b    c", "--  --  --", "xx  y    1", "x   yy  22"].join("\n"));
});
