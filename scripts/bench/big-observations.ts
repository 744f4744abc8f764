// A large observations CSV for the import and fit benchmarks (scripts/bench-import.ts): the
// columns, tasks, models, prompt lengths and score range of the bundled data, repeated over
// many shot counts so that every (task, model, shots) key is distinct, as the format requires.
// Deterministic: the same row count gives the same bytes on every machine.
import { openSync, writeSync, closeSync, readFileSync } from "node:fs";
import { parseObservationsCsv, parseModelsCsv, serializeObservationsCsv } from "../../src/lib/observations.js";

/** Writes `rows` data rows to `file`, in the bundled file's row order pattern (not sorted by key). */
export function writeBigObservations(file: string, rows: number): void {
  const bundled = parseObservationsCsv(readFileSync("data/observations.csv", "utf8"), "data/observations.csv");
  const models = parseModelsCsv(readFileSync("data/models.csv", "utf8"), "data/models.csv");
  const tasks = [...new Set(bundled.map((o) => o.task))];
  // Tokens per shot of each task, from its bundled points (n_pmt ≈ (shots + 1) × tokens).
  const perShot = new Map(tasks.map((t) => {
    const own = bundled.filter((o) => o.task === t);
    return [t, own.reduce((a, o) => a + o.n_pmt / (o.shots + 1), 0) / own.length] as const;
  }));
  const template = bundled[0]!;
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const fd = openSync(file, "w");
  try {
    const header = serializeObservationsCsv([template]).split("\n")[0]!;
    writeSync(fd, `${header}\n`);
    const perKey = tasks.length * models.length;
    let batch: typeof bundled = [];
    for (let i = 0; i < rows; i++) {
      const task = tasks[i % tasks.length]!;
      const m = models[Math.floor(i / tasks.length) % models.length]!;
      const shots = Math.floor(i / perKey);
      // Prompt lengths cycle through the bundled range (up to ~300 shots) rather than grow without end.
      const n_pmt = Math.max(1, Math.round(((shots % 300) + 1) * perShot.get(task)!));
      const law = (1 - Math.exp(-((m.compute_flops / 5e22) ** 0.6))) * (1 - Math.exp(-((n_pmt / 300) ** 0.5))) / (1 + Math.exp(Math.min(50, (n_pmt - m.n_ctx) / 100)));
      const score = Math.min(1, Math.max(0, Number((0.8 * law + 0.02 * (random() - 0.5)).toFixed(4))));
      batch.push({ ...template, task, model: m.model, base_model: m.base_model, extension: m.extension, n_ctx: m.n_ctx,
        compute_flops: m.compute_flops, shots, n_pmt, score, source: "synthetic (scripts/bench/big-observations.ts)" });
      if (batch.length === 10_000 || i === rows - 1) {
        writeSync(fd, serializeObservationsCsv(batch).slice(header.length + 1));
        batch = [];
      }
    }
  } finally {
    closeSync(fd);
  }
}
