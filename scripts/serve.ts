// `npm start` (after the build): serves dist/ on 127.0.0.1 (PORT, default 3000) until stopped.
import { existsSync } from "node:fs";
import { startStaticServer } from "../src/lib/node/static-server.js";

const dir = process.argv[2] ?? "dist";
if (!existsSync(`${dir}/index.html`)) {
  console.error(`error: ${dir}/index.html is missing: build the site first with \`npm run build\``);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const { url } = await startStaticServer(dir, { port, basePath: process.env.BASE_PATH ?? "/" });
console.log(`serving ${dir} at ${url} (Ctrl-C to stop)`);
