// The "Beyond the paper" page: the analysis of src/lib/beyond.ts, computed at build time by
// src/data/beyond.json.ts from other studies' published results, drawn as tables and figures.
// Every place that shows a study's numbers names the study, its repository and its licence.
import { num, PENALTY_SHAPES, tallyText, shortAttribution, beyondHeadlineTable, beyondLawsTable, beyondRulesTable, beyondGroupsTable, beyondPenaltyShapesTable } from "../lib-light.js";
import { chart } from "../render/vega.js";
import { htmlTable } from "../render/tables.js";
import { el } from "../render/dom.js";
import { overviewSpec, contextSpec, computeSpec, penaltySpec } from "./beyond-figures.js";

// ---- sections ----

function studiesTable(studies, files) {
  return htmlTable(
    [{ label: "study" }, { label: "citation" }, { label: "repository (files read)" }, { label: "licence" }, { label: "files", align: "right" }],
    studies.map((s) => [s.name, s.citation, s.repository, s.licence, String(files?.find((f) => f.study === s.id)?.files.length ?? "—")]),
    { table: "beyond-studies" },
  );
}

function citeLine(s) {
  return el("p", { class: "beyond-cite", dataset: { cite: s.id } },
    el("strong", {}, "Data: "), `${s.citation}. `, el("span", {}, `Files from ${s.repository}, licence ${s.licence}. `),
    "Their numbers, analysed by this project; the study's authors did not take part.");
}

function failuresTable(groups) {
  const rows = groups.filter((g) => g.failures.length).flatMap((g) => g.failures.map((f, i) => [i === 0 ? g.id : "", f]));
  return rows.length
    ? htmlTable([{ label: "group" }, { label: "what fails" }], rows, { table: "beyond-failures" })
    : el("p", {}, "No group fails any rule.");
}

function penaltyTable(groups) {
  const rows = groups.flatMap((g) => (g.penalty ?? []).map((p) => [g.id, String(p.shots), Math.round(p.n_pmt).toLocaleString("en-US"), p.n_ctx.toLocaleString("en-US"), num(p.n_pmt / p.n_ctx, 2), num(p.observed, 3), num(p.unpenalised, 3), p.ratio === null ? "—" : num(p.ratio, 2)]));
  if (!rows.length) return null;
  return htmlTable(
    [{ label: "group" }, { label: "shots", align: "right" }, { label: "n_pmt", align: "right" }, { label: "n_ctx", align: "right" }, { label: "n_pmt / n_ctx", align: "right" }, { label: "observed", align: "right" }, { label: "unpenalised prediction", align: "right" }, { label: "observed / unpenalised", align: "right" }],
    rows, { table: "beyond-penalty" },
  );
}

/** A table model of src/lib/beyond/tables.ts as an HTML table (the text output prints the same model). */
const modelTable = (m, dataset) => htmlTable(m.columns, m.rows, dataset);

// The penalty shapes: the options of src/lib/law.ts.
const SHAPES = PENALTY_SHAPES;

/** Step vs soft vs decay past n_ctx (src/lib/beyond/analysis.ts): one row per group with points there. */
function penaltyShapesTable(groups) {
  const model = beyondPenaltyShapesTable(groups);
  return model && modelTable(model, { table: "beyond-penalty-shapes" });
}

