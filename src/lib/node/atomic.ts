// Node-only helpers for writing results. Writing to a temporary file in the same folder and
// renaming it means a reader (or a crash half-way) never sees a half-written file.
import { writeFileSync, renameSync, mkdirSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";

export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
