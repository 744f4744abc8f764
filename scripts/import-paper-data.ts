// Regenerates data/observations.csv and data/models.csv from the study materials in
// ../shared/paper (the 120 points digitised from arXiv 2510.14919 Figs 2-7 and its Table 1).
// The copies live in data/ so the site and a snapshot never depend on ../shared; this script
// documents exactly how they were derived. Usage: tsx scripts/import-paper-data.ts [paperDir]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { csvParse, csvFormat } from "d3-dsv";
import { writeFileAtomic } from "../src/lib/node/atomic.js";

const paperDir = resolve(process.argv[2] ?? "../shared/paper");
const models = csvParse(readFileSync(resolve(paperDir, "models_table1.csv"), "utf8"));
const points = csvParse(readFileSync(resolve(paperDir, "observations_digitised.csv"), "utf8"));
const byModel = new Map(models.map((m) => [m.model!, m]));

const modelRows = models.map((m) => ({
  model: m.model,
  base_model: m.base_model,
  params_nonembed: m.params_nonembed,
  pretrain_tokens: Number(m.pretrain_tokens).toFixed(0),
  extension_tokens: m.extension_tokens,
  n_ctx: m.n_ctx,
  extension: m.extension,
  compute_flops: m.compute_flops,
  source: "arXiv:2510.14919 Table 1",
}));

const obsRows = points.map((p, i) => {
  const m = byModel.get(p.model!);
  if (!m) throw new Error(`${paperDir}/observations_digitised.csv row ${i + 2}: model ${p.model} is not in Table 1`);
  return {
    task: p.task,
    model: p.model,
    base_model: p.base_model,
    extension: p.extension,
    n_ctx: p.n_ctx,
    compute_flops: m.compute_flops,
    shots: p.shots,
    n_pmt: p.n_pmt,
    score: p.score,
    metric: p.metric,
    score_uncertainty: p.score_uncertainty,
    n_pmt_uncertainty_rel: "0.02",
    paper_role: p.paper_role === "held_out_above_10k" ? "held_out" : "fit",
    source: `arXiv:2510.14919 Fig. ${p.figure} (digitised)`,
  };
});

writeFileAtomic("data/models.csv", csvFormat(modelRows) + "\n");
writeFileAtomic("data/observations.csv", csvFormat(obsRows) + "\n");
console.log(`wrote data/models.csv (${modelRows.length} rows) and data/observations.csv (${obsRows.length} rows)`);
