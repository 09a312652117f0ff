/**
 * Small node:http building blocks shared by the seed stand-ins.
 *
 * Each stand-in is a plain `node:http` server on 127.0.0.1 with an ephemeral port. This module
 * owns the listen/close lifecycle, bounded body reading, JSON/HTML replies, the RFC 6749 §3.1
 * duplicate-parameter rule, loopback redirect matching (RFC 8252 §7.3) and PKCE S256
 * (RFC 7636 §4.6). Nothing here starts a timer: expiries are timestamps checked on use.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordSecret } from '../secret-registry';

/** The largest request body any stand-in reads, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A running stand-in: its origin and how to stop it. */
export interface RunningServer {
  /** The origin, e.g. `http://127.0.0.1:43123`, with no trailing slash. */
  url: string;
  /** Stops listening, drops idle keep-alive sockets and resolves once closed. */
  close(): Promise<void>;
}

/** A request handler; a thrown error becomes a 500 JSON reply. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/** Thrown by helpers to end a request with a given status and JSON body. */
export class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpReply';
  }
}

/**
 * Starts a server on 127.0.0.1 with an ephemeral port.
 *
 * `HttpReply` errors thrown by the handler become their JSON reply; anything else becomes a
 * 500 `{ error: 'server_error' }`.
 */
export async function listen(handler: Handler): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpReply) {
          sendJson(res, error.status, error.body, error.headers);
          return;
        }
        sendJson(res, 500, { error: 'server_error', error_description: String(error) });
      });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Sends a JSON reply with `Cache-Control: no-store` (RFC 6749 §5.1). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...headers,
  });
  res.end(text);
}

/** Sends an HTML page. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

/** Sends a 302 to `location`. */
export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/** Reads the body as UTF-8, refusing more than `MAX_BODY_BYTES` with a 413. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpReply(413, { error: 'invalid_request', error_description: 'body too large' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type of the request, lower-cased, without parameters (`''` when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads single-valued parameters from a query or form.
 *
 * RFC 6749 §3.1: request and response parameters MUST NOT be included more than once, so a
 * repeated name is an `invalid_request` (400). Empty values count as absent.
 */
export function singleParams(params: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of params) {
    if (out.has(name)) {
      throw new HttpReply(400, {
        error: 'invalid_request',
        error_description: `parameter ${name} is repeated`,
      });
    }
    out.set(name, value);
  }
  for (const [name, value] of [...out]) {
    if (value === '') out.delete(name);
  }
  return out;
}

/** Reads a form body (`application/x-www-form-urlencoded`) as single-valued parameters. */
export async function readForm(req: IncomingMessage): Promise<Map<string, string>> {
  return singleParams(new URLSearchParams(await readBody(req)));
}

/** Reads a JSON object body, or `undefined` when it is not valid JSON or not an object. */
export async function readJsonObject(
  req: IncomingMessage,
): Promise<Record<string, unknown> | undefined> {
  const text = await readBody(req);
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The scheme of the `Authorization` header (`basic`, `bearer`, ...), lower-cased. */
export function authScheme(req: IncomingMessage, header = 'authorization'): string | undefined {
  const value = req.headers[header.toLowerCase()];
  if (typeof value !== 'string') return undefined;
  return value.trim().split(/\s+/)[0]?.toLowerCase();
}

/** The token of a `Bearer <token>` header (RFC 6750 §2.1), or `undefined`. */
export function bearerToken(req: IncomingMessage, header = 'authorization'): string | undefined {
  const value = req.headers[header.toLowerCase()];
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(value.trim());
  return match?.[1];
}

/** A fresh unguessable opaque value, optionally with a readable prefix. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** A random token that is a secret (access, refresh token or code): recorded for the leak scan. */
export function secretToken(prefix: string): string {
  const token = randomToken(prefix);
  recordSecret(token);
  return token;
}

/** Compares two strings in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** PKCE S256 (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: a code_verifier is 43–128 unreserved characters. */
export function isValidVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** The loopback host names the seed pages accept: localhost, 127.0.0.1 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** Parses an absolute URL, or returns `undefined`. */
export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Whether a presented redirect URI matches a registered one.
 *
 * Exact string match, except that for an http loopback redirect the port is ignored
 * (RFC 8252 §7.3), when `loopbackAnyPort` is on.
 */
export function redirectMatches(
  registered: string,
  presented: string,
  loopbackAnyPort: boolean,
): boolean {
  if (registered === presented) return true;
  if (!loopbackAnyPort) return false;
  const a = parseUrl(registered);
  const b = parseUrl(presented);
  if (!a || !b || a.protocol !== 'http:' || b.protocol !== 'http:') return false;
  if (!isLoopbackHost(a.hostname) || a.hostname !== b.hostname) return false;
  a.port = '';
  b.port = '';
  return a.href === b.href;
}

/** Adds parameters to a redirect URI's query (RFC 6749 §4.1.2) and returns it. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders a consent page with "Approve" and "Deny" buttons that POST `fields` back to `action`.
 *
 * The buttons carry `name="decision"` with values `approve` and `deny`.
 */
export function consentPage(
  title: string,
  message: string,
  action: string,
  fields: Record<string, string>,
): string {
  const hidden = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<form method="post" action="${escapeHtml(action)}">
${hidden}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>`;
}

/** Renders a plain error page (for authorization errors that must not redirect, RFC 6749 §4.1.2.1). */
export function errorPage(error: string, description: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Error</title></head>
<body><h1>${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></body></html>`;
}

/**
 * A map whose entries expire and whose size is capped.
 *
 * Expiry is checked on read; the oldest entry is evicted once `max` is reached. No timers.
 */
export class BoundedStore<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly max = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores `value` under `key` until `ttlMs` from now (`Infinity` for no expiry). */
  set(key: string, value: V, ttlMs = Number.POSITIVE_INFINITY): void {
    if (this.#entries.size >= this.max && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** The live value under `key`, if any. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) return undefined;
    return entry.value;
  }

  /** Whether `key` exists but has expired. */
  expired(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.expiresAt <= this.now();
  }

  /** Removes `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Live and expired entries, in insertion order. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  /** Makes every entry expired now. */
  expireAll(): void {
    const at = this.now();
    for (const entry of this.#entries.values()) entry.expiresAt = at;
  }
}
