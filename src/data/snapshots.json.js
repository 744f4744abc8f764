// The index of published snapshots (data/snapshots.json, appended to by `npm run snapshot`).
import { readFileSync } from "node:fs";

process.stdout.write(readFileSync(new URL("../../data/snapshots.json", import.meta.url)));
