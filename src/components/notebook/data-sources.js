// The data an experiment of the registry runs on, by its data source (src/lib/experiment-plan.ts
// DataSource): the bundled tables, or the public models' tables the build imports from the
// Observational Scaling Laws study (empty when the build did not have it). For each: the texts
// the fit worker holds, the rows as the library parses them, the tables' names in DuckDB, their
// files and SHA-256 hashes (of the bytes this browser received) for the provenance block.
import { FileAttachment } from "observablehq:stdlib";
import { parseObservationsCsv, parsePublicTables, PUBLIC_FILES } from "../lib.js";
import { siteData, sha256 } from "./site-data.js";

const decoder = new TextDecoder();
const bytes = (buffer) => new Uint8Array(buffer);

const LOADERS = {
  async bundled() {
    const d = await siteData();
    return {
      source: "bundled",
      observationsText: d.observationsText,
      modelsText: d.modelsText,
      observations: parseObservationsCsv(d.observationsText, "data/observations.csv"),
      files: { observations: "data/observations.csv", models: "data/models.csv" },
      tables: { observations: "observations", models: "models" },
      hashes: { observations: d.hashes.observations, models: d.hashes.models },
    };
  },
  async "public-models"() {
    // Each FileAttachment named literally and its method called in place: Framework infers an
    // unnamed method from the extension, and for .csv that pulls d3-dsv from a CDN.
    const [observationsBytes, modelsBytes] = await Promise.all([
      FileAttachment("../../data/obsscaling-observations.csv").arrayBuffer().then(bytes),
      FileAttachment("../../data/obsscaling-models.csv").arrayBuffer().then(bytes),
    ]);
    const observationsText = decoder.decode(observationsBytes);
    const modelsText = decoder.decode(modelsBytes);
    const [observations, models] = await Promise.all([sha256(observationsBytes), sha256(modelsBytes)]);
    return {
      source: "public-models",
      observationsText,
      observationsBytes,
      modelsText,
      modelsBytes,
      // Header-only tables when the build had no study table: no rows, and the pages say so.
      observations: parsePublicTables(observationsText, modelsText) ?? [],
      files: { observations: PUBLIC_FILES.observations, models: PUBLIC_FILES.models },
      tables: { observations: "public_observations", models: "public_models" },
      hashes: { observations, models },
    };
  },
};

const loaded = new Map();

/** The data of one source, loaded once per page. */
export function sourceData(source) {
  if (!LOADERS[source]) throw new Error(`unknown data source "${source}"; known: ${Object.keys(LOADERS).join(", ")}`);
  if (!loaded.has(source)) loaded.set(source, LOADERS[source]());
  return loaded.get(source);
}
