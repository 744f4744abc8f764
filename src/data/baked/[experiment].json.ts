// Data loader (parameterized: Framework runs it once per file a page names, e.g.
// data/baked/in-distribution.json, with --experiment=in-distribution): the results of one
// experiment, computed at build time in Node with the same kernel the pages use (see
// src/lib/node/bake.ts), public-compute on the tables the site ships (src/data/obsscaling-*.csv.ts,
// from the same function). One file per experiment, so a page fetches only its own results.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { bakeExperiment, readRepoFile, BAKED_EXPERIMENTS } from "../../lib/node/bake.js";
import { loadKernel, KERNEL_PATH } from "../../lib/node/load-kernel.js";
import { locateExternal } from "../../lib/node/import-files.js";
import { publicModelsData, NO_PUBLIC_TABLES } from "../../lib/node/public-data.js";
import type { ExperimentId } from "../../lib/experiments.js";

const { experiment } = parseArgs({ options: { experiment: { type: "string" } } }).values;
if (!BAKED_EXPERIMENTS.includes(experiment as ExperimentId))
  throw new Error(`src/data/baked/[experiment].json.ts: no experiment "${experiment}"; the baked ones are ${BAKED_EXPERIMENTS.join(", ")} (a page names data/baked/<one of them>.json)`);
const kernel = await loadKernel();
const baked = bakeExperiment(kernel, readFileSync(KERNEL_PATH), experiment as ExperimentId, readRepoFile("data/observations.csv"), readRepoFile("data/models.csv"), publicModelsData(locateExternal()) ?? NO_PUBLIC_TABLES);
process.stdout.write(JSON.stringify(baked));
