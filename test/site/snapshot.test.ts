// Snapshots prove they reproduce: an untouched snapshot verifies; one changed byte in any file,
// a missing or added file, or one changed baked number (even with the manifest fixed up to
// match) makes `npm run verify` fail and name it. And they prove they are the one cited: a
// snapshot rewritten as a whole (files and manifest) fails `verify --id <the cited id>`, and
// the id covers the manifest's version and commit. Links, special files, empty folders and a
// malformed manifest are refused with one line each, never a stack trace. In test/site/: it needs the built site, which
// npm test builds first (test:unit does not), and reads the snapshot of it that the test files share
// (test/helpers/shared-site.ts); every tampering test works on a copy of it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/fixtures.js";
import { sharedSnapshot, rewriteManifest } from "../helpers/shared-site.js";
import { snapshotId } from "../../src/lib/node/manifest.js";
import { firstDifference } from "../../src/lib/diff.js";
import { locateExternal } from "../../src/lib/node/import-files.js";
import { OBSSCALING_FILE } from "../../src/lib/node/public-data.js";
import { PUBLIC_COMPUTE_BENCHMARKS } from "../../src/lib/public-compute.js";

// public-compute's results are in the build (and the snapshot) only when the study's table was
// there to import: 18 experiment × task results of the bundled data, plus one per benchmark.
const external = locateExternal();
const HAVE_OBSSCALING = external !== null && existsSync(join(external, OBSSCALING_FILE));
const RESULTS = 18 + (HAVE_OBSSCALING ? PUBLIC_COMPUTE_BENCHMARKS.length : 0);

let work: string;
let snap: string;

const tsx = (script: string, args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, encoding: "utf8" });
// The tests below check the files, the id and the numbers; the static outputs' check (a run of
// every page in Chromium, a minute) has a test of its own, at the end.
const verify = (dir: string, ...args: string[]) => tsx("scripts/verify.ts", [dir, "--no-static", ...args]);
const verifyWithStatic = (dir: string, ...args: string[]) => tsx("scripts/verify.ts", [dir, ...args]);
// `verify` of the untouched shared snapshot, with no id: run once (it reruns every number) and read by the two tests that need it.
let untouchedRun: ReturnType<typeof verify> | undefined;
const verifyUntouched = () => (untouchedRun ??= verify(snap));

before(async () => {
  work = mkdtempSync(join(tmpdir(), "cs-snap-"));
  snap = await sharedSnapshot(); // read only: every test that changes a snapshot changes a copy
});
after(() => rmSync(work, { recursive: true, force: true }));

function copy(name: string): string {
  const dir = join(work, name);
  cpSync(snap, dir, { recursive: true });
  return dir;
}

function fileUnder(dir: string, sub: string, pattern: RegExp): string {
  const name = readdirSync(join(dir, sub)).find((n) => pattern.test(n));
  assert.ok(name, `${pattern} under ${sub}`);
  return join(dir, sub, name);
}

test("an untouched snapshot verifies", () => {
  const out = verifyUntouched();
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /files: all \d+ match their SHA-256/);
  assert.match(out.stdout, new RegExp(`numbers: all ${RESULTS} experiment results rerun .*identical`));
  assert.match(out.stdout, /OK: snapshot/);
});

for (const [label, sub, pattern] of [
  ["a page", ".", /^in-distribution\.html$/],
  ["the observations", "_file/data", /^observations\..*\.csv$/],
  ["the kernel", "_file/lib/wasm", /^kernel\..*\.wasm$/],
  ["the baked results", "_file/data/baked", /^in-distribution\..*\.json$/],
  ["the public-compute baked results", "_file/data/baked", /^public-compute\..*\.json$/],
  ["the public-compute observations", "_file/data", /^obsscaling-observations\..*\.csv$/],
] as const) {
  test(`one changed byte in ${label} fails and names the file`, () => {
    const dir = copy(`byte-${label.replace(/\W/g, "")}`);
    const file = fileUnder(dir, sub, pattern);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(file, bytes);
    const out = verify(dir);
    assert.equal(out.status, 1);
    const rel = file.slice(dir.length + 1);
    assert.match(out.stdout, new RegExp(`FAILED: file ${rel.replace(/[.]/g, "\\.")}: SHA-256`));
    // Files that are not the manifest's fail the snapshot already: the numbers are not rerun.
    assert.match(out.stdout, /also: numbers: not rerun, the folder is not what its manifest lists/);
  });
}

test("a missing file and an added file are named", () => {
  const dir = copy("missing");
  rmSync(join(dir, "method.html"));
  writeFileSync(join(dir, "extra.js"), "alert(1)\n");
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /file method\.html: listed in the manifest but missing/);
  assert.match(out.stdout, /file extra\.js: present but not in the manifest/);
});

