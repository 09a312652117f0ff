import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real loopback token endpoint with rotating refresh tokens, for the lifecycle tests.
 *
 * Speaks the refresh_token grant (RFC 6749 § 6) on `POST /token`. Every refresh rotates: the
 * presented refresh token is spent and a new pair is issued. Presenting a spent refresh token is
 * counted as reuse and revokes the whole grant, as RFC 9700 § 4.14.2 recommends. It counts
 * requests, and per client (the tests use the provider id as client id) the renewals in flight
 * and the most ever in flight at once.
 */
export interface LifecycleServer {
  readonly tokenUrl: string;
  readonly stats: {
    requests: number;
    refreshes: number;
    reuse: number;
    rejected: number;
    maxInFlight: Map<string, number>;
  };
  /** Registers a grant and returns its first token pair. */
  seed(grantId: string, clientId: string): { accessToken: string; refreshToken: string };
  /** The pair the server last issued for a grant. */
  current(grantId: string): { accessToken: string; refreshToken: string };
  /** Successful refreshes per grant. */
  refreshesOf(grantId: string): number;
  /** Holds every response until {@link release}: latency under the test's control. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export interface LifecycleServerOptions {
  /** expires_in of issued tokens, in seconds; default 3600. */
  expiresInSec?: number;
  /** Delays each response by this many ms, so renewals overlap; default 0. */
  latencyMs?: number;
}

interface Grant {
  clientId: string;
  generation: number;
  accessToken: string;
  refreshToken: string;
  spent: Set<string>;
  revoked: boolean;
  refreshes: number;
}

export async function startLifecycleServer(
  options: LifecycleServerOptions = {},
): Promise<LifecycleServer> {
  const expiresIn = options.expiresInSec ?? 3600;
  const latencyMs = options.latencyMs ?? 0;
  const grants = new Map<string, Grant>();
  const byRefreshToken = new Map<string, string>();
  const inFlight = new Map<string, number>();
  const stats: LifecycleServer['stats'] = {
    requests: 0,
    refreshes: 0,
    reuse: 0,
    rejected: 0,
    maxInFlight: new Map(),
  };
  let held: Array<() => void> | null = null;

  const issue = (grantId: string, grant: Grant) => {
    grant.generation += 1;
    grant.accessToken = `at-${grantId}-${grant.generation}`;
    grant.refreshToken = `rt-${grantId}-${grant.generation}`;
    byRefreshToken.set(grant.refreshToken, grantId);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    if (req.method !== 'POST' || req.url !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const clientId = form.get('client_id') ?? '';
    inFlight.set(clientId, (inFlight.get(clientId) ?? 0) + 1);
    stats.maxInFlight.set(
      clientId,
      Math.max(stats.maxInFlight.get(clientId) ?? 0, inFlight.get(clientId) as number),
    );
    try {
      const answer = decide(form, clientId);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (held) {
        const queue = held;
        await new Promise<void>((resolve) => queue.push(resolve));
      }
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(answer.body));
    } finally {
      inFlight.set(clientId, (inFlight.get(clientId) as number) - 1);
    }
  };

  /** Validates and rotates at once, as a real server commits before it answers. */
  const decide = (form: URLSearchParams, clientId: string) => {
    const invalid = (description: string) => {
      stats.rejected += 1;
      return { status: 400, body: { error: 'invalid_grant', error_description: description } };
    };
    if (form.get('grant_type') !== 'refresh_token') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const presented = form.get('refresh_token') ?? '';
    const grantId = byRefreshToken.get(presented);
    const grant = grantId === undefined ? undefined : grants.get(grantId);
    if (grantId === undefined || !grant || grant.clientId !== clientId) return invalid('unknown');
    if (grant.spent.has(presented)) {
      stats.reuse += 1;
      grant.revoked = true;
      return invalid('refresh token reused; grant revoked');
    }
    if (grant.revoked) return invalid('grant revoked');
    grant.spent.add(presented);
    issue(grantId, grant);
    grant.refreshes += 1;
    stats.refreshes += 1;
    return {
      status: 200,
      body: {
        access_token: grant.accessToken,
        refresh_token: grant.refreshToken,
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: 'read',
      },
    };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const release = () => {
    const queue = held ?? [];
    held = null;
    for (const resolve of queue) resolve();
  };

  return {
    tokenUrl: `http://127.0.0.1:${port}/token`,
    stats,
    seed(grantId, clientId) {
      const grant: Grant = {
        clientId,
        generation: 0,
        accessToken: '',
        refreshToken: '',
        spent: new Set(),
        revoked: false,
        refreshes: 0,
      };
      grants.set(grantId, grant);
      issue(grantId, grant);
      return { accessToken: grant.accessToken, refreshToken: grant.refreshToken };
    },
    current(grantId) {
      const grant = grants.get(grantId);
      if (!grant) throw new Error(`unknown grant ${grantId}`);
      return { accessToken: grant.accessToken, refreshToken: grant.refreshToken };
    },
    refreshesOf(grantId) {
      return grants.get(grantId)?.refreshes ?? 0;
    },
    hold() {
      held ??= [];
    },
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
