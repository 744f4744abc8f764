// Node-only side of importing: turning the paths a user gives into (name, text) pairs for the
// environment-neutral importers of src/lib/import/, and finding and reading the other
// studies' published results for the "Beyond the paper" analysis.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Observation } from "../types.js";
import type { DataProblem } from "../observations.js";
import { ImportOptionError, type SourceFile } from "../import/index.js";
import { importBertsch } from "../import/bertsch.js";
import { importHelmet } from "../import/helmet.js";
import { importPythia } from "../import/pythia.js";
import { BERTSCH_MODELS, helmetModels, pythiaModels } from "../import/external-models.js";
import { EXTERNAL_STUDIES, type StudyId } from "../beyond.js";

/** Every file under `dir` (recursively, hidden entries and node_modules skipped), sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Reads the files named by `paths`: a file is read whatever its name (the importer says if it
 * is not what the format expects); a folder contributes the files under it that `picks`
 * accepts. Names keep the form the user gave (a folder's files are joined onto it), so the
 * messages point where the user looked. Throws ImportOptionError for a missing path or a
 * folder with nothing to import. When `misnamed` is given, every file in a folder that `picks`
 * refuses is added to it as a problem: a user who points at a folder expects all of it to be
 * read, and a file skipped without a word (a typo in its name, a copy renamed by hand) would
 * silently drop results.
 */
export function readSourceFiles(paths: readonly string[], picks: (name: string) => boolean, describe: string, misnamed?: DataProblem[], format?: string): SourceFile[] {
  // readFileSync's utf8 decoding keeps a byte-order mark and turns invalid bytes into U+FFFD,
  // so the importers' text check (checkText, and the observations parser for the project
  // format) can report both with their line.
  return sourcePaths(paths, picks, describe, misnamed, format).map((name) => ({ name, text: readFileSync(name, "utf8") }));
}

/** The files readSourceFiles would read, without reading them (for importers that stream). */
export function sourcePaths(paths: readonly string[], picks: (name: string) => boolean, describe: string, misnamed?: DataProblem[], format?: string): string[] {
  const names: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new ImportOptionError(`cannot read ${p}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      const all = walk(p);
      const found = all.filter(picks);
      if (found.length === 0) {
        // Name what is there: a folder of results whose names were all changed by hand would
        // otherwise look empty.
        const shown = all.slice(0, 5).map((name) => relative(p, name));
        const others = all.length === 0 ? "it holds no files at all" :
          `its ${all.length} file(s) (${shown.join(", ")}${all.length > shown.length ? ", …" : ""}) do not have such names; rename the ones that are results`;
        throw new ImportOptionError(`the folder ${p} holds no files to import (looked for ${describe}): ${others}`);
      }
      for (const name of all) {
        if (misnamed && !picks(name)) {
          misnamed.push({ file: name, row: null, field: "file name", found: `not a ${format ?? "result"} result file name`,
            expected: `${describe}; rename it, or move it out of ${p} if it is not a result file` });
        }
      }
      names.push(...found);
    } else names.push(p);
  }
  return [...new Set(names)];
}

// ---------------------------------------------------------------------------------------------
// The other studies' files

/** Environment variable naming the folder of the other studies' results. */
export const EXTERNAL_ENV = "CONTEXT_SCALING_EXTERNAL";

/** ../shared/external next to the repository (where /work/shared/external/README.md puts them). */
export const DEFAULT_EXTERNAL_DIR = fileURLToPath(new URL("../../../../shared/external", import.meta.url));

/** The external folder to use: the argument, else $CONTEXT_SCALING_EXTERNAL, else the default; null when it does not exist. */
export function locateExternal(explicit?: string): string | null {
  const dir = resolve(explicit ?? process.env[EXTERNAL_ENV] ?? DEFAULT_EXTERNAL_DIR);
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}

export interface ExternalData {
  study: StudyId;
  observations: Observation[];
  notes: string[];
  /** files read, for provenance */
  files: string[];
}

/**
 * Imports each study found under `dir` with its documented models table and estimates
 * (src/lib/import/external-models.ts). A study whose folder is absent is skipped; a study whose
 * files are malformed throws the importer's DataError, since silently analysing part of a
 * study would misreport it.
 */
export function loadExternal(dir: string): ExternalData[] {
  const out: ExternalData[] = [];
  for (const s of EXTERNAL_STUDIES) {
    const root = join(dir, s.folder);
    if (!existsSync(root)) continue;
    if (s.id === "bertsch2024") {
      const files = readSourceFiles([root], (n) => n.endsWith("combined_results.csv"), "combined_results.csv");
      const r = importBertsch(files, { models: [...BERTSCH_MODELS], file: "BERTSCH_MODELS (src/lib/import/external-models.ts)" });
      out.push({ study: s.id, ...r, files: files.map((f) => f.name) });
    } else if (s.id === "helmet") {
      const files = readSourceFiles([root], (n) => /agg_results_\d+k\.csv$/.test(n), "agg_results_<n>k.csv");
      const r = importHelmet(files, { models: helmetModels(files), file: "helmetModels(HELMET files)" });
      out.push({ study: s.id, ...r, files: files.map((f) => f.name) });
    } else {
      const csvDir = join(root, "evals", "csv");
      if (!existsSync(csvDir)) continue;
      const files = readSourceFiles([csvDir], (n) => n.endsWith(".csv"), "*.csv");
      const r = importPythia(files, { models: pythiaModels(), file: "pythiaModels() (src/lib/import/external-models.ts)" });
      out.push({ study: s.id, ...r, files: files.map((f) => f.name) });
    }
  }
  return out;
}
