// A reporter for Node's test runner that records how long each test file took, for
// `npm run test:timings` (scripts/test-timings.ts) to print and compare. `npm test` attaches it
// beside the spec reporter; it writes one JSON document when the run ends: per file its wall
// time (from the runner: the file's process, hooks included), and its tests passed, failed and
// skipped; and the whole run's wall time. Plain JavaScript: the runner loads reporters itself.
export default async function* timings(source) {
  const started = Date.now();
  const files = new Map();
  const entry = (file) => {
    if (!files.has(file)) files.set(file, { file, ms: null, tests: 0, pass: 0, fail: 0, skip: 0 });
    return files.get(file);
  };
  for await (const event of source) {
    const data = event.data ?? {};
    if (!data.file) continue;
    const f = entry(data.file);
    // The runner reports each file as a test named by its path, with the file's own duration.
    if (event.type === "test:complete" && data.name === data.file) f.ms = data.details?.duration_ms ?? null;
    else if ((event.type === "test:pass" || event.type === "test:fail") && data.nesting === 0 && data.name !== data.file) {
      f.tests++;
      if (data.skip) f.skip++;
      else if (event.type === "test:pass") f.pass++;
      else f.fail++;
    }
  }
  const cwd = process.cwd().replace(/\/?$/, "/");
  const out = {
    finished: new Date().toISOString(),
    wallMs: Date.now() - started,
    concurrency: process.env.TEST_CONCURRENCY ?? null,
    files: [...files.values()].map((f) => ({ ...f, file: f.file.startsWith(cwd) ? f.file.slice(cwd.length) : f.file })),
  };
  yield JSON.stringify(out, null, 1) + "\n";
}
