// `npm run verify -- <snapshot folder>`: checks that a snapshot is what its manifest says and
// that its baked numbers are reproduced. (1) Every file's SHA-256 and size against manifest.json,
// no file missing or added, and the snapshot id recomputed from the list. (2) Every experiment
// rerun in Node with the snapshot's own kernel.wasm and data, compared number by number with
// the results baked into it. Exit 0 when all holds; 1 naming the first file or number that
// differs; 2 for a folder that is not a snapshot.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { listFiles, snapshotId, MANIFEST, type Manifest } from "../src/lib/node/manifest.js";
import { Kernel } from "../src/lib/kernel.js";
import { bake } from "../src/lib/node/bake.js";
import { firstDifference } from "../src/lib/diff.js";
import { sha256 } from "../src/lib/node/provenance.js";
import { execFileSync } from "node:child_process";

const dir = process.argv[2];
const usage = "usage: npm run verify -- <snapshot folder, e.g. snapshots/0.1.0>";
if (!dir) {
  console.error(`error: no snapshot folder given\n${usage}`);
  process.exit(2);
}
const manifestPath = join(dir, MANIFEST);
if (!existsSync(manifestPath)) {
  console.error(`error: ${manifestPath} is missing: ${dir} is not a snapshot made by \`npm run snapshot\`\n${usage}`);
  process.exit(2);
}
let manifest: Manifest;
try {
  manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.format !== 1 || !Array.isArray(manifest.files) || typeof manifest.id !== "string") throw new Error("not a format-1 manifest");
} catch (e) {
  console.error(`error: ${manifestPath} is not a valid snapshot manifest (${(e as Error).message})`);
  process.exit(2);
}

const failures: string[] = [];
console.log(`snapshot ${manifest.version}, id ${manifest.id}, made ${manifest.created} from commit ${manifest.gitCommit ?? "unknown"}`);

// 1. files
const actual = listFiles(dir);
const byPath = new Map(actual.map((f) => [f.path, f]));
for (const f of manifest.files) {
  const a = byPath.get(f.path);
  if (!a) failures.push(`file ${f.path}: listed in the manifest but missing`);
  else if (a.sha256 !== f.sha256 || a.bytes !== f.bytes) failures.push(`file ${f.path}: SHA-256 ${a.sha256} (${a.bytes} bytes), manifest says ${f.sha256} (${f.bytes} bytes)`);
}
const listed = new Set(manifest.files.map((f) => f.path));
for (const a of actual) if (!listed.has(a.path)) failures.push(`file ${a.path}: present but not in the manifest`);
const { id, idSha256 } = snapshotId(manifest.files);
if (id !== manifest.id || idSha256 !== manifest.idSha256) failures.push(`manifest: the file list gives id ${id}, the manifest says ${manifest.id}`);
console.log(failures.length ? `files: ${failures.length} problem(s)` : `files: all ${manifest.files.length} match their SHA-256, none missing or added, id recomputed`);

// 2. numbers
function one(pattern: RegExp, sub: string): string {
  const folder = join(dir, sub);
  const hits = existsSync(folder) ? readdirSync(folder).filter((n) => pattern.test(n)) : [];
  if (hits.length !== 1) throw new Error(`expected one ${pattern} under ${sub}, found ${hits.length}`);
  return join(folder, hits[0]);
}
try {
  const bakedPath = one(/^baked\.[0-9a-f]+\.json$/, "_file/data");
  const observationsText = readFileSync(one(/^observations\.[0-9a-f]+\.csv$/, "_file/data"), "utf8");
  const modelsText = readFileSync(one(/^models\.[0-9a-f]+\.csv$/, "_file/data"), "utf8");
  const kernelBytes = readFileSync(one(/^kernel\.[0-9a-f]+\.wasm$/, "_file/lib/wasm"));
  const baked = JSON.parse(readFileSync(bakedPath, "utf8"));
  if (baked.dataSha256 !== sha256(observationsText)) failures.push(`${bakedPath}: baked from data with SHA-256 ${baked.dataSha256}, the snapshot's data has ${sha256(observationsText)}`);
  if (baked.kernelSha256 !== sha256(kernelBytes)) failures.push(`${bakedPath}: baked with kernel SHA-256 ${baked.kernelSha256}, the snapshot's kernel has ${sha256(kernelBytes)}`);
  const here = (() => {
    try {
      return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return null;
    }
  })();
  if (manifest.gitCommit && here && here !== manifest.gitCommit)
    console.log(`note: this checkout is commit ${here}; the snapshot was made from ${manifest.gitCommit}. The rerun uses this checkout's library with the snapshot's kernel and data: check out ${manifest.gitCommit} to verify with the snapshot's own code.`);
  const kernel = await Kernel.load(kernelBytes);
  const rerun = bake(kernel, kernelBytes, observationsText, modelsText);
  let count = 0;
  let numberProblem: string | null = null;
  for (const [experiment, tasks] of Object.entries<Record<string, unknown>>(baked.results)) {
    for (const [task, result] of Object.entries(tasks)) {
      count++;
      numberProblem ??= firstDifference(result, rerun.results[experiment]?.[task], `${experiment} · ${task}`, "rerun");
    }
  }
  const missing = Object.keys(rerun.results).filter((e) => !(e in baked.results));
  if (missing.length) numberProblem ??= `baked results lack experiment(s) ${missing.join(", ")}`;
  if (numberProblem) failures.push(`number ${numberProblem} (${bakedPath})`);
  else console.log(`numbers: all ${count} experiment results rerun in Node with the snapshot's kernel and data: identical to the baked ones`);
} catch (e) {
  failures.push(`numbers: ${(e as Error).message}`);
}

if (failures.length) {
  console.log(`FAILED: ${failures[0]}`);
  for (const f of failures.slice(1, 20)) console.log(`  also: ${f}`);
  if (failures.length > 20) console.log(`  … and ${failures.length - 20} more`);
  process.exitCode = 1;
} else console.log(`OK: snapshot ${manifest.version} (${manifest.id}) verifies`);
