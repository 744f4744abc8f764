// Snapshot manifests: every file of a built site with its SHA-256, and an id derived from that
// list, so a citation (version + id) names exactly one set of bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { sha256 } from "./provenance.js";

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: 1;
  package: string;
  version: string;
  created: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  /** first 16 hex digits of idSha256: short enough to cite */
  id: string;
  /** SHA-256 of the canonical file list (path, sha256, bytes of every file, sorted by path) */
  idSha256: string;
  files: ManifestFile[];
}

export const MANIFEST = "manifest.json";

/** Every file under `dir` except the manifest itself, sorted by path (forward slashes). */
export function listFiles(dir: string): ManifestFile[] {
  const out: ManifestFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = relative(dir, full).split(sep).join("/");
        if (path === MANIFEST) continue;
        const bytes = readFileSync(full);
        out.push({ path, sha256: sha256(bytes), bytes: bytes.length });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function snapshotId(files: ManifestFile[]): { id: string; idSha256: string } {
  const canonical = files.map((f) => `${f.sha256}  ${f.bytes}  ${f.path}`).join("\n") + "\n";
  const idSha256 = sha256(canonical);
  return { id: idSha256.slice(0, 16), idSha256 };
}
