// Types of entry.js, for test/editor-bundle.test.ts (pages import the bundle, vendor/editor.js).
import type { EditorView } from "@codemirror/view";

export interface Problem {
  from: number;
  to: number;
  message: string;
  severity?: "error" | "warning" | "info" | "hint";
}
export interface Editor {
  view: EditorView;
  getText(): string;
  setText(text: string): void;
  setProblems(problems: Problem[]): void;
  focus(): void;
  destroy(): void;
}
export function openEditor(options: {
  parent: Element;
  text: string;
  language: "sql" | "json";
  label: string;
  onChange?: (text: string) => void;
}): Editor;
export function lineDiff(before: string, after: string): { kind: " " | "+" | "-"; text: string }[];
export function jsonRange(text: string, path: (string | number)[]): { from: number; to: number } | null;
export function jsonSyntaxProblems(text: string): { from: number; to: number; message: string }[];
