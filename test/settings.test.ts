// The settings are declared once (src/lib/settings.ts): the command line's options and --help,
// the pages' inputs, their URL state, the checks of a plan or document and the reproduction line
// are derived from the declaration. A setting added to it appears in each of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SETTINGS, inputSpecs, settingsFromSearch, searchFromSettings, settingsProblems, fitSettings, experimentCommand, type SettingSpec } from "../src/lib/settings.js";
import { usage, parseFitArgs, settingValues } from "../src/cli/fit-options.js";
import { ArgumentProblems } from "../src/cli/args.js";
import { planProblems } from "../src/lib/plan-check.js";
import { DEFAULT_SETTINGS, descriptor } from "../src/lib/experiments.js";

const OPTIONS = { tasks: ["arithmetic", "translation"], models: ["a", "b"], laws: ["full", "no-penalty"] };

/** Runs `body` with `extra` in the declaration, then takes it out again. */
function withSetting(extra: SettingSpec, body: () => void): void {
  SETTINGS.push(extra);
  try {
    body();
  } finally {
    SETTINGS.splice(SETTINGS.indexOf(extra), 1);
  }
}

test("a setting added to the declaration is in --help, the command line's options, the page's inputs, the URL state and the checks", () => {
  const tolerance: SettingSpec = { key: "tolerance", flag: "tolerance", kind: "integer", min: 1, max: 99, default: 7, label: "tolerance (test)", help: "a setting made up by this test" };
  assert.doesNotMatch(usage(), /--tolerance/);
  withSetting(tolerance, () => {
    assert.match(usage(), /--tolerance N {2,}a setting made up by this test \(an integer from 1 to 99; default 7\)/);
    const bad = new ArgumentProblems();
    assert.equal(settingValues(parseFitArgs(["--tolerance", "12"]), "bundled", bad).tolerance, 12);
    settingValues(parseFitArgs(["--tolerance", "100"]), "bundled", bad);
    assert.throws(() => bad.throwIfAny(), /--tolerance must be an integer from 1 to 99 in decimal digits, got "100"/);
    const [input] = inputSpecs(["tolerance"], { tolerance: 9 }, OPTIONS);
    assert.deepEqual(input, { key: "tolerance", label: "tolerance (test)", value: 9, widget: "number", range: [1, 99], step: 1 });
    assert.equal(settingsFromSearch("?tolerance=15", ["tolerance"], { tolerance: 7 }).values.tolerance, 15);
    assert.match(settingsFromSearch("?tolerance=x", ["tolerance"], { tolerance: 7 }).problems.join(), /tolerance: must be an integer from 1 to 99/);
    assert.equal(searchFromSettings({ tolerance: 15 }, { tolerance: 7 }), "tolerance=15");
    assert.equal(searchFromSettings({ tolerance: 7 }, { tolerance: 7 }, "tolerance=15"), "", "a default is left out of the address");
    assert.deepEqual(settingsProblems({ tolerance: 0 }), ["tolerance must be an integer from 1 to 99, got 0"]);
    assert.equal(fitSettings({}, DEFAULT_SETTINGS as unknown as Record<string, unknown>).tolerance, 7);
    assert.match(experimentCommand("penalty-ablation", { tolerance: 15 }, {}), /--tolerance 15/);
    const plan = { experiment: "x", task: "arithmetic", settings: { tolerance: 100 }, fits: [{ label: "a", variant: "full", fitOn: {}, evaluate: [] }] };
    assert.deepEqual(planProblems(plan, "plan", ["arithmetic"]), ["plan.settings.tolerance: must be an integer from 1 to 99, got 100"]);
  });
  assert.doesNotMatch(usage(), /--tolerance/, "taken out again");
});

test("every declared setting is an option of the command line and a possible page input", () => {
  for (const s of SETTINGS) {
    assert.match(usage(), new RegExp(`--${s.flag} `), `--help names --${s.flag}`);
    const [input] = inputSpecs([s.key], {}, OPTIONS);
    assert.equal(input!.key, s.key);
  }
  // The ones the issue named: a models subset on the command line, weights on the pages.
  const bad = new ArgumentProblems();
  const v = settingValues(parseFitArgs(["--model", "a,b", "--model", "c", "--weights", "binomial"]), "bundled", bad);
  bad.throwIfAny();
  assert.deepEqual(v.models, ["a", "b", "c"]);
  assert.equal(inputSpecs(["weights"], {}, OPTIONS)[0]!.widget, "radio");
});

test("the reproduction line names the options that differ from the experiment's defaults, quoted for a shell", () => {
  const d = descriptor("penalty-ablation").defaults as unknown as Record<string, unknown>;
  assert.equal(experimentCommand("penalty-ablation", { ...d, tasks: ["arithmetic"] }, d), "npm run fit -- --experiment penalty-ablation --task arithmetic");
  assert.equal(
    experimentCommand("penalty-ablation", { ...d, tasks: ["arithmetic"], models: ["Yarn-Llama-2-7b-8k", "Yarn-Llama-2-13b-8k"], variant: "penalty=decay", resamples: 0, weights: "binomial" }, d),
    "npm run fit -- --experiment penalty-ablation --task arithmetic --model Yarn-Llama-2-7b-8k,Yarn-Llama-2-13b-8k --law penalty=decay --resamples 0 --weights binomial");
  assert.match(experimentCommand("x", { tasks: ["it's"] }, {}), /--task 'it'\\''s'/);
  // The public models' threshold is a compute: written as the command line reads it back.
  const p = descriptor("public-compute").defaults as unknown as Record<string, unknown>;
  assert.match(experimentCommand("public-compute", { ...p, threshold: 3e22 }, p, "public-models"), /--threshold 3e\+22$/);
});
