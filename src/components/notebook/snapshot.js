// Citable, checkable pages: the results baked at build time (src/data/baked/[experiment].json.ts), the
// comparison of this browser's numbers with them, the snapshot this page belongs to (its
// manifest.json, written by `npm run snapshot`), a "Cite this page" block and the page's own
// source. Everything is read relative to the page, so a snapshot works under any sub-path.
import { FileAttachment } from "observablehq:stdlib";
import { PAPER, firstDifference as libFirstDifference } from "../lib-light.js";
import { siteData } from "./site-data.js";
import { codeVersion } from "../render/provenance.js";
import { el } from "../render/dom.js";


// One file per experiment (src/data/baked/[experiment].json.ts), each named literally so that
// the build finds it: a page fetches only the results it shows, not every experiment's.
const BAKED_FILES = {
  "in-distribution": () => FileAttachment("../../data/baked/in-distribution.json"),
  "context-generalisation": () => FileAttachment("../../data/baked/context-generalisation.json"),
  "penalty-ablation": () => FileAttachment("../../data/baked/penalty-ablation.json"),
  "figure-1": () => FileAttachment("../../data/baked/figure-1.json"),
  "compute-holdout": () => FileAttachment("../../data/baked/compute-holdout.json"),
  "extension-technique": () => FileAttachment("../../data/baked/extension-technique.json"),
  "public-compute": () => FileAttachment("../../data/baked/public-compute.json"),
};
/** The experiments whose results the build bakes (src/lib/node/bake.ts BAKED_EXPERIMENTS; a test checks they agree). */
export const BAKED_EXPERIMENTS = Object.keys(BAKED_FILES);

const baked = new Map();
/**
 * The build's results of one experiment: {settings, dataSha256, modelsSha256, kernelSha256,
 * results: {[experiment]: {[task]: result}}}; for an experiment the build does not bake (a plan
 * written in a page), {results: {}}.
 */
export function bakedExperiment(experiment) {
  if (!baked.has(experiment)) baked.set(experiment, BAKED_FILES[experiment] ? BAKED_FILES[experiment]().text().then(JSON.parse) : Promise.resolve({ results: {} }));
  return baked.get(experiment);
}

/** The results of several experiments (default: all), merged into one {settings, …hashes, results} object. */
export async function bakedResults(experiments = BAKED_EXPERIMENTS) {
  const parts = await Promise.all(experiments.map(bakedExperiment));
  return { ...parts[0], results: Object.assign({}, ...parts.map((p) => p.results)) };
}

let sources;
function pageSources() {
  sources ??= FileAttachment("../../data/page-sources.json").text().then(JSON.parse);
  return sources;
}

let snapshot;
/** The snapshot's manifest ({version, id, created, commit, files}), or null outside a snapshot. */
export function snapshotInfo() {
  snapshot ??= fetch(new URL("manifest.json", document.baseURI))
    .then((r) => (r.ok ? r.json() : null))
    .then((m) => (m && typeof m.id === "string" ? m : null))
    .catch(() => null);
  return snapshot;
}

/** Same settings as the baked run (and every model): only then can the numbers be compared. */
export function sameSettings(settings, bakedSettings, models = "all") {
  if (models !== "all") return false;
  const keys = new Set([...Object.keys(settings), ...Object.keys(bakedSettings)]);
  return [...keys].every((k) => settings[k] === bakedSettings[k]);
}

/** The first difference between baked and recomputed results (src/lib/diff.ts), or null. */
export function firstDifference(baked, computed, path = "") {
  return libFirstDifference(baked, computed, path, "this browser");
}

/** A status line: reproduced identically, or the first difference, or why no comparison. */
export function reproductionLine(outcome) {
  const p = el("p", { class: `reproduction ${outcome.state}`, dataset: { reproduction: outcome.state } });
  // As the page's static copy says it (src/lib/node/static-outputs.ts): the check made when it was built.
  if (outcome.state === "identical") p.dataset.staticText = "Reproduced in Chromium when this page was built: identical. Every number here equals, bit for bit, the one computed in Node at build time. With JavaScript on, your browser reruns them and checks again.";
  if (outcome.state === "identical") p.append(`Reproduced in this browser: identical. Every number above (${outcome.count} result${outcome.count > 1 ? "s" : ""}) equals, bit for bit, the one baked into this page at build time in Node.`);
  else if (outcome.state === "different") p.append(`Reproduced in this browser: DIFFERENT. First difference: ${outcome.detail}.`);
  else if (outcome.state === "pending") p.append("Showing the numbers baked at build time; rerunning them in this browser to check them …");
  else p.append(`Not compared with the baked numbers: ${outcome.detail}.`);
  return p;
}

const STATIC_SNAPSHOT = "see manifest.json beside this page: a published snapshot names its version and id there (the id is that file's SHA-256; with JavaScript on, they are shown here)";
// What the static copy cites: the page and its version, the snapshot id and address left for the reader to fill in.
const STATIC_CITATION = { static: true };

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

