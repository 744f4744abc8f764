// An experiment is one descriptor: one added to the registry of a copy of the project (the
// working tree is never touched) is found, with nothing else changed, by the command line (its
// help, its runs), by the build's bake and by `verify`, which then expects its results in every
// snapshot: missing from the shared snapshot of this build, and verified once they are baked in.
// In test/site/: it reads the snapshot the test files share (test/helpers/shared-site.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedSnapshot, rewriteManifest } from "../helpers/shared-site.js";
import { projectCopy } from "../helpers/project-copy.js";
import { TASKS } from "../../src/lib/types.js";

const ID = "registry-test";
// A plan of its own (the law fitted to the points inside the window, judged past it), point
// estimates only so that the bake stays quick.
const DESCRIPTOR = `// Written by test/site/registry.test.ts into a copy of the project.
import { DEFAULT_SETTINGS, tasksOf, type ExperimentDescriptor } from "./experiment-plan.js";

export const REGISTRY_TEST = {
  id: "${ID}",
  title: "Registry test",
  question: "Fitted inside the window, what does the law say past it?",
  page: "in-distribution",
  data: "bundled",
  defaults: { ...DEFAULT_SETTINGS, resamples: 0 },
  tasks: tasksOf,
  body: (task, settings) => ({
    fits: [{ label: "inside", variant: settings.variant, fitOn: { within_context: true }, evaluate: [{ name: "past n_ctx", on: { within_context: false } }] }],
    comparisons: [],
    curveModels: [],
    missing: [],
  }),
} as const satisfies ExperimentDescriptor;
`;

let copy: string;
let env: NodeJS.ProcessEnv;
let work: string;
let snapshotDir: string;

/** The project in a temporary folder, with the descriptor added to its registry. */
before(async () => {
  snapshotDir = await sharedSnapshot(); // only read: the test works on a copy of it
  ({ dir: copy, env } = projectCopy("cs-registry-"));
  work = mkdtempSync(join(tmpdir(), "cs-registry-snap-"));
  writeFileSync(join(copy, "src/lib/registry-test.ts"), DESCRIPTOR);
  const registry = join(copy, "src/lib/experiments.ts");
  const source = readFileSync(registry, "utf8");
  const list = "[...PAPER_EXPERIMENTS, PUBLIC_COMPUTE_EXPERIMENT]";
  assert.ok(source.includes(list), `src/lib/experiments.ts still lists ${list}`);
  writeFileSync(registry, `import { REGISTRY_TEST } from "./registry-test.js";\n${source.replace(list, "[...PAPER_EXPERIMENTS, REGISTRY_TEST, PUBLIC_COMPUTE_EXPERIMENT]")}`);
});

after(() => {
  for (const d of [copy, work]) if (d) rmSync(d, { recursive: true, force: true });
});

// The copy reads the other studies' files where this checkout does (projectCopy's env), so its
// bake sees the public models' tables this build saw.
const run = (script: string, args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: copy, env, encoding: "utf8", maxBuffer: 1 << 28 });

test("the command line lists the new experiment and runs its plan", () => {
  assert.match(run("src/cli/fit.ts", ["--help"]).stdout, new RegExp(`--experiment NAME  one of: [^\\n]*\\b${ID}\\b`));
  const out = run("src/cli/fit.ts", ["--experiment", ID, "--task", "arithmetic", "--json"]);
  assert.equal(out.status, 0, out.stderr);
  const [r] = JSON.parse(out.stdout).results;
  assert.equal(r.plan.experiment, ID);
  assert.deepEqual(r.fits.map((f: { label: string }) => f.label), ["inside"]);
  assert.ok(r.fits[0].splits[0].errors.mae >= 0);
});

test("the build bakes it, and verify expects it: missing from a snapshot made without it, verified once baked in", () => {
  const baked = run("src/data/baked/[experiment].json.ts", [`--experiment=${ID}`]);
  assert.equal(baked.status, 0, baked.stderr);
  const file = JSON.parse(baked.stdout);
  assert.deepEqual(Object.keys(file.results[ID]).sort(), [...TASKS].sort());

  // The shared snapshot of this build has no results of the new experiment: verify says so.
  const snap = join(work, "snapshot");
  cpSync(snapshotDir, snap, { recursive: true });
  const before = run("scripts/verify.ts", [snap, "--no-static"]); // its pages are not what this test is about
  assert.equal(before.status, 1, before.stdout + before.stderr);
  for (const task of TASKS) assert.match(before.stdout, new RegExp(`number ${ID} · ${task}: missing from the baked results`));

  // Baked in, as the build names a results file, with the manifest rewritten: it verifies.
  const hash = createHash("sha256").update(baked.stdout).digest("hex").slice(0, 8);
  writeFileSync(join(snap, `_file/data/baked/${ID}.${hash}.json`), baked.stdout);
  rewriteManifest(snap);
  const after = run("scripts/verify.ts", [snap, "--no-static"]);
  assert.equal(after.status, 0, after.stdout + after.stderr);
  assert.match(after.stdout, /OK: snapshot/);
  assert.match(after.stdout, /numbers: all \d+ experiment results rerun .*identical/);
});
