// Headless Debian Chromium driven by playwright-core, with the flags these machines need
// (no sandbox as root, no background networking: nothing may leave 127.0.0.1). Shared by the
// browser tests and the benchmarks. Never a browser downloaded by a test tool.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  requireChromium();
  // playwright starts every launch with a new, empty profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  return {
    browser,
    close: () => browser.close(),
  };
}

function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's Chromium with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
}

const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
  // Nothing leaves the machine, whatever a page asks for: every host name but the loopback's
  // resolves to nothing, and anything else goes to a proxy that is not there (the loopback is
  // never proxied). A page's requests are still seen, and the tests fail on any that is not
  // to the site.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
  "--proxy-server=http://127.0.0.1:9",
];

export interface LaunchedProfile {
  /** the one context of a browser with a profile on disk: its pages share the HTTP and code caches */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with a new profile on disk (removed on close), as one context whose pages share the
 * caches a reader's browser has as they go from page to page: HTTP responses and the compiled
 * code of scripts and WebAssembly (which an in-memory context does not keep). The browser tests
 * use it: each page still gets its own tab, log and checks, and a page loads in a quarter less CPU.
 */
export async function launchChromiumProfile(options: { viewport?: { width: number; height: number } } = {}): Promise<LaunchedProfile> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), "cs-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH, headless: true, args: ARGS, acceptDownloads: true, viewport: options.viewport ?? { width: 1280, height: 900 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
