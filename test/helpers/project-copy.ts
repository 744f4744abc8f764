// A copy of the project in a temporary folder, for tests that change the project itself (a page
// added, an experiment added to the registry): the working tree is never touched, so other test
// files can run meanwhile. src/ and scripts/ are copied with their times kept, and so are the
// site's configuration, package.json and tsconfig.json; data/ and node_modules/ are linked.
// Commands run in it read the other studies' files where this checkout finds them (they are
// not beside a temporary folder): `env` says where.
import { cpSync, symlinkSync } from "node:fs";
import { tempDir } from "./temp-dir.js";
import { join } from "node:path";
import { ROOT } from "./fixtures.js";
import { locateExternal, EXTERNAL_ENV } from "../../src/lib/node/import-files.js";

export interface ProjectCopy {
  dir: string;
  /** the environment for commands run in the copy */
  env: NodeJS.ProcessEnv;
}

/**
 * `loaderCache`: keep src/.observablehq (the main build's loader outputs, so a build in the copy
 * reuses them as it would in place); without it the copy is the sources alone.
 */
export function projectCopy(prefix: string, { loaderCache = false } = {}): ProjectCopy {
  const dir = tempDir(prefix);
  for (const d of ["src", "scripts"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true, preserveTimestamps: true, filter: (p) => loaderCache || !p.includes(".observablehq") });
  for (const f of ["observablehq.config.js", "package.json", "tsconfig.json"]) cpSync(join(ROOT, f), join(dir, f), { preserveTimestamps: true });
  for (const l of ["data", "node_modules"]) symlinkSync(join(ROOT, l), join(dir, l));
  const external = locateExternal();
  return { dir, env: { ...process.env, ...(external ? { [EXTERNAL_ENV]: external } : {}) } };
}
