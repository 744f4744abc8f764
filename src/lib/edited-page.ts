// A reader's edit of an experiment page, as a page of its own: the run document (its query and
// plans, docs/run-document.md) written into a notebook page that, copied into src/ of a checkout,
// builds as an experiment page like "Write your own ablation": listed in the navigation, its
// fits run at build time for its static copy and again in the reader's browser. The document is
// written as a JSON literal, so the page holds no code of the reader's.
import type { RunDocument } from "./run-document.js";
import { querySource } from "./run-document.js";

/** JSON that is safe inside a Markdown code fence and an HTML script: no line starts a fence, no `<` closes a script. */
const literal = (x: unknown): string => JSON.stringify(x, null, 1).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

/** A title safe as a YAML scalar and as Markdown text: one line, quoted. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ").slice(0, 200);

export interface EditedPageInput {
  document: RunDocument;
  /** the page the edit was made on (its file name without .md) */
  page: string;
  /** that page's title */
  title: string;
  /** the version of the site the edit was made on, as the page says it */
  site: string;
}

/** The new page's experiment name: the page's, marked as an edit (a plain slug). */
export const editedName = (page: string): string => `${page.replace(/[^a-z0-9-]+/gi, "-").toLowerCase()}-edited`;

/** The Markdown of the page. */
export function editedPage({ document, page, title, site }: EditedPageInput): string {
  const name = editedName(page);
  const source = querySource(document.query);
  const heading = `${oneLine(title)}, edited`;
  const escaped = heading.replace(/[\\`*_[\]<>#]/g, "\\$&");
  return `---
title: ${JSON.stringify(heading)}
experiment: ${name}
order: 99
---

\`\`\`js
import { notebook } from "./components/notebook/notebook.js";
const nb = notebook(${JSON.stringify(name)}${source === "bundled" ? "" : `, { data: ${JSON.stringify(source)} }`});
\`\`\`

# ${escaped}

This page is an edit of the page \`${page}\` made in a browser on ${site.replace(/[`\r\n]/g, "")}. Its query and
its plans are the run document below (the project's docs/run-document.md describes its fields):
\`npm run fit -- --plan ${name}.json\` on that document prints the numbers this page shows.

## The document

\`\`\`js echo
const DOCUMENT = ${literal(document)};
\`\`\`

## The data the fits see

\`\`\`js echo
const rows = await nb.rows(DOCUMENT.query);
\`\`\`

\`\`\`js
nb.rowsTable(rows)
\`\`\`

## The plan

\`\`\`js echo
const plans = nb.documentPlans(DOCUMENT);
display(plans);
\`\`\`

## The fits

\`\`\`js echo
const fit = nb.fit(plans, rows);
\`\`\`

\`\`\`js
nb.status(fit)
\`\`\`

## Results

\`\`\`js echo
const shown = nb.results;
\`\`\`

\`\`\`js
nb.reproduction(shown)
\`\`\`

\`\`\`js echo
display(await nb.figures(shown, width));
\`\`\`

\`\`\`js echo
display(nb.tables(shown));
\`\`\`

\`\`\`js
display(await nb.provenance(shown, plans[0].settings));
\`\`\`

\`\`\`js
display(await nb.footer());
\`\`\`
`;
}
