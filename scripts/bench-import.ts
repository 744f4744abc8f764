// `npm run bench:import`: time and peak memory of `import project` and `fit --data` on a large
// observations file (10^6 rows by default), for the current code and for a named baseline
// commit, in one run. A benchmark, not a test: it asserts nothing but that both versions give
// the same output, and its numbers depend on the machine and its load.
//
// The file is generated deterministically from the bundled data's shape
// (scripts/bench/big-observations.ts). The baseline runs from a `git worktree` of BENCH_BASELINE
// (default 8672cdd, the last commit before streaming import) in a temporary folder, with its own
// kernel built there. Time and memory come from GNU time (`/usr/bin/time -v`: wall clock,
// CPU time, maximum resident set size) around each command, so they include Node's start-up.
//
// Environment: BENCH_ROWS (default 1000000), BENCH_BASELINE (a commit), BENCH_FIT_ARGS (the fit
// measured; default one experiment and task without bootstrap, whose 1,000 refits of 3×10^5
// rows would take hours).
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { writeBigObservations } from "./bench/big-observations.js";
import { table } from "../src/lib/format.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BASELINE = process.env.BENCH_BASELINE ?? "8672cdd";
const FIT_ARGS = (process.env.BENCH_FIT_ARGS ?? "--experiment in-distribution --task arithmetic --resamples 0").split(" ").filter(Boolean);
const TIME = "/usr/bin/time";
const log = (s: string) => process.stderr.write(`${s}\n`);

if (!existsSync(TIME)) {
  console.error(`error: ${TIME} (GNU time) is needed to measure peak memory; install it (Debian: apt-get install time)`);
  process.exit(2);
}

interface Run {
  wall: number;
  cpu: number;
  maxRssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx ARGS` in `cwd` under GNU time. */
function measure(cwd: string, args: string[]): Run {
  const r = spawnSync(TIME, ["-v", process.execPath, "--import", "tsx", ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const field = (name: string) => {
    const m = new RegExp(`${name}: (.+)`).exec(r.stderr);
    if (!m) throw new Error(`no "${name}" in GNU time's report:\n${r.stderr.slice(-2000)}`);
    return m[1]!.trim();
  };
  const clock = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)").split(":").map(Number);
  const wall = clock.reduce((a, x) => a * 60 + x, 0);
  const cpu = Number(field("User time \\(seconds\\)")) + Number(field("System time \\(seconds\\)"));
  const stderr = r.stderr.slice(0, r.stderr.indexOf("\tCommand being timed"));
  return { wall, cpu, maxRssMb: Number(field("Maximum resident set size \\(kbytes\\)")) / 1024, status: r.status, stdout: r.stdout, stderr };
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const here = resolve(".");
const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
const baseDir = join(dir, "baseline");
try {
  const big = join(dir, "big.csv");
  log(`generating ${ROWS} rows in ${big} …`);
  writeBigObservations(big, ROWS);

  log(`baseline: git worktree of ${BASELINE} in ${baseDir}, its kernel built there …`);
  execFileSync("git", ["worktree", "add", "--detach", baseDir, BASELINE], { stdio: "ignore" });
  symlinkSync(join(here, "node_modules"), join(baseDir, "node_modules"));
  execFileSync(process.execPath, [join(here, "node_modules/assemblyscript/bin/asc.js"), "assembly/index.ts", "--config", "assembly/asconfig.json"], { cwd: baseDir, stdio: "ignore" });
  const baseCommit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: baseDir, encoding: "utf8" }).trim();
  const current = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();

  const rows: string[][] = [];
  const row = (what: string, base: Run, now: Run, same: string) => rows.push([
    what, `${base.wall.toFixed(1)} s`, `${base.cpu.toFixed(1)} s`, `${base.maxRssMb.toFixed(0)} MB`,
    `${now.wall.toFixed(1)} s`, `${now.cpu.toFixed(1)} s`, `${now.maxRssMb.toFixed(0)} MB`,
    `${(base.wall / now.wall).toFixed(2)}×`, `${(base.maxRssMb / now.maxRssMb).toFixed(2)}×`, same,
  ]);

  const importArgs = (out: string) => ["src/cli/import.ts", "project", big, "--out", out];
  log("import project: baseline …");
  const ib = measure(baseDir, importArgs(join(dir, "out-baseline.csv")));
  log("import project: current …");
  const ic = measure(here, importArgs(join(dir, "out-current.csv")));
  for (const [name, r] of [["baseline", ib], ["current", ic]] as const) if (r.status !== 0) throw new Error(`import (${name}) exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  row(`import project (${ROWS} rows)`, ib, ic, sha(join(dir, "out-baseline.csv")) === sha(join(dir, "out-current.csv")) ? "identical" : "DIFFERENT");

  const fitArgs = ["src/cli/fit.ts", "--data", big, ...FIT_ARGS, "--json"];
  log(`fit ${FIT_ARGS.join(" ")}: baseline …`);
  const fb = measure(baseDir, fitArgs);
  log(`fit ${FIT_ARGS.join(" ")}: current (with --progress) …`);
  const fc = measure(here, [...fitArgs, "--progress"]);
  const results = (r: Run) => (r.status === 0 || r.status === 3 ? JSON.stringify(JSON.parse(r.stdout).results) : `exit ${r.status}: ${r.stderr.slice(-500)}`);
  row(`fit --data (${ROWS} rows) ${FIT_ARGS.join(" ")}`, fb, fc, results(fb) === results(fc) ? "identical" : "DIFFERENT");

  console.log(`Large inputs: baseline ${baseCommit} vs current ${current}${execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }) ? " (uncommitted changes)" : ""}, one run each under GNU time (wall clock, user+system CPU, peak RSS; Node start-up included)\n`);
  console.log(table(["command", "baseline wall", "CPU", "peak RSS", "current wall", "CPU", "peak RSS", "faster", "less memory", "output"], rows));
  const progress = fc.stderr.split("\n").filter((l) => l.startsWith("fit · "));
  console.log(`\nthe current fit's progress on stderr (${progress.length} lines; the first and last 3):\n${[...progress.slice(0, 3), "…", ...progress.slice(-3)].join("\n")}`);
} finally {
  if (existsSync(baseDir)) spawnSync("git", ["worktree", "remove", "--force", baseDir], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}
