// `npm run verify -- <snapshot folder> [--id <cited id>]`: checks that a snapshot is the one a
// citation names, that it is what its manifest says, and that its baked numbers are reproduced.
// (1) The folder holds only plain files (no links, special files or empty folders); every
// file's SHA-256 and size match manifest.json, none missing or added. (2) The id recomputed
// from the whole manifest (version, commit, creation time, dirty flag, file list) equals the
// manifest's and, with --id, the cited one: a snapshot whose files were changed and whose
// manifest was rewritten to match gets a new id, which then differs from the cited one. (3) The
// build info baked into the site agrees with the manifest. (4) Every experiment × task the
// snapshot's own data and the library's experiments define is rerun in Node with the
// snapshot's kernel.wasm and data (those of the public models, on the tables the snapshot ships)
// and compared number by number with its baked results (one file per experiment, each with
// the hashes of the data and kernel it was baked from); only when (1) and (2) hold, since a
// folder that is not the snapshot it claims to be has failed already. (5) Every page is run
// afresh in Chromium and what it shows must be, byte for byte, the static outputs written into
// its HTML and _static/ at build time (src/lib/node/static-capture.ts); only when (1), (2) and (4)
// hold, and with Chromium (--no-static skips it and says so).
// Exit codes (also in --help and README): 0 verifies; 1 does not verify (one line per problem);
// 2 bad input: no folder, unknown option, a malformed --id, or a manifest that is missing,
// not JSON or malformed. No stack traces: every failure is a line naming the file or field.
import { existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { execFileSync } from "node:child_process";
import { scanTree, snapshotId, manifestProblems, MANIFEST, type Manifest, type ManifestFile } from "../src/lib/node/manifest.js";
import { Kernel } from "../src/lib/kernel.js";
import { bake } from "../src/lib/node/bake.js";
import { PUBLIC_EXPERIMENTS } from "../src/lib/experiments.js";
import { firstDifference } from "../src/lib/diff.js";
import { sha256 } from "../src/lib/node/provenance.js";
import { CHROMIUM_PATH } from "../src/lib/node/chromium.js";
import { staticProblems } from "../src/lib/node/static-capture.js";

const DOES_NOT_VERIFY = 1;
const BAD_INPUT = 2;
const usage = "usage: npm run verify -- <snapshot folder, e.g. snapshots/0.1.0> [--id <the snapshot id you cite>] [--no-static]";
const help = `${usage}

Checks that a snapshot made by \`npm run snapshot\` is unchanged and still reproduces:
  - the folder holds only plain files (no symbolic links, special files or empty folders);
  - every file's SHA-256 and size match manifest.json, none missing or added;
  - the snapshot id, the SHA-256 of the whole canonical manifest (version, commit, creation
    time, dirty flag and every file's path, size and SHA-256), matches the manifest's id and,
    with --id, the id you cite (16 hex digits as pages show it, or all 64);
  - the build info baked into the site agrees with the manifest (version, commit);
  - every experiment x task of the registry (the public models' experiments on the imported
    public-model tables the snapshot ships) is rerun in Node with the snapshot's own kernel and data and compared
    number by number with the results baked into it (one file per experiment, each checked
    against the snapshot's data and kernel); missing or extra results are named. The numbers
    are rerun only when the files and id hold: a folder that is not the snapshot it claims
    to be has failed already;
  - every page, run afresh in Chromium, shows exactly the static outputs written into its HTML
    (what a reader without JavaScript reads) and the figure files beside it. Needs Debian's
    chromium and takes about a minute; --no-static skips it (and says so).
Without --id the snapshot is checked for internal consistency only: a snapshot rewritten as a
whole (files and manifest) is consistent too, so pass the id from the citation.

Exit codes:
  0  the snapshot verifies (and is the cited one, with --id)
  1  it does not verify: one line per problem, the first after "FAILED:"
  2  bad input: no folder, an unknown option, a malformed --id, or a manifest.json that is
     missing, not JSON or malformed (one line per problem)`;

// Anything not foreseen below (an unreadable file, say) is still one line, not a stack trace:
// the snapshot could not be shown to verify, so exit 1.
const unforeseen = (e: unknown) => {
  console.log(`FAILED: verify could not finish: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(DOES_NOT_VERIFY);
};
process.on("uncaughtException", unforeseen);
process.on("unhandledRejection", unforeseen);

function badInput(lines: string[]): never {
  for (const l of lines) console.error(`error: ${l}`);
  console.error(usage);
  process.exit(BAD_INPUT);
}

let dir: string;
let cited: string | undefined;
let checkStatic = true;
try {
  const parsed = parseArgs({ options: { id: { type: "string" }, "no-static": { type: "boolean" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  checkStatic = !parsed.values["no-static"];
  if (parsed.values.help) {
    console.log(help);
    process.exit(0);
  }
  if (parsed.positionals.length === 0) badInput(["no snapshot folder given"]);
  if (parsed.positionals.length > 1) badInput([`one snapshot folder at a time, got ${parsed.positionals.length}: ${parsed.positionals.join(", ")}`]);
  dir = parsed.positionals[0];
  cited = parsed.values.id;
} catch (e) {
  badInput([(e as Error).message.split("\n")[0]]);
}
if (cited !== undefined) {
  cited = cited.trim().toLowerCase();
  if (!/^[0-9a-f]{16}$|^[0-9a-f]{64}$/.test(cited)) badInput([`--id ${JSON.stringify(cited)}: a snapshot id is 16 hex digits (as pages and CITATION.cff show it) or 64 (idSha256)`]);
}

const manifestPath = join(dir, MANIFEST);
if (!existsSync(dir) || !lstatSync(dir).isDirectory()) badInput([`${dir} is not a folder`]);
const manifestStat = lstatExists(manifestPath) ? lstatSync(manifestPath) : null;
if (!manifestStat) badInput([`${manifestPath} is missing: ${dir} is not a snapshot made by \`npm run snapshot\``]);
if (!manifestStat.isFile()) badInput([`${manifestPath} is not a plain file (a link, folder or special file): a snapshot's manifest is a plain JSON file`]);

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(manifestPath, "utf8"));
} catch (e) {
  badInput([`${manifestPath} is not JSON (${(e as Error).message}): restore it from the published snapshot`]);
}
const shapeProblems = manifestProblems(raw, manifestPath);
if (shapeProblems.length) badInput([...shapeProblems, `${manifestPath} is malformed (${shapeProblems.length} problem(s) above): restore it from the published snapshot`]);
const manifest = raw as Manifest;

