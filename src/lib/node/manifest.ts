// Snapshot manifests: every file of a built site with its SHA-256, and an id derived from the
// whole manifest (version, commit, creation time, dirty flag and the file list), so a citation
// (version + id) names exactly one set of bytes *and* the claims made about them: editing the
// version or commit in manifest.json changes the id as surely as editing a file does.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
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
  /** SHA-256 of canonicalManifest(): every field above except the ids, and the file list */
  idSha256: string;
  files: ManifestFile[];
}

export type ManifestBody = Omit<Manifest, "id" | "idSha256">;

export const MANIFEST = "manifest.json";

/** A folder that is not plain files and folders: each problem is one line naming the path. */
export class SnapshotTreeError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

/**
 * Every regular file under `dir` except the manifest itself, sorted by path (forward slashes),
 * and one line for everything a snapshot may not hold: symbolic links (a link can point
 * outside the snapshot or loop, so its bytes are not the snapshot's), special files (FIFOs,
 * sockets, devices: reading them can block or has no fixed content) and empty folders (they
 * carry no hashable bytes, so the manifest cannot account for them). lstat, not stat, so a
 * link is seen as a link and never followed.
 */
export function scanTree(dir: string): { files: ManifestFile[]; problems: string[] } {
  const files: ManifestFile[] = [];
  const problems: string[] = [];
  const rel = (full: string) => relative(dir, full).split(sep).join("/");
  const walk = (d: string) => {
    const names = readdirSync(d).sort();
    if (names.length === 0 && d !== dir) problems.push(`${rel(d)}/: an empty folder; a snapshot holds only files, remove it`);
    for (const name of names) {
      const full = join(d, name);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) problems.push(`${rel(full)}: a symbolic link; a snapshot holds only plain files, replace it with the file itself`);
      else if (st.isDirectory()) walk(full);
      else if (!st.isFile()) problems.push(`${rel(full)}: a special file (FIFO, socket or device); a snapshot holds only plain files, remove it`);
      else {
        const path = rel(full);
        if (path === MANIFEST) continue;
        const bytes = readFileSync(full);
        files.push({ path, sha256: sha256(bytes), bytes: bytes.length });
      }
    }
  };
  walk(dir);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}

/** scanTree, refusing (SnapshotTreeError) a folder that is not plain files. */
export function listFiles(dir: string): ManifestFile[] {
  const { files, problems } = scanTree(dir);
  if (problems.length) throw new SnapshotTreeError(problems);
  return files;
}

/** JSON with object keys sorted at every level, no whitespace: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/**
 * The canonical manifest that the id is the hash of: every field except the ids themselves,
 * picked explicitly (a field added to manifest.json by hand is not silently part of the id,
 * and one left out is not silently dropped from it), files sorted by path.
 */
export function canonicalManifest(m: ManifestBody): string {
  const files = [...m.files]
    .map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return canonicalJson({ format: m.format, package: m.package, version: m.version, created: m.created, gitCommit: m.gitCommit, gitDirty: m.gitDirty, files });
}

export function snapshotId(m: ManifestBody): { id: string; idSha256: string } {
  const idSha256 = sha256(canonicalManifest(m));
  return { id: idSha256.slice(0, 16), idSha256 };
}

const HEX = (n: number) => new RegExp(`^[0-9a-f]{${n}}$`);

/**
 * Every problem with a parsed manifest.json, one line each naming the field; empty when it has
 * the shape `npm run snapshot` writes. Checked before anything is trusted, so a malformed entry
 * is reported, never a crash.
 */
export function manifestProblems(m: unknown, where = MANIFEST): string[] {
  const p: string[] = [];
  if (m === null || typeof m !== "object" || Array.isArray(m)) return [`${where}: not a JSON object`];
  const o = m as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof o[k] !== "string" || o[k] === "") p.push(`${where}: field "${k}" must be a non-empty string, found ${JSON.stringify(o[k]) ?? "nothing"}`);
  };
  if (o.format !== 1) p.push(`${where}: field "format" must be 1, found ${JSON.stringify(o.format) ?? "nothing"}`);
  str("package");
  str("version");
  str("created");
  if (typeof o.created === "string" && o.created !== "" && Number.isNaN(Date.parse(o.created))) p.push(`${where}: field "created" must be an ISO 8601 time, found ${JSON.stringify(o.created)}`);
  if (o.gitCommit !== null && !(typeof o.gitCommit === "string" && HEX(40).test(o.gitCommit))) p.push(`${where}: field "gitCommit" must be 40 lower-case hex digits or null, found ${JSON.stringify(o.gitCommit) ?? "nothing"}`);
  if (o.gitDirty !== null && typeof o.gitDirty !== "boolean") p.push(`${where}: field "gitDirty" must be true, false or null, found ${JSON.stringify(o.gitDirty) ?? "nothing"}`);
  if (!(typeof o.id === "string" && HEX(16).test(o.id))) p.push(`${where}: field "id" must be 16 lower-case hex digits, found ${JSON.stringify(o.id) ?? "nothing"}`);
  if (!(typeof o.idSha256 === "string" && HEX(64).test(o.idSha256))) p.push(`${where}: field "idSha256" must be 64 lower-case hex digits, found ${JSON.stringify(o.idSha256) ?? "nothing"}`);
  if (!Array.isArray(o.files)) p.push(`${where}: field "files" must be an array, found ${JSON.stringify(o.files) ?? "nothing"}`);
  else {
    const seen = new Set<string>();
    o.files.forEach((f: unknown, i: number) => {
      const at = `${where}: files[${i}]`;
      if (f === null || typeof f !== "object" || Array.isArray(f)) return void p.push(`${at} must be an object {path, sha256, bytes}`);
      const e = f as Record<string, unknown>;
      if (typeof e.path !== "string" || e.path === "" || e.path.startsWith("/") || e.path.split("/").some((s) => s === ".." || s === "." || s === ""))
        p.push(`${at}.path must be a relative path inside the snapshot, found ${JSON.stringify(e.path) ?? "nothing"}`);
      else if (seen.has(e.path)) p.push(`${at}.path ${JSON.stringify(e.path)} is listed twice`);
      else seen.add(e.path);
      if (!(typeof e.sha256 === "string" && HEX(64).test(e.sha256))) p.push(`${at}.sha256 must be 64 lower-case hex digits, found ${JSON.stringify(e.sha256) ?? "nothing"}`);
      if (!(typeof e.bytes === "number" && Number.isSafeInteger(e.bytes) && e.bytes >= 0)) p.push(`${at}.bytes must be a whole number ≥ 0, found ${JSON.stringify(e.bytes) ?? "nothing"}`);
    });
  }
  return p;
}
