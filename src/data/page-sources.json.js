// The source of every page (its .md file), so each page can show and offer its own source:
// "view source" works in a snapshot with no server and no code host.
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../", import.meta.url);
const sources = {};
for (const name of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) sources[name] = readFileSync(new URL(name, dir), "utf8");
process.stdout.write(JSON.stringify(sources));
