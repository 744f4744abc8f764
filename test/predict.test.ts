// `npm run predict`: the predicted score with its interval, equal to the library's numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { ROOT, taskRows, sharedKernel } from "./helpers/fixtures.js";
import { predictionBand } from "../src/lib/intervals.js";

const predict = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/predict.ts", ...args], { cwd: ROOT, encoding: "utf8" });

test("prediction with interval equals the library's, and extrapolation is flagged", async () => {
  const out = predict(["--task", "translation", "--compute", "1e24", "--n-ctx", "32768", "--n-pmt", "3000", "--resamples", "100", "--json"]);
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout);
  const k = await sharedKernel();
  const rows = taskRows("translation");
  const fit = k.fit("full", rows, { seed: 1, restarts: 4 });
  const point = { compute_flops: 1e24, n_ctx: 32768, n_pmt: 3000 };
  assert.equal(doc.predicted, k.predict("full", fit.params, [point])[0]);
  const band = predictionBand(k, k.bootstrap(fit, rows, { resamples: 100, seed: 1 }), [point]);
  assert.deepEqual(doc.interval95, [band.lo[0], band.hi[0]]);
  assert.ok(doc.interval95[0] <= doc.predicted && doc.predicted <= doc.interval95[1]);
  assert.match(doc.note, /outside the fitted compute range/);
});

test("past the context limit the prediction is 0", () => {
  const out = predict(["--task", "arithmetic", "--compute", "1e23", "--n-ctx", "4096", "--n-pmt", "9000", "--resamples", "20"]);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /the predicted score is 0\.0000 \(95 % interval 0\.0000–0\.0000/);
});

test("missing or bad arguments: exit code 2 with the usage", () => {
  const out = predict(["--task", "arithmetic", "--compute=-1", "--n-ctx", "8192", "--n-pmt", "100"]);
  assert.equal(out.status, 2);
  assert.match(out.stderr, /--compute must be a positive number, got "-1"/);
  assert.match(out.stderr, /usage: npm run predict/);
});
