// Issue 10, item 1: a law is a composition of parts. Names and compositions resolve to the same
// law, every composition the host accepts the kernel evaluates, bad ones are refused with the
// list of valid parts, and the new decay penalty recovers the rate it was simulated with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { ROOT, sharedKernel, mulberry32, taskRows , PENALTY_OPTIONS_RE } from "./helpers/fixtures.js";
import { PARTS, PART_ORDER, PAPER_PARTS, LAW_FIELD_BITS, DEFAULT_BOUNDS, compositionString, compositionProblem, parseComposition, LawError, type LawParts, type Part } from "../src/lib/law.js";
import { NAMED_LAWS, resolveLaw, partsOf, fixedComputeForm, FIXED_COMPUTE_FORM } from "../src/lib/named-laws.js";
import { parseModelsCsv } from "../src/lib/observations.js";
import { FitError, type FitPoint } from "../src/lib/kernel.js";

/** Every combination of options, valid or not. */
function allCompositions(): LawParts[] {
  let out: Record<string, string>[] = [{}];
  for (const part of PART_ORDER) out = out.flatMap((c) => Object.keys(PARTS[part]).map((o) => ({ ...c, [part]: o })));
  return out as LawParts[];
}

test("each name resolves to its composition, and the composition back to the name", () => {
  for (const v of NAMED_LAWS) {
    const composition = compositionString(partsOf(v));
    assert.equal(resolveLaw(composition).name, v, composition);
    assert.equal(resolveLaw(composition).code, resolveLaw(v).code);
    assert.deepEqual(resolveLaw(composition).paramNames, resolveLaw(v).paramNames);
    // Every parameter of every law has bounds.
    for (const p of resolveLaw(v).paramNames) assert.ok(DEFAULT_BOUNDS[p], p);
  }
  // Omitted parts are the paper's; order does not matter.
  assert.equal(resolveLaw("penalty=soft").name, "soft-penalty");
  assert.equal(resolveLaw("penalty=none,context=absent").name, "context-blind");
  assert.equal(resolveLaw("penalty=decay").name, "decay-penalty");
  // The fixed-compute forms follow from the parts, for names and compositions alike.
  assert.equal(FIXED_COMPUTE_FORM["soft-penalty"], "fixed-compute-soft");
  assert.equal(FIXED_COMPUTE_FORM["decay-penalty"], "fixed-compute-decay");
  assert.equal(FIXED_COMPUTE_FORM["logistic-compute"], null);
  assert.equal(fixedComputeForm("compute=logistic,penalty=soft,floor=fitted"), "compute=constant,context=saturating,combine=product,penalty=soft,floor=fitted");
});

test("a bad composition is refused with the valid parts", () => {
  for (const bad of ["penalty=wiggle", "shape=full", "penalty", "penalty=soft,penalty=step", "compute=absent,context=absent", "combine=mean,context=absent", "nonsense"]) {
    assert.throws(() => resolveLaw(bad), (e: unknown) => e instanceof LawError && PENALTY_OPTIONS_RE.test(e.message), bad);
  }
});

test("every composition the host accepts, the kernel evaluates (in [0, 1]); the host refuses the rest", async () => {
  const kernel = await sharedKernel();
  const points = taskRows("arithmetic").slice(0, 12);
  let valid = 0;
  for (const parts of allCompositions()) {
    const text = compositionString(parts);
    if (compositionProblem(parts)) {
      assert.throws(() => parseComposition(text), LawError, text);
      continue;
    }
    valid++;
    const law = resolveLaw(text);
    const mid = Object.fromEntries(law.paramNames.map((p) => [p, (DEFAULT_BOUNDS[p][0] + DEFAULT_BOUNDS[p][1]) / 2]));
    const pred = kernel.predict(text, mid, points, { floor: 0.1 });
    assert.ok(pred.every((x) => x >= 0 && x <= 1), `${text}: ${pred}`);
  }
  // Every combination (4·2·2·4·3 = 192 today), less those without either factor (24) and
  // those averaging one factor (48), counted from the parts' options.
  const n = Object.fromEntries(PART_ORDER.map((p) => [p, Object.keys(PARTS[p]).length])) as Record<Part, number>;
  const all = PART_ORDER.reduce((x, p) => x * n[p], 1);
  const neither = n.combine * n.penalty * n.floor;
  const meanOfOne = (n.compute - 1 + n.context - 1) * n.penalty * n.floor;
  assert.equal(valid, all - neither - meanOfOne, "valid compositions counted by part");
});

