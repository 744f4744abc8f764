// When the build's capture takes a page that never marks "page-ready" (pageSettledOrQuiet): after
// a quiet spell once every cell has displayed, and only after a much longer one while a cell's
// loading placeholder is still there (a slow page on a loaded machine is quiet for seconds with
// cells pending: the capture once missed two of the Data page's tables that way). Short waits
// stand in for the build's 10 s and 60 s. And which cells it refuses to keep: those that show an
// error (cellErrorsInPage), drawn here by Framework's own inspector as Framework draws them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../src/lib/node/chromium.js";
import { cellErrorsInPage, pageSettledOrQuiet } from "../../src/lib/node/static-outputs.js";

// Lower bounds are what the rule guarantees; the one upper bound (the short spell ends well before
// the long one) leaves a loaded machine seconds of slack.
const WAIT = { quietMs: 300, pendingMs: 5_000 };

/** ms from the wait's start until the capture; a change that sets globalThis.__changedAt (the page's clock) also gives ms since it. */
async function captured(html: string, change?: string): Promise<{ ms: number; sinceChange: number | null }> {
  const { browser, close } = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript("globalThis.__name ??= (f) => f");
    await page.setContent(html);
    if (change) await page.evaluate(change);
    const t0 = Date.now();
    await page.waitForFunction(pageSettledOrQuiet, WAIT, { timeout: 20_000, polling: 50 });
    const ms = Date.now() - t0;
    // Read on the page's clock: the change's timer starts before t0, by however long evaluate took.
    const sinceChange = (await page.evaluate("globalThis.__changedAt === undefined ? null : performance.now() - globalThis.__changedAt")) as number | null;
    return { ms, sinceChange };
  } finally {
    await close();
  }
}

test("a page with every cell displayed is captured after the short quiet spell", async () => {
  const { ms } = await captured(`<main id="observablehq-main"><p>prose</p></main>`);
  assert.ok(ms >= WAIT.quietMs && ms < WAIT.pendingMs, `${ms} ms`);
});

test("a page with a cell still pending waits for the long spell, and a change restarts it", async () => {
  const { ms, sinceChange } = await captured(`<main id="observablehq-main"><observablehq-loading></observablehq-loading><p id="x">a</p></main>`,
    `setTimeout(() => { document.querySelector("#x").textContent = "changed"; globalThis.__changedAt = performance.now(); }, 700)`);
  // The long spell, counted again from the change (it came 0.7 s after the page was set, which is
  // less than 0.7 s after the wait began when evaluate itself took time on a loaded machine).
  assert.ok(sinceChange !== null && sinceChange >= WAIT.pendingMs, `${sinceChange} ms after the change`);
  assert.ok(ms >= WAIT.pendingMs, `${ms} ms`);
});

test("a page that marks page-ready is settled once its last cell has displayed, not before", async () => {
  const { ms, sinceChange } = await captured(`<main id="observablehq-main"><observablehq-loading></observablehq-loading></main>`,
    `performance.mark("page-ready"); setTimeout(() => { document.querySelector("observablehq-loading").remove(); globalThis.__changedAt = performance.now(); }, 500)`);
  // Not before: the last cell displayed (its placeholder removed) before the capture, as the
  // page's clock says (the wait's own clock starts late by however long evaluate took).
  assert.ok(sinceChange !== null, `captured ${ms} ms into the wait, before the last cell displayed`);
  // Once: not held for the long spell (as before; reading the clock again takes a round trip, so
  // no tighter bound).
  assert.ok(sinceChange < WAIT.pendingMs && ms < WAIT.pendingMs, `${sinceChange} ms after the last cell displayed, ${ms} ms in all`);
});

test("a cell that shows an error is found, by its message, for the capture to refuse the page", async () => {
  const { browser, close } = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript("globalThis.__name ??= (f) => f");
    await page.setContent(`<main id="observablehq-main"><div class="observablehq observablehq--block" id="a"></div><div class="observablehq observablehq--block" id="b"><p>fine</p></div></main>`);
    assert.deepEqual(await page.evaluate(cellErrorsInPage), [], "no error shown");
    // The inspector Framework installs with itself (package-lock.json pins it; its exports hide dist/).
    await page.addScriptTag({ path: fileURLToPath(new URL("../../node_modules/@observablehq/inspector/dist/inspector.js", import.meta.url)) });
    // What Framework's client does with a cell that threw (inspectError in its dist/client/inspect.js).
    await page.evaluate(`(() => {
      const node = document.createElement("div");
      new observablehq.Inspector(node).rejected(new RangeError("fit: no points for task gsm"));
      node.classList.add("observablehq--error");
      document.querySelector("#a").append(node);
    })()`);
    const errors = await page.evaluate(cellErrorsInPage);
    assert.equal(errors.length, 1, errors.join(" | "));
    assert.match(errors[0], /RangeError: fit: no points for task gsm/);
  } finally {
    await close();
  }
});
