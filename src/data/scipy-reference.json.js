// Copies the SciPy reference fits (test/reference/scipy.json, made by `npm run reference`) into
// the build; the Method page sets the kernel's fits in this browser beside them.
import { readFileSync } from "node:fs";

process.stdout.write(readFileSync(new URL("../../test/reference/scipy.json", import.meta.url)));