// Failures in the order a reader needs them: whether this is the cited snapshot comes first.
const failures: string[] = [];
console.log(`snapshot ${manifest.version}, id ${manifest.id}, made ${manifest.created} from commit ${manifest.gitCommit ?? "unknown"}`);

// 1. the folder: plain files only, each as the manifest lists it
const tree = scanTree(dir);
for (const p of tree.problems) failures.push(`not plain files: ${p}`);
const byPath = new Map(tree.files.map((f) => [f.path, f]));
for (const f of manifest.files) {
  const a = byPath.get(f.path);
  if (!a) {
    if (!tree.problems.some((p) => p.startsWith(`${f.path}:`))) failures.push(`file ${f.path}: listed in the manifest but missing`);
  } else if (a.sha256 !== f.sha256 || a.bytes !== f.bytes) failures.push(`file ${f.path}: SHA-256 ${a.sha256} (${a.bytes} bytes), manifest says ${f.sha256} (${f.bytes} bytes)`);
}
const listed = new Set(manifest.files.map((f: ManifestFile) => f.path));
for (const a of tree.files) if (!listed.has(a.path)) failures.push(`file ${a.path}: present but not in the manifest`);

// 2. the id, over the whole manifest
const { id, idSha256 } = snapshotId(manifest);
if (id !== manifest.id || idSha256 !== manifest.idSha256)
  failures.push(`${MANIFEST}: its contents give id ${id}, the manifest says ${manifest.id}: it was edited after the snapshot was made`);
const filesOk = failures.length === 0;
console.log(filesOk ? `files: all ${manifest.files.length} match their SHA-256, none missing or added, id ${id} recomputed from the manifest` : `files: ${failures.length} problem(s)`);
const citedOk = cited === undefined || (cited.length === 16 ? cited === id : cited === idSha256);
if (cited !== undefined) {
  if (!citedOk) failures.unshift(`snapshot id: this folder's manifest gives id ${cited.length === 16 ? id : idSha256}, the cited id is ${cited}: it is not the snapshot the citation names`);
  else console.log(`id: ${cited} is the cited id`);
}