async function studySection(result, s, width) {
  const study = s.study;
  const groups = result.groups.filter((g) => g.study === study.id);
  const section = el("section", { class: "beyond-study", id: `study-${study.id}`, dataset: { study: study.id } });
  section.append(el("h2", {}, study.name), citeLine(study));
  section.append(el("p", {}, el("strong", {}, "What it tests: "), `${study.axis}. `, el("strong", {}, "Hold-out: "), `${groups[0]?.holdOut.scheme ?? "—"}.`));
  section.append(el("details", { class: "beyond-caveats" }, el("summary", {}, "What the files do not say, and how it is handled"),
    el("ul", {}, ...study.unknowns.map((u) => el("li", {}, u)), ...s.notes.map((n) => el("li", {}, `import: ${n}`)))));
  const held = groups.filter((g) => g.best);
  section.append(el("p", { class: "beyond-summary", dataset: { summary: study.id } },
    `${s.groups} fit groups, ${s.points.toLocaleString("en-US")} points (${s.pastContext} past n_ctx). Median best held-out MAE ${num(s.medianHeldOutMae, 3)}; ` +
      `${s.withinFivePoints} of ${s.withHeldOut} groups within 0.05. Decided best by held-out MAE: ${Object.entries(s.wins).map(([v, n]) => `${v} in ${n} group${n > 1 ? "s" : ""}`).join(", ") || "in no group"}; cannot tell in ${s.cannotTell} group${s.cannotTell === 1 ? "" : "s"}` +
      `${held.length < groups.length ? `; ${groups.length - held.length === 1 ? "1 group had" : `${groups.length - held.length} groups had`} nothing any variant could predict` : ""}.`));

  // The figure of the paper's kind.
  let spec;
  let caption;
  if (study.id === "pythia") {
    spec = computeSpec(groups, width);
    caption = `${shortAttribution(study)}: accuracy against training compute for each shot count, 7 sizes × 6 checkpoints. Lines: the best variant (${groups.map((g) => `${g.task}: ${g.variant}`).join("; ")}) fitted to every size but the largest; open diamonds: pythia-12b, held out and predicted.`;
  } else if (study.id === "bertsch2024") {
    const ns = groups.flatMap((g) => g.points.map((p) => p.n_pmt));
    const domain = [Math.min(...ns) / 1.5, Math.max(...ns) * 1.5];
    const columns = width >= 900 ? 3 : width >= 600 ? 2 : 1;
    spec = contextSpec(groups, { width, columns, panelWidth: Math.floor((width - 40) / columns - 75), panelHeight: 170, colorBy: "task", domain });
    caption = `${shortAttribution(study)}: accuracy against the estimated prompt length, one panel per model, one colour per dataset. Lines: fixed-compute fitted to all but the two longest prompts of each model and dataset; open diamonds: those two, held out and predicted. Dashed: the model's trained context limit n_ctx.`;
  } else {
    const domain = [5000, 170000];
    const columns = width >= 1000 ? 8 : width >= 760 ? 6 : width >= 560 ? 4 : 2;
    spec = contextSpec(groups, { width, columns, panelWidth: Math.floor((width - 20) / columns - 42), panelHeight: 80, colorBy: "none", domain });
    caption = `${shortAttribution(study)}: ICL score against input length (8k–128k) for each of the ${groups.length} models. Lines: fixed-compute fitted to 8k–64k; open diamonds: 128k, held out and predicted. Dashed: the model's context window where it falls inside the axis.`;
  }
  section.append(await chart(spec, { name: `beyond-${study.id}`, caption }));

  section.append(el("h3", {}, "Held-out error of each variant"));
  section.append(el("p", { class: "fit-meta" }, `MAE on the held-out points of each group (score on a 0–1 scale). *: the variant refused because the group has one compute level (α not identifiable) and fitted in its fixed-compute form instead (the compute factor a free constant), the rule src/lib/run.ts applies to every experiment: so soft vs sharp penalty and additive vs multiplicative are compared on the context axis; full* is then the fixed-C column's fit again and is not ranked among the best. “1 level”: refused for one compute level with no fixed-compute form to fit; “too few”: fewer points than the variant has parameters plus one; “nothing fixed”: refused because the points determine none of the law's parameters; “other C”: fixed-compute cannot predict another compute level. Fit MAE: the best in-sample MAE. Data: ${shortAttribution(study)}.`));
  section.append(el("div", { class: "beyond-scroll" }, modelTable(beyondGroupsTable(result, study.id), { table: "beyond-groups", study: study.id })));

  section.append(el("h3", {}, "Where it fails"));
  section.append(el("div", { class: "beyond-scroll" }, failuresTable(groups)));
  const pt = penaltyTable(groups);
  if (pt) {
    section.append(el("h3", {}, "The penalty past n_ctx the data show"));
    section.append(el("p", {}, `Observed score divided by the unpenalised prediction of a fixed-compute fit to the points inside the window. The paper's sharp penalty says ≈ 0 here. Data: ${shortAttribution(study)}.`));
    section.append(el("div", { class: "beyond-scroll" }, pt));
  }
  const shapes = penaltyShapesTable(groups);
  if (shapes) {
    const w = s.penaltyShapeWins;
    section.append(el("h3", {}, `${SHAPES.map((p, i) => (i ? p : p[0].toUpperCase() + p.slice(1))).join(", ").replace(/, ([^,]*)$/, " or $1")} past n_ctx`));
    section.append(el("p", {}, `The law with each penalty (in its fixed-compute form where the group has one compute level): (a) fitted to the points inside the window, MAE on the points past it; (b) fitted to all points, in-sample MAE over all points / over those past n_ctx. “?”: the points inside the window leave the error past it open (the range of the equally good fits follows), so (a) rests on whatever value the search stopped at and never counts as a win. Decided by paired comparisons in ${w.groups} groups: (a) ${tallyText(w.inside)}; (b) ${tallyText(w.all)}. Data: ${shortAttribution(study)}.`));
    section.append(el("div", { class: "beyond-scroll" }, shapes));
  }
  return section;
}

