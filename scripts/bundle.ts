// What scripts/bundle-vega.ts and scripts/bundle-editor.ts share: esbuild's settings for a vendor
// module of src/components/vendor/, the packages it took (for the file's header), and the write
// that leaves an unchanged file alone, so `npm run dev` is not told of a change that is none.
import { build, type BuildOptions } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/lib/node/atomic.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The installed version of `name`; asked first, so a missing node_modules is told what to do
 * where esbuild would say only that it cannot resolve an import. */
export function version(name: string): string {
  const file = join(ROOT, "node_modules", name, "package.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: install the dependencies first with \`npm ci\``);
  return JSON.parse(readFileSync(file, "utf8")).version;
}

export interface Bundled {
  code: string;
  /** every package esbuild took code from, sorted by name (a package of two versions, twice) */
  packages: { name: string; version: string }[];
  /** their licences, e.g. "BSD-3-Clause, ISC and MIT" */
  licences: string;
}

/** One minified ES module for browsers, from `entry` and everything it imports. */
export async function bundle(entry: Pick<BuildOptions, "stdin" | "entryPoints">): Promise<Bundled> {
  const result = await build({
    ...entry,
    absWorkingDir: ROOT,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  // Read from what esbuild took, so the header cannot drift from the code. The last node_modules
  // of a path is the package's own (a nested copy is a package of its own, with its version).
  // Only inputs with code in the output: a package imported but shaken out entirely is not in it.
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const taken = Object.keys(inputs).filter((f) => inputs[f].bytesInOutput > 0);
  const dirs = new Set(taken.flatMap((f) => f.match(/^(?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+/)?.[0] ?? []));
  const manifests = [...dirs].map((d) => JSON.parse(readFileSync(join(ROOT, d, "package.json"), "utf8")));
  const packages = [...new Map(manifests.map((m) => [`${m.name} ${m.version}`, { name: m.name, version: m.version }])).values()]
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const licences = [...new Set(manifests.map((m) => String(m.license)))].sort();
  return {
    code: result.outputFiles[0].text,
    packages,
    licences: licences.length > 1 ? `${licences.slice(0, -1).join(", ")} and ${licences.at(-1)}` : licences.join(""),
  };
}

/** Writes `code` to `file` unless it holds exactly that already. */
export function writeIfChanged(file: string, code: string): void {
  if (!existsSync(file) || readFileSync(file, "utf8") !== code) writeFileAtomic(file, code);
}
