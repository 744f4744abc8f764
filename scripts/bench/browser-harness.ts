// Serves the kernel and the bundled workload on 127.0.0.1 and opens them in headless Chromium.
import { mkdtempSync, copyFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { startStaticServer } from "../../src/lib/node/static-server.js";
import { launchChromium } from "../../src/lib/node/chromium.js";
import { KERNEL_PATH } from "../../src/lib/node/load-kernel.js";

export interface Harness {
  page: Page;
  /** requests the page made to any host but the harness's own */
  outside: string[];
  close(): Promise<void>;
}

export async function openWorkloadPage(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "cs-bench-"));
  copyFileSync(KERNEL_PATH, join(dir, "kernel.wasm"));
  await build({
    entryPoints: [fileURLToPath(new URL("./browser-entry.ts", import.meta.url))],
    bundle: true, format: "esm", target: "es2022", outfile: join(dir, "workload.js"), logLevel: "silent",
  });
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>workload</title><script type="module" src="workload.js"></script>\n`);
  const server = await startStaticServer(dir);
  const launched = await launchChromium();
  const page = await launched.browser.newPage();
  const outside: string[] = [];
  const origin = new URL(server.url).origin;
  page.on("request", (r) => {
    if (!r.url().startsWith(origin)) outside.push(r.url());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => typeof window.runWorkload === "function");
  return {
    page,
    outside,
    close: async () => {
      await launched.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