function provenance(data, build) {
  const box = el("div", { class: "provenance", dataset: { provenance: "" } }, el("h3", {}, "Provenance"));
  const dl = el("dl");
  const item = (term, value, key) => dl.append(el("dt", {}, term), el("dd", { dataset: { key } }, value));
  item("computed", "when the site was built, by src/data/beyond.json.ts (the analysis of src/lib/beyond.ts); the page only draws it", "computed");
  item("same numbers from the command line", el("code", {}, data.command), "command");
  item("settings", `seed ${data.settings.seed}, ${data.settings.restarts} global searches per fit, variants ${data.settings.variants.join(", ")}`, "settings");
  item("files read", `${data.files.reduce((a, f) => a + f.files.length, 0)} files from ${data.folder}`, "files");
  item("kernel", `kernel.wasm, SHA-256 ${data.kernel.sha256}`, "kernel-sha256");
  if (build) item("code version", `${build.package} ${build.version}, ${build.gitCommit ? `commit ${build.gitCommit.slice(0, 12)}${build.gitDirty ? " with uncommitted changes" : ""}` : "no git commit recorded"}`, "code-version");
  box.append(dl);
  const list = el("details", {}, el("summary", {}, "SHA-256 of every file read"),
    el("div", { class: "beyond-scroll" }, htmlTable([{ label: "study" }, { label: "file" }, { label: "SHA-256" }],
      data.files.flatMap((f) => f.files.map((x) => [f.study, x.path, x.sha256])), { table: "beyond-files" })));
  box.append(list);
  return box;
}

/** The page body when the other studies' files were absent at build time: where to get them, nothing else. */
function absent(data) {
  return el("div", { class: "beyond-absent", dataset: { available: "false" } },
    el("p", { class: "refused" }, el("strong", {}, "The other studies' files were not there when this site was built"),
      ` (${data.reason}), so this page shows no numbers: it would rather show nothing than something made up.`),
    data.error ? el("pre", { class: "error" }, data.error) : null,
    el("p", {}, "To see the analysis, put the files where the build looks and build again (", el("code", {}, "npm run build"), "), or print it with ", el("code", {}, "npm run import -- beyond"), ":"),
    el("pre", { class: "beyond-where" }, data.whereToGet),
    el("p", {}, "The studies, to cite wherever their numbers are used:"),
    studiesTable(data.studies, null));
}

