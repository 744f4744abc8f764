// The one host import: a progress report after each generation or local-search step. The host
// returns non-zero to cancel, so a long fit in a Web Worker can be stopped between steps.
@external("env", "progress")
declare function hostProgress(stage: i32, iteration: i32, best: f64): i32;

export let progressEnabled: bool = false;

@inline export function reportProgress(stage: i32, iteration: i32, best: f64): bool {
  return progressEnabled && hostProgress(stage, iteration, best) != 0;
}