// The numbers are rerun only for a folder that is the snapshot it claims to be (and the cited
// one, with --id): a rerun takes seconds, and on files that are not the manifest's it could
// only add detail to a verdict already reached. The build info (3) is still checked.
// 3 and 4 read the snapshot's files by name; a folder with links or special files is not read
// further (a FIFO can block a read, a link can lead outside the snapshot).
function one(pattern: RegExp, sub: string): string {
  const hits = tree.files.filter((f) => f.path.startsWith(`${sub}/`) && !f.path.slice(sub.length + 1).includes("/") && pattern.test(f.path.slice(sub.length + 1)));
  if (hits.length !== 1) throw new Error(`expected one file matching ${pattern} in ${sub}/, found ${hits.length}`);
  return join(dir, hits[0].path);
}
function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path} is not JSON (${(e as Error).message})`);
  }
}
if (tree.problems.length) failures.push("numbers: not rerun, the folder is not plain files");
else {
  // 3. build info baked into the pages against the manifest
  try {
    const buildPath = one(/^build-info\.[0-9a-f]+\.json$/, "_file/data");
    const build = readJson(buildPath);
    for (const [field, manifestField] of [["package", "package"], ["version", "version"], ["gitCommit", "gitCommit"], ["gitDirty", "gitDirty"]] as const)
      if (build?.[field] !== manifest[manifestField])
        failures.push(`${buildPath}: ${field} ${JSON.stringify(build?.[field])}, the manifest says ${manifestField} ${JSON.stringify(manifest[manifestField])}`);
  } catch (e) {
    failures.push(`build info: ${(e as Error).message}`);
  }
  // 4. numbers
  if (!filesOk || !citedOk) failures.push(`numbers: not rerun, the folder is not ${filesOk ? "the cited snapshot" : "what its manifest lists"} (see above)`);
  else try {
    // One results file per experiment (src/data/baked/[experiment].json.ts): each is checked
    // against the snapshot's data and kernel, and together they must hold every result.
    const bakedPaths = tree.files.map((f) => f.path).filter((p) => /^_file\/data\/baked\/[a-z0-9-]+\.[0-9a-f]+\.json$/.test(p)).map((p) => join(dir, p));
    if (bakedPaths.length === 0) throw new Error("no results files (_file/data/baked/<experiment>.<hash>.json) in the snapshot");
    const observationsText = readFileSync(one(/^observations\.[0-9a-f]+\.csv$/, "_file/data"), "utf8");
    const modelsText = readFileSync(one(/^models\.[0-9a-f]+\.csv$/, "_file/data"), "utf8");
    const kernelBytes = readFileSync(one(/^kernel\.[0-9a-f]+\.wasm$/, "_file/lib/wasm"));
    // The public models' tables, imported from the Observational Scaling Laws table at build time
    // (the data source of the registry's experiments on other data than the bundled tables)
    const publicTables = {
      observationsText: readFileSync(one(/^obsscaling-observations\.[0-9a-f]+\.csv$/, "_file/data"), "utf8"),
      modelsText: readFileSync(one(/^obsscaling-models\.[0-9a-f]+\.csv$/, "_file/data"), "utf8"),
    };
    const baked: { results: Record<string, Record<string, unknown>> } = { results: {} };
    /** experiment → the file its results are in, for messages */
    const fileOf = new Map<string, string>();
    for (const bakedPath of bakedPaths) {
      const file = readJson(bakedPath);
      if (file === null || typeof file !== "object" || file.results === null || typeof file.results !== "object") throw new Error(`${bakedPath} has no "results" object`);
      if (file.dataSha256 !== sha256(observationsText)) failures.push(`${bakedPath}: baked from data with SHA-256 ${file.dataSha256}, the snapshot's data has ${sha256(observationsText)}`);
      if (file.modelsSha256 !== sha256(modelsText)) failures.push(`${bakedPath}: baked from a models table with SHA-256 ${file.modelsSha256}, the snapshot's has ${sha256(modelsText)}`);
      if (file.publicObservationsSha256 !== sha256(publicTables.observationsText)) failures.push(`${bakedPath}: baked from the public models' observations with SHA-256 ${file.publicObservationsSha256}, the snapshot's have ${sha256(publicTables.observationsText)}`);
      if (file.publicModelsSha256 !== sha256(publicTables.modelsText)) failures.push(`${bakedPath}: baked from a public models' table with SHA-256 ${file.publicModelsSha256}, the snapshot's has ${sha256(publicTables.modelsText)}`);
      if (file.kernelSha256 !== sha256(kernelBytes)) failures.push(`${bakedPath}: baked with kernel SHA-256 ${file.kernelSha256}, the snapshot's kernel has ${sha256(kernelBytes)}`);
      const named = basename(bakedPath).split(".")[0];
      for (const [experiment, tasks] of Object.entries<Record<string, unknown>>(file.results)) {
        if (experiment !== named) failures.push(`${bakedPath}: holds results of ${experiment}; a results file holds only the experiment it is named after`);
        else if (fileOf.has(experiment)) failures.push(`${bakedPath}: results of ${experiment} again (already in ${fileOf.get(experiment)})`);
        else {
          fileOf.set(experiment, bakedPath);
          baked.results[experiment] = tasks;
        }
      }
    }
    const where = (p: string) => fileOf.get(p.split(" · ")[0]) ?? `${dir}/_file/data/baked/`;
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
    // The expected set is what the snapshot's own data and the library's experiments define,
    // not what the baked file happens to hold: a removed task is then a missing result.
    const rerun = bake(kernel, kernelBytes, observationsText, modelsText, publicTables);
    const pairs = (r: Record<string, unknown>) =>
      Object.entries(r).flatMap(([e, tasks]) => (tasks && typeof tasks === "object" ? Object.keys(tasks).map((t) => `${e} · ${t}`) : [`${e} · (not a task → result object)`]));
    const expected = new Set(pairs(rerun.results));
    const present = new Set(pairs(baked.results));
    const missing = [...expected].filter((p) => !present.has(p));
    const extra = [...present].filter((p) => !expected.has(p));
    for (const p of missing) failures.push(`number ${p}: missing from the baked results (${where(p)})`);
    for (const p of extra) failures.push(`number ${p}: in the baked results but not an experiment × task of this snapshot's data (${where(p)})`);
    let count = 0;
    let numberProblem: string | null = null;
    for (const [experiment, tasks] of Object.entries<Record<string, unknown>>(rerun.results))
      for (const [task, result] of Object.entries(tasks)) {
        const b = baked.results[experiment]?.[task];
        if (b === undefined) continue;
        count++;
        if (numberProblem === null) {
          const d = firstDifference(b, result, `${experiment} · ${task}`, "rerun");
          if (d !== null) numberProblem = `${d} (${fileOf.get(experiment)})`;
        }
      }
    if (numberProblem) failures.push(`number ${numberProblem}`);
    else if (!missing.length && !extra.length) {
      // The experiments on the public models' tables, said apart: they have results only when the
      // build had the study's table.
      const notes = PUBLIC_EXPERIMENTS.map((e) => {
        const tasks = Object.keys(rerun.results[e] ?? {});
        return tasks.length ? `among them ${e} × ${tasks.join(", ")}, on the public-model tables the snapshot ships` : `no ${e} results: the snapshot was built without the public-model table`;
      });
      console.log(`numbers: all ${count} experiment results rerun in Node with the snapshot's kernel and data: identical to the baked ones${notes.length ? ` (${notes.join("; ")})` : ""}`);
    }
  } catch (e) {
    failures.push(`numbers: ${(e as Error).message}`);
  }
  // 5. static outputs: only for a snapshot whose numbers hold, as they show them
  if (!checkStatic) console.log("static outputs: not checked (--no-static)");
  else if (failures.length) failures.push("static outputs: not checked, the snapshot has failed already (see above)");
  else if (!existsSync(CHROMIUM_PATH)) console.log(`static outputs: not checked, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH; --no-static says you skip it)`);
  else {
    const { pages, problems } = await staticProblems(dir);
    if (problems.length) failures.push(...problems);
    else console.log(`static outputs: all ${pages} pages, run afresh in Chromium, show exactly the static outputs in their HTML and figure files`);
  }
}

if (failures.length) {
  console.log(`FAILED: ${failures[0]}`);
  for (const f of failures.slice(1, 20)) console.log(`  also: ${f}`);
  if (failures.length > 20) console.log(`  … and ${failures.length - 20} more`);
  process.exitCode = DOES_NOT_VERIFY;
} else if (cited !== undefined) console.log(`OK: snapshot ${manifest.version} is the cited snapshot ${cited} and verifies`);
else console.log(`OK: snapshot ${manifest.version} (${manifest.id}) is internally consistent and reproduces; no cited id was checked (pass --id <the id you cite> to check it is that snapshot)`);
