// A run of the fitting worker as an async generator, so a page's fit cell is one line and
// Framework's runtime does the rest: each yield is the run's state ({state: "running",
// fraction, text} while it goes, then "done" with the outputs, or "cancelled" / "error"),
// and when the runtime drops the cell (an input changed) the generator's finally stops the
// workers. Shared by the experiment pages and Your data.
import { Cancelled } from "./fit-client.js";

export function progressText(p) {
  if (p.progressType === "bootstrap") return `task ${p.job + 1} of ${p.jobs}, fit “${p.fit}”: bootstrap resample ${p.done} of ${p.total}`;
  const stage = p.stage === "global" ? `global search ${p.restart + 1}` : "local refinement";
  return `task ${p.job + 1} of ${p.jobs}, fit ${p.fit + 1}: ${stage}, iteration ${p.iteration}, best SSE ${p.bestSse.toExponential(3)}`;
}

/** How much of its job a worker's progress report says is done (0–1): the job's fits first, then their bootstraps. */
export function jobFraction(p, fits, restarts) {
  let within;
  if (p.progressType === "bootstrap") {
    const k = Math.max(0, p.fitIndex ?? 0);
    within = 0.3 + (0.7 * (k + p.done / Math.max(1, p.total))) / fits;
  } else {
    const stage = p.stage === "global" ? (p.restart + Math.min(p.iteration / 300, 0.9)) / restarts : 0.95;
    within = (0.3 * (p.fit + Math.min(stage, 1))) / fits;
  }
  return Math.min(within, 1);
}

/**
 * Runs `jobs` (see fit-worker.js) on `client`, yielding the run's state.
 * @param options.restarts global searches per fit (for the progress fraction)
 */
export async function* fitRun(client, jobs, { restarts = 1 } = {}) {
  const fitsPerJob = jobs.map((j) => Math.max(1, j.plan?.fits.length ?? 1));
  const t0 = performance.now();
  let latest = null;
  let outcome = null;
  let wake = () => {};
  // Several workers share a run: the fraction done is the finished jobs plus the part done of
  // each job still running; the text is the latest report.
  let finished = 0;
  const running = new Map();
  const fraction = () => (finished + [...running.values()].reduce((a, b) => a + b, 0)) / Math.max(1, jobs.length);
  client.run(jobs, (p) => {
    if (p.progressType === "job") {
      running.delete(p.job);
      finished = p.finished;
    } else {
      running.set(p.job, jobFraction(p, fitsPerJob[p.job] ?? 1, restarts));
      latest = p;
    }
    wake();
  }).then(
    (outputs) => (outcome = { state: "done", outputs, ms: performance.now() - t0 }),
    (error) => (outcome = { state: error instanceof Cancelled ? "cancelled" : "error", error }),
  ).finally(() => wake());
  try {
    yield { state: "running", fraction: 0, text: "fitting …" };
    while (!outcome) {
      await new Promise((resolve) => (wake = resolve));
      if (!outcome && latest) yield { state: "running", fraction: fraction(), text: progressText(latest) };
    }
    yield outcome;
  } finally {
    if (!outcome) client.cancel(); // the runtime dropped this run: a newer one replaces it
  }
}
