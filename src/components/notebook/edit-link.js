// A reader's edit of a page, as data that travels: in the address (compressed, after `#`, so
// no server ever receives it) and in the browser's storage (per page, version and notebook).
// What arrives here from a link or from storage is untrusted: it is decompressed with a size
// cap, parsed as JSON and checked field by field; it never runs as script, and what it holds
// (a query's text, a plan's text) is checked again by the page before anything runs.

/** The limits an edit must keep: the link's length, the decompressed bytes, one cell's text. */
export const EDIT_LIMITS = { linkChars: 64_000, inflatedBytes: 512_000, cellChars: 100_000 };

/** The cells a page lets a reader edit, with what each holds. */
export const EDITABLE_CELLS = { query: "the SQL query", plan: "the plan (JSON)" };

const FORMAT = "context-scaling-edit";
const VERSION = 1;
const kb = (n) => `${Math.round(n / 1000).toLocaleString("en")} kB`;

/** The address parameter (after `#`) that holds a notebook's edit: a page's second notebook has its own. */
export const editParam = (prefix = "") => `${prefix}edit`;

/** The edit as it is stored and linked: {format, version, page, site: {version, commit, snapshot}, cells: {query?, plan?}}. */
export function editPayload(page, site, cells) {
  const kept = Object.fromEntries(Object.entries(cells).filter(([, text]) => typeof text === "string"));
  return { format: FORMAT, version: VERSION, page, site, cells: kept };
}

/** Why a parsed value is not an edit this page can open, or null. */
export function payloadProblem(x) {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return "it is not an edit of a page (an object)";
  if (x.format !== FORMAT || x.version !== VERSION) return `it is not an edit this site reads (format ${JSON.stringify(x.format ?? null)}, version ${JSON.stringify(x.version ?? null)}; expected ${FORMAT} ${VERSION})`;
  if (typeof x.page !== "string") return "it names no page";
  if (typeof x.cells !== "object" || x.cells === null || Array.isArray(x.cells)) return "it has no cells";
  for (const [k, v] of Object.entries(x.cells)) {
    if (!(k in EDITABLE_CELLS)) return `its cell ${JSON.stringify(k).slice(0, 40)} is not one a reader can edit (${Object.keys(EDITABLE_CELLS).join(", ")})`;
    if (typeof v !== "string") return `its cell ${k} is not a text`;
    if (v.length > EDIT_LIMITS.cellChars) return `its cell ${k} holds ${kb(v.length)}, more than the ${kb(EDIT_LIMITS.cellChars)} a cell may hold`;
  }
  if (x.site !== undefined && (typeof x.site !== "object" || x.site === null)) return "its site version is not an object";
  return null;
}

const toBase64Url = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};
const fromBase64Url = (text) => Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));

/** An edit as the text of its address parameter: JSON, deflated (the browser's own CompressionStream), base64url. */
export async function encodeEdit(payload) {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const deflated = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
  return toBase64Url(deflated);
}

/** The bytes of a deflated stream, stopped (an error) past `limit` bytes: a small link cannot unpack into a huge text. */
async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`it unpacks into more than ${kb(limit)}, more than an edit may hold`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

/** An address parameter's edit, or {problem} saying why it cannot be opened (never throws). */
export async function decodeEdit(text) {
  if (text.length > EDIT_LIMITS.linkChars) return { problem: `this link's edit is ${kb(text.length)} long, more than the ${kb(EDIT_LIMITS.linkChars)} a link may carry` };
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return { problem: "this link's edit is not in the form the site writes (letters, digits, - and _ only)" };
  try {
    const bytes = await inflate(fromBase64Url(text), EDIT_LIMITS.inflatedBytes);
    const payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    const problem = payloadProblem(payload);
    return problem ? { problem } : { payload };
  } catch (err) {
    return { problem: err instanceof SyntaxError ? "it is not JSON once unpacked" : err.message?.startsWith("it ") ? err.message : "it is not a compressed edit the site wrote (it may have been cut short when it was copied)" };
  }
}

/** The value of `name` in the address after `#` (`#edit=…&public_edit=…`), or null. */
export const hashParam = (name) => new URLSearchParams(location.hash.slice(1)).get(name);

/** The address with `name` set to `value` after `#` (or removed when null), the rest kept. */
export function withHashParam(name, value) {
  const params = new URLSearchParams(location.hash.slice(1));
  if (value === null) params.delete(name);
  else params.set(name, value);
  const hash = params.toString();
  return `${location.pathname}${location.search}${hash ? `#${hash}` : ""}`;
}

/** The storage key of a notebook's edit: the page's address (so a snapshot's edits are that snapshot's), the site's version, the notebook. */
export const storageKey = (siteVersion, prefix = "") => `context-scaling-edit:${location.pathname}:${siteVersion}:${prefix || "main"}`;

/** A stored edit (the payload), or null; a stored value that is not an edit is dropped. */
export function loadStored(key) {
  try {
    const text = localStorage.getItem(key);
    if (text === null) return null;
    const payload = JSON.parse(text);
    if (payloadProblem(payload) === null) return payload;
    localStorage.removeItem(key);
  } catch {
    // storage unavailable (private mode, disabled): the edit lives as long as the page
  }
  return null;
}

/** Keeps the edit (or removes it when it has no cells); false when the browser would not store it. */
export function saveStored(key, payload) {
  try {
    if (!payload || Object.keys(payload.cells).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(payload));
    return true;
  } catch {
    return false;
  }
}
