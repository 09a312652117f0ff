import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * The `app://` protocol: serves the built renderer, and nothing else (SECURITY 6).
 *
 * Only files under the renderer folder are served. The decoded request path is resolved against
 * that folder and accepted only when the relative path stays inside it, so `../`, `%2e%2e/`,
 * `..%2f` and `..%5c` all get a 404, as do a foreign host, NUL bytes and folders.
 */

/**
 * The renderer's Content Security Policy, also sent as a header so that `frame-ancestors`
 * (ignored in a meta tag) applies too. `src-renderer/index.html` carries the same policy.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

/**
 * The policy for one page load: {@link APP_CSP} with `style-src` also allowing `<style>` elements
 * that carry `nonce`.
 *
 * The request console's editor (CodeMirror) injects its styles as `<style>` elements, which
 * `style-src 'self'` alone blocks; a fresh random nonce per load lets exactly those in, and
 * `script-src` stays `'self'`.
 */
export function appCspWithNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(nonce)) throw new Error('A CSP nonce must be base64.');
  return APP_CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`);
}

/** A fresh nonce: 128 random bits, base64. */
export function newCspNonce(): string {
  return randomBytes(16).toString('base64');
}

const META_CSP = /(http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;

/**
 * The page with its CSP meta tag set to `policy`, so that the meta tag and the header agree (both
 * are enforced). Throws when the page has no such tag: serving it without one would be a bug.
 */
export function withMetaPolicy(html: string, policy: string): string {
  if (!META_CSP.test(html)) throw new Error('The page has no Content-Security-Policy meta tag.');
  return html.replace(META_CSP, (_match, head: string, tail: string) => head + policy + tail);
}

/**
 * What to serve for a renderer file: HTML pages get a fresh nonce in both their meta tag and their
 * header; everything else is sent as it is, under the base policy.
 */
export function rendererResponse(
  file: string,
  bytes: Buffer<ArrayBuffer>,
): { body: Buffer<ArrayBuffer> | string; csp: string } {
  if (mimeTypeFor(file).startsWith('text/html')) {
    const csp = appCspWithNonce(newCspNonce());
    return { body: withMetaPolicy(bytes.toString('utf8'), csp), csp };
  }
  return { body: bytes, csp: APP_CSP };
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The MIME type for a file name; unknown extensions are served as opaque bytes. */
export function mimeTypeFor(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps an `app://tokendeck/...` URL to a file under `rootDir`, or null when it must be refused.
 *
 * `/` maps to `index.html`.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';
  const root = resolve(rootDir);
  const target = resolve(root, `.${sep}${pathname.replace(/^[/\\]+/, '')}`);
  const rel = relative(root, target);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return null;
  if (rel.split(/[/\\]/).includes('..')) return null;
  return target;
}

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** A `protocol.handle` handler serving files from `rootDir`. */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = resolveAppPath(rootDir, request.url);
    if (!file) return notFound();
    try {
      const info = await stat(file);
      if (!info.isFile()) return notFound();
      const served = rendererResponse(file, await readFile(file));
      return new Response(request.method === 'HEAD' ? null : served.body, {
        status: 200,
        headers: {
          'content-type': mimeTypeFor(file),
          'content-security-policy': served.csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return notFound();
      return new Response('Could not read the file', { status: 500 });
    }
  };
}
