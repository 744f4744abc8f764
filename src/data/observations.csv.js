// Copies data/observations.csv into the build byte for byte, so the SHA-256 a page computes
// equals the one `npm run fit -- --json` prints for the same file.
import { readFileSync } from "node:fs";

process.stdout.write(readFileSync(new URL("../../data/observations.csv", import.meta.url)));
