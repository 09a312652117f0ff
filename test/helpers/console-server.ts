import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/** A request as the test server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** Header pairs as sent, case kept. */
  headers: Array<[string, string]>;
  body: string;
}

export interface ConsoleServerOptions {
  /** The header the server reads the token from; `authorization` unless told. */
  authHeader?: string;
  /** What comes before the token in that header, space included; `Bearer ` unless told. */
  authPrefix?: string;
  /** Tokens accepted besides {@link ConsoleTestServer.validTokens} (tokens from a real issuer). */
  acceptToken?: (token: string) => boolean;
  /** The introspection answer's `__schema` holder; {@link TEST_SCHEMA} unless told. */
  schema?: unknown;
}

/**
 * A loopback HTTP server for the console tests.
 *
 * It binds 127.0.0.1 on an ephemeral port and records every request. Routes:
 * `/api/me`, `/v1/me` and `/graphql` need a token in {@link ConsoleTestServer.validTokens};
 * `/graphql/broken` answers GraphQL errors; `/echo*` and `/api/echo*` answer with what they
 * got; `/status/<n>` answers with that status (429 and 503 with `Retry-After: 7`); `/hang` never
 * answers; `/big?mb=N` streams N MiB; `/text`, `/html`, `/gzip`, `/br` give those bodies;
 * `/redirect?to=URL&status=N` redirects.
 */
export interface ConsoleTestServer {
  url: string;
  origin: string;
  requests: SeenRequest[];
  validTokens: Set<string>;
  /** How many introspection queries `/graphql` answered. */
  introspections: number;
  close(): Promise<void>;
}

/** The schema `/graphql` returns for an introspection query (a small but real shape). */
export const TEST_SCHEMA = {
  __schema: {
    queryType: { name: 'Query' },
    mutationType: null,
    subscriptionType: null,
    types: [
      {
        kind: 'OBJECT',
        name: 'Query',
        description: null,
        fields: [
          {
            name: 'me',
            description: null,
            args: [],
            type: { kind: 'OBJECT', name: 'User', ofType: null },
            isDeprecated: false,
            deprecationReason: null,
          },
        ],
        inputFields: null,
        interfaces: [],
        enumValues: null,
        possibleTypes: null,
      },
    ],
    directives: [],
  },
};

export async function startConsoleServer(
  options: ConsoleServerOptions = {},
): Promise<ConsoleTestServer> {
  const authHeader = (options.authHeader ?? 'authorization').toLowerCase();
  const authPrefix = options.authPrefix ?? 'Bearer ';
  const sockets = new Set<Socket>();
  const state: ConsoleTestServer = {
    url: '',
    origin: '',
    requests: [],
    validTokens: new Set(),
    introspections: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const authorized = (req: IncomingMessage) => {
    const value = req.headers[authHeader];
    return (
      typeof value === 'string' &&
      value.startsWith(authPrefix) &&
      (state.validTokens.has(value.slice(authPrefix.length)) ||
        options.acceptToken?.(value.slice(authPrefix.length)) === true)
    );
  };

  const json = (
    res: ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', state.url);
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      headers: pairs(req.rawHeaders),
      body,
    };
    state.requests.push(seen);
    const path = url.pathname;
    if (path === '/api/me' || path === '/v1/me') {
      if (!authorized(req))
        return json(
          res,
          401,
          { error: 'invalid_token' },
          { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        );
      return json(res, 200, { id: 'user-1', name: 'Test User' });
    }
    if (path === '/graphql') {
      if (!authorized(req)) return json(res, 401, { errors: [{ message: 'unauthorized' }] });
      const payload = JSON.parse(body) as {
        query: string;
        variables?: unknown;
        operationName?: string;
      };
      if (payload.query.includes('__schema')) {
        state.introspections += 1;
        return json(res, 200, { data: options.schema ?? TEST_SCHEMA });
      }
      return json(res, 200, {
        data: { me: { id: 'user-1' } },
        echo: {
          variables: payload.variables ?? null,
          operationName: payload.operationName ?? null,
        },
      });
    }
    if (path === '/graphql/broken')
      return json(res, 200, {
        errors: [{ message: 'introspection is disabled' }, { message: 'second' }],
      });
    if (path.startsWith('/echo') || path.startsWith('/api/echo')) {
      return json(res, 200, { method: seen.method, path: seen.path, headers: seen.headers, body });
    }
    if (path.startsWith('/status/')) {
      const status = Number(path.slice('/status/'.length));
      const extra: Record<string, string> =
        status === 429 || status === 503 ? { 'Retry-After': '7' } : {};
      return json(res, status, { status }, extra);
    }
    if (path === '/hang') return undefined;
    if (path === '/big') {
      const mib = Number(url.searchParams.get('mb') ?? '12');
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = mib * 16;
      const pump = () => {
        while (left > 0) {
          left -= 1;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      return pump();
    }
    if (path === '/text') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('plain words, not JSON { at all');
    }
    if (path === '/html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><script>alert(1)</script><h1>Hello</h1>');
    }
    if (path === '/gzip' || path === '/br') {
      const plain = Buffer.from(
        JSON.stringify({ compressed: path.slice(1), filler: 'x'.repeat(5000) }),
      );
      const accepts = String(req.headers['accept-encoding'] ?? '');
      const coding = path === '/gzip' ? 'gzip' : 'br';
      if (!accepts.includes(coding)) return json(res, 200, JSON.parse(plain.toString()));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': coding });
      return res.end(coding === 'gzip' ? gzipSync(plain) : brotliCompressSync(plain));
    }
    if (path === '/redirect') {
      res.writeHead(Number(url.searchParams.get('status') ?? '302'), {
        Location: url.searchParams.get('to') ?? '/echo',
      });
      return res.end();
    }
    return json(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  state.url = state.origin;
  return state;
}

/** The value of the first header of that name the server saw, in any case. */
export function seenHeader(request: SeenRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2) out.push([raw[index], raw[index + 1]]);
  return out;
}
