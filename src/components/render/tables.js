// Plain HTML tables. Cells hold the text the command line prints (num() of src/lib/format.ts),
// and carry data-* attributes so the browser tests can read them back.
import { signed } from "../lib-light.js";

export { signed }; // "+0.0012" / "-0.0011" / "—", as src/lib/format.ts prints it

/**
 * @param columns [{label, align?}] header cells
 * @param rows arrays of cell values (strings, numbers or Nodes)
 * @param dataset data-* attributes of the table
 */
export function htmlTable(columns, rows, dataset = {}) {
  const table = document.createElement("table");
  Object.assign(table.dataset, dataset);
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c.label;
    if (c.align) th.style.textAlign = c.align;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((v, j) => {
      const td = tr.insertCell();
      if (v instanceof Node) td.append(v);
      else td.textContent = String(v);
      if (columns[j]?.align) td.style.textAlign = columns[j].align;
    });
  }
  return table;
}

/** Rows of objects → table, with the given keys as columns (for SQL results). */
export function objectTable(rows, { columns = rows.length ? Object.keys(rows[0]) : [], format = {}, dataset = {} } = {}) {
  return htmlTable(
    columns.map((c) => ({ label: c, align: rows.some((r) => typeof r[c] === "number") ? "right" : undefined })),
    rows.map((r) => columns.map((c) => (format[c] ? format[c](r[c], r) : r[c] === null ? "" : r[c]))),
    dataset,
  );
}
