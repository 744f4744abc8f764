// Copies data/models.csv (the paper's Table 1) into the build byte for byte.
import { readFileSync } from "node:fs";

process.stdout.write(readFileSync(new URL("../../data/models.csv", import.meta.url)));
