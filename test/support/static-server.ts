import { createReadStream, existsSync, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { createGzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Extra folders by URL prefix, e.g. { '/fixture-assets/': 'test/fixtures/assets' }. */
  mounts?: Record<string, string>;
  /** Answers a request itself (returns true) before files are looked up. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * A static file server on 127.0.0.1, as GitHub Pages serves a built site: /path/ → path/index.html,
 * 404.html for anything missing, gzip when the browser asks for it.
 */
export async function serveStatic(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const find = (pathname: string): string | undefined => {
    for (const [prefix, dir] of Object.entries(options.mounts ?? {})) {
      if (pathname.startsWith(prefix)) return inside(resolve(dir), pathname.slice(prefix.length));
    }
    return inside(resolve(root), pathname);
  };
  const server = createServer((req, res) => {
    if (options.handle?.(req, res)) return;
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = find(pathname);
    const send = (path: string, status: number) => {
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && !/\.(png|jpg)$/.test(path);
      res.writeHead(status, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      const stream = createReadStream(path);
      (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
    };
    if (file) return send(file, 200);
    const notFound = join(root, '404.html');
    if (existsSync(notFound)) return send(notFound, 404);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** The file for a URL path under `dir`, never outside it; a folder means its index.html. */
function inside(dir: string, pathname: string): string | undefined {
  const path = normalize(join(dir, pathname));
  if (!path.startsWith(dir)) return undefined;
  if (existsSync(path) && statSync(path).isDirectory()) return existsSync(join(path, 'index.html')) ? join(path, 'index.html') : undefined;
  return existsSync(path) ? path : undefined;
}
