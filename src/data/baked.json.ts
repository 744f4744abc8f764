// Data loader: the results of every experiment, computed at build time in Node with the same
// kernel the pages use (see src/lib/node/bake.ts), public-compute on the tables the site ships
// (src/data/obsscaling-*.csv.ts, from the same function).
import { readFileSync } from "node:fs";
import { bake, readRepoFile } from "../lib/node/bake.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import { locateExternal } from "../lib/node/import-files.js";
import { publicComputeData, NO_PUBLIC_TABLES } from "../lib/node/public-data.js";

const kernel = await loadKernel();
const baked = bake(kernel, readFileSync(KERNEL_PATH), readRepoFile("data/observations.csv"), readRepoFile("data/models.csv"), publicComputeData(locateExternal()) ?? NO_PUBLIC_TABLES);
process.stdout.write(JSON.stringify(baked));
