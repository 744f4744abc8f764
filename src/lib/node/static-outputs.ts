// Static outputs: every page of the built site is run once in headless Chromium at build time,
// and what each of its cells displayed is written into the page's HTML, inside the cell's
// loading placeholder (<observablehq-loading>, the element Framework's runtime removes when the
// cell first displays). A reader without JavaScript, a search engine, a web archive or a printer
// gets every figure, table and number the page shows for its default inputs; with JavaScript
// the live cell replaces its static twin in place, in the same DOM operation, so nothing
// flashes or is shown twice. Running the page itself (rather than rendering again in Node) keeps
// one code path for both: the static output is the live one, captured. See the README.
//
// This module holds the two halves that do not need a browser process of their own: the
// function run in the page to collect its outputs, and the pure insertion into the HTML.

/** One cell's captured output: its root id (the comment <!--:id:--> Framework marks it with) and HTML. */
export interface CellOutput {
  id: string;
  html: string;
}

/** A figure's downloads, written beside the page as files (a static page has no script to make them). */
export interface FigureDownload {
  /** the chart's name (data-chart), the stem of its files */
  name: string;
  svg: string;
  csv: string | null;
}

export interface PageCapture {
  cells: CellOutput[];
  downloads: FigureDownload[];
}

/**
 * Runs in the page: whether it has computed and shown everything it shows on load (the
 * "page-ready" mark of src/components/notebook/timing.js, every fit status done or absent, no
 * cell still loading). The browser tests wait for the same.
 */
export function pageSettled(): boolean {
  if (performance.getEntriesByName("page-ready").length === 0) return false;
  // "absent": a notebook whose data this build lacks has nothing to run.
  const busy = [...document.querySelectorAll(".fit-status")].some((s) => !["done", "absent"].includes((s as HTMLElement).dataset.state ?? ""));
  // A cell's loading placeholder stays until the cell first displays: once settled, none is left
  // on any of the site's pages (the JS-off browser test checks it).
  const loading = document.querySelector("#observablehq-main .observablehq--loading, #observablehq-main observablehq-loading");
  return !busy && !loading && document.readyState === "complete";
}

/**
 * Runs in the page: settled, or (for a page that never marks "page-ready", such as a page of
 * prose a reader added) quiet: no fit running and nothing changing, for 10 s once every cell has
 * displayed (no loading placeholder left), or for 60 s while some cell still has not (one that
 * waits for a click never will). A slow page (DuckDB on a loaded machine) can be quiet for 10 s
 * with cells still pending, so their placeholders count: the capture once missed two of the Data
 * page's tables that way. The build's capture waits for it.
 */
export function pageSettledOrQuiet(wait: { quietMs: number; pendingMs: number } = { quietMs: 10_000, pendingMs: 60_000 }): boolean {
  // Self-contained: a function run in the page cannot call another of this module.
  const busy = [...document.querySelectorAll(".fit-status")].some((s) => !["done", "absent"].includes((s as HTMLElement).dataset.state ?? ""));
  const quiet = !busy && !document.querySelector("#observablehq-main .observablehq--loading") && document.readyState === "complete";
  const pending = document.querySelectorAll("#observablehq-main observablehq-loading").length;
  if (quiet && pending === 0 && performance.getEntriesByName("page-ready").length > 0) return true; // settled (pageSettled)
  const w = globalThis as unknown as { __quietSince?: number; __quietSignature?: string };
  // What is on the page: a change of it restarts the quiet time.
  const signature = `${pending}:${document.querySelector("#observablehq-main")?.innerHTML.length ?? 0}`;
  if (!quiet || signature !== w.__quietSignature) {
    w.__quietSince = quiet ? performance.now() : undefined;
    w.__quietSignature = signature;
    return false;
  }
  w.__quietSince ??= performance.now();
  return performance.now() - w.__quietSince > (pending ? wait.pendingMs : wait.quietMs);
}

/**
 * Runs in the page: the message of each cell that shows an error (Framework's inspector marks
 * them observablehq--error). A page is not captured with one: its static copy would show the error
 * as the page's result, and a cell that failed may have left others waiting on it.
 */
export function cellErrorsInPage(): string[] {
  return [...document.querySelectorAll("#observablehq-main .observablehq--error")].map((e) => (e.textContent ?? "").trim().slice(0, 300));
}

/** Attribute that marks a placeholder holding a static output (style.css shows it as the output). */
export const STATIC_ATTRIBUTE = "data-static";

/**
 * Runs in the page before any of its scripts (page.addInitScript): records every node the
 * runtime displays, by the cell it belongs to. Framework inserts a cell's outputs right before
 * the cell's root comment (<!--:id:-->), block and inline cells alike; a page may later put a
 * new node in an output's place (replaceWith), or beside it in the cell's block.
 */
