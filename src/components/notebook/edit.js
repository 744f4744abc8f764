// A reader's edit of a notebook's two data cells, the SQL query and the plan, in the published
// page: an Edit control opens a code editor (fetched only then, src/components/editor/entry.js),
// every change is checked (the query by the page's DuckDB, locked to the site's tables; the plan
// by the run document's checks) and applied only once valid; the edit is kept in the browser and
// in the address, shown as a diff against the published cell, and offered as a document and as a
// page. An edit is data from end to end: texts, parsed as SQL or JSON, never run as script.
import { planProblems, taskProblems, documentPlans, runDocument, editedPage, editedName } from "../lib.js";
import { EDITABLE_CELLS, editParam, editPayload, encodeEdit, decodeEdit, hashParam, withHashParam, storageKey, loadStored, saveStored } from "./edit-link.js";
import { runReaderQuery } from "./db.js";
import { el, downloadLink } from "../render/dom.js";

/** How long typing pauses before the edit is checked. */
const CHECK_AFTER_MS = 300;

let editorModule;
/** The code editor, its one module fetched the first time a reader asks to edit. */
const editorLibrary = () => (editorModule ??= import("../vendor/editor.js"));

/** A cell's value as the text its editor holds. */
const textOf = (cell, value) => (cell === "plan" ? JSON.stringify(value, null, 2) : value);

/** The path of a plan problem ("plans[0].fits[1].variant: …" → [0, "fits", 1, "variant"]), for its place in the text. */
function problemPath(message) {
  const m = /^plans((?:\[\d+\]|\.[A-Za-z_$][\w$]*)*)/.exec(message);
  if (!m) return [];
  return [...m[1].matchAll(/\[(\d+)\]|\.([A-Za-z_$][\w$]*)/g)].map((x) => (x[1] !== undefined ? Number(x[1]) : x[2]));
}

/** The edit box's download of the document or the page, made from the edit as it is when clicked. */
const downloadButton = (label, name, type, make) => downloadLink(label, name, type, make, { class: "edit-download", dataset: { editDownload: name.endsWith(".md") ? "page" : "document" } });

/**
 * The editing of one notebook. `context` gives what the edit needs of the page: its experiment,
 * title and page name, the address prefix of its notebook, `site()` (the page's version), `rows()`
 * (the rows the fits would now see) and `changed()` (called when what the page shows goes stale
 * or an edit is applied).
 */
