// Types of fit-run.js, for the Node test of the pool (test/fit-pool.test.ts).
import type { FitClient, FitProgress } from "./fit-client.js";
export function progressText(p: FitProgress): string;
export function jobFraction(p: FitProgress, fits: number, restarts: number): number;
export type FitRunState =
  | { state: "running"; fraction: number; text: string }
  | { state: "done"; outputs: any[]; ms: number }
  | { state: "cancelled" | "error"; error: Error };
export function fitRun(client: FitClient, jobs: unknown[], options?: { restarts?: number }): AsyncGenerator<FitRunState>;
