// Where the numbers on a page come from: seed and settings, SHA-256 of the data and of the
// kernel (computed in this browser from the bytes it ran), and the code version of the build.
import { PAPER } from "../lib-light.js";

const el = (tag, text) => Object.assign(document.createElement(tag), text === undefined ? {} : { textContent: text });

export function codeVersion(build) {
  if (!build) return "unknown";
  const commit = build.gitCommit ? `commit ${build.gitCommit.slice(0, 12)}${build.gitDirty ? " with uncommitted changes" : ""}` : "no git commit recorded";
  return `${build.package} ${build.version}, ${commit}`;
}

const BUNDLED = { files: { observations: "data/observations.csv", models: "data/models.csv" } };

/**
 * A definition list of the provenance of one run. `data` is siteData() (kernel, build, the bundled
 * tables' hashes); `tables` the data source's tables when the run was on others (data-sources.js),
 * `thresholdUnit` what its threshold counts, `laws` the laws it fits when they are not a setting.
 */
export function provenanceBlock(data, settings, { experiment, ms, models = "all", tables = null, thresholdUnit = "tokens", laws = null, edited = [] } = {}) {
  const source = tables ?? { ...BUNDLED, hashes: data.hashes };
  const box = document.createElement("div");
  box.className = "provenance";
  box.dataset.provenance = "";
  box.append(el("h3", "Provenance"));
  const dl = document.createElement("dl");
  const item = (term, value, key) => {
    const dd = el("dd", value);
    if (key) dd.dataset.key = key;
    dl.append(el("dt", term), dd);
  };
  if (experiment) item("experiment", experiment, "experiment");
  if (edited.length) item("edited", `yes: ${edited.join(" and ")} as the reader edited ${edited.length > 1 ? "them" : "it"} in this browser, not the published page's`, "edited");
  if (settings) {
    item("law under test", laws ?? settings.variant, "variant");
    item("least-squares weights", settings.weights ?? "none (the paper's unweighted fit)", "weights");
    item("seed", String(settings.seed), "seed");
    item("global searches per fit", String(settings.restarts), "restarts");
    item(thresholdUnit === "tokens" ? "hold-out threshold (context generalisation)" : "hold-out threshold (compute)", `${thresholdUnit === "tokens" ? settings.threshold : settings.threshold.toExponential()} ${thresholdUnit}`, "threshold");
    if (settings.resamples !== undefined) item("bootstrap", settings.resamples > 0 ? `${settings.resamples} resamples of ${settings.scheme}, 95 % percentile intervals` : "none (point estimates only)", "bootstrap");
  }
  item("models", models === "all" ? "all models in the data" : models === "query" ? "those the edited query returns" : `${models.join(", ")} (the command line's --model)`, "models");
  item("data", `${source.files.observations}, SHA-256 ${source.hashes.observations ?? "unavailable (this page is not in a secure context)"}`, "data-sha256");
  item("models table", `${source.files.models}, SHA-256 ${source.hashes.models ?? "unavailable"}`, "models-sha256");
  item("kernel", `kernel.wasm, SHA-256 ${data.hashes.kernel ?? "unavailable"}`, "kernel-sha256");
  item("code version", codeVersion(data.build), "code-version");
  if (ms !== undefined) {
    item("computed", `in this browser, in Web Workers, in ${ms.toFixed(0)} ms`, "ms");
    dl.lastElementChild.dataset.staticText = "in Chromium, in Web Workers, when this page was built"; // the page's static copy: no timing
  }
  item("paper", PAPER.citation + ", https://arxiv.org/abs/" + PAPER.arxiv, "citation");
  box.append(dl);
  return box;
}
