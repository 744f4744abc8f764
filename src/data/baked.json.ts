// Data loader: the results of every experiment, computed at build time in Node with the same
// kernel the pages use (see src/lib/node/bake.ts).
import { readFileSync } from "node:fs";
import { bake, readRepoFile } from "../lib/node/bake.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";

const kernel = await loadKernel();
const baked = bake(kernel, readFileSync(KERNEL_PATH), readRepoFile("data/observations.csv"), readRepoFile("data/models.csv"));
process.stdout.write(JSON.stringify(baked));
