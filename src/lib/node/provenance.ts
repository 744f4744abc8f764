// Where a number came from: data and kernel hashes, code version, git commit. Printed with
// every result so that a reader can rerun exactly what produced it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface Provenance {
  package: string;
  version: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  dataFile: string;
  dataSha256: string;
  kernelSha256: string;
}

export function sha256(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null; // not a git checkout (e.g. an unpacked snapshot)
  }
}

export function provenance(dataFile: string, dataText: string | Uint8Array, kernelBytes: Uint8Array): Provenance {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  const status = git(["status", "--porcelain", "--untracked-files=no"]);
  return {
    package: pkg.name,
    version: pkg.version,
    gitCommit: git(["rev-parse", "HEAD"]),
    gitDirty: status === null ? null : status.length > 0,
    dataFile,
    dataSha256: sha256(dataText),
    kernelSha256: sha256(kernelBytes),
  };
}