test("a law code gives each part its own field: an option no part has is no law to the kernel, and no field overlaps another", async () => {
  const kernel = await sharedKernel();
  const x = (kernel as unknown as { x: { parameterCount(code: number): number } }).x;
  const paper = resolveLaw("full").code;
  PART_ORDER.forEach((part, index) => {
    const options = Object.values(PARTS[part]).map((o) => o.code);
    const unused = Math.max(...options) + 1; // the next option of this part, not written yet
    assert.ok(unused < 2 ** LAW_FIELD_BITS, `${part}: room for another option`);
    const shift = 2 ** (index * LAW_FIELD_BITS);
    const code = paper - (PARTS[part] as Record<string, { code: number }>)[PAPER_PARTS[part]]!.code * shift + unused * shift;
    assert.equal(x.parameterCount(code), 0, `${part}=option ${unused} is refused`);
  });
  // Every valid composition has its own code (floor=given is floor=none with a chance level passed in).
  const codes = allCompositions().filter((p) => !compositionProblem(p) && p.floor !== "given").map((p) => resolveLaw(compositionString(p)).code);
  assert.equal(new Set(codes).size, codes.length);
});

test("floor=given insists on a chance level, and then equals the name with that floor, bit for bit", async () => {
  const kernel = await sharedKernel();
  const rows = taskRows("common_sense");
  assert.throws(() => kernel.fit("context=absent,penalty=none,floor=given", rows), (e: unknown) => e instanceof FitError && e.code === "no-floor");
  const a = kernel.fit("context=absent,penalty=none,floor=given", rows, { floor: 0.25 });
  const b = kernel.fit("context-blind", rows, { floor: 0.25 });
  assert.deepEqual(a.params, b.params);
  assert.equal(a.sse, b.sse);
});

test("the decay penalty recovers the rate it was simulated with, and beats the step on such data", async () => {
  const kernel = await sharedKernel();
  const models = parseModelsCsv(readFileSync(`${ROOT}data/models.csv`, "utf8"), "data/models.csv");
  // Prompts from well inside to 3× past each model's window.
  const design = models.flatMap((m) => [0.1, 0.3, 0.6, 0.9, 1.1, 1.3, 1.6, 2, 3].map((f) => ({ compute_flops: m.compute_flops, n_ctx: m.n_ctx, n_pmt: Math.round(f * m.n_ctx) })));
  const truth = { log10_C0: 26.5, alpha: 0.24, log10_n0: 1.95, beta: 0.57, log10_decay_rate: 0.3 };
  const clean = kernel.predict("decay-penalty", truth, design);
  const rand = mulberry32(10);
  for (let sim = 0; sim < 5; sim++) {
    const points: FitPoint[] = design.map((d, i) => ({ ...d, score: Math.min(1, Math.max(0, clean[i] + 0.01 * (rand() + rand() + rand() - 1.5))) }));
    const fit = kernel.fit("penalty=decay", points, { seed: sim + 1, restarts: 2 });
    assert.equal(fit.variant, "decay-penalty");
    const se = fit.se.log10_decay_rate;
    assert.ok(se !== null && se > 0 && se < 0.1, `rate determined: se ${se}`);
    assert.ok(Math.abs(fit.params.log10_decay_rate - truth.log10_decay_rate) <= 4 * se, `rate ${fit.params.log10_decay_rate} vs ${truth.log10_decay_rate} ± ${se}`);
    const step = kernel.fit("full", points, { seed: sim + 1, restarts: 2 });
    assert.ok(fit.sse < step.sse / 2, `decay SSE ${fit.sse} vs step ${step.sse}`);
  }
});

test("fit: a bad part exits 2 naming the valid parts; --variant stays an alias of --law", () => {
  const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/fit.ts", ...args], { cwd: ROOT, encoding: "utf8" });
  const bad = run(["--experiment", "penalty-ablation", "--task", "arithmetic", "--law", "penalty=wiggle", "--resamples", "0"]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, new RegExp(`unknown penalty option "wiggle".*valid: ${PENALTY_OPTIONS_RE.source}`));
  const clash = run(["--law", "full", "--variant", "additive", "--resamples", "0"]);
  assert.equal(clash.status, 2, clash.stderr);
  assert.match(clash.stderr, /disagree/);
});

test("the bounds table of docs/method.md is src/lib/law.ts's, parameter for parameter", () => {
  const doc = readFileSync(`${ROOT}docs/method.md`, "utf8");
  const section = doc.slice(doc.indexOf("## Bounds"), doc.indexOf("\n## ", doc.indexOf("## Bounds") + 1));
  const rows = [...section.matchAll(/^\| (\w+) \| ([^|]+) \| ([^|]+) \|$/gm)].filter((m) => m[1] !== "parameter");
  const number = (text: string) => Number(text.trim().replace("−", "-"));
  const documented = Object.fromEntries(rows.map((m) => [m[1], [number(m[2]!), number(m[3]!)]]));
  assert.deepEqual(documented, Object.fromEntries(Object.entries(DEFAULT_BOUNDS).map(([k, v]) => [k, [...v]])));
});