function bibtex(pageName, title, snap, build) {
  const fixed = snap?.static === true;
  if (fixed) snap = null;
  const version = snap?.version ?? build?.version ?? "unknown";
  const year = (snap?.created ?? build?.builtAt ?? new Date().toISOString()).slice(0, 4);
  const id = fixed ? "snapshot <id in manifest.json beside this page>" : snap ? `snapshot ${snap.id}` : "not a published snapshot (development build)";
  return [
    `@misc{contextscaling_${slug(pageName)}_${slug(version)},`,
    `  title        = {Context-aware scaling laws, reproduced: ${title}},`,
    `  author       = {{The context-scaling-site contributors}},`,
    `  year         = {${year}},`,
    `  version      = {${version}},`,
    `  note         = {${id}; page ${pageName}; reproduces Montgomery et al., arXiv:2510.14919},`,
    `  howpublished = {\\url{${fixed ? "<address of this page>" : location.href.split("?")[0]}}},`,
    `}`,
  ].join("\n");
}

const PAPER_BIBTEX = [
  "@article{montgomery2025contextaware,",
  "  title   = {Predicting Task Performance with Context-aware Scaling Laws},",
  "  author  = {Montgomery and Park and Tu and Bendersky and Gunel and Song and Wang},",
  "  journal = {arXiv preprint arXiv:2510.14919},",
  "  year    = {2025},",
  "}",
].join("\n");

/** This page's name (its .md file without the extension), from the address: works under any sub-path. */
export function currentPage() {
  const last = decodeURIComponent(location.pathname.split("/").pop() ?? "");
  return last.replace(/\.html$/, "") || "index";
}

/**
 * The footer of every page: snapshot identity, build provenance, "Cite this page" and the
 * page's own source. `pageName` is the page's file name without ".md".
 */
export async function pageFooter(pageName, title) {
  const [data, snap, srcs] = await Promise.all([siteData(), snapshotInfo(), pageSources()]);
  const box = el("div", { class: "page-footer", dataset: { footer: pageName } });
  const dl = el("dl", { class: "snapshot-info" });
  const item = (term, value, key, staticText) => dl.append(el("dt", {}, term), el("dd", { dataset: { key, ...(staticText ? { staticText } : {}) } }, value));
  // The page's static copy (written at build time, before any snapshot exists) cannot name its
  // snapshot: a snapshot's id is the hash of a manifest that lists this very file.
  item("snapshot", snap ? `${snap.version}, id ${snap.id}, made ${snap.created.slice(0, 10)}` : "none: this is a development build, not a published snapshot (npm run snapshot makes one)", "snapshot", STATIC_SNAPSHOT);
  item("built", data.build?.builtAt ?? "unknown", "built");
  item("code version", codeVersion(data.build), "code-version-footer");
  item("data", `data/observations.csv, SHA-256 ${data.hashes.observations ?? "unavailable"}`, "data-sha256-footer");
  item("kernel", `kernel.wasm, SHA-256 ${data.hashes.kernel ?? "unavailable"}`, "kernel-sha256-footer");
  box.append(el("h3", {}, "Provenance and citation"), dl);

  const cite = el("details", { class: "cite", open: false }, el("summary", {}, "Cite this page"));
  cite.append(
    el("p", {}, "This page, naming the snapshot it belongs to:"),
    el("pre", { dataset: { bibtex: "page", staticText: bibtex(pageName, title, STATIC_CITATION, data.build) } }, bibtex(pageName, title, snap, data.build)),
    // The id names the whole manifest (version, commit, time, every file's hash), so a reader
    // holding a copy can check it is this snapshot, not merely a self-consistent one.
    el("p", { dataset: { staticText: "Check that a copy of a published snapshot is exactly the one cited (in a checkout of the project, with the copy in snapshots/; its id is in manifest.json beside this page):" } }, snap ? "Check that a copy of this snapshot is exactly the one cited (in a checkout of the project, with the copy in snapshots/):" : "This is a development build: there is no snapshot id to check. A published snapshot is checked with:"),
    el("pre", { dataset: { verify: "", staticText: "npm run verify -- snapshots/<version> --id <snapshot id>" } }, snap ? `npm run verify -- snapshots/${snap.version} --id ${snap.id}` : "npm run verify -- snapshots/<version> --id <snapshot id>"),
    el("p", {}, "And the study it reproduces:"),
    el("pre", { dataset: { bibtex: "paper" } }, PAPER_BIBTEX),
    el("p", {}, `${PAPER.citation}. `, el("a", { href: `https://arxiv.org/abs/${PAPER.arxiv}` }, `arXiv:${PAPER.arxiv}`)),
  );
  box.append(cite);

  const text = srcs[`${pageName}.md`];
  if (text !== undefined) {
    const blobUrl = URL.createObjectURL(new Blob([text], { type: "text/markdown" }));
    const source = el("details", { class: "page-source" }, el("summary", {}, `Source of this page (src/${pageName}.md)`));
    source.append(el("p", { dataset: { liveOnly: "" } }, el("a", { href: blobUrl, download: `${pageName}.md`, dataset: { sourceLink: pageName } }, `download ${pageName}.md`)), el("pre", {}, text));
    box.append(source);
  }
  return box;
}