export function recordOutputs(): void {
  const ROOT = /^:([0-9a-f]{8}(?:-\d+)?):$/;
  const owner = new Map<Node, string>();
  (globalThis as unknown as { __cellOutputs: Map<Node, string> }).__cellOutputs = owner;
  const rootOf = (node: Node | null): string | null => (node?.nodeType === Node.COMMENT_NODE ? (ROOT.exec((node as Comment).data)?.[1] ?? null) : null);
  new MutationObserver((records) => {
    for (const r of records) {
      const parent = r.target as Element;
      const id = rootOf(r.nextSibling)
        ?? [...r.removedNodes].map((n) => owner.get(n)).find((x) => x !== undefined)
        ?? (parent.classList?.contains("observablehq--block") ? [...parent.childNodes].map(rootOf).find((x) => x !== null) : null);
      // (Comments are the parser's roots, not outputs.)
      if (id) for (const n of r.addedNodes) if (n.nodeType !== Node.COMMENT_NODE) owner.set(n, id);
    }
  }).observe(document, { childList: true, subtree: true });
}

/**
 * Runs in the page (page.evaluate) once it has settled: the outputs each cell shows now (nodes
 * recorded by recordOutputs and still in the page), made inert (inputs disabled with their
 * current values written as attributes, buttons removed, what the page marks as live only left
 * out or given its static text), and each figure's SVG and CSV for the files beside the page.
 * `folder` is the path, relative to the page, of those files.
 */
export function collectInPage(folder: string): PageCapture {
  const owner = (globalThis as unknown as { __cellOutputs?: Map<Node, string> }).__cellOutputs;
  if (!owner) throw new Error("the page was loaded without recordOutputs");
  const byCell = new Map<string, Node[]>();
  for (const [node, id] of owner) {
    if (!node.isConnected || node.nodeName === "OBSERVABLEHQ-LOADING") continue;
    if (node.nodeType === Node.TEXT_NODE && (node.textContent ?? "") === "") continue;
    byCell.set(id, [...(byCell.get(id) ?? []), node]);
  }
  const cells: CellOutput[] = [];
  const downloads: FigureDownload[] = [];
  for (const [id, unordered] of byCell) {
    const nodes = unordered.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const parts: string[] = [];
    const ids = new Map<string, string>(); // Inputs' ids in this cell → static ones (below)
    for (const node of nodes) {
      if (node.nodeType !== Node.ELEMENT_NODE) {
        const span = document.createElement("span");
        span.textContent = node.textContent;
        parts.push(span.innerHTML);
        continue;
      }
      const original = node as Element;
      const copy = original.cloneNode(true) as Element;
      // Form state lives in properties, which serialising drops: write it as attributes.
      const live = original.querySelectorAll("input, select, textarea, option");
      const inert = copy.querySelectorAll("input, select, textarea, option");
      live.forEach((el, i) => {
        const c = inert[i];
        if (el instanceof HTMLInputElement) {
          if (el.type === "checkbox" || el.type === "radio") c.toggleAttribute("checked", el.checked);
          else c.setAttribute("value", el.value);
        } else if (el instanceof HTMLOptionElement) c.toggleAttribute("selected", el.selected);
        else if (el instanceof HTMLTextAreaElement) c.textContent = el.value;
        if (!(el instanceof HTMLOptionElement)) c.setAttribute("disabled", "");
      });
      if (original.matches("input, select, textarea")) copy.setAttribute("disabled", "");
      copy.querySelectorAll("button").forEach((b) => b.remove());
      // What a figure offers to save, as plain links to files beside the page.
      const figures = [original, ...original.querySelectorAll("figure.vl-figure")].filter((f) => f.matches("figure.vl-figure"));
      const copies = [copy, ...copy.querySelectorAll("figure.vl-figure")].filter((f) => f.matches("figure.vl-figure"));
      for (const [i, figure] of figures.entries()) {
        const name = (figure as HTMLElement).dataset.chart ?? "chart";
        const svg = figure.querySelector("svg");
        const csv = (figure as HTMLElement & { csv?: () => string }).csv?.() ?? null;
        if (!svg) continue;
        downloads.push({ name, svg: new XMLSerializer().serializeToString(svg), csv });
        const tools = copies[i].querySelector(".vl-tools");
        if (tools) {
          const link = (ext: string, label: string) => Object.assign(document.createElement("a"), { href: `${folder}/${name}.${ext}`, textContent: label, download: `${name}.${ext}` });
          tools.replaceChildren(link("svg", "SVG"), ...(csv === null ? [] : [" ", link("csv", "CSV")]));
        }
      }
      // What only a running page can say (timings, this browser's check, the address it was
      // loaded from) the page marks: data-live-only is left out, data-static-text replaces the
      // element's content. So the static copy is the same at every build of the same inputs.
      const all = (selector: string) => [copy, ...copy.querySelectorAll(selector)].filter((e) => e.matches(selector));
      for (const e of all("[data-live-only]")) e.remove();
      for (const e of all("[data-static-text]")) e.textContent = (e as HTMLElement).dataset.staticText ?? "";
      if (copy.matches("[data-live-only]")) continue;
      // Inputs numbers its elements' ids in the order they are made, which two notebooks on a
      // page race for: number them by cell and position instead, labels with them.
      for (const e of all("[id^=inputs-]")) {
        ids.set(e.id, `static-${id}-${ids.size + 1}`);
        e.id = ids.get(e.id)!;
      }
      for (const label of all("label[for^=inputs-]")) label.setAttribute("for", ids.get(label.getAttribute("for")!) ?? "");
      parts.push(copy.outerHTML);
    }
    cells.push({ id, html: parts.join("") });
  }
  return { cells, downloads };
}

