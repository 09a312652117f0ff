import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { TokendeckError } from '../errors';
import { openConnection, proxyAuthorization, type Route } from './connect';
import { tlsError } from './tls-errors';
import type { BodyLimits, HeaderPairs, WireRequest, WireResponse } from './transport';

/**
 * Sends one request with `node:http(s)` and reads its response.
 *
 * Node's own client (not fetch) lets the engine see when its connection is ready (through the
 * route's proxy, TLS included) and the `response` event, for connect and first-byte timings.
 * Each exchange opens its own connection, so a cancel or timeout destroys exactly this request.
 * Through a proxy, an http URL is asked of the proxy in absolute form (RFC 9112 §3.2.2), with
 * the target's Host. The body is streamed:
 * a `content-encoding` of gzip, deflate or br (any chain of them) is decoded with zlib and the
 * caps apply to decoded bytes, so a small compressed body cannot expand past them. Rejects with
 * the abort signal's reason (a `TokendeckError` from the caller) or `network_error`.
 */
export function nodeExchange(
  request: WireRequest,
  limits: BodyLimits,
  signal: AbortSignal,
  route: Route = { proxy: null },
): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const started = performance.now();
    const elapsed = () => roundMs(performance.now() - started);
    const origin = request.url.origin;
    let settled = false;
    let connectMs: number | undefined;
    const streams: Readable[] = [];

    const cleanUp = () => {
      signal.removeEventListener('abort', onAbort);
      for (const stream of streams) stream.destroy();
      req.destroy();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanUp();
      reject(error);
    };
    const succeed = (response: WireResponse) => {
      if (settled) return;
      settled = true;
      cleanUp();
      resolve(response);
    };
    const onAbort = () => fail(signal.reason);

    const transport = request.url.protocol === 'https:' ? https : http;
    const absoluteForm = route.proxy !== null && request.url.protocol === 'http:';
    const headers = toOutgoing(request);
    if (absoluteForm) {
      headers.Host = request.url.host;
      const auth = proxyAuthorization(route.proxy!);
      if (auth) headers['Proxy-Authorization'] = auth;
    }
    let req: http.ClientRequest;
    try {
      req = transport.request(request.url, {
        method: request.method,
        headers,
        ...(absoluteForm ? { path: request.url.href, setHost: false } : {}),
        createConnection: ((
          _options: unknown,
          ready: (error: Error | null, socket?: Socket) => void,
        ) => {
          openConnection(request.url, route, signal, (error, socket) => {
            connectMs = elapsed();
            ready(error, socket);
          });
          // Node waits for `ready` when this returns nothing (the connection is made async).
          return undefined;
        }) as unknown as http.RequestOptions['createConnection'],
      });
    } catch (error) {
      // Node checks headers as it builds the request; the engine validated them first, so this
      // is a last guard that keeps Node's error from surfacing as `internal`.
      reject(
        new TokendeckError('invalid_input', 'Node refused to build this request.', {
          cause: error,
        }),
      );
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error) => fail(networkError(error, origin)));
    req.on('response', (res) => {
      const firstByteMs = elapsed();
      streams.push(res);
      const decoders = decodersFor(res.headers['content-encoding']);
      let encodedSize = 0;
      if (decoders.length > 0) {
        res.on('data', (chunk: Buffer) => {
          encodedSize += chunk.length;
        });
      }
      let stream: Readable = res;
      for (const decoder of decoders) {
        streams.push(decoder);
        decoder.on('error', (error) =>
          fail(
            new TokendeckError(
              'network_error',
              `The response body from ${origin} could not be decoded (${String(res.headers['content-encoding'])}).`,
              { cause: error },
            ),
          ),
        );
        stream = stream.pipe(decoder);
      }
      res.on('error', (error) => fail(networkError(error, origin)));
      res.on('close', () => {
        if (!res.complete)
          fail(
            new TokendeckError(
              'network_error',
              `The connection to ${origin} closed before the body was complete.`,
            ),
          );
      });

      const kept: Buffer[] = [];
      let keptBytes = 0;
      let size = 0;
      const finish = (incomplete: boolean) =>
        succeed({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: pairs(res.rawHeaders),
          body: Buffer.concat(kept, keptBytes),
          size,
          encodedSize: decoders.length > 0 ? encodedSize : undefined,
          truncated: size > limits.displayCapBytes,
          incomplete,
          connectMs,
          firstByteMs,
        });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (keptBytes < limits.displayCapBytes) {
          const part = chunk.subarray(0, limits.displayCapBytes - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        if (size > limits.hardCapBytes) finish(true);
      });
      stream.on('end', () => finish(false));
    });
    req.end(request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'));
  });
}

/** Groups the header list into Node's outgoing shape, keeping the caller's case and repeats. */
function toOutgoing(request: WireRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  for (const [name, value] of request.headers) {
    const key = names.get(name.toLowerCase());
    if (key === undefined) {
      names.set(name.toLowerCase(), name);
      out[name] = value;
    } else {
      const existing = out[key];
      out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  if (request.body !== undefined)
    out['Content-Length'] = String(Buffer.byteLength(request.body, 'utf8'));
  return out;
}

/**
 * Decoders for a `content-encoding` list (RFC 9110 §8.4), outermost coding first.
 *
 * An unknown coding leaves the body as it came, undecoded, rather than guessing.
 */
function decodersFor(header: string | undefined): Transform[] {
  if (!header) return [];
  const codings = header
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '' && part !== 'identity');
  const known = ['gzip', 'x-gzip', 'deflate', 'br'];
  if (!codings.every((coding) => known.includes(coding))) return [];
  return codings.reverse().map((coding) =>
    // createUnzip reads both gzip and zlib-wrapped deflate; some servers mislabel one as the other.
    coding === 'br' ? zlib.createBrotliDecompress() : zlib.createUnzip(),
  );
}

function pairs(raw: string[]): HeaderPairs {
  const out: HeaderPairs = [];
  for (let index = 0; index + 1 < raw.length; index += 2) out.push([raw[index], raw[index + 1]]);
  return out;
}

function networkError(error: unknown, origin: string): TokendeckError {
  if (error instanceof TokendeckError) return error;
  const tls = tlsError(error, new URL(origin).hostname);
  if (tls) return tls;
  const code = (error as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : 'connection failed';
  return new TokendeckError(
    'network_error',
    `Could not complete the request to ${origin} (${reason}).`,
    {
      cause: error,
      details: { origin, reason },
    },
  );
}

/** Milliseconds to two decimals, as timings are shown. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
