// Types of fit-client.js, for the Node test of the pool (test/fit-pool.test.ts).
export class Cancelled extends Error {}
export function defaultWorkers(): number;
/** A worker's progress report ("fit", "bootstrap"), or the client's report that a job has finished ("job", with how many have). */
export interface FitProgress {
  type: "progress";
  progressType: "fit" | "bootstrap" | "job";
  job: number;
  jobs: number;
  finished?: number;
  [key: string]: unknown;
}
export interface FitClient {
  run(jobs: unknown[], onProgress?: (p: FitProgress) => void): Promise<any[]>;
  cancel(): boolean;
}
export function createFitClient(options: {
  kernelUrl: string;
  observationsText: string;
  modelsText: string;
  observationsFile?: string;
  modelsFile?: string;
  workers?: number;
}): FitClient;
