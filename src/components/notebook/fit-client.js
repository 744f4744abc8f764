// Page side of the fitting worker: one worker per page, one run at a time. A new run while one
// is going cancels it (the reader changed an input; only the latest settings matter), and
// cancel() stops the fit at once by terminating the worker; the next run starts a fresh one
// (loading the 20 kB kernel again takes milliseconds).
import { mark } from "./timing.js";

const WORKER_URL = import.meta.resolve("./fit-worker.js");

export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

export function createFitClient({ kernelUrl, observationsText, modelsText, observationsFile = "data/observations.csv", modelsFile = "data/models.csv" }) {
  let worker = null;
  let ready = null;
  let pending = null; // {id, resolve, reject, onProgress}
  let nextId = 1;

  function start() {
    worker = new Worker(WORKER_URL, { type: "module" });
    ready = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") {
          mark("kernel-ready");
          resolve();
        } else if (data.type === "error" && data.id === undefined) reject(new Error(data.message));
        else if (pending && data.id === pending.id) {
          if (data.type === "progress") pending.onProgress?.(data);
          else if (data.type === "done") finish((p) => p.resolve(data.outputs));
          else if (data.type === "error") finish((p) => p.reject(Object.assign(new Error(data.message), { name: data.name, code: data.code })));
        }
      };
      worker.onerror = (e) => {
        const error = new Error(`fit worker failed: ${e.message ?? "unknown error"}`);
        reject(error);
        finish((p) => p.reject(error));
      };
    });
    worker.postMessage({ type: "init", kernelUrl, observationsText, modelsText, observationsFile, modelsFile });
  }

  function finish(settle) {
    const p = pending;
    pending = null;
    if (p) settle(p);
  }

  function cancel() {
    if (!pending) return false;
    worker.terminate();
    worker = null;
    finish((p) => p.reject(new Cancelled()));
    return true;
  }

  /** Runs jobs (see fit-worker.js) in order; resolves with one output per job. */
  async function run(jobs, onProgress) {
    cancel();
    if (!worker) start();
    await ready;
    return new Promise((resolve, reject) => {
      pending = { id: nextId++, resolve, reject, onProgress };
      worker.postMessage({ type: "run", id: pending.id, jobs });
    });
  }

  start();
  return { run, cancel, ready: () => ready };
}
