// The SQL text the pages run, with no DuckDB import: the tables' column types, the statement
// that loads a CSV file as a table, and literals for interpolated values. Shared by the pages
// (duckdb.js) and the Node test that runs the pages' queries (test/notebook-sql.test.ts).

/** Column types of data/observations.csv, stated rather than sniffed so that every page sees
 *  the types of src/lib/types.ts (a sniffed n_ctx would be BIGINT, a JS BigInt on the page). */
export const OBSERVATION_TYPES = {
  task: "VARCHAR", model: "VARCHAR", base_model: "VARCHAR", extension: "VARCHAR", n_ctx: "INTEGER",
  compute_flops: "DOUBLE", shots: "INTEGER", n_pmt: "DOUBLE", score: "DOUBLE", metric: "VARCHAR",
  score_uncertainty: "DOUBLE", n_pmt_uncertainty_rel: "DOUBLE", paper_role: "VARCHAR", source: "VARCHAR",
};
export const MODEL_TYPES = {
  model: "VARCHAR", base_model: "VARCHAR", params_nonembed: "BIGINT", pretrain_tokens: "DOUBLE",
  extension_tokens: "DOUBLE", n_ctx: "INTEGER", extension: "VARCHAR", compute_flops: "DOUBLE", source: "VARCHAR",
};

export const typesLiteral = (types) => `{${Object.entries(types).map(([k, v]) => `'${k}': '${v}'`).join(", ")}}`;

/** The statement that loads a registered CSV file as a table with the stated column types. */
export function createTable(name, file, types) {
  return `CREATE TABLE ${name} AS SELECT * FROM read_csv('${file}', header = true, columns = ${typesLiteral(types)})`;
}

/** A SQL literal for a value interpolated into a query: the text shown is the text run. */
export function literal(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot put ${value} into SQL`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (Array.isArray(value)) return `(${value.length ? value.map(literal).join(", ") : "NULL"})`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Arrow rows → plain objects; BigInt (COUNT(*), BIGINT columns) → Number when exact. */
export function plain(table) {
  return table.toArray().map((row) => {
    const o = row.toJSON();
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === "bigint") o[k] = Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
    }
    return o;
  });
}