test("one changed baked number fails and names it, even with the manifest fixed up", () => {
  const dir = copy("number");
  const file = fileUnder(dir, "_file/data/baked", /^penalty-ablation\..*\.json$/);
  const baked = JSON.parse(readFileSync(file, "utf8"));
  baked.results["penalty-ablation"].arithmetic.comparisons[0].ours += 1e-12;
  writeFileSync(file, JSON.stringify(baked));
  // A careful forger also rewrites the manifest so every hash matches.
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /files: all \d+ match/);
  assert.match(out.stdout, /FAILED: number penalty-ablation · arithmetic\.comparisons\[0\]\.ours: baked 0\.00992\d+, rerun 0\.00992\d+/);
});

test("public-compute: a changed baked number fails and names it, even with the manifest fixed up", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, () => {
  const dir = copy("public-number");
  const file = fileUnder(dir, "_file/data/baked", /^public-compute\..*\.json$/);
  const baked = JSON.parse(readFileSync(file, "utf8"));
  const llama = baked.results["public-compute"].mmlu.fits[0].splits.find((s: { name: string }) => s.name === "Llama-2-70B");
  llama.meanPrediction += 1e-12;
  writeFileSync(file, JSON.stringify(baked));
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /FAILED: number public-compute · mmlu\.fits\[0\]\.splits\[\d+\]\.meanPrediction: baked [\d.]+, rerun [\d.]+/);
});

test("public-compute: changed public-model data fail, even with the manifest fixed up", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, () => {
  const dir = copy("public-data");
  const file = fileUnder(dir, "_file/data", /^obsscaling-observations\..*\.csv$/);
  const lines = readFileSync(file, "utf8").split("\n");
  lines[1] = lines[1].replace(/,0\.(\d)/, (_, d) => `,0.${(Number(d) + 1) % 10}`);
  writeFileSync(file, lines.join("\n"));
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /FAILED: .*baked from the public models' observations with SHA-256 [0-9a-f]{64}, the snapshot's have [0-9a-f]{64}/);
});

test("public-compute: the baked numbers equal the command line's for every benchmark", { skip: !HAVE_OBSSCALING && "no ../shared/external/obsscaling" }, () => {
  const baked = JSON.parse(readFileSync(fileUnder(snap, "_file/data/baked", /^public-compute\..*\.json$/), "utf8"));
  const out = spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", "--experiment", "public-compute", "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(out.status, 0, out.stderr);
  const cli = JSON.parse(out.stdout);
  assert.deepEqual(cli.results.map((r: { plan: { task: string } }) => r.plan.task), [...PUBLIC_COMPUTE_BENCHMARKS]);
  for (const r of cli.results) {
    const d = firstDifference(baked.results["public-compute"][r.plan.task], r, `public-compute · ${r.plan.task}`);
    assert.equal(d, null, d ?? "");
  }
  assert.equal(baked.publicObservationsSha256, cli.provenance.dataSha256);
});

test("not a snapshot: exit code 2 with the reason", () => {
  const out = verify(join(ROOT, "data"));
  assert.equal(out.status, 2);
  assert.match(out.stderr, /manifest\.json is missing/);
});

/** True when every refused fit in `fit --json` output belongs to the compute-holdout plan. */
function refusalsOnlyInComputeHoldout(stdout: string): boolean {
  const results = JSON.parse(stdout).results as { plan: { experiment: string }; fits: { refused?: unknown }[] }[];
  return results.every((r) => r.plan.experiment === "compute-holdout" || r.fits.every((f) => !f.refused));
}

test("the baked numbers equal the command line's for every experiment and task", () => {
  // Every experiment's results file, merged (each carries the same data and kernel hashes).
  const files = readdirSync(join(snap, "_file/data/baked")).map((n) => JSON.parse(readFileSync(join(snap, "_file/data/baked", n), "utf8")));
  const baked = { ...files[0], results: Object.assign({}, ...files.map((f) => f.results)) };
  for (const f of files) assert.deepEqual([f.dataSha256, f.kernelSha256], [baked.dataSha256, baked.kernelSha256]);
  const out = spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  // Exit 3 (a requested fit refused) is expected: compute-holdout's full law is refused by design
  // on the bundled data (one model size per side); its fallback is among the results.
  assert.ok(out.status === 0 || out.status === 3, `fit --json exited ${out.status}: ${out.stderr}`);
  assert.ok(refusalsOnlyInComputeHoldout(out.stdout), "only compute-holdout may have refused fits");
  const cli = JSON.parse(out.stdout);
  assert.equal(cli.results.length, 18);
  for (const r of cli.results) {
    const d = firstDifference(baked.results[r.plan.experiment][r.plan.task], r, `${r.plan.experiment} · ${r.plan.task}`);
    assert.equal(d, null, d ?? "");
  }
  assert.equal(baked.dataSha256, cli.provenance.dataSha256);
  assert.equal(baked.kernelSha256, cli.provenance.kernelSha256);
});

