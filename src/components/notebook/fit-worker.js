// The fitting Web Worker: loads the WebAssembly kernel and the observations once, then runs
// experiment plans with src/lib/run.ts exactly as the command line does, off the page's main
// thread, reporting progress. Cancelling is done by the page terminating this worker (a fit
// is one synchronous call; a message could not interrupt it).
import { Kernel, plan, runExperiment, parseObservationsCsv, parseModelsCsv, checkAgainstModels } from "../lib.js";

let kernel;
let observations;

/** Progress at most every 50 ms, so messages never outpace the fit. */
function progressReporter(id, job, jobs) {
  let last = 0;
  let fitIndex = -1;
  let lastIteration = Infinity;
  let restart = 0;
  return {
    startFit() {
      fitIndex++;
      restart = 0;
      lastIteration = Infinity;
    },
    report(stage, iteration, bestSse) {
      // The kernel restarts its global search `restarts` times; generations count from 0 again.
      if (stage === "global" && iteration < lastIteration && lastIteration !== Infinity) restart++;
      if (stage === "global") lastIteration = iteration;
      const now = performance.now();
      if (now - last < 50) return;
      last = now;
      postMessage({ type: "progress", id, job, jobs, progressType: "fit", fit: fitIndex, stage, restart, iteration, bestSse });
    },
  };
}

/** A view of the kernel whose fits report progress; run.ts sees an ordinary kernel. */
function withProgress(k, progress) {
  const view = Object.create(k);
  view.fit = (variant, points, options = {}) => {
    progress.startFit();
    return k.fit(variant, points, { ...options, onProgress: (stage, it, sse) => void progress.report(stage, it, sse) });
  };
  return view;
}

function runJob(job, index, jobs, id) {
  const progress = progressReporter(id, index, jobs);
  const k = withProgress(kernel, progress);
  // An experiment page sends the rows its SQL cell returned: those are what the fits see.
  const rows = job.rows ?? (job.models ? observations.filter((o) => job.models.includes(o.model)) : observations);
  const t0 = performance.now();
  if (job.kind === "bootstrap") {
    // Bootstrap resamples around a given fit of one task (the home page's explorer draws its
    // prediction bands from them); progress per resample.
    const points = rows.filter((o) => o.task === job.task);
    const samples = kernel.bootstrap(job.fit, points, {
      resamples: job.resamples,
      seed: job.seed,
      onProgress: (done, total) => void postMessage({ type: "progress", id, job: index, jobs, progressType: "bootstrap", fit: job.task, fitIndex: 0, done, total }),
    }, points.map((o) => o.model));
    return { samples, ms: performance.now() - t0 };
  }
  if (job.kind === "fit") {
    // A bare fit of one law on one task (the Method page's comparison with SciPy).
    const fit = k.fit(job.variant, rows.filter((o) => o.task === job.task), { seed: job.seed, restarts: job.restarts });
    return { fit, ms: performance.now() - t0 };
  }
  // An experiment: by id through plan(), or a plan given as data (edited on the page).
  const p = job.plan ?? plan(job.experiment, job.task, job.settings, observations);
  // Bootstrap progress comes from run.ts, per fit of the plan, in plan order.
  let lastPost = 0;
  const labels = p.fits.map((f) => f.label);
  const onProgress = ({ fit, done, total }) => {
    const now = performance.now();
    if (now - lastPost < 50 && done < total) return;
    lastPost = now;
    postMessage({ type: "progress", id, job: index, jobs, progressType: "bootstrap", fit, fitIndex: labels.indexOf(fit), done, total });
  };
  const result = runExperiment(k, p, rows, { onProgress });
  return { result, ms: performance.now() - t0 };
}

onmessage = async ({ data }) => {
  try {
    if (data.type === "init") {
      const [bytes] = await Promise.all([fetch(data.kernelUrl).then((r) => r.arrayBuffer())]);
      kernel = await Kernel.load(bytes);
      // The same parser and cross-check as `npm run fit`, so both refuse the same files.
      observations = parseObservationsCsv(data.observationsText, data.observationsFile);
      checkAgainstModels(observations, parseModelsCsv(data.modelsText, data.modelsFile), data.observationsFile, data.modelsFile);
      postMessage({ type: "ready" });
    } else if (data.type === "run") {
      // One job of a run the page's workers share: job data.index of data.total, as progress names it.
      postMessage({ type: "done", id: data.id, index: data.index, output: runJob(data.job, data.index, data.total, data.id) });
    }
  } catch (error) {
    postMessage({ type: "error", id: data.id, message: error.message, name: error.name, code: error.code });
  }
};
