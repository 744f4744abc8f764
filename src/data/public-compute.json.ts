// The public-compute experiment at build time: the same runPublicCompute call, defaults and
// input file as `npm run fit -- --experiment public-compute`, on the Observational Scaling Laws
// table (Ruan, Maddison, Hashimoto, NeurIPS 2024, arXiv 2405.10938; Apache-2.0) read in place
// from ../shared/external (or $CONTEXT_SCALING_EXTERNAL). Without the folder the output says
// so, and where to get the file, and nothing else. Deterministic: fixed seed, no clock.
import { sha256 } from "../lib/node/provenance.js";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { locateExternal } from "../lib/node/import-files.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import { importObsScaling } from "../lib/import/obsscaling.js";
import { runPublicCompute, PUBLIC_COMPUTE_DEFAULTS } from "../lib/public-compute.js";

const FILE = "obsscaling/base_llm_benchmark_eval.csv";

const dir = locateExternal();
const path = dir ? resolve(dir, FILE) : null;
if (!path || !existsSync(path)) {
  process.stdout.write(JSON.stringify({
    available: false,
    message: `The Observational Scaling Laws table (${FILE}) was not found in ../shared/external at build time. ` +
      "It is eval_results/base_llm_benchmark_eval.csv of github.com/ryoungj/ObsScaling (commit 4d6e1e43, Apache-2.0); " +
      "put it there (or set $CONTEXT_SCALING_EXTERNAL) and rebuild.",
  }));
} else {
  const text = readFileSync(path, "utf8");
  const imported = importObsScaling({ name: FILE, text });
  const kernel = await loadKernel();
  const result = runPublicCompute(kernel, imported.observations, imported.families, PUBLIC_COMPUTE_DEFAULTS);
  process.stdout.write(JSON.stringify({
    available: true, file: FILE, data_sha256: sha256(text), kernel_sha256: sha256(readFileSync(KERNEL_PATH)),
    models_with_flops: imported.models.length, models_without_flops: imported.withoutFlops, result,
  }));
}
