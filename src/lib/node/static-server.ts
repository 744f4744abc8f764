// A small static file server for the built site: `npm start`, the browser tests and snapshot
// checks serve dist/ (or a snapshot) on 127.0.0.1 with it. It can mount the site under a
// sub-path (e.g. /v/0.1.0/) to prove that every link in a snapshot is relative.
import { createServer, type Server } from "node:http";
import { createReadStream, readFileSync, statSync, type Stats } from "node:fs";
import { brotliCompress, gzip, constants as zlib } from "node:zlib";
import { promisify } from "node:util";
import { resolve, join, extname, sep } from "node:path";
import type { AddressInfo } from "node:net";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".cff": "text/plain; charset=utf-8",
  ".bib": "text/plain; charset=utf-8",
};

/** A built file named by its content: `name.<8 hex digits>.ext`. */
const HASHED = /\.[0-9a-f]{8}\.[a-z0-9]+$/;

export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** where the site is mounted, starting and ending with "/" */
  basePath?: string;
  /**
   * Compress text and WebAssembly as static hosts do (brotli when the browser accepts it, else
   * gzip), each file once (`npm start`, `npm run bench:site`); off by default, where only the
   * pages' behaviour is looked at.
   */
  compress?: boolean;
}

/** Types worth compressing: everything but images that are compressed already. */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".csv", ".wasm", ".svg", ".txt", ".md", ".cff", ".bib"]);

const compressed = new Map<string, Promise<Buffer>>();

/**
 * The file's bytes in `encoding`, made once per file version (a changed file has a new etag), off
 * the event loop. Large files (DuckDB's 34 MB WebAssembly) at a lower brotli quality: as fast to
 * make as a host's on-the-fly compression, a few per cent larger.
 */
function encodedBody(path: string, etag: string, size: number, encoding: "br" | "gzip"): Promise<Buffer> {
  const key = `${encoding} ${etag} ${path}`;
  let body = compressed.get(key);
  if (!body) {
    const raw = readFileSync(path);
    body = encoding === "br"
      ? promisify(brotliCompress)(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: size > 1 << 20 ? 5 : 9, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : promisify(gzip)(raw, { level: size > 1 << 20 ? 6 : 9 });
    compressed.set(key, body);
  }
  return body;
}

function fileFor(root: string, pathname: string): { path: string; stat: Stats } | null {
  const target = resolve(join(root, decodeURIComponent(pathname)));
  if (target !== root && !target.startsWith(root + sep)) return null; // no escaping the root
  for (const candidate of [target, `${target}.html`, join(target, "index.html")]) {
    try {
      const stat = statSync(candidate);
      if (stat.isFile()) return { path: candidate, stat };
    } catch {
      // try the next form: Framework links pages without the .html extension
    }
  }
  return null;
}

export function startStaticServer(rootDir: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const root = resolve(rootDir);
  const base = options.basePath ?? "/";
  if (!base.startsWith("/") || !base.endsWith("/")) throw new Error(`basePath must start and end with "/", got "${base}"`);
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const file = pathname.startsWith(base) ? fileFor(root, "/" + pathname.slice(base.length)) : null;
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${pathname}\n`);
      return;
    }
    // Caching as a static host does it: a file whose name carries its content hash (Framework
    // names its built files so) never changes and is kept; anything else is revalidated on every
    // use (ETag), so an edited page or a rebuilt site is seen at once and an unchanged file is
    // not sent again (and the browser keeps the code it compiled from it).
    const { path, stat } = file;
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "cache-control": HASHED.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
      etag,
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const accepts = String(req.headers["accept-encoding"] ?? "");
    const encoding = !options.compress || !COMPRESSIBLE.has(extname(path)) ? null : /\bbr\b/.test(accepts) ? "br" : /\bgzip\b/.test(accepts) ? "gzip" : null;
    if (encoding) {
      encodedBody(path, etag, stat.size, encoding).then((body) => {
        res.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": body.length, vary: "Accept-Encoding" });
        res.end(req.method === "HEAD" ? undefined : body);
      }, (e: Error) => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`could not compress ${pathname}: ${e.message}\n`));
      return;
    }
    res.writeHead(200, options.compress ? { ...headers, vary: "Accept-Encoding" } : headers);
    if (req.method === "HEAD") res.end();
    else createReadStream(path).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const { address, port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${address}:${port}${base}`,
        server,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
