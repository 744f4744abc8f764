// The home page's explorer: the reader sets training compute C and context limit n_ctx and sees
// the predicted score against prompt length, for each task's fitted parameters. Predictions are
// the kernel's (kernel.predict on the page's main thread: a few hundred points take well under a
// millisecond, so the chart follows the slider without a worker round trip).
import * as Inputs from "@observablehq/inputs";
import { num } from "./lib.js";
import { chart } from "./vega.js";
import { taskName } from "./experiment-page.js";
import { readState, writeState } from "./url-state.js";
import { htmlTable } from "./tables.js";
import { FIT_COLORS } from "./figures.js";

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
 * @param fits [{task, variant, params}] the in-distribution fits, one per task
 * @param computeLevels [{model, compute_flops}] for the slider's reference marks
 */
export function explorer(kernel, fits, computeLevels) {
  const defaults = { log10C: 22.89, n_ctx: 8192 };
  const state = readState(defaults);
  const root = document.createElement("div");
  root.className = "explorer";
  const cInput = Inputs.range([21, 26], { label: "compute, log₁₀ C in FLOPs", step: 0.01, value: state.log10C });
  const nInput = Inputs.select(N_CTX, { label: "context limit n_ctx", value: N_CTX.includes(state.n_ctx) ? state.n_ctx : 8192, format: (n) => `${n.toLocaleString("en-US")} tokens` });
  cInput.dataset.input = "log10C";
  nInput.dataset.input = "n_ctx";
  const note = document.createElement("p");
  note.className = "fit-meta";
  note.textContent = `The bundled data have two compute levels: ${computeLevels.map((m) => `${m.model} at ${m.compute_flops.toExponential(3)} FLOPs (log₁₀ C = ${Math.log10(m.compute_flops).toFixed(2)})`).join("; ")}. Between and beyond them the compute factor is extrapolated from two points.`;
  const chartSlot = document.createElement("div");
  const paramSlot = document.createElement("div");
  root.append(cInput, nInput, chartSlot, note, paramSlot);

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
    const C = Math.pow(10, cInput.value);
    const nCtx = nInput.value;
    writeState({ log10C: cInput.value, n_ctx: nCtx }, defaults);
    const grid = explorerGrid(nCtx);
    const values = [];
    for (const f of fits) {
      const predicted = kernel.predict(f.variant, f.params, grid.map((n) => ({ compute_flops: C, n_ctx: nCtx, n_pmt: n })));
      grid.forEach((n, i) => values.push({ task: taskName(f.task), n_pmt: n, score: predicted[i] }));
    }
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: Math.min(760, (root.clientWidth || 800) - 180),
      height: 280,
      data: { values },
      layer: [
        {
          mark: { type: "line", strokeWidth: 2 },
          encoding: {
            x: { field: "n_pmt", type: "quantitative", scale: { type: "log", domain: [40, 200000], nice: false }, axis: { title: "prompt length n_pmt (tokens, log scale)", format: "~s" } },
            y: { field: "score", type: "quantitative", scale: { domain: [0, 1] }, axis: { title: "predicted score" } },
            color: { field: "task", type: "nominal", scale: { range: FIT_COLORS }, legend: { title: "task (its fitted parameters)", orient: "right" } },
          },
        },
        { data: { values: [{ n_ctx: nCtx }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#777" }, encoding: { x: { field: "n_ctx", type: "quantitative" } } },
      ],
      config: { font: "system-ui, sans-serif" },
    };
    const figure = await chart(spec, { name: `prediction-C${cInput.value}-nctx${nCtx}`, caption: `Predicted score at C = ${C.toExponential(3)} FLOPs and n_ctx = ${nCtx.toLocaleString("en-US")} tokens (dashed), from each task's in-distribution fit.` });
    if (id === drawing) chartSlot.replaceChildren(figure);
  }
  cInput.addEventListener("input", draw);
  nInput.addEventListener("input", draw);
  root.ready = draw(); // resolves once the first chart is on the page
  return root;
}
