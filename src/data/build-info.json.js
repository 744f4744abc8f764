// The code version shown on every page: package version and git commit of the build. Framework
// caches loader output, so `npm run build` / `npm run dev` clear the cache of src/data first
// (a stale commit here would misstate which code produced the numbers).
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

function git(args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null; // not a git checkout (e.g. an unpacked snapshot)
  }
}

const status = git(["status", "--porcelain", "--untracked-files=no"]);
process.stdout.write(JSON.stringify({
  package: pkg.name,
  version: pkg.version,
  gitCommit: git(["rev-parse", "HEAD"]),
  gitDirty: status === null ? null : status.length > 0,
  // When the site was built (SOURCE_DATE_EPOCH, in seconds, pins it for a rebuild).
  builtAt: new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now()).toISOString(),
}, null, 1));
