import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { mimeTypeFor, rendererResponse } from '../../src-main/electron/app-protocol';

/**
 * A static file server on 127.0.0.1 for the built renderer, standing in for `app://`.
 *
 * It answers like the app protocol does: correct MIME types (module scripts must be served as
 * JavaScript), the same CSP (with its per-load nonce), and 404 for anything outside the folder.
 */
export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

function fileFor(rootDir: string, rawUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://127.0.0.1').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const root = resolve(rootDir);
  const target = resolve(root, `.${sep}${pathname.replace(/^[/\\]+/, '')}`);
  const rel = relative(root, target);
  if (rel === '' || isAbsolute(rel) || rel.split(/[/\\]/).includes('..')) return null;
  return target;
}

export async function startStaticServer(rootDir: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const file = fileFor(rootDir, request.url ?? '/');
    const notFound = () => {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found');
    };
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    stat(file)
      .then(async (info) => {
        if (!info.isFile()) return notFound();
        // The production answer: HTML gets a fresh per-load style nonce in meta tag and header.
        const served = rendererResponse(file, await readFile(file));
        response.writeHead(200, {
          'content-type': mimeTypeFor(file),
          'content-security-policy': served.csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        });
        response.end(request.method === 'HEAD' ? undefined : served.body);
      })
      .catch(notFound);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolveClose()));
      }),
  };
}