/** Rewrites the manifest of `dir` so that it matches its files, as a careful forger would. */
const originalId = () => JSON.parse(readFileSync(join(snap, "manifest.json"), "utf8")).id as string;
const noStack = (out: { stdout: string; stderr: string }) => assert.doesNotMatch(out.stdout + out.stderr, /\n\s+at |Error:/);

test("the untouched snapshot verifies with the id it is cited by; without --id it says no id was checked", () => {
  const out = verify(snap, "--id", originalId());
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, new RegExp(`OK: snapshot .* is the cited snapshot ${originalId()} and verifies`));
  const bare = verifyUntouched();
  assert.match(bare.stdout, /no cited id was checked/);
});

test("a snapshot rewritten consistently (file changed, manifest rewritten to match) fails verify --id with the original id", () => {
  const dir = copy("rewritten");
  const page = join(dir, "method.html");
  writeFileSync(page, readFileSync(page, "utf8").replace("</body>", "<p>an edit</p></body>"));
  const forged = rewriteManifest(dir);
  assert.notEqual(forged.id, originalId());
  const out = verify(dir, "--id", originalId());
  assert.equal(out.status, 1, out.stdout + out.stderr);
  assert.match(out.stdout, /files: all \d+ match/);
  assert.match(out.stdout, new RegExp(`FAILED: snapshot id: this folder's manifest gives id ${forged.id}, the cited id is ${originalId()}: it is not the snapshot the citation names`));
  // A full 64-digit cited id is checked the same way.
  const full = JSON.parse(readFileSync(join(snap, "manifest.json"), "utf8")).idSha256;
  assert.equal(verify(dir, "--id", full).status, 1);
});

test("the id covers the manifest's version and commit: editing them changes it, and the old id no longer verifies", () => {
  const body = JSON.parse(readFileSync(join(snap, "manifest.json"), "utf8"));
  const base = snapshotId(body).id;
  assert.equal(base, body.id);
  assert.notEqual(snapshotId({ ...body, version: "9.9.9" }).id, base);
  assert.notEqual(snapshotId({ ...body, gitCommit: "0".repeat(40) }).id, base);
  assert.notEqual(snapshotId({ ...body, gitDirty: !body.gitDirty }).id, base);
  assert.notEqual(snapshotId({ ...body, created: "2000-01-01T00:00:00.000Z" }).id, base);
  // Edited in place, keeping the old id: the manifest contradicts itself.
  const dir = copy("edited-meta");
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  m.version = "9.9.9";
  m.gitCommit = "0".repeat(40);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(m));
  const out = verify(dir, "--id", originalId());
  assert.equal(out.status, 1);
  assert.match(out.stdout, /manifest\.json: its contents give id [0-9a-f]{16}, the manifest says [0-9a-f]{16}: it was edited/);
  // And the build info baked into the pages now disagrees with the manifest.
  assert.match(out.stdout, /build-info\.[0-9a-f]+\.json: version "0\.1\.0", the manifest says version "9\.9\.9"|build-info\.[0-9a-f]+\.json: version "[^"]+", the manifest says version "9\.9\.9"/);
  assert.match(out.stdout, /build-info\.[0-9a-f]+\.json: gitCommit .*, the manifest says gitCommit "0{40}"/);
});

test("a task removed from the baked results is named, even with the manifest rewritten", () => {
  const dir = copy("no-task");
  const file = fileUnder(dir, "_file/data/baked", /^penalty-ablation\..*\.json$/);
  const baked = JSON.parse(readFileSync(file, "utf8"));
  const task = Object.keys(baked.results["penalty-ablation"])[0];
  delete baked.results["penalty-ablation"][task];
  writeFileSync(file, JSON.stringify(baked));
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, new RegExp(`number penalty-ablation · ${task}: missing from the baked results`));
});

test("a whole results file removed is named, task by task, even with the manifest rewritten", () => {
  const dir = copy("no-file");
  rmSync(fileUnder(dir, "_file/data/baked", /^figure-1\..*\.json$/));
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /number figure-1 · \w+: missing from the baked results/);
});

