// The public-compute experiment's observations, imported at build time from the Observational
// Scaling Laws table (Ruan, Maddison, Hashimoto, NeurIPS 2024, arXiv 2405.10938; Apache-2.0) in
// ../shared/external (src/lib/node/public-data.ts): every row's source field cites the study. The
// site ships it so that a snapshot holds the data its public-compute numbers come from. Without
// the table: the header only (the page then says the data are absent).
import { locateExternal } from "../lib/node/import-files.js";
import { publicModelsData, NO_PUBLIC_TABLES } from "../lib/node/public-data.js";

process.stdout.write((publicModelsData(locateExternal()) ?? NO_PUBLIC_TABLES).observationsText);
