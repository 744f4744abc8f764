// `npm run snapshot -- [--note "what changed"] [--out DIR] [--allow-dirty] [--no-index]`
// (after `npm run build`, which the npm script runs first): copies dist/ into
// snapshots/<version>/ with a manifest.json listing every file's SHA-256 and the snapshot id
// derived from the whole manifest (metadata and file list), and records the snapshot in
// data/snapshots.json. Nothing is half-written: the folder is assembled under a temporary name
// and renamed at the end.
import { parseArgs } from "node:util";
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { listFiles, snapshotId, MANIFEST, type Manifest } from "../src/lib/node/manifest.js";
import { provenance } from "../src/lib/node/provenance.js";
import { writeFileAtomic } from "../src/lib/node/atomic.js";
import { KERNEL_PATH } from "../src/lib/node/load-kernel.js";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      note: { type: "string", default: "" },
      out: { type: "string", default: "snapshots" },
      "allow-dirty": { type: "boolean", default: false },
      "no-index": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`${(e as Error).message}\nusage: npm run snapshot -- [--note "what changed"] [--out DIR] [--allow-dirty] [--no-index] [--force]`);
}

if (!existsSync("dist/index.html")) fail("dist/index.html is missing: build the site first (`npm run snapshot` does)");
const prov = provenance("data/observations.csv", readFileSync("data/observations.csv", "utf8"), readFileSync(KERNEL_PATH));
if (prov.gitDirty && !args["allow-dirty"])
  fail("the working tree has uncommitted changes: a snapshot must be rebuildable from its commit. Commit first, or pass --allow-dirty for a throwaway snapshot.");

// The manifest states which version and commit the snapshot is, and verify checks that against
// the build info baked into the pages: a dist/ built from another commit (or before the tree
// was committed) would make a snapshot that contradicts itself, so refuse it here instead.
const buildInfoName = existsSync("dist/_file/data") ? readdirSync("dist/_file/data").find((n) => /^build-info\.[0-9a-f]+\.json$/.test(n)) : undefined;
if (!buildInfoName) fail("dist/_file/data/build-info.*.json is missing: build the site first (`npm run snapshot` does)");
const built = JSON.parse(readFileSync(join("dist/_file/data", buildInfoName), "utf8"));
for (const field of ["package", "version", "gitCommit", "gitDirty"] as const)
  if (built[field] !== prov[field])
    fail(`dist/ was built with ${field} ${JSON.stringify(built[field])}, this checkout has ${JSON.stringify(prov[field])}: rebuild the site (\`npm run snapshot\` builds first)`);

const dest = resolve(args.out, prov.version);
if (existsSync(dest) && !args.force) fail(`${dest} exists: a published snapshot is never overwritten. Bump the version in package.json, or pass --force for a throwaway one.`);
const tmp = `${dest}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
try {
  cpSync("dist", tmp, { recursive: true });
  rmSync(join(tmp, MANIFEST), { force: true }); // the build's placeholder
  const files = listFiles(tmp);
  const created = new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now()).toISOString();
  const body = { format: 1 as const, package: prov.package, version: prov.version, created, gitCommit: prov.gitCommit, gitDirty: prov.gitDirty, files };
  // The id covers the metadata too: the version and commit a reader cites are part of what it names.
  const manifest: Manifest = { ...body, ...snapshotId(body) };
  writeFileAtomic(join(tmp, MANIFEST), JSON.stringify(manifest, null, 1) + "\n");
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  if (!args["no-index"]) {
    const index = JSON.parse(readFileSync("data/snapshots.json", "utf8"));
    index.push({ version: manifest.version, created, id: manifest.id, files: files.length, commit: manifest.gitCommit, note: args.note || "(no note)" });
    writeFileAtomic("data/snapshots.json", JSON.stringify(index, null, 1) + "\n");
  }
  const mb = files.reduce((a, f) => a + f.bytes, 0) / 2 ** 20;
  console.log(`snapshot ${manifest.version}, id ${manifest.id}: ${files.length} files, ${mb.toFixed(1)} MiB, in ${dest}`);
  console.log(`verify it with: npm run verify -- ${dest} --id ${manifest.id}`);
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  throw err;
}
