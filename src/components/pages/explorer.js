// The home page's explorer: the reader sets training compute C and context limit n_ctx and sees
// the predicted score against prompt length, for each task's fitted parameters. Predictions are
// the kernel's (kernel.predict on the page's main thread: a few hundred points take well under a
// millisecond, so the chart follows the slider without a worker round trip).
import * as Inputs from "@observablehq/inputs";
import { num, percentileInterval } from "../lib.js";
import { chart } from "../render/vega.js";
import { taskName } from "../render/result-sections.js";
import { readState, writeState } from "../notebook/url-state.js";
import { htmlTable } from "../render/tables.js";
import { explorerSpec } from "../render/figures.js";

const N_CTX = [4096, 8192, 16384, 32768, 65536, 131072];

/** Log-spaced prompt lengths from 40 to 200,000 tokens, plus points around n_ctx so the step
 *  of the penalty (about ten tokens wide) is drawn where it is. */
export function explorerGrid(nCtx, count = 300) {
  const grid = Array.from({ length: count }, (_, i) => 40 * Math.pow(200000 / 40, i / (count - 1)));
  for (const d of [-40, -20, -10, -5, 0, 5, 10, 20, 40]) grid.push(nCtx + d);
  return [...new Set(grid)].sort((a, b) => a - b);
}

/**
 * @param kernel a Kernel (main thread)
 * @param fits [{task, law, params}] the in-distribution fits, one per task
 * @param computeLevels [{model, compute_flops}] for the slider's reference marks
 */
export function explorer(kernel, fits, computeLevels) {
  const defaults = { log10C: 22.89, n_ctx: 8192, n_pmt: 4000 };
  const state = readState(defaults);
  const root = document.createElement("div");
  root.className = "explorer";
  const cInput = Inputs.range([21, 26], { label: "compute, log₁₀ C in FLOPs", step: 0.01, value: state.log10C });
  const nInput = Inputs.select(N_CTX, { label: "context limit n_ctx", value: N_CTX.includes(state.n_ctx) ? state.n_ctx : 8192, format: (n) => `${n.toLocaleString("en-US")} tokens` });
  const pInput = Inputs.number([1, 1e7], { label: "prompt length n_pmt (tokens)", value: state.n_pmt, step: 1 });
  cInput.dataset.input = "log10C";
  nInput.dataset.input = "n_ctx";
  pInput.dataset.input = "n_pmt";
  // Bootstrap resamples per task (set later by setSamples): bands and intervals appear then.
  let samples = null;
  const readout = document.createElement("div");
  readout.className = "prediction-readout";
  const note = document.createElement("p");
  note.className = "fit-meta";
  note.textContent = `The bundled data have two compute levels: ${computeLevels.map((m) => `${m.model} at ${m.compute_flops.toExponential(3)} FLOPs (log₁₀ C = ${Math.log10(m.compute_flops).toFixed(2)})`).join("; ")}. Between and beyond them the compute factor is extrapolated from two points.`;
  const chartSlot = document.createElement("div");
  const paramSlot = document.createElement("div");
  root.append(cInput, nInput, pInput, readout, chartSlot, note, paramSlot);

  paramSlot.append(
    htmlTable(
      [{ label: "task" }, { label: "law" }, ...fits[0].paramNames.map((p) => ({ label: p, align: "right" }))],
      fits.map((f) => [taskName(f.task), f.variant, ...f.paramNames.map((p) => num(f.params[p]))]),
      { table: "explorer-params" },
    ),
  );

  let drawing = 0;
  async function draw() {
    const id = ++drawing;
    const C = kernel.exp10(cInput.value);
    const nCtx = nInput.value;
    const nPmt = pInput.value;
    writeState({ log10C: cInput.value, n_ctx: nCtx, n_pmt: nPmt }, defaults);
    const grid = explorerGrid(nCtx);
    const values = [];
    const lines = [];
    for (const f of fits) {
      const points = grid.map((n) => ({ compute_flops: C, n_ctx: nCtx, n_pmt: n }));
      const predicted = kernel.predict(f.variant, f.params, points);
      grid.forEach((n, i) => values.push({ kind: "curve", task: taskName(f.task), n_pmt: n, score: predicted[i] }));
      const [atPoint] = kernel.predict(f.variant, f.params, [{ compute_flops: C, n_ctx: nCtx, n_pmt: nPmt }]);
      const s = samples?.[f.task];
      let iv = null;
      if (s && s.params.length) {
        // Bands on every 3rd grid point: a slider move stays fast with 1,000 resamples.
        const bandPoints = points.filter((_, i) => i % 3 === 0 || i >= 300);
        const columns = bandPoints.map(() => []);
        kernel.predictEach(s.variant, s.params, bandPoints, (_, pred) => pred.forEach((v, i) => columns[i].push(v)));
        bandPoints.forEach((p, i) => {
          const [lo, hi] = percentileInterval(columns[i]);
          values.push({ kind: "band", task: taskName(f.task), n_pmt: p.n_pmt, lo, hi });
        });
        const at = [];
        kernel.predictEach(s.variant, s.params, [{ compute_flops: C, n_ctx: nCtx, n_pmt: nPmt }], (_, pred) => at.push(pred[0]));
        iv = percentileInterval(at);
      }
      lines.push([taskName(f.task), num(atPoint), iv ? `${num(iv[0])}–${num(iv[1])}` : "computing …", s ? `${s.params.length} resamples of ${s.scheme}, seed ${s.seed}` : "—"]);
    }
    readout.replaceChildren(
      Object.assign(document.createElement("p"), { textContent: `At C = ${C.toExponential(3)} FLOPs, n_ctx = ${nCtx.toLocaleString("en-US")} and n_pmt = ${nPmt.toLocaleString("en-US")} tokens the predicted score is:` }),
      htmlTable([{ label: "task" }, { label: "predicted", align: "right" }, { label: "95 % interval", align: "right" }, { label: "bootstrap" }], lines, { table: "explorer-prediction" }),
    );
    // The main column's width: the first chart is drawn before the explorer is on the page, and
    // every later one must have the same size.
    const width = Math.min(760, (document.querySelector("#observablehq-main")?.clientWidth || root.clientWidth || 800) - 180);
    const spec = explorerSpec(values, nCtx, width);
    const figure = await chart(spec, { name: `prediction-C${cInput.value}-nctx${nCtx}`, caption: `Predicted score at C = ${C.toExponential(3)} FLOPs and n_ctx = ${nCtx.toLocaleString("en-US")} tokens (dashed), from each task's in-distribution fit` + (samples ? `, with its 95 % bootstrap band (shaded).` : ".") });
    if (id === drawing) chartSlot.replaceChildren(figure);
  }
  cInput.addEventListener("input", draw);
  nInput.addEventListener("input", draw);
  pInput.addEventListener("input", draw);
  /** Bootstrap samples by task (kernel.bootstrap's output); redraws with bands and intervals. */
  root.setSamples = (byTask) => {
    samples = byTask;
    return draw();
  };
  root.ready = draw(); // resolves once the first chart is on the page
  return root;
}
