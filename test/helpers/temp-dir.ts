// Folders a test file makes under the system's temp folder, removed when its process ends
// (each test file runs in a process of its own), so a run of the suite leaves nothing behind:
// the suite makes hundreds of them. Synchronous on purpose: "exit" handlers cannot wait.
// KEEP_TEST_TEMP=1 keeps them, to look into a failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];
process.on("exit", () => {
  if (process.env.KEEP_TEST_TEMP) return;
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty folder named `prefix` + six random characters, removed when the test file is done. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
