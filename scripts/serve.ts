// `npm start` (after the build): serves dist/ on 127.0.0.1 (PORT, default 3000) until stopped.
import { existsSync } from "node:fs";
import { startStaticServer } from "../src/lib/node/static-server.js";

const dir = process.argv[2] ?? "dist";
if (!existsSync(`${dir}/index.html`)) {
  console.error(`error: ${dir}/index.html is missing: build the site first with \`npm run build\``);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
// Compressed as a static host sends it (brotli or gzip), so what a reader's browser receives here is what it would receive there.
const { url } = await startStaticServer(dir, { port, basePath: process.env.BASE_PATH ?? "/", compress: true });
console.log(`serving ${dir} at ${url} (Ctrl-C to stop)`);
