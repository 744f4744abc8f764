// The baked results are one file per experiment (src/data/baked/[experiment].json.ts), and the
// pages name each file literally (src/components/notebook/snapshot.js) so that the build finds it: the
// two lists must agree, or a page would show an experiment as "not baked" (and the snapshot
// would lack its numbers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT } from "./helpers/fixtures.js";
import { BAKED_EXPERIMENTS } from "../src/lib/node/bake.js";
import { EXPERIMENTS, PUBLIC_EXPERIMENTS } from "../src/lib/experiments.js";

test("the pages name one results file per baked experiment, each after its experiment", () => {
  const source = readFileSync(`${ROOT}src/components/notebook/snapshot.js`, "utf8");
  const named = [...source.matchAll(/"([a-z0-9-]+)": \(\) => FileAttachment\("\.\.\/\.\.\/data\/baked\/([a-z0-9-]+)\.json"\)/g)];
  for (const [, key, file] of named) assert.equal(file, key, `snapshot.js: the entry ${key} names data/baked/${file}.json`);
  assert.deepEqual(named.map((m) => m[1]), [...BAKED_EXPERIMENTS]);
  assert.deepEqual([...BAKED_EXPERIMENTS], [...EXPERIMENTS, ...PUBLIC_EXPERIMENTS]);
});