/**
 * The page's HTML with each captured output inside its cell's placeholder. A cell that shows a
 * value has an empty <observablehq-loading> before its root comment; a cell that calls
 * display() has none, and gets one: the runtime takes the element right before a cell's root
 * as its loading mark and removes it when the cell first displays. Throws if the page has no
 * such cell for an output (a page built again after its capture).
 */
export function insertStaticOutputs(html: string, cells: readonly CellOutput[], file = "the page"): string {
  let out = html;
  for (const { id, html: inner } of cells) {
    const root = `<!--:${id}:-->`;
    const empty = `<observablehq-loading></observablehq-loading>${root}`;
    const filled = `<observablehq-loading ${STATIC_ATTRIBUTE}="">${inner}</observablehq-loading>${root}`;
    const at = out.indexOf(empty);
    if (at >= 0) out = out.slice(0, at) + filled + out.slice(at + empty.length);
    else {
      const bare = out.indexOf(`<div class="observablehq observablehq--block">${root}`);
      if (bare < 0) throw new Error(`${file}: no placeholder for cell ${id}: was the page built again after it was captured?`);
      const start = bare + `<div class="observablehq observablehq--block">`.length;
      // "added": the placeholder is the static copy's own, so removeStaticOutputs takes it away again.
      out = out.slice(0, start) + filled.replace(`${STATIC_ATTRIBUTE}=""`, `${STATIC_ATTRIBUTE}="added"`) + out.slice(start + root.length);
    }
  }
  return out;
}

/** Attribute that marks a prefetch hint the capture added (insertPrefetches). */
export const PREFETCH_ATTRIBUTE = "data-static-prefetch";

/**
 * The page's HTML with a prefetch hint in its head for each WebAssembly file it fetched while it
 * was captured (`hrefs`, relative to the page). A page fetches DuckDB's 34 MB only once its whole
 * module graph has run and its worker has started; a hint lets the browser start it at idle
 * priority once the page is on screen, so that it never competes with what the first screen
 * needs. The worker's own request is then answered from the HTTP cache. Throws if the page has
 * no </head>, or has its hints already.
 */
export function insertPrefetches(html: string, hrefs: readonly string[], file = "the page"): string {
  if (hrefs.length === 0) return html;
  const at = html.indexOf("</head>");
  if (at < 0) throw new Error(`${file}: no </head> to put its prefetch hints in`);
  if (html.includes(`${PREFETCH_ATTRIBUTE}=`)) throw new Error(`${file}: has its prefetch hints already: was it captured twice?`);
  const links = hrefs.map((href) => `<link rel="prefetch" href="${href.replace(/"/g, "%22")}" ${PREFETCH_ATTRIBUTE}="">\n`).join("");
  return html.slice(0, at) + links + html.slice(at);
}

// One hint as insertPrefetches writes it.
const PREFETCH_LINK = new RegExp(`<link rel="prefetch" href="[^"]*" ${PREFETCH_ATTRIBUTE}="">\\n`, "g");

/**
 * The page as Framework built it: every static output and prefetch hint taken out again (the
 * inverse of insertStaticOutputs and insertPrefetches), so that `verify` can capture a
 * snapshot's pages afresh and compare.
 */
export function removeStaticOutputs(html: string): string {
  return html
    .replace(PREFETCH_LINK, "")
    .replace(/<observablehq-loading data-static="(added)?">[\s\S]*?<\/observablehq-loading>(<!--:[0-9a-f]{8}(?:-\d+)?:-->)/g,
      (_, added: string | undefined, root: string) => (added ? root : `<observablehq-loading></observablehq-loading>${root}`));
}
