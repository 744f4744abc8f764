// The public models' tables: the registry's data source "public-models" (src/lib/experiment-plan.ts).
// The build imports them from the Observational Scaling Laws study's table
// (src/lib/node/public-data.ts, src/data/obsscaling-*.csv.ts) and ships them in the site, so the
// page, the command line, the bake and `verify` read the same rows.
import type { Observation } from "./types.js";
import { parseObservationsCsv, parseModelsCsv, checkAgainstModels } from "./observations.js";

/** File names the build gives the imported tables (src/data/obsscaling-*.csv.ts), as rows and messages name them. */
export const PUBLIC_FILES = { observations: "obsscaling-observations.csv", models: "obsscaling-models.csv" } as const;

/**
 * The imported tables parsed and checked against each other, or null when they hold no rows:
 * the build ships header-only tables when the study's table was absent.
 */
export function parsePublicTables(observationsText: string, modelsText: string): Observation[] | null {
  if (observationsText.trim().split("\n").length < 2) return null;
  const observations = parseObservationsCsv(observationsText, PUBLIC_FILES.observations);
  checkAgainstModels(observations, parseModelsCsv(modelsText, PUBLIC_FILES.models), PUBLIC_FILES.observations, PUBLIC_FILES.models);
  return observations;
}
