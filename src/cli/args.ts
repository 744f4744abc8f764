// What the three commands (fit, predict, import) share when reading their arguments and files:
// one parser and one set of number rules, so a token accepted by one command is accepted by all,
// and one way of reporting a problem (a line naming the option, path or file, never a stack).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { readFileSync, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { DataError } from "../lib/observations.js";
import { fittableLaw, LawError, NAMED_LAWS, type Law } from "../lib/named-laws.js";
import { validParts } from "../lib/law.js";
import { settingSpec, settingFromText } from "../lib/settings.js";

/** A problem with the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** Exit codes, the same for every command and documented in each --help and the README. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, refused: 3 } as const;

export const EXIT_CODES_HELP = `exit codes: 0 done; 2 bad input or arguments (every problem listed); 3 a requested fit was refused (the output says why); 1 an internal error`;
/** For import, which requests no fit of its own (beyond reports refusals as findings). */
export const EXIT_CODES_HELP_NO_FIT = `exit codes: 0 done; 2 bad input or arguments (every problem listed, nothing written); 1 an internal error`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util's parseArgs, with two things it gets wrong for numbers: a value that starts with
 * "-" ("--compute -1e23") is taken for an option, giving "Unknown option '-1'"; we join such a
 * value to its option so the number rules below can say what is wrong with it. Its own errors
 * become UsageErrors.
 */
