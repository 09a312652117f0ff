/**
 * A scripted node:http server on 127.0.0.1 for the engine's tests.
 *
 * Each route answers with whatever the test scripts (status, headers, raw body), and every
 * request is recorded with its method, path, headers and body, so tests assert on what the
 * engine really sent over the wire. No fetch is mocked.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Never answer (for timeout tests); the socket is destroyed on close. */
  hang?: boolean;
}

export type Route = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedServer {
  origin: string;
  requests: RecordedRequest[];
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

export async function startScriptedServer(
  routes: Record<string, Route> = {},
): Promise<ScriptedServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const handler = table.get(url.pathname);
      Promise.resolve(handler ? handler(recorded) : { status: 404, body: 'Not found' })
        .then((reply) => {
          if (reply.hang) return;
          const isObject = reply.body !== undefined && typeof reply.body !== 'string';
          const body =
            reply.body === undefined
              ? ''
              : isObject
                ? JSON.stringify(reply.body)
                : String(reply.body);
          res.writeHead(reply.status ?? 200, {
            ...(isObject
              ? { 'content-type': 'application/json' }
              : { 'content-type': 'text/plain' }),
            ...reply.headers,
          });
          res.end(body);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses a form or JSON request body into a plain object. */
export function bodyFields(request: RecordedRequest): Record<string, string> {
  const type = String(request.headers['content-type'] ?? '');
  if (type.startsWith('application/json'))
    return JSON.parse(request.body) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(request.body));
}
