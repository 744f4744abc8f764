// The streamed import of the project format (src/lib/node/import-project.ts, what `npm run
// import -- project` runs) must write byte for byte what the environment-neutral importer
// (importFiles, what the site runs) gives, whatever the row order, counts, quoting and window
// size; refuse with every problem counted and nothing written; and hold only the first
// problems of a file with very many.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, existsSync, readdirSync } from "node:fs";
import { tempDir } from "./helpers/temp-dir.js";
import { join } from "node:path";
import { ROOT } from "./helpers/fixtures.js";
import { parseModelsCsv, serializeObservationsCsv, DataError } from "../src/lib/observations.js";
import { importFiles } from "../src/lib/import/index.js";
import { importProjectFiles, KEPT_PROBLEMS } from "../src/lib/node/import-project.js";

const table = { models: parseModelsCsv(readFileSync(join(ROOT, "data/models.csv"), "utf8"), "data/models.csv"), file: "data/models.csv" };
const bundled = readFileSync(join(ROOT, "data/observations.csv"), "utf8");
const [header, ...rows] = bundled.trimEnd().split("\n");

/** The bundled rows in a scrambled (deterministic) order, as a second file would hold them. */
function scrambled(list: string[]): string[] {
  return list.map((r, i) => ({ r, k: (i * 7919) % 101 })).sort((a, b) => a.k - b.k).map((x) => x.r);
}

async function both(files: { name: string; text: string }[], window?: number) {
  const dir = tempDir("stream-");
  const paths = files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.text);
    return path;
  });
  const out = join(dir, "out.csv");
  const streamed = await importProjectFiles(paths, table, out, { window });
  const whole = importFiles("project", paths.map((p) => ({ name: p, text: readFileSync(p, "utf8") })), table);
  return { streamed, out: readFileSync(out, "utf8"), whole, expected: serializeObservationsCsv(whole.observations), dir };
}

for (const window of [undefined, 300, 1]) {
  test(`out of order, with counts and quoted cells, over two files: the same bytes as importFiles (window ${window ?? "default"})`, async () => {
    // counts on some rows, a source with a comma, a quote and a line break
    const counted = `${header},n_instances`;
    const a = rows.slice(0, 70).map((r, i) => `${r},${i % 3 === 0 ? 800 : ""}`);
    a[5] = a[5]!.replace(/,arXiv[^,]*,/, ',"my eval, ""v2""\nsecond line",');
    const b = rows.slice(60); // rows 60–69 again: identical values, merged
    const r = await both([{ name: "a.csv", text: `${counted}\n${scrambled(a).join("\n")}\n` }, { name: "b.csv", text: `${header}\n${scrambled(b).join("\n")}\n` }], window);
    assert.equal(r.out, r.expected);
    assert.equal(r.streamed.rows, rows.length);
    assert.deepEqual(r.streamed.notes, r.whole.notes);
    assert.match(r.out.split("\n")[0]!, /,n_instances$/);
  });
}

test("already in order and without counts: the same bytes as importFiles, the column left out", async () => {
  const r = await both([{ name: "obs.csv", text: bundled }], 500);
  assert.equal(r.out, r.expected);
  assert.doesNotMatch(r.out.split("\n")[0]!, /n_instances/);
});

test("a refused import writes nothing, leaves no temporary file, and lists what importFiles lists", async () => {
  const dir = tempDir("stream-");
  const bad = [header, rows[0]!.replace(",0.0760,", ",1.7,"), rows[1]!, rows[1]!, rows[2]!.replace("Yarn-Llama-2-7b-8k", "Nope")].join("\n") + "\n";
  const path = join(dir, "bad.csv");
  writeFileSync(path, bad);
  const out = join(dir, "out.csv");
  const streamed = await importProjectFiles([path], table, out).then(() => null, (e) => e);
  assert.ok(streamed instanceof DataError, String(streamed));
  let whole: unknown;
  assert.throws(() => importFiles("project", [{ name: path, text: bad }], table), (e) => ((whole = e), true));
  assert.deepEqual(streamed.problems, (whole as DataError).problems);
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(dir), ["bad.csv"]);
});

