// `npm run test:timings [-- --compare OTHER.json] [--file TIMINGS.json]`: how long each test file
// took in the last `npm test` (or test:unit, test:browser), as recorded by
// test/helpers/timings-reporter.mjs in .scratch/test-timings.json; with --compare, beside an
// earlier record (keep one with `cp .scratch/test-timings.json before.json`), so a change to
// the suite can be judged file by file. Files run side by side, so their times add up to more
// than the run's wall time, which is printed last.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { table } from "../src/lib/format.js";

interface FileTiming {
  file: string;
  ms: number | null;
  tests: number;
  pass: number;
  fail: number;
  skip: number;
}
interface Timings {
  finished: string;
  wallMs: number;
  concurrency: string | null;
  files: FileTiming[];
}

const usage = "usage: npm run test:timings -- [--file .scratch/test-timings.json] [--compare OTHER.json]";
function fail(message: string): never {
  console.error(`error: ${message}\n${usage}`);
  process.exit(2);
}

let args: { file: string; compare?: string };
try {
  args = parseArgs({ options: { file: { type: "string", default: ".scratch/test-timings.json" }, compare: { type: "string" } }, strict: true }).values as typeof args;
} catch (e) {
  fail((e as Error).message);
}

function read(path: string): Timings {
  if (!existsSync(path)) fail(`${path} does not exist: run \`npm test\` (or test:unit, test:browser) first; each run writes it`);
  let t: Timings;
  try {
    t = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    fail(`${path} is not JSON (${(e as Error).message}): it is written by test/helpers/timings-reporter.mjs`);
  }
  if (!Array.isArray(t?.files) || typeof t.wallMs !== "number") fail(`${path} has no "files" list or "wallMs": it is not a record of test/helpers/timings-reporter.mjs`);
  return t;
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? "—" : (ms / 1000).toFixed(1));
const now = read(args.file);
const before = args.compare ? read(args.compare) : null;
const old = new Map(before?.files.map((f) => [f.file, f]) ?? []);
const files = [...now.files].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0));
const rows = files.map((f) => {
  const row: (string | number)[] = [f.file, s(f.ms), f.tests, f.pass, f.fail, f.skip];
  if (before) {
    const o = old.get(f.file);
    row.push(s(o?.ms), o?.ms && f.ms ? `${(f.ms / o.ms).toFixed(2)}×` : "—");
  }
  return row;
});
if (before) for (const o of before.files) if (!now.files.some((f) => f.file === o.file)) rows.push([o.file, "—", "—", "—", "—", "—", s(o.ms), "(gone)"]);
const sum = (t: Timings, k: "tests" | "pass" | "fail" | "skip") => t.files.reduce((n, f) => n + f[k], 0);
const header = ["file", "seconds", "tests", "pass", "fail", "skip", ...(before ? ["before", "now / before"] : [])];
console.log(`Test files of the run that finished ${now.finished}${now.concurrency ? `, ${now.concurrency} at a time` : ""}${before ? `, beside ${args.compare} (${before.finished})` : ""}:`);
console.log(table(header, rows));
const total = (t: Timings) => `${s(t.wallMs)} s wall, ${sum(t, "tests")} tests: ${sum(t, "pass")} passed, ${sum(t, "fail")} failed, ${sum(t, "skip")} skipped`;
console.log(`\nthe run: ${total(now)}${before ? `\nbefore:  ${total(before)}` : ""}`);
