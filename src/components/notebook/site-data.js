// The site's inputs, loaded once per page: the two data tables (copied from data/ by the
// loaders in src/data/), their SHA-256 hashes, the kernel's bytes and hash, and the code
// version. Everything a page shows is computed from these in the browser.
import { FileAttachment } from "observablehq:stdlib";

// Each FileAttachment is called with its method in place: Framework infers an unnamed method
// from the extension, and for .csv that pulls d3-dsv from a CDN.

/** SHA-256 of bytes as hex (crypto.subtle exists only in secure contexts: https or localhost). */
export async function sha256(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let loaded;

/** Loads (once) and returns {observationsText, observationsBytes, modelsText, modelsBytes, kernelBytes, kernelUrl, hashes, build}. */
export function siteData() {
  loaded ??= (async () => {
    const [observationsBytes, modelsBytes, kernelBytes, build, kernelUrl] = await Promise.all([
      FileAttachment("../../data/observations.csv").arrayBuffer().then((b) => new Uint8Array(b)),
      FileAttachment("../../data/models.csv").arrayBuffer().then((b) => new Uint8Array(b)),
      FileAttachment("../../lib/wasm/kernel.wasm").arrayBuffer(),
      FileAttachment("../../data/build-info.json").text().then(JSON.parse),
      FileAttachment("../../lib/wasm/kernel.wasm").url(),
    ]);
    const decoder = new TextDecoder();
    const [observations, models, kernel] = await Promise.all([sha256(observationsBytes), sha256(modelsBytes), sha256(kernelBytes)]);
    return {
      observationsText: decoder.decode(observationsBytes),
      observationsBytes,
      modelsText: decoder.decode(modelsBytes),
      modelsBytes,
      kernelBytes,
      kernelUrl: new URL(kernelUrl, location.href).href,
      hashes: { observations, models, kernel },
      build,
    };
  })();
  return loaded;
}
