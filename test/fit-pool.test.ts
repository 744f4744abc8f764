// The page's fit client (src/components/notebook/fit-client.js) spreads a run's jobs over a few
// Web Workers. Here the workers are stand-ins that finish their jobs after given delays, so jobs
// end out of order: the outputs must still come in the jobs' order, a cancel or a failing job
// must stop every worker, and the progress a page shows (fit-run.js) must never go backwards.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

interface Job { value: number; ms: number; fail?: boolean }

/** A stand-in for a fit worker: answers init at once, and each job after job.ms, with value × 2. */
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  terminated = false;
  jobsRun: number[] = [];
  constructor() {
    FakeWorker.made.push(this);
  }
  private post(data: unknown, ms = 0) {
    setTimeout(() => { if (!this.terminated) this.onmessage?.({ data }); }, ms);
  }
  postMessage(msg: { type: string; id?: number; job?: Job; index?: number; total?: number }) {
    if (msg.type === "init") return this.post({ type: "ready" });
    const job = msg.job!;
    this.jobsRun.push(msg.index!);
    this.post({ type: "progress", id: msg.id, job: msg.index, jobs: msg.total, progressType: "bootstrap", fit: "f", fitIndex: 0, done: 1, total: 2 }, job.ms / 2);
    if (job.fail) return this.post({ type: "error", id: msg.id, message: `job ${msg.index} failed`, name: "Error" }, job.ms);
    this.post({ type: "done", id: msg.id, index: msg.index, output: { value: job.value * 2 } }, job.ms);
  }
  terminate() {
    this.terminated = true;
  }
}
(globalThis as unknown as { Worker: typeof FakeWorker }).Worker = FakeWorker;
const { createFitClient, Cancelled } = await import("../src/components/notebook/fit-client.js");
const { fitRun } = await import("../src/components/notebook/fit-run.js");

const OPTIONS = { kernelUrl: "k.wasm", observationsText: "", modelsText: "" };
const live = () => FakeWorker.made.filter((w) => !w.terminated);

beforeEach(() => {
  FakeWorker.made = [];
});

test("jobs spread over the workers come back in the jobs' order, though they end out of order", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 3 });
  const jobs: Job[] = [40, 5, 30, 1, 20, 2, 10].map((ms, i) => ({ value: i, ms }));
  const outputs = await client.run(jobs);
  assert.deepEqual(outputs.map((o: { value: number }) => o.value), jobs.map((j) => j.value * 2));
  assert.equal(FakeWorker.made.length, 3, "three workers for seven jobs");
  assert.ok(FakeWorker.made.every((w) => w.jobsRun.length > 0), "each worker had a job");
  assert.deepEqual(FakeWorker.made.flatMap((w) => w.jobsRun).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6], "each job ran once");
});

test("no more workers than jobs, and one worker runs the jobs one after another", async () => {
  const two = createFitClient({ ...OPTIONS, workers: 4 });
  await two.run([{ value: 1, ms: 1 }, { value: 2, ms: 1 }]);
  assert.equal(FakeWorker.made.length, 2);
  FakeWorker.made = [];
  const one = createFitClient({ ...OPTIONS, workers: 1 });
  const outputs = await one.run([{ value: 1, ms: 5 }, { value: 2, ms: 1 }, { value: 3, ms: 1 }]);
  assert.deepEqual(outputs.map((o: { value: number }) => o.value), [2, 4, 6]);
  assert.equal(FakeWorker.made.length, 1);
  assert.deepEqual(FakeWorker.made[0].jobsRun, [0, 1, 2]);
});

test("cancel stops every worker and rejects the run; the next run starts fresh workers", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 2 });
  const running = client.run([{ value: 1, ms: 200 }, { value: 2, ms: 200 }, { value: 3, ms: 200 }]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(client.cancel(), true);
  await assert.rejects(running, (e: Error) => e instanceof Cancelled);
  assert.equal(live().length, 0, "every worker terminated");
  const outputs = await client.run([{ value: 5, ms: 1 }, { value: 6, ms: 1 }]);
  assert.deepEqual(outputs.map((o: { value: number }) => o.value), [10, 12]);
  assert.equal(live().length, 2);
});

test("a new run cancels the one going", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 2 });
  const first = client.run([{ value: 1, ms: 200 }, { value: 2, ms: 200 }]);
  const second = client.run([{ value: 3, ms: 1 }]);
  await assert.rejects(first, (e: Error) => e instanceof Cancelled);
  assert.deepEqual((await second).map((o: { value: number }) => o.value), [6]);
});

test("a job that fails rejects the run with its error and stops the other workers", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 2 });
  await assert.rejects(client.run([{ value: 1, ms: 300 }, { value: 2, ms: 5, fail: true }, { value: 3, ms: 300 }]), /job 1 failed/);
  assert.equal(live().length, 0);
});

test("an empty run resolves with no outputs", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 2 });
  assert.deepEqual(await client.run([]), []);
});

test("the progress a page shows never goes backwards while workers finish jobs out of order, and ends at the run's end", async () => {
  const client = createFitClient({ ...OPTIONS, workers: 3 });
  const jobs = [30, 5, 20, 1, 15, 2].map((ms, i) => ({ value: i, ms }));
  const fractions: number[] = [];
  let last: { state: string; outputs?: { value: number }[] } | null = null;
  for await (const state of fitRun(client, jobs)) {
    if (state.state === "running") fractions.push(state.fraction);
    last = state;
  }
  assert.equal(last?.state, "done");
  assert.deepEqual(last?.outputs?.map((o) => o.value), jobs.map((j) => j.value * 2));
  assert.ok(fractions.length > 3, `${fractions.length} progress states`);
  for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], `progress went back: ${fractions.join(", ")}`);
  assert.ok(fractions.every((f) => f >= 0 && f <= 1));
});
