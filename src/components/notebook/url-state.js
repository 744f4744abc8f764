// Keeps a page's inputs in its URL (?task=…&seed=…), so a rerun configuration can be shared
// as a link: values in the URL take precedence over the page's configuration block.

/**
 * Reads the state: the page's defaults, overridden by URL parameters that parse.
 * @param defaults {[key]: value}; arrays are written comma-separated, numbers as numbers
 */
export function readState(defaults, search = location.search) {
  const params = new URLSearchParams(search);
  const state = { ...defaults };
  for (const [key, value] of Object.entries(defaults)) {
    if (!params.has(key)) continue;
    const text = params.get(key);
    if (Array.isArray(value)) state[key] = text === "" ? [] : text.split(",");
    else if (typeof value === "number") {
      const n = Number(text);
      if (text !== "" && Number.isFinite(n)) state[key] = n;
    } else state[key] = text;
  }
  return state;
}

/** Writes the state into the URL (replacing the history entry); defaults are left out. */
export function writeState(state, defaults) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(state)) {
    const text = Array.isArray(value) ? value.join(",") : String(value);
    const base = Array.isArray(defaults[key]) ? defaults[key].join(",") : String(defaults[key]);
    if (text === base) params.delete(key);
    else params.set(key, text);
  }
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
}