export async function beyondPage(data, build) {
  const root = el("div", { class: "beyond-page", dataset: { available: String(data.available) } });
  if (!data.available) {
    root.append(absent(data));
    return root;
  }
  const width = Math.min(root.clientWidth || document.querySelector("#observablehq-main")?.clientWidth || 1000, 1100);
  const studies = data.studies.map((s) => s.study);

  root.append(el("p", { dataset: { computed: "" } }, `Computed when this site was built, from the ${data.files.reduce((a, f) => a + f.files.length, 0)} files in ${data.folder}; `,
    el("code", {}, data.command), " prints the same numbers (provenance at the end of the page)."));
  root.append(el("h2", {}, "How well it holds"));
  root.append(el("p", {}, "One row per study. A fit group is one model and dataset (context axis) or one task pooled over model sizes and checkpoints (compute axis). Every variant is fitted to the training part of the group's hold-out and predicts the rest; the best variant is the one with the lowest held-out MAE, decided only where a paired bootstrap interval of its difference from every other variant excludes 0; the rest count as “cannot tell”. ",
    "Data: ", ...studies.flatMap((s, i) => [i ? "; " : "", shortAttribution(s)]), " (full citations under ", el("a", { href: "#the-studies" }, "The studies"), ")."));
  root.append(modelTable(beyondHeadlineTable(data), { table: "beyond-headline" }));
  root.append(await chart(overviewSpec(data, width), {
    name: "beyond-overview",
    caption: `Held-out MAE of the best variant in every fit group (one dot each; the vertical spread only separates the dots). Data: ${studies.map(shortAttribution).join("; ")}.`,
  }));

  root.append(el("h2", {}, "Which variant fits best"));
  root.append(el("p", {}, "On the context axis (Bertsch et al., HELMET) each group is one model, one compute level: α cannot be identified, so every law is fitted in its fixed-compute form (the compute factor a free constant, marked *), and sharp against soft penalty, multiplicative against additive, are compared by held-out error there. HELMET's groups have five points, too few for the soft penalty's five parameters. On the compute axis (Pythia) every variant is fitted; prompts stay far inside the 2,048-token window, so full and no-penalty coincide."));
  for (const s of data.studies) {
    root.append(el("h4", {}, `${s.study.name}`, el("span", { class: "fit-meta" }, ` — data from ${s.study.repository.split(" ")[0]}, ${s.study.licence}`)));
    root.append(modelTable(beyondLawsTable(data, s.study.id), { table: "beyond-variants", study: s.study.id }));
  }

  root.append(el("h2", {}, "Where it fails"));
  root.append(el("p", {}, "By stated rules (src/lib/beyond.ts), counted per study; each study's section lists every group and rule."));
  root.append(modelTable(beyondRulesTable(data), { table: "beyond-rules" }));
  if (data.groups.some((g) => g.penalty?.some((p) => p.ratio !== null))) {
    const penaltyStudies = studies.filter((s) => data.groups.some((g) => g.study === s.id && g.penalty?.length));
    root.append(el("p", {}, "Past the context limit the paper's law switches performance off within about ten tokens. Where the studies ran models past their window, the data show how much of the score survives:"));
    root.append(await chart(penaltySpec(data, width), {
      name: "beyond-penalty",
      caption: `Observed score / the unpenalised prediction of a fixed-compute fit to the points inside the window, for every point past n_ctx. Above 0 the model still works past its stated window. Data: ${penaltyStudies.map(shortAttribution).join("; ")}.`,
    }));
  }

  root.append(el("h2", { id: "the-studies" }, "The studies"));
  root.append(studiesTable(studies, data.files));
  for (const s of data.studies) root.append(await studySection(data, s, width));
  root.append(provenance(data, build));
  return root;
}