export function parseCommandLine<O extends Options>(config: { options: O; strict?: true; allowPositionals?: boolean; args?: string[] }) {
  const { options, allowPositionals = false } = config;
  const argv = config.args ?? process.argv.slice(2);
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : null;
    const next = argv[i + 1];
    if (name && options[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Every bad argument of a command, so that all are listed at once, one line each. */
export class ArgumentProblems {
  private readonly messages: string[] = [];

  /** The value `read` returns, or NaN after noting its UsageError. */
  check<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      this.messages.push(err.message);
      return NaN as T;
    }
  }

  add(message: string): void {
    this.messages.push(message);
  }

  throwIfAny(): void {
    if (this.messages.length) throw new UsageError(this.messages.join("\nerror: "));
  }
}

// Decimal only: Number() also accepts "0x10", "0b1", " 12 " and "", which no one means as a
// token count or a FLOP count, and silently reading them would hide a typo.
const DECIMAL_INTEGER = /^\d+$/;
const DECIMAL_NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An integer from min to max, written in decimal digits. */
export function integerArg(name: string, text: string | undefined, min: number, max: number): number {
  const x = Number(text);
  if (text === undefined || !DECIMAL_INTEGER.test(text) || x < min || x > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} in decimal digits, got ${text === undefined ? "nothing" : `"${text}"`}`);
  }
  return x;
}

/** A setting's option read by its declaration (src/lib/settings.ts), e.g. --seed or --restarts. */
export function settingArg(key: string, text: string | undefined): number | string {
  const s = settingSpec(key);
  if (!s) throw new Error(`no setting "${key}"`);
  try {
    if (text === undefined) throw new Error("must be given");
    return settingFromText(s, text) as number | string;
  } catch (err) {
    throw new UsageError(`--${s.flag} ${(err as Error).message}`);
  }
}

/** A token count: a positive integer in decimal digits (a prompt has no half tokens). */
export function tokenCountArg(name: string, text: string | undefined): number {
  const x = Number(text);
  if (text === undefined || !DECIMAL_INTEGER.test(text) || !(x > 0) || !Number.isSafeInteger(x)) {
    throw new UsageError(`--${name} must be a token count, a positive integer in decimal digits (e.g. 8192), got ${text === undefined ? "nothing" : `"${text}"`}`);
  }
  return x;
}

/** A positive finite number in decimal notation, e.g. 1.5e23. */
export function positiveNumberArg(name: string, text: string | undefined): number {
  const x = Number(text);
  if (text === undefined || !DECIMAL_NUMBER.test(text) || !Number.isFinite(x) || !(x > 0)) {
    throw new UsageError(`--${name} must be a positive number, got ${text === undefined ? "nothing" : `"${text}"`}; write it in decimal, e.g. 1.5e23`);
  }
  return x;
}

/** The first line (1-based) of `bytes` that does not decode as UTF-8, or null when all do. */
function firstBadUtf8Line(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return null;
}

/** The bytes of a file the user named; a missing path, a folder or an unreadable file is a UsageError naming it. */
function readBytes(path: string, what: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${what} ${path} is a folder: give a file`);
    return readFileSync(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}: give an existing, readable file`);
  }
}

const PIECE = 4 << 20;

/**
 * A data table the user named (observations, models), for the readers of observations.ts:
 * the bytes whole (to hash), and the text in pieces of 4 MB, so that a file of a million rows
 * is never one string nor one array of rows. Bytes that are not UTF-8 are decoded as U+FFFD
 * and a NUL byte kept, which the table reader reports with their line together with every
 * other problem of the file (readTextFile would stop at them). `onPiece` hears the progress.
 */
export function readTable(path: string, what: string, onPiece?: (doneBytes: number, totalBytes: number) => void): { bytes: Buffer; pieces: Iterable<string> } {
  const bytes = readBytes(path, what);
  function* pieces(): Generator<string> {
    const decoder = new StringDecoder("utf8"); // keeps a BOM, for the reader to report
    for (let at = 0; at < bytes.length; at += PIECE) {
      yield decoder.write(bytes.subarray(at, at + PIECE));
      onPiece?.(Math.min(bytes.length, at + PIECE), bytes.length);
    }
    yield decoder.end();
  }
  return { bytes, pieces: pieces() };
}

/**
 * Reads a text file the user named. A missing path, a folder or an unreadable file is a
 * UsageError naming it; bytes that are not UTF-8 or a NUL byte are a DataError naming the file
 * and line, because readFileSync(…, "utf8") would quietly turn them into U+FFFD and let them
 * through into the fit or the output.
 */
export function readTextFile(path: string, what: string): string {
  const bytes = readBytes(path, what);
  const problems = [];
  const bad = firstBadUtf8Line(bytes);
  if (bad !== null) problems.push({ file: path, row: bad, field: null, found: "bytes that are not valid UTF-8", expected: "UTF-8 text; re-save the file as UTF-8 (it may be in another encoding, compressed or binary)" });
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const row = bytes.subarray(0, nul).filter((b) => b === 0x0a).length + 1;
    problems.push({ file: path, row, field: null, found: "a NUL byte (binary data)", expected: "a text file; the file may be corrupt or not a text file at all" });
  }
  if (problems.length) throw new DataError(problems);
  return bytes.toString("utf8");
}

/** A file-system error about a path the user gave (exit code 2, not an internal error). */
export function isPathError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return !!e && typeof e.code === "string" && typeof e.path === "string";
}

/**
 * One line for an error no check anticipated: a file-system error names its path and what to
 * do; anything else is reported as internal, without a stack trace (set DEBUG=1 for it).
 */
export function reportUnexpected(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (process.env.DEBUG) return String(e?.stack ?? e);
  if (isPathError(e)) {
    const what: Record<string, string> = {
      EISDIR: "is a folder: give a file name", ENOENT: "does not exist: check the path", EACCES: "is not accessible: check its permissions",
      EPERM: "is not accessible: check its permissions", ENOTDIR: "has a part that is not a folder: check the path", EROFS: "is on a read-only file system: choose another place",
      ENOSPC: "cannot be written, the disk is full", EEXIST: "already exists",
    };
    return `error: ${e.path} ${what[e.code!] ?? `could not be used (${e.code})`}`;
  }
  return `internal error: ${e?.message ?? String(e)} (please report it; DEBUG=1 shows where it happened)`;
}

/** The --law help lines, shared by fit and predict. */
export const LAW_HELP = `  --law LAW          the law under test: a name (${NAMED_LAWS.join(", ")})
                     or a composition of parts, omitted parts the paper's (docs/method.md):
                     ${validParts()}
                     e.g. --law penalty=decay (default: full)
  --variant NAME     the same as --law (its older name)`;

/**
 * The law of --law (or its older name --variant): a name or a composition; a bad one is a usage
 * error naming the valid names and parts. floor=given needs a chance level per observation,
 * which the observations CSV has no column for: refused with what to use instead.
 */
export function lawArg(law: string | undefined, variant: string | undefined): Law {
  if (law !== undefined && variant !== undefined && law !== variant) throw new UsageError(`--law ${law} and --variant ${variant} disagree: give one (--variant is --law's older name)`);
  const text = law ?? variant ?? "full";
  let r;
  try {
    r = fittableLaw(text);
  } catch (err) {
    if (err instanceof LawError) throw new UsageError(err.message.startsWith(`${text}: `) ? `--law ${err.message}` : err.message);
    throw err;
  }
  return r.name;
}
