// "Beyond the paper" at build time: the law fitted to the results other studies published
// (src/lib/beyond.ts, the analysis `npm run import -- beyond` prints), read in place from
// ../shared/external or the folder in $CONTEXT_SCALING_EXTERNAL. Adds what a page needs to
// draw it: each group's prepared points and the fitted curves (the best law fitted to the
// training part of the hold-out, and to every point), plus the files read and their SHA-256.
//
// Deterministic: fixed seed and restarts, files in sorted order, paths relative to the external
// folder, no clock. Without the folder the output says where to get the files and nothing else.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { locateExternal, loadExternal, EXTERNAL_ENV } from "../lib/node/import-files.js";
import { loadKernel, KERNEL_PATH } from "../lib/node/load-kernel.js";
import {
  analyseBeyond, beyondGroups, groupPlan, GROUP_FIT_LABELS, whereToGetExternal, drawnOutcome, EXTERNAL_STUDIES, type GroupResult, type FitGroup,
} from "../lib/beyond.js";
import type { Kernel } from "../lib/kernel.js";
import { runExperiment } from "../lib/run.js";
import { DataError } from "../lib/observations.js";
import type { NamedLaw } from "../lib/named-laws.js";
import type { Observation } from "../lib/types.js";

const SEED = 1;
const RESTARTS = 4;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** 6 significant digits: curves are for drawing, and the JSON stays small. */
const r6 = (x: number) => Number(x.toPrecision(6));

const explicit = process.env[EXTERNAL_ENV];
const folderLabel = explicit ? `$${EXTERNAL_ENV} (${explicit})` : "../shared/external";

function emit(x: unknown): void {
  process.stdout.write(JSON.stringify(x));
}

function logGrid(lo: number, hi: number, count: number, extra: number[] = []): number[] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const g = Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
  for (const x of extra) if (x > lo && x < hi) g.push(x);
  return g.sort((x, y) => x - y);
}

interface CurveSet {
  /** which fit: "train" (fitted without the held-out points, predicts them) or "all" */
  fit: "train" | "all";
  /** context axis: one curve over n_pmt; compute axis: one curve over C per shot count */
  lines: { key: string; x: number[]; y: number[] }[];
}

/** The curves of one group, from its best law (by held-out MAE; else the best in-sample). */
function curvesOf(kernel: Kernel, g: FitGroup, r: GroupResult): { variant: NamedLaw | null; curves: CurveSet[] } {
  const drawn = drawnOutcome(r.variants, r.best);
  if (!drawn) return { variant: null, curves: [] };
  // The form actually fitted (a fixed-compute form where the group has one compute level).
  const variant: NamedLaw = drawn.fittedAs ?? drawn.variant;
  const outcome = drawn;
  const sets: { fit: "train" | "all"; params: Record<string, number> }[] = [];
  // The drawn form's fits, as the group's plan (run by run.ts) with that form alone.
  const run = runExperiment(kernel, groupPlan(g, { seed: SEED, restarts: RESTARTS, variants: [variant] }, { penalty: false }), g.rows);
  const trained = run.fits.find((f) => f.label === GROUP_FIT_LABELS.train(variant));
  const t = trained?.fit;
  if (t) {
    // The same fit as the analysis made: its held-out MAE must come out identical.
    const mae = trained!.splits[0]!.errors?.mae;
    if (outcome.heldOut && mae !== outcome.heldOut.mae) throw new Error(`${g.id}: refitted held-out MAE ${mae} ≠ the analysis's ${outcome.heldOut.mae}`);
    sets.push({ fit: "train", params: t.params });
  }
  if (outcome.all) sets.push({ fit: "all", params: outcome.all.params });
  const curves: CurveSet[] = [];
  if (g.study === "pythia") {
    // Compute axis: score against C at each shot count's prompt length.
    const cs = g.rows.map((x) => x.compute_flops);
    const grid = logGrid(Math.min(...cs) / 1.5, Math.max(...cs) * 1.5, 80);
    const byShots = new Map<number, Observation>();
    for (const x of g.rows) if (!byShots.has(x.shots)) byShots.set(x.shots, x);
    for (const s of sets) {
      curves.push({
        fit: s.fit,
        lines: [...byShots.values()].sort((a, b) => a.shots - b.shots).map((o) => ({
          key: String(o.shots), x: grid.map(r6),
          y: kernel.predict(variant, s.params, grid.map((c) => ({ compute_flops: c, n_pmt: o.n_pmt, n_ctx: o.n_ctx }))).map(r6),
        })),
      });
    }
  } else {
    // Context axis: one model per group, score against n_pmt.
    const o = g.rows[0]!;
    const ns = g.rows.map((x) => x.n_pmt);
    const lo = Math.min(...ns) / 1.6;
    const hi = Math.max(Math.max(...ns) * 1.6, o.n_ctx < Math.max(...ns) * 4 ? o.n_ctx * 1.25 : 0);
    const grid = logGrid(lo, hi, 100, [o.n_ctx - 8, o.n_ctx + 8]);
    for (const s of sets) {
      curves.push({
        fit: s.fit,
        lines: [{ key: o.model, x: grid.map(r6), y: kernel.predict(variant, s.params, grid.map((n) => ({ compute_flops: o.compute_flops, n_pmt: n, n_ctx: o.n_ctx }))).map(r6) }],
      });
    }
  }
  return { variant, curves };
}

async function main(): Promise<void> {
  const studies = EXTERNAL_STUDIES.map((s) => ({ ...s }));
  const dir = locateExternal();
  const whereToGet = whereToGetExternal(folderLabel);
  if (!dir) {
    emit({ available: false, folder: folderLabel, reason: `no folder at ${folderLabel}`, whereToGet, studies });
    return;
  }
  let data;
  try {
    data = loadExternal(dir);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    emit({ available: false, folder: folderLabel, reason: `the files in ${folderLabel} do not import cleanly`, error: err.message, whereToGet, studies });
    return;
  }
  if (data.length === 0) {
    emit({ available: false, folder: folderLabel, reason: `${folderLabel} holds none of the studies' folders`, whereToGet, studies });
    return;
  }
  const kernel = await loadKernel();
  const result = analyseBeyond(kernel, data, { seed: SEED, restarts: RESTARTS });
  const groups = data.flatMap((d) => beyondGroups(d.study, d.observations));
  if (groups.length !== result.groups.length) throw new Error("the groups of the analysis and of the curves differ");
  const drawn = result.groups.map((r, i) => {
    const g = groups[i]!;
    if (g.id !== r.id || g.study !== r.study) throw new Error(`group order differs at ${i}: ${g.id} vs ${r.id}`);
    return { ...r, ...curvesOf(kernel, g, r) };
  });
  const root = resolve(dir);
  emit({
    available: true,
    folder: folderLabel,
    whereToGet,
    settings: result.settings,
    studies: result.studies,
    groups: drawn,
    files: data.map((d) => ({
      study: d.study,
      files: d.files.map((f) => ({ path: relative(root, f).split("\\").join("/"), sha256: sha256(readFileSync(f)) })),
    })),
    kernel: { file: "kernel.wasm", sha256: sha256(readFileSync(KERNEL_PATH)) },
    command: `npm run import -- beyond --seed ${SEED} --restarts ${RESTARTS}${explicit ? " --external $" + EXTERNAL_ENV : ""}`,
  });
}

await main();