export function createEditing(context) {
  const { experiment, prefix, pageName, title } = context;
  const cells = {};
  let site = null; // {version, commit, key}, known once restore() has read the page's build
  let snapshot = Promise.resolve(null); // the snapshot's id, when the page is in one
  let notice = null; // why a link's or a stored edit could not be opened as it was, or that versions differ
  let epoch = 0; // counts applied changes: a run started before the last one shows stale numbers
  let saving = Promise.resolve();

  const bar = el("div", { class: "edit-bar", role: "region", ariaLabel: "Your edit of this page", hidden: true, dataset: { editBar: experiment, liveOnly: "" } });
  // Said in "Cite this page" while the page shows an edit: a citation names the published page, not a reader's edit.
  const citeNote = el("p", { class: "edit-cite", hidden: true, dataset: { editCite: "", liveOnly: "" } }, "This page now shows your edit, not the published numbers: a citation below names the published page. Give your edit as its link or its document (the Edited box at the top of the page) beside the citation.");

  const edited = () => Object.values(cells).some((c) => c.applied !== null || c.text !== null);
  const pending = () => Object.values(cells).some((c) => c.text !== null && !c.valid);

  /** What the page's document now is: the applied edit of each cell, else the published cell. */
  function currentDocument() {
    const query = cells.query?.applied ?? cells.query?.published;
    const plans = cells.plan?.applied ?? cells.plan?.published ?? [];
    return runDocument(query, plans, experiment);
  }

  function makeCell(cell) {
    // text: what the reader wrote (null: not edited); applied: its value once valid (null: the published cell's)
    const c = { cell, published: null, text: null, applied: null, valid: true, problems: [], editor: null, checking: null, timer: 0, rowsChecked: null, rows: null };
    const label = el("span", { class: "editable-label" }, cell === "query" ? "The query" : "The plan, as JSON");
    const edit = el("button", { type: "button", class: "edit-open", textContent: "Edit", dataset: { editOpen: cell } });
    const reset = el("button", { type: "button", class: "edit-reset", textContent: "Reset this cell", hidden: true, dataset: { editReset: cell } });
    const pre = el("pre", { class: cell === "query" ? "sql editable-text" : "editable-text plan-json" });
    // The page's static copy gives the plan's size, not its text: the public models' plans hold
    // 300 kB of JSON, which would weigh on every reader's first screen.
    if (cell === "plan") pre.dataset.staticText = "The plans as JSON: with JavaScript on, they are shown here and can be edited (npm run fit -- --json prints them with their results).";
    const host = el("div", { class: "editable-editor", hidden: true });
    const state = el("p", { class: "edit-state", role: "status", hidden: true });
    const stop = el("button", { type: "button", textContent: "Cancel", hidden: true, dataset: { editCancel: cell } });
    const problems = el("ul", { class: "edit-problems", hidden: true, dataset: { editProblems: cell } });
    const diff = el("details", { class: "edit-diff", open: true, hidden: true, dataset: { editDiff: cell } }, el("summary", {}, "Your edit against the published cell"));
    const diffText = el("pre", {});
    diff.append(diffText);
    // The editor's own input events are the reader's keystrokes, not a new value of this cell.
    host.addEventListener("input", (e) => e.stopPropagation());
    c.element = el("div", { class: "editable", dataset: { editable: cell, experiment } },
      el("div", { class: "editable-head" }, label, el("span", { dataset: { liveOnly: "" } }, " ", edit, " ", reset)), pre, host, el("div", { dataset: { liveOnly: "" } }, state, stop, problems, diff));
    c.element.value = null;
    edit.addEventListener("click", () => open(c, true));
    reset.addEventListener("click", () => resetCell(c));
    stop.addEventListener("click", () => c.checking?.abort());
    Object.assign(c, { pre, host, state, stop, problemsList: problems, diff, diffText, reset, edit });
    return c;
  }

  /** Opens the editor on the cell's edit (or its published text); `focus` when the reader asked. */
  async function open(c, focus) {
    if (c.editor) return focus && c.editor.focus();
    c.edit.disabled = true;
    show(c, "loading the editor …");
    const { openEditor } = await editorLibrary();
    c.editor = openEditor({ parent: c.host, text: c.text ?? textOf(c.cell, c.published), language: c.cell === "query" ? "sql" : "json", label: `${EDITABLE_CELLS[c.cell]} of this page`, onChange: (text) => changed(c, text) });
    c.host.hidden = false;
    c.pre.hidden = true;
    show(c, null);
    paint(c);
    if (focus) c.editor.focus();
  }

  function show(c, text, { cancel = false } = {}) {
    c.state.hidden = !text;
    c.state.textContent = text ?? "";
    c.stop.hidden = !cancel;
  }

  /** A keystroke: the numbers shown are now stale; the edit is checked once typing pauses. */
  function changed(c, text) {
    c.text = text;
    c.valid = false;
    clearTimeout(c.timer);
    c.timer = setTimeout(() => check(c), CHECK_AFTER_MS);
    context.changed();
  }

  function resetCell(c) {
    clearTimeout(c.timer);
    c.checking?.abort();
    c.editor?.destroy();
    Object.assign(c, { editor: null, text: null, valid: true, problems: [] });
    c.host.replaceChildren();
    c.host.hidden = true;
    c.pre.hidden = false;
    c.edit.disabled = false;
    show(c, null);
    apply(c, null);
    paint(c);
    keep();
  }

  /** Sets what the cell's `view` yields (null: the published cell), and lets the page rerun. */
  function apply(c, value) {
    if (JSON.stringify(c.applied) === JSON.stringify(value)) return context.changed();
    c.applied = value;
    epoch++;
    c.element.value = value ?? c.published;
    c.element.dispatchEvent(new Event("input"));
    context.changed();
  }

  /** Checks the cell's text; applies it when it is valid (or returns to the published cell when it is the published text). */
  async function check(c) {
    const text = c.text;
    if (text === null) return;
    c.checking?.abort();
    const control = (c.checking = new AbortController());
    let problems;
    let value = null;
    if (text === textOf(c.cell, c.published)) problems = [];
    else if (c.cell === "query") {
      const started = performance.now();
      show(c, "checking the query in this page's DuckDB …");
      const r = await runReaderQuery(text, {
        signal: control.signal,
        onProgress: (ms, { stage } = {}) => control.signal.aborted || show(c, stage === "loading" ? "loading the site's tables into this page's DuckDB …" : `the query has run for ${(ms / 1000).toFixed(1)} s …`, { cancel: performance.now() - started > 500 }),
      });
      if (control.signal.aborted && c.checking !== control) return; // a newer keystroke took over
      problems = r.problems;
      if (!problems.length) (value = text), (c.rows = Object.assign(r.rows, { text }));
    } else {
      const { jsonSyntaxProblems, jsonRange } = await editorLibrary();
      problems = jsonSyntaxProblems(text);
      if (!problems.length) {
        const plans = JSON.parse(text);
        const messages = !Array.isArray(plans) ? ["plans: must be a list of plans, one per task ([{experiment, task, fits, …}])"]
          : plans.length === 0 ? ["plans: must hold at least one plan"]
          : plans.flatMap((p, i) => planProblems(p, `plans[${i}]`, null, context.source));
        if (!messages.length) messages.push(...taskProblems(plans, context.rows(), ""));
        problems = messages.map((message) => ({ message, ...(jsonRange(text, problemPath(message)) ?? {}) }));
        // As `npm run fit -- --plan` reads the document the page offers: the same plans, key for key.
        if (!problems.length) value = documentPlans(JSON.parse(JSON.stringify(runDocument("", documentPlans({ plans }, "plan")))), "plan");
      }
      c.rowsChecked = context.rows();
    }
    if (c.checking !== control || c.text !== text) return;
    c.checking = null;
    c.problems = problems;
    c.valid = problems.length === 0;
    show(c, problems.length ? `${problems.length === 1 ? "One problem" : `${problems.length} problems`}: nothing runs until the edit is valid; the numbers below are from before it.` : c.cell === "query" && value !== null ? missingTasks(c.rows) : null);
    c.editor?.setProblems(problems.filter((p) => p.from !== undefined));
    if (c.valid) {
      if (text === textOf(c.cell, c.published)) c.text = null; // the published cell again: no edit
      apply(c, c.text === null ? null : value);
    } else context.changed();
    paint(c);
    keep();
  }

  /** A valid query whose rows lack a task the plan runs: said at the query, where the reader is (the fit says it too, and does not run). */
  function missingTasks(rows) {
    const plans = cells.plan?.applied ?? cells.plan?.published ?? [];
    const have = new Set(rows.map((r) => r.task));
    const lacking = [...new Set(plans.map((p) => p.task))].filter((t) => !have.has(t));
    return lacking.length ? `These rows hold no ${lacking.join(", ")}, which the plan runs: choose the tasks the query returns, or edit the plan.` : null;
  }

  /** Draws a cell's problems, diff and controls. */
  function paint(c) {
    const publishedText = c.published === null ? "" : textOf(c.cell, c.published);
    c.pre.textContent = c.text ?? publishedText;
    c.problemsList.replaceChildren(...c.problems.map((p) => el("li", {}, p.message)));
    c.problemsList.hidden = c.problems.length === 0;
    const isEdit = c.text !== null && c.text !== publishedText;
    c.reset.hidden = !isEdit && c.applied === null;
    c.diff.hidden = !isEdit;
    if (isEdit && editorModule) editorModule.then(({ lineDiff }) => {
      const lines = lineDiff(publishedText, c.text ?? publishedText).filter((l, i, all) => l.kind !== " " || [all[i - 1], all[i + 1], all[i - 2], all[i + 2]].some((n) => n && n.kind !== " "));
      c.diffText.replaceChildren(...lines.map((l) => el("span", { class: `diff-line diff-${l.kind === "+" ? "add" : l.kind === "-" ? "del" : "same"}` }, `${l.kind} ${l.text}\n`)));
    });
    paintBar();
  }

  const siteLabel = (s) => (s ? `${s.version}${s.commit ? `, commit ${s.commit.slice(0, 12)}` : ""}${s.snapshot ? `, snapshot ${s.snapshot}` : ""}` : "an unknown version");

  function paintBar() {
    const on = edited();
    bar.hidden = !on && !notice;
    citeNote.hidden = !on;
    const parts = [];
    if (notice) parts.push(el("p", { class: "edit-notice", dataset: { editNotice: "" } }, notice));
    if (on) {
      const which = Object.values(cells).filter((c) => c.applied !== null || c.text !== null).map((c) => EDITABLE_CELLS[c.cell]).join(" and ");
      const link = el("input", { type: "text", readOnly: true, value: location.href, ariaLabel: "the link to this edit", class: "edit-link", dataset: { editLink: "" } });
      const copy = el("button", { type: "button", textContent: "Copy link" });
      copy.addEventListener("click", async () => {
        link.value = location.href;
        link.select();
        try {
          await navigator.clipboard.writeText(location.href);
          copy.textContent = "Copied";
        } catch {
          copy.textContent = "Selected: copy it";
        }
      });
      const discard = el("button", { type: "button", textContent: "Reset the page (discard the edit)", dataset: { editResetAll: "" } });
      discard.addEventListener("click", () => Object.values(cells).forEach(resetCell));
      const file = editedName(pageName);
      parts.push(
        el("p", {}, el("strong", {}, "Edited. "), `This page shows the numbers of your edit of ${which}, not the published page's. They are computed in this browser; nothing is sent anywhere. The edit is kept in this browser and in this page's address.`),
        el("p", { class: "edit-actions" }, copy, " ", link, " ",
          downloadButton(`Download the document (${file}.json)`, `${file}.json`, "application/json", () => `${JSON.stringify(currentDocument(), null, 1)}\n`), " ",
          downloadButton(`Download the page (${file}.md)`, `${file}.md`, "text/markdown", () => editedPage({ document: currentDocument(), page: pageName, title, site: siteLabel(site) })), " ",
          discard),
        el("p", { class: "fit-meta" }, "Same numbers from the command line: ", el("code", {}, `npm run fit -- --plan ${file}.json`), ` on the document. The page, copied into src/ of a checkout, builds as an experiment page of its own.`),
      );
    }
    bar.replaceChildren(...parts);
  }

  /** Keeps the edit: in the browser's storage and in the address (so the address is its link). */
  function keep() {
    if (!site) return;
    const texts = Object.fromEntries(Object.values(cells).filter((c) => c.text !== null).map((c) => [c.cell, c.text]));
    saving = saving.then(async () => {
      // The edit names the version it was made on, and the snapshot when the page is in one.
      const payload = editPayload(pageName, { version: site.version, commit: site.commit, snapshot: await snapshot }, texts);
      const stored = saveStored(storageKey(site.key, prefix), payload);
      if (!stored && Object.keys(texts).length) notice = "This browser would not keep the edit (storage is off or full): it lasts as long as this page, and its link.";
      const value = Object.keys(texts).length ? await encodeEdit(payload) : null;
      history.replaceState(history.state, "", withHashParam(editParam(prefix), value));
      paintBar();
    });
  }

  return {
    bar,
    citeNote,
    hasCell: (cell) => cell in cells,
    edited,
    pending,
    epoch: () => epoch,
    /** Which cells have an applied edit. */
    editedCells: () => Object.values(cells).filter((c) => c.applied !== null).map((c) => c.cell),
    currentDocument,

    /** Reads an edit from the address (first) or the browser's storage, before the cells are drawn. */
    async restore(siteInfo, snapshotId) {
      site = siteInfo;
      snapshot = snapshotId;
      const fromLink = hashParam(editParam(prefix));
      let payload = null;
      if (fromLink !== null) {
        const r = await decodeEdit(fromLink);
        if (r.problem) {
          notice = `This link carries an edit that cannot be opened: ${r.problem}. The page shows its published cells.`;
          history.replaceState(history.state, "", withHashParam(editParam(prefix), null));
        } else payload = r.payload;
      }
      payload ??= loadStored(storageKey(site.key, prefix));
      if (!payload) return paintBar();
      if (payload.page !== pageName) notice = `This edit was made on the page ${JSON.stringify(payload.page).slice(0, 80)}, not this one: it is opened here as it is.`;
      else if (payload.site?.commit !== site.commit || payload.site?.version !== site.version)
        notice = `This edit was made on ${siteLabel(payload.site)}; this page is ${siteLabel(site)}. Its cells are opened as they were written; the published cells they are compared with may differ.`;
      for (const [cell, text] of Object.entries(payload.cells)) Object.assign((cells[cell] ??= makeCell(cell)), { text, valid: false });
      paintBar();
    },

    /**
     * The element of an editable cell (for the page's `view`): the published value, or the
     * reader's applied edit. A restored edit is checked before the cell's value is given, so the
     * page does not first run the published cell.
     */
    async editable(cell, published) {
      const c = (cells[cell] ??= makeCell(cell));
      const hadFocus = c.editor?.view.hasFocus;
      c.published = published;
      if (c.text !== null && !c.editor) await open(c, false);
      // A plan checked against other rows than these (the query changed) is checked again.
      if (c.text !== null && (!c.valid || (c.cell === "plan" && c.rowsChecked !== context.rows()))) await check(c);
      if (c.applied === null) c.element.value = published;
      paint(c);
      if (hadFocus) requestAnimationFrame(() => c.editor?.focus());
      return c.element;
    },

    /** The rows of an applied edit of the query (already run by its check), or null. */
    checkedRows: (text) => (cells.query?.applied === text ? cells.query.rows : null),
  };
}
