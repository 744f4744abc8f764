// The command line's results, for the browser tests that compare a page with it: what
// `npm run fit -- --json` prints, run in a child process so the test process keeps driving the
// browser meanwhile, and run once per test file for each list of arguments.
import { execFile } from "node:child_process";
import type { ExperimentResult } from "../../src/lib/run.js";
import type { Settings } from "../../src/lib/experiments.js";
import { ROOT } from "../helpers/fixtures.js";

const cache = new Map<string, Promise<ExperimentResult[]>>();

/**
 * The command line's results for these arguments. `strict`: only exit 0 is accepted (no fit may
 * be refused), as for public-compute.
 */
export function cli(args: string[], { strict = false } = {}): Promise<ExperimentResult[]> {
  const key = `${strict} ${args.join(" ")}`;
  if (!cache.has(key)) {
    const run = runCli(args, strict);
    run.catch(() => {}); // reported to the test that awaits it
    cache.set(key, run);
  }
  return cache.get(key)!;
}

function runCli(args: string[], strict: boolean): Promise<ExperimentResult[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/fit.ts", "--json", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      // Exit 3 says a requested fit was refused: the compute-holdout plan's full law always is on the
      // bundled data (one model size per side), by design, and its fallback is in the results.
      if (status !== 0 && (strict || status !== 3)) reject(new Error(`fit --json ${args.join(" ")} exited ${status}: ${stderr}`));
      else resolve(JSON.parse(stdout).results);
    });
  });
}

/** Settings as the command line's options. */
export function cliArgs(s: Partial<Settings>): string[] {
  return Object.entries(s).flatMap(([k, v]) => [`--${k}`, String(v)]);
}
