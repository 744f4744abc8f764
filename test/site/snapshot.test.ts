// Snapshots prove they reproduce: an untouched snapshot verifies; one changed byte in any file,
// a missing or added file, or one changed baked number (even with the manifest fixed up to
// match) makes `npm run verify` fail and name it. In test/site/: it needs the built site, which
// npm test builds first (test:unit does not).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/fixtures.js";
import { listFiles, snapshotId } from "../../src/lib/node/manifest.js";
import { firstDifference } from "../../src/lib/diff.js";

let work: string;
let snap: string;

const tsx = (script: string, args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, encoding: "utf8" });
const verify = (dir: string) => tsx("scripts/verify.ts", [dir]);

before(() => {
  assert.ok(existsSync(join(ROOT, "dist/index.html")), "build the site first (npm test does)");
  work = mkdtempSync(join(tmpdir(), "cs-snap-"));
  const made = tsx("scripts/snapshot.ts", ["--out", work, "--allow-dirty", "--no-index", "--force"]);
  assert.equal(made.status, 0, made.stderr);
  snap = join(work, JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
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
  const out = verify(snap);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /files: all \d+ match their SHA-256/);
  assert.match(out.stdout, /numbers: all 18 experiment results rerun .*identical/);
  assert.match(out.stdout, /OK: snapshot/);
});

for (const [label, sub, pattern] of [
  ["a page", ".", /^in-distribution\.html$/],
  ["the observations", "_file/data", /^observations\..*\.csv$/],
  ["the kernel", "_file/lib/wasm", /^kernel\..*\.wasm$/],
  ["the baked results", "_file/data", /^baked\..*\.json$/],
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
  const file = fileUnder(dir, "_file/data", /^baked\..*\.json$/);
  const baked = JSON.parse(readFileSync(file, "utf8"));
  baked.results["penalty-ablation"].arithmetic.comparisons[0].ours += 1e-12;
  writeFileSync(file, JSON.stringify(baked));
  // A careful forger also rewrites the manifest so every hash matches.
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  manifest.files = listFiles(dir);
  Object.assign(manifest, snapshotId(manifest.files));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  const out = verify(dir);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /files: all \d+ match/);
  assert.match(out.stdout, /FAILED: number penalty-ablation · arithmetic\.comparisons\[0\]\.ours: baked 0\.00992\d+, rerun 0\.00992\d+/);
});

test("not a snapshot: exit code 2 with the reason", () => {
  const out = verify(join(ROOT, "data"));
  assert.equal(out.status, 2);
  assert.match(out.stderr, /manifest\.json is missing/);
});

test("the baked numbers equal the command line's for every experiment and task", () => {
  const baked = JSON.parse(readFileSync(fileUnder(snap, "_file/data", /^baked\..*\.json$/), "utf8"));
  const out = spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(out.status, 0, out.stderr);
  const cli = JSON.parse(out.stdout);
  assert.equal(cli.results.length, 18);
  for (const r of cli.results) {
    const d = firstDifference(baked.results[r.plan.experiment][r.plan.task], r, `${r.plan.experiment} · ${r.plan.task}`);
    assert.equal(d, null, d ?? "");
  }
  assert.equal(baked.dataSha256, cli.provenance.dataSha256);
  assert.equal(baked.kernelSha256, cli.provenance.kernelSha256);
});
