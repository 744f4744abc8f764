// The code editor of the "Edit" controls (an experiment page's SQL query and JSON plan), with the
// few text helpers that go with it. scripts/bundle-editor.ts bundles this file and the packages it
// imports into one module, src/components/vendor/editor.js, which is what pages import, and only
// when a reader presses Edit; a page never imports this file itself (Framework would then fetch
// each CodeMirror package as a module of its own).
//
// lineDiff, jsonRange and jsonSyntaxProblems touch no DOM, so Node can import this file (and the
// bundle) and test them (test/editor-bundle.test.ts).
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, isolateHistory } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { PostgreSQL, sql } from "@codemirror/lang-sql";
import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { findNodeAtLocation, parse, parseTree, printParseErrorCode } from "jsonc-parser";
import { diffLines } from "diff";

/**
 * @typedef {{ from: number, to: number, message: string, severity?: "error" | "warning" | "info" | "hint" }} Problem
 * @typedef {{ view: EditorView, getText(): string, setText(text: string): void,
 *   setProblems(problems: Problem[]): void, focus(): void, destroy(): void }} Editor
 */

/**
 * An editor of `text` in `parent`. `onChange(text)` is called after every change of the document,
 * the reader's and setText's alike.
 * @param {{ parent: Element, text: string, language: "sql" | "json", label: string,
 *   onChange?: (text: string) => void }} options
 * @returns {Editor}
 */
export function openEditor({ parent, text, language, label, onChange }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        // No indentWithTab: bound to Tab, it would keep keyboard focus in the editor, and a reader
        // who reached it with Tab could not leave it the same way (WCAG 2.1.2, no keyboard trap).
        // A query or a plan needs no tab characters: Enter indents the new line, and Ctrl-] and
        // Ctrl-[ (Cmd on a Mac, in defaultKeymap) indent a selection.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        // The queries run on DuckDB, whose SQL is PostgreSQL's (:: casts, "quoted" names).
        language === "sql" ? sql({ dialect: PostgreSQL }) : json(),
        // Our own checks (the page's) find the problems, so there is no linter() here, and no
        // panel: the gutter marks the lines, the text is underlined, hovering either shows why.
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange?.(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(next) {
      const doc = view.state.doc;
      if (doc.toString() === next) return; // no empty step in the undo history, no onChange
      // Isolated, so that undo takes back this replacement alone, not the reader's typing of the
      // half second before it too (history joins changes that close in time).
      view.dispatch({ changes: { from: 0, to: doc.length, insert: next }, annotations: isolateHistory.of("full") });
    },
    // Until the next call the problems move with the text the reader types: the page calls this
    // again once it has checked the new text.
    setProblems(problems) {
      const doc = view.state.doc;
      const diagnostics = problems.map(({ from, to, message, severity = "error" }) => {
        const clamp = (/** @type {number} */ n) => Math.min(Math.max(0, Math.round(n) || 0), doc.length);
        let [a, b] = [clamp(from), clamp(to)].sort((x, y) => x - y);
        // A point (say "expected a comma" at the end of the text) would be a mark too small to
        // see or hover: underline its line instead.
        if (a === b) ({ from: a, to: b } = doc.lineAt(a));
        return { from: a, to: b, message, severity };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

/**
 * The lines of `before` and `after`, each marked as kept (" "), added ("+") or removed ("-").
 * A last line with or without its newline, and "\r\n" against "\n", count as the same line: the
 * reader compares what the text says, not how a file ended it.
 * @param {string} before
 * @param {string} after
 * @returns {{ kind: " " | "+" | "-", text: string }[]}
 */
export function lineDiff(before, after) {
  return diffLines(before, after, { ignoreNewlineAtEof: true, stripTrailingCr: true }).flatMap((change) => {
    /** @type {" " | "+" | "-"} */
    const kind = change.added ? "+" : change.removed ? "-" : " ";
    // A change's value is whole lines, each ended by its newline except perhaps the text's last.
    const lines = change.value.split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop();
    return lines.map((text) => ({ kind, text }));
  });
}

/**
 * Where in `text` the value at `path` is (`[0, "fits", 1, "variant"]`: keys and indices), or its
 * deepest ancestor that the text has, so that a problem with a missing key is shown on the object
 * that lacks it. Null when the text holds no JSON value at all.
 * @param {string} text
 * @param {(string | number)[]} path
 * @returns {{ from: number, to: number } | null}
 */
export function jsonRange(text, path) {
  // parseTree recovers from syntax errors, so a plan with a typo elsewhere still locates.
  let node = parseTree(text);
  if (!node) return null;
  for (const segment of path) {
    const child = findNodeAtLocation(node, [segment]);
    if (!child) break;
    node = child;
  }
  return { from: node.offset, to: node.offset + node.length };
}

// printParseErrorCode names an error ("CommaExpected"); a reader reads "expected a comma". The
// names that words() alone would not make clear:
/** @type {Record<string, string>} */
const READABLE = {
  CloseBraceExpected: "expected a closing }",
  CloseBracketExpected: "expected a closing ]",
  EndOfFileExpected: "expected the end: there is more after the JSON value",
  PropertyNameExpected: "expected a property name in double quotes",
  InvalidCommentToken: "JSON has no comments",
  InvalidSymbol: "not JSON: text needs double quotes; a value is a number, true, false, null, [...] or {...}",
  UnexpectedEndOfString: "a string with no closing quote",
  InvalidCharacter: "a tab or line break inside a string (write \\t or \\n)",
  InvalidUnicode: "a \\u escape needs four hexadecimal digits",
};

/**
 * The first syntax error of `text` as strict JSON (no comments, no trailing commas: as JSON.parse,
 * and so the page, reads it), as an array of none or one. The first only: after an error,
 * jsonc-parser's recovery reports more that are mostly its echo (`{'a': 1}` gives three), and the
 * next real one shows as soon as this one is fixed.
 * @param {string} text
 * @returns {{ from: number, to: number, message: string }[]}
 */
export function jsonSyntaxProblems(text) {
  /** @type {import("jsonc-parser").ParseError[]} */
  const errors = [];
  parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!errors.length) return [];
  const { error, offset, length } = errors[0];
  // The usual slip, a comma left before } or ]: the parser reports the bracket, but the comma is
  // what to delete.
  const comma = /,\s*$/.exec(text.slice(0, offset));
  if (comma && /^[}\]]/.test(text.slice(offset))) {
    return [{ from: comma.index, to: comma.index + 1, message: `a comma before ${text[offset]}, which JSON does not allow` }];
  }
  const name = printParseErrorCode(error);
  const expected = name.match(/^(.+)Expected$/)?.[1];
  const message = READABLE[name] ?? (expected ? `expected a ${words(expected)}` : words(name));
  return [{ from: offset, to: offset + length, message }];
}

/** "UnexpectedEndOfString" → "unexpected end of string" */
const words = (/** @type {string} */ name) => name.replace(/(?<=.)([A-Z])/g, " $1").toLowerCase();
