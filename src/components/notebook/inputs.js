// A page input made from its declaration (src/lib/settings.ts inputSpecs): the widget, label,
// range and starting value all come from the setting, so the experiment pages and Your data
// offer each setting the same way and a new setting needs no code here.
import * as Inputs from "@observablehq/inputs";
import { describeLaw, settingSpec, settingProblem } from "../lib.js";
import { taskName } from "../render/result-sections.js";

/** Why a law cannot be fitted, or null: the declaration's check of the law under test. */
const lawProblem = (law) => settingProblem(settingSpec("variant"), law);

/** An Inputs widget for a page input the declaration describes (src/lib/settings.ts inputSpecs). */
export function widget(spec) {
  const { label, value } = spec;
  switch (spec.widget) {
    case "checkbox": return Inputs.checkbox(spec.options, { label, value, format: spec.key === "tasks" ? taskName : (x) => x });
    // A name, or a composition written in the address, e.g. variant=penalty=decay,floor=fitted.
    case "select": return Inputs.select(spec.options, { label, value, format: (v) => (lawProblem(v) ? v : `${v}: ${describeLaw(v)}`) });
    case "radio": return Inputs.radio(spec.options, { label, value, format: (x) => spec.labels?.[x] ?? x });
    case "number": return Inputs.number(spec.range, { label, value, step: spec.step });
  }
  throw new Error(`no input widget "${spec.widget}"`);
}

