// Page side of the fitting workers: a small pool, one run at a time. A run's jobs are handed out
// one by one to up to `workers` Web Workers, so a page that reruns many fits (the home page's
// 23) uses the reader's cores; each job is a pure function of its inputs and seed, so which
// worker computes it changes no number, and outputs come back in the jobs' order. A new run
// while one is going cancels it (the reader changed an input; only the latest settings matter),
// and cancel() stops the fits at once by terminating the workers; the next run starts fresh ones
// (loading the 20 kB kernel again takes milliseconds).
import { mark } from "./timing.js";

const WORKER_URL = import.meta.resolve("./fit-worker.js");

export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** Workers a run may use: one per core the browser reports, at most four (a fit is one core's work). */
export function defaultWorkers() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, cores));
}

/**
 * @param options.workers at most this many workers for a run (1: one job after another, as a
 *   page that times each fit needs)
 */
export function createFitClient({ kernelUrl, observationsText, modelsText, observationsFile = "data/observations.csv", modelsFile = "data/models.csv", workers = defaultWorkers() }) {
  const pool = []; // {worker, ready}
  let pending = null; // the run going: {id, resolve, reject, onProgress, jobs, outputs, next, finished}
  let nextId = 1;

  function fail(error) {
    finish((p) => p.reject(error));
    stopWorkers();
  }

  function start() {
    const worker = new Worker(WORKER_URL, { type: "module" });
    const slot = { worker, ready: null };
    slot.ready = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") {
          mark("kernel-ready");
          resolve();
        } else if (data.type === "error" && data.id === undefined) reject(new Error(data.message));
        else if (pending && data.id === pending.id) {
          if (data.type === "progress") pending.onProgress?.(data);
          else if (data.type === "done") jobDone(slot, data);
          else if (data.type === "error") fail(Object.assign(new Error(data.message), { name: data.name, code: data.code }));
        }
      };
      worker.onerror = (e) => {
        const error = new Error(`fit worker failed: ${e.message ?? "unknown error"}`);
        reject(error);
        fail(error);
      };
    });
    // A worker that never became ready fails the run waiting for it (run() gives the error to
    // fail); this only keeps the browser from also reporting the rejection as unhandled.
    slot.ready.catch(() => {});
    worker.postMessage({ type: "init", kernelUrl, observationsText, modelsText, observationsFile, modelsFile });
    pool.push(slot);
    return slot;
  }

  function stopWorkers() {
    for (const { worker } of pool.splice(0)) worker.terminate();
  }

  /** Gives `slot` the run's next job, if any is left. */
  function feed(slot) {
    const p = pending;
    if (!p || p.next >= p.jobs.length) return;
    const index = p.next++;
    slot.worker.postMessage({ type: "run", id: p.id, job: p.jobs[index], index, total: p.jobs.length });
  }

  function jobDone(slot, data) {
    const p = pending;
    p.outputs[data.index] = data.output;
    p.finished++;
    p.onProgress?.({ type: "progress", progressType: "job", id: p.id, job: data.index, jobs: p.jobs.length, finished: p.finished });
    if (p.finished === p.jobs.length) finish((q) => q.resolve(q.outputs));
    else feed(slot);
  }

  function finish(settle) {
    const p = pending;
    pending = null;
    if (p) settle(p);
  }

  function cancel() {
    if (!pending) return false;
    stopWorkers();
    finish((p) => p.reject(new Cancelled()));
    return true;
  }

  /** Runs jobs (see fit-worker.js); resolves with one output per job, in the jobs' order. */
  async function run(jobs, onProgress) {
    cancel();
    const id = nextId++;
    // More workers only when there is more than one job for them: each parses the data again.
    const size = Math.max(1, Math.min(workers, jobs.length));
    while (pool.length < size) start();
    const slots = pool.slice(0, size);
    return new Promise((resolve, reject) => {
      pending = { id, resolve, reject, onProgress, jobs, outputs: new Array(jobs.length), next: 0, finished: 0 };
      if (jobs.length === 0) return finish((p) => p.resolve([]));
      // Each worker starts as soon as it is ready; one that fails to start fails the run.
      for (const slot of slots) slot.ready.then(() => pending?.id === id && feed(slot), (error) => pending?.id === id && fail(error));
    });
  }

  // One worker starts at once, so its kernel and data are loaded while the page draws.
  start();
  return { run, cancel };
}
