// Progress of the long steps of a command (reading a large file, a global search, a bootstrap)
// on standard error, so standard output (tables, --json, an imported CSV) stays clean. A step
// is shown once it has run 2 s, so quick commands stay silent: on a terminal as one line
// rewritten in place, elsewhere (--progress into a file or pipe) as a line a second.

export interface ProgressEvent {
  /** what is being done, e.g. "law: bootstrap" or "reading big.csv" */
  step: string;
  done: number;
  /** absent when the end is not known in advance (the generations of a global search) */
  total?: number;
  /** of done and total, e.g. "MB" */
  unit?: string;
}

/** Whether to report: asked for, or standard error is a terminal. */
export const progressWanted = (asked: boolean): boolean => asked || process.stderr.isTTY === true;

/** A reporter for the steps of one command; call `clear` when done (it wipes a terminal's line). */
export function progressReporter(prefix: string): ((e: ProgressEvent) => void) & { clear(): void } {
  const tty = process.stderr.isTTY === true;
  let current = "";
  let started = 0;
  let last = 0;
  let onScreen = false;
  const clear = () => {
    if (tty && onScreen) process.stderr.write("\r\x1b[K");
    onScreen = false;
  };
  const report = ({ step, done, total, unit }: ProgressEvent) => {
    const now = Date.now();
    if (step !== current) {
      current = step;
      started = now;
      last = 0;
    }
    const finished = total !== undefined && done >= total;
    if (now - started < 2000 || (now - last < (tty ? 100 : 1000) && !finished)) return;
    if (finished && last === 0) return; // finished before anything was shown
    last = now;
    if (finished && tty) return clear();
    const line = `${prefix} · ${step} ${done}${total !== undefined ? `/${total}` : ""}${unit ? ` ${unit}` : ""} (${((now - started) / 1000).toFixed(0)} s)`;
    if (tty) {
      process.stderr.write(`\r${line}\x1b[K`);
      onScreen = true;
    } else process.stderr.write(`${line}\n`);
  };
  return Object.assign(report, { clear });
}
