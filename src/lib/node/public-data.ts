// The public-compute experiment's data: the Observational Scaling Laws table (Ruan, Maddison,
// Hashimoto, NeurIPS 2024, arXiv 2405.10938; ryoungj/ObsScaling, Apache-2.0), read in place from
// the external folder and imported into the project's two tables (observations, models). The
// command line, the build (which ships both tables in the site, so a snapshot holds the data its
// numbers come from) and `npm run verify` all run the experiment on these tables as text.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { importObsScaling } from "../import/obsscaling.js";
import { serializeObservationsCsv, serializeModelsCsv } from "../observations.js";
import { sha256 } from "./provenance.js";

/** The table's path inside the external folder; also the name the imported rows cite. */
export const OBSSCALING_FILE = "obsscaling/base_llm_benchmark_eval.csv";

export interface PublicTables {
  observationsText: string;
  modelsText: string;
}

export interface PublicComputeData extends PublicTables {
  /** SHA-256 of the study's table as read */
  sourceSha256: string;
  /** models left out because the study gives no FLOPs for them */
  withoutFlops: string[];
}

/** Header-only tables: what the build ships when the study's table is absent (no public-compute results). */
export const NO_PUBLIC_TABLES: PublicTables = { observationsText: serializeObservationsCsv([]), modelsText: serializeModelsCsv([]) };

/** Where the table comes from, for messages when it is absent. */
export const OBSSCALING_ORIGIN = "eval_results/base_llm_benchmark_eval.csv of github.com/ryoungj/ObsScaling (commit 4d6e1e43, Apache-2.0)";

/**
 * The imported tables, or null when `dir` (the external folder) is null or lacks the file.
 * `read` reads the file as text (the command line passes its strict UTF-8 reader).
 */
export function publicModelsData(dir: string | null, read: (path: string) => string = (p) => readFileSync(p, "utf8")): PublicComputeData | null {
  const path = dir ? join(dir, OBSSCALING_FILE) : null;
  if (!path || !existsSync(path)) return null;
  const text = read(path);
  const imported = importObsScaling({ name: OBSSCALING_FILE, text });
  return {
    observationsText: serializeObservationsCsv(imported.observations),
    modelsText: serializeModelsCsv(imported.models),
    sourceSha256: sha256(text),
    withoutFlops: imported.withoutFlops,
  };
}
