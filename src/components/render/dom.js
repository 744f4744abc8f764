// Building DOM without a framework: el("p", {class: "x", dataset: {k: "v"}}, "text", child).
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k === "class") e.className = v;
    else e[k] = v;
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

/** Pushes "NAME must be an integer from LO to HI, got X" to `bad` unless x is such an integer (the command line's words). */
export function checkInteger(bad, name, x, lo, hi) {
  if (!Number.isInteger(x) || x < lo || x > hi) bad.push(`${name} must be an integer from ${lo} to ${hi}, got ${x}`);
}

/** A link that downloads what `make()` returns, built when it is clicked (nothing is made until asked for, and each click has the latest). */
export function downloadLink(label, name, type, make, props = {}) {
  const a = el("a", { href: "#", download: name, ...props }, label);
  a.addEventListener("click", () => {
    if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([make()], { type }));
  });
  return a;
}
