// The built site and one snapshot of it, shared by every test file that needs them. `npm test`
// builds dist/ once; the first test file that asks for a snapshot makes it (scripts/snapshot.ts,
// as `npm run snapshot` does) and every other file, in this process or another one running at
// the same time, reuses it. Tests only read the shared snapshot: a test that tampers with one
// works on its own copy.
//
// The snapshot lives outside the working tree, in the system's temporary folder, under a key of
// this checkout and of the build it was made from: a rebuilt dist/ gets a new snapshot, and
// the stale ones of this checkout are removed when it is made.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./fixtures.js";
import { listFiles, snapshotId } from "../../src/lib/node/manifest.js";

export const DIST = join(ROOT, "dist");

/** Throws with what to do when dist/ has not been built. */
export function requireBuiltSite(): void {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: build the site first (`npm test` and `npm run test:browser` do, or `npm run build`)");
}

const checkoutKey = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
const WORK = join(tmpdir(), `context-scaling-tests-${checkoutKey}`);

/** A key of the current build: its build info names the commit, and index.html's time the build. */
function buildKey(): string {
  requireBuiltSite();
  const info = readdirSync(join(DIST, "_file/data")).find((n) => /^build-info\.[0-9a-f]+\.json$/.test(n)) ?? "no-build-info";
  return createHash("sha256").update(`${info}\n${statSync(join(DIST, "index.html")).mtimeMs}`).digest("hex").slice(0, 12);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let made: Promise<string> | undefined;

/**
 * The folder of the shared snapshot of dist/ (snapshots/<version>/ as `npm run snapshot` makes
 * it, with its manifest.json). Made once per build; concurrent callers wait for the one that
 * makes it (a lock folder holding the maker's pid; a lock left by a dead process is taken over).
 */
export function sharedSnapshot(): Promise<string> {
  made ??= makeOnce();
  return made;
}

async function makeOnce(): Promise<string> {
  const key = buildKey();
  const out = join(WORK, `snapshot-${key}`);
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
  const dir = join(out, version);
  const lock = join(WORK, `snapshot-${key}.lock`);
  mkdirSync(WORK, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    if (existsSync(join(dir, "manifest.json"))) return dir; // scripts/snapshot.ts renames a finished folder into place
    try {
      mkdirSync(lock);
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {
        // the holder has not written its pid yet
      }
      if (Number.isFinite(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (waited > 180_000) throw new Error(`waited 3 minutes for another test process to make the shared snapshot (${lock}); remove that folder if no test is running`);
      await sleep(100);
      continue;
    }
    try {
      writeFileSync(join(lock, "pid"), String(process.pid));
      if (existsSync(join(dir, "manifest.json"))) return dir;
      for (const old of readdirSync(WORK)) if (old.startsWith("snapshot-") && !old.startsWith(`snapshot-${key}`)) rmSync(join(WORK, old), { recursive: true, force: true });
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/snapshot.ts", "--out", out, "--allow-dirty", "--no-index", "--force"], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`scripts/snapshot.ts exited ${r.status}: ${r.stderr}`);
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * Rewrites a snapshot's manifest.json to match its files, as a careful forger (or a test that
 * adds a file) would: the file list and the id are recomputed; `edit` may change the manifest
 * first. Returns the new manifest.
 */
export function rewriteManifest(dir: string, edit: (m: any) => void = () => {}): any {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  manifest.files = listFiles(dir);
  edit(manifest);
  Object.assign(manifest, snapshotId(manifest));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return manifest;
}
