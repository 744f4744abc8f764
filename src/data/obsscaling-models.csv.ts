// The public-compute experiment's models table (size, data, the study's 6·N·D FLOPs, family as
// base_model), imported at build time from the Observational Scaling Laws table (Ruan, Maddison,
// Hashimoto, NeurIPS 2024, arXiv 2405.10938; Apache-2.0); see obsscaling-observations.csv.ts.
import { locateExternal } from "../lib/node/import-files.js";
import { publicModelsData, NO_PUBLIC_TABLES } from "../lib/node/public-data.js";

process.stdout.write((publicModelsData(locateExternal()) ?? NO_PUBLIC_TABLES).modelsText);
