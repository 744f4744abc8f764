// Reading dropped files and folders with the File API for the "Your data" page (nothing
// leaves the browser), and saving text as a download.
import { el } from "../render/dom.js";

export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Files larger than this inside a folder are skipped (a folder drop may hold anything). */
const FOLDER_FILE_LIMIT = 64 * 1024 * 1024;
/** The kinds of file a folder contributes: every format reads CSV or JSON. */
const READABLE = /\.(csv|json)$/i;

/** UTF-8 text as Node's readFileSync(…, "utf8") gives it: a byte-order mark kept, invalid bytes as U+FFFD, so the importers report both. */
export async function textOf(file) {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.arrayBuffer());
}

const hidden = (path) => path.split("/").some((part) => part.startsWith(".") || part === "node_modules");

/** Reads File objects into {name, text, fromFolder}; folder files only if a format could read them. */
export async function readAll(items, skipped) {
  const out = [];
  for (const { file, name, fromFolder } of items) {
    if (fromFolder && (hidden(name) || !READABLE.test(name))) {
      skipped.push(`${name} (not CSV or JSON)`);
      continue;
    }
    if (fromFolder && file.size > FOLDER_FILE_LIMIT) {
      skipped.push(`${name} (${(file.size / 1e6).toFixed(0)} MB, larger than ${FOLDER_FILE_LIMIT / 1024 / 1024} MB)`);
      continue;
    }
    out.push({ name, text: await textOf(file), fromFolder, size: file.size });
  }
  return out;
}

// --- Drag and drop: folders through the File and Directory Entries API -----------------------

const entryFile = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));

async function directoryEntries(dir) {
  const reader = dir.createReader();
  const all = [];
  // readEntries returns the entries in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function walkEntry(entry, out, fromFolder) {
  if (entry.isFile) {
    out.push({ file: await entryFile(entry), name: entry.fullPath.replace(/^\//, ""), fromFolder });
  } else if (entry.isDirectory) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return;
    for (const child of await directoryEntries(entry)) await walkEntry(child, out, true);
  }
}

/** The files of a drop: folders walked recursively (paths kept, as the importers read model and dataset from them). */
export async function droppedItems(dataTransfer) {
  const out = [];
  const items = [...(dataTransfer.items ?? [])].filter((i) => i.kind === "file");
  if (items.length) {
    // Entries must be taken synchronously, before the first await: the list is emptied after the event.
    const pairs = items.map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
    for (const { entry, file } of pairs) {
      if (entry) await walkEntry(entry, out, false);
      else if (file) out.push({ file, name: file.webkitRelativePath || file.name, fromFolder: false });
    }
  } else {
    for (const file of dataTransfer.files ?? []) out.push({ file, name: file.webkitRelativePath || file.name, fromFolder: false });
  }
  return out;
}

export function fromInput(input) {
  return [...input.files].map((file) => ({ file, name: file.webkitRelativePath || file.name, fromFolder: Boolean(file.webkitRelativePath) }));
}

export const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function download(text, filename, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