test("results moved into another experiment's file are named", () => {
  const dir = copy("moved");
  const from = fileUnder(dir, "_file/data/baked", /^figure-1\..*\.json$/);
  const to = fileUnder(dir, "_file/data/baked", /^in-distribution\..*\.json$/);
  const a = JSON.parse(readFileSync(from, "utf8"));
  const b = JSON.parse(readFileSync(to, "utf8"));
  b.results["figure-1"] = a.results["figure-1"];
  writeFileSync(to, JSON.stringify(b));
  rmSync(from);
  rewriteManifest(dir);
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /in-distribution\.[0-9a-f]+\.json: holds results of figure-1; a results file holds only the experiment it is named after/);
});

for (const [label, make, expected] of [
  ["a symbolic-link loop", (d: string) => { symlinkSync("loop-b", join(d, "loop-a")); symlinkSync("loop-a", join(d, "loop-b")); }, /loop-a: a symbolic link/],
  ["a dangling link", (d: string) => symlinkSync("nowhere.html", join(d, "dangling.html")), /dangling\.html: a symbolic link/],
  ["a FIFO", (d: string) => { const r = spawnSync("mkfifo", [join(d, "pipe")]); assert.equal(r.status, 0, "mkfifo"); }, /pipe: a special file/],
  ["an empty folder", (d: string) => mkdirSync(join(d, "empty")), /empty\/: an empty folder/],
] as const) {
  test(`${label} is refused with one line and no stack trace`, () => {
    const dir = copy(`tree-${label.replace(/\W/g, "")}`);
    make(dir);
    const out = verify(dir);
    assert.equal(out.status, 1, out.stdout + out.stderr);
    assert.match(out.stdout, new RegExp(`FAILED: not plain files: ${expected.source}`));
    noStack(out);
  });
}

for (const [label, edit, expected] of [
  ["a files entry without a sha256", (m: any) => delete m.files[3].sha256, /manifest\.json: files\[3\]\.sha256 must be 64 lower-case hex digits, found nothing/],
  ["a size that is a string", (m: any) => (m.files[0].bytes = "12"), /files\[0\]\.bytes must be a whole number/],
  ["bad hex in the id", (m: any) => (m.id = "zz" + m.id.slice(2)), /field "id" must be 16 lower-case hex digits/],
  ["a path leaving the snapshot", (m: any) => (m.files[1].path = "../../etc/passwd"), /files\[1\]\.path must be a relative path inside the snapshot/],
  ["a missing version", (m: any) => delete m.version, /field "version" must be a non-empty string, found nothing/],
] as const) {
  test(`a malformed manifest (${label}) is named, exit 2`, () => {
    const dir = copy(`bad-${label.replace(/\W/g, "")}`);
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    edit(m);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(m));
    const out = verify(dir);
    assert.equal(out.status, 2, out.stdout + out.stderr);
    assert.match(out.stderr, expected);
    noStack(out);
  });
}

test("a manifest that is not JSON, and a malformed --id, are bad input (exit 2, one line)", () => {
  const dir = copy("not-json");
  writeFileSync(join(dir, "manifest.json"), "{ not json");
  const out = verify(dir);
  assert.equal(out.status, 2);
  assert.match(out.stderr, /manifest\.json is not JSON/);
  noStack(out);
  const badId = verify(snap, "--id", "xyz");
  assert.equal(badId.status, 2);
  assert.match(badId.stderr, /--id "xyz": a snapshot id is 16 hex digits/);
});

test("static outputs: every page run afresh shows what the snapshot's HTML holds; one changed number in a page's static copy fails and is named, even with the manifest fixed up", () => {
  const dir = copy("static");
  const page = join(dir, "in-distribution.html");
  const html = readFileSync(page, "utf8");
  // The first number of the page's static tables, changed in its last digit.
  const at = /<observablehq-loading data-static="[a-z]*">[\s\S]*?<td[^>]*>(\d+\.\d*\d)<\/td>/.exec(html);
  assert.ok(at, "a number in a static table of in-distribution.html");
  const number = at[1];
  const changed = number.slice(0, -1) + (number.endsWith("9") ? "8" : String(Number(number.at(-1)) + 1));
  const start = at.index + at[0].lastIndexOf(number);
  writeFileSync(page, html.slice(0, start) + changed + html.slice(start + number.length));
  rewriteManifest(dir);
  const out = verifyWithStatic(dir);
  assert.equal(out.status, 1, out.stdout + out.stderr);
  const problems = out.stdout.split("\n").filter((l) => /static outputs differ|_static\//.test(l));
  assert.equal(problems.length, 1, out.stdout);
  assert.match(problems[0], /in-distribution\.html: its static outputs differ from the page run afresh, first in cell [0-9a-f]{8}/);
  assert.ok(problems[0].includes(changed), problems[0]);
});