test("a million-problem file is counted in full but only its first problems are held", async () => {
  const dir = tempDir("stream-");
  const path = join(dir, "many.csv");
  // every row a score above 1, and one row with bytes that were not UTF-8 near the end, in the
  // second 4 MB piece read: found after the cap, and kept all the same
  const n = 50_000;
  const lines = Array.from({ length: n }, (_, i) => `arithmetic,Yarn-Llama-2-7b-8k,Llama-2-7B,yarn,8192,7.7723e+22,${i},51,1.5,accuracy,,,fit,x`);
  lines[n - 2] = lines[n - 2]!.replace(",x", ",caf\ufffd");
  writeFileSync(path, [header, ...lines].join("\n") + "\n");
  const err = await importProjectFiles([path], table, join(dir, "out.csv")).then(() => null, (e) => e);
  assert.ok(err instanceof DataError);
  assert.equal(err.total, n + 1);
  assert.equal(err.files, 1);
  assert.equal(err.problems.length, KEPT_PROBLEMS + 1, "the first problems, and the one about the bytes");
  assert.ok(err.problems.some((p) => p.found === "bytes that are not valid UTF-8" && p.row === n), "the byte problem is kept, with its line");
  assert.match(err.message, new RegExp(`… and ${n + 1 - 100} more problems$`));
});

// Pieces are decoded as latin1 when they are all ASCII and the decoder holds nothing; a character
// (or a broken one) across the boundary of two 4 MB pieces must decode as a whole-file read does.
const PIECE_BYTES = 4 << 20;

/** About 9 MB of valid rows (distinct shot counts) whose `source` cell at byte PIECE_BYTES − 1 starts with `at`. */
function acrossPieces(at: Buffer): Buffer {
  const row = (i: number, source: string) => `arithmetic,Yarn-Llama-2-7b-8k,Llama-2-7B,yarn,8192,7.7723e+22,${i},51,0.5,accuracy,,,fit,${source}`;
  const n = 100_000;
  const head = Buffer.from(`${header}\n`);
  let offset = head.length;
  const parts: Buffer[] = [head];
  let placed = false;
  for (let i = 0; i < n; i++) {
    const line = row(i, "x");
    const sourceStart = offset + line.length - 1;
    const next = offset + line.length + 1;
    // the first row whose source cell starts less than 300 bytes before the boundary (rows are shorter)
    if (!placed && sourceStart > PIECE_BYTES - 1 - 300) {
      placed = true;
      const prefix = row(i, "a".repeat(PIECE_BYTES - 1 - sourceStart));
      const piece = Buffer.concat([Buffer.from(prefix), at, Buffer.from("z\n")]);
      parts.push(piece);
      offset += piece.length;
    } else {
      parts.push(Buffer.from(`${line}\n`));
      offset = next;
    }
  }
  return Buffer.concat(parts);
}

test("a multi-byte character across two 4 MB pieces: the same bytes as importFiles", async () => {
  const dir = tempDir("stream-");
  const path = join(dir, "big.csv");
  const bytes = acrossPieces(Buffer.from("é"));
  assert.equal(bytes[PIECE_BYTES - 1], 0xc3, "the first piece ends inside the character");
  writeFileSync(path, bytes);
  const out = join(dir, "out.csv");
  await importProjectFiles([path], table, out);
  const whole = importFiles("project", [{ name: path, text: readFileSync(path, "utf8") }], table);
  assert.equal(readFileSync(out, "utf8"), serializeObservationsCsv(whole.observations));
  assert.match(readFileSync(out, "utf8"), /,aaaa*éz\n/);
});

test("a broken character at the end of a 4 MB piece before an all-ASCII one is reported, as a whole-file read reports it", async () => {
  const dir = tempDir("stream-");
  const path = join(dir, "big.csv");
  writeFileSync(path, acrossPieces(Buffer.from([0xc3])));
  const streamed = await importProjectFiles([path], table, join(dir, "out.csv")).then(() => null, (e) => e);
  assert.ok(streamed instanceof DataError, String(streamed));
  let whole: unknown;
  assert.throws(() => importFiles("project", [{ name: path, text: readFileSync(path, "utf8") }], table), (e) => ((whole = e), true));
  assert.deepEqual(streamed.problems, (whole as DataError).problems);
  assert.ok(streamed.problems.some((p: { found: string }) => p.found === "bytes that are not valid UTF-8"));
});
