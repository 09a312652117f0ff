import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback token server for the chaos soak, with faults, and a record of everything it did.
 *
 * `POST /token` speaks the refresh_token grant with rotation (every refresh spends the refresh
 * token and issues a new pair; the old access token is revoked) and the client_credentials
 * grant. A spent refresh token presented again is a reuse: the grant is revoked, as RFC 9700
 * §4.14.2 recommends. `GET /me` is the resource: 200 for a live access token, else 401.
 *
 * Faults, on token requests only: a share of 5xx answers, of connection resets, and of answers
 * slower than the client's timeout (the server waits first and does nothing if the client left,
 * so a slow answer never loses a rotation); a 429 burst with Retry-After; and whole minutes
 * where the server is down (connections refused). Each client process sends its pid in
 * `X-Soak-Pid`, so the records say who received what.
 */

export interface Issuance {
  grantId: string;
  index: number;
  accessToken: string;
  refreshToken?: string;
  issuedAt: number;
  expiresAt: number;
  /** The pid the answer went to; null for the seeded first pair. */
  pid: number | null;
  /** When the answer was handed to the OS, or null when the client was gone. */
  answeredAt: number | null;
  /** When this refresh token was spent, and by whom. */
  spent: { at: number; pid: number | null } | null;
  /** When this access token was revoked (replaced, or its grant revoked). */
  revokedAt: number | null;
}

export interface Grant {
  id: string;
  kind: 'refresh' | 'client';
  clientId: string;
  clientSecret?: string;
  lifetimeSec: number;
  issuances: Issuance[];
  revokedAt: number | null;
}

export type Outcome =
  | 'issued'
  | '5xx'
  | 'reset'
  | 'slow-abandoned'
  | 'slow-served'
  | '429'
  | 'reuse'
  | 'revoked'
  | 'refused';

export interface TokenRequest {
  at: number;
  pid: number | null;
  grantId: string | null;
  outcome: Outcome;
}

export interface Reuse {
  grantId: string;
  at: number;
  pid: number | null;
  /** The issuance whose refresh token was presented again. */
  spentIndex: number;
}

export interface Window {
  kind: 'down' | '429';
  from: number;
  to: number;
}

export interface FaultRates {
  error5xx: number;
  reset: number;
  slow: number;
}

export interface SoakProviderOptions {
  name: string;
  random: () => number;
  faults: FaultRates;
  /** How long a slow answer waits: longer than the clients' request timeout. */
  slowMs: number;
}

/** Every token this server issues looks like this, so a scan of files can find one. */
export const TOKEN_PATTERN = /soak(?:at|rt)_[0-9a-f]{24}/g;

function newToken(kind: 'at' | 'rt'): string {
  return `soak${kind}_${randomBytes(12).toString('hex')}`;
}

export class SoakProvider {
  readonly name: string;
  readonly grants = new Map<string, Grant>();
  readonly requests: TokenRequest[] = [];
  readonly reuses: Reuse[] = [];
  readonly windows: Window[] = [];
  /** The first time each token value was presented to this server (a refresh, or at /me). */
  readonly presented = new Map<string, number>();
  resourceRequests = 0;
  faultsOn = true;
  private readonly byToken = new Map<string, Issuance>();
  private readonly byClient = new Map<string, Grant>();
  private readonly options: SoakProviderOptions;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private burstUntil = 0;
  private retryAfterSec = 0;

  private constructor(options: SoakProviderOptions) {
    this.options = options;
    this.name = options.name;
  }

  static async start(options: SoakProviderOptions): Promise<SoakProvider> {
    const provider = new SoakProvider(options);
    await provider.listen();
    return provider;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every issuance of every grant, and every token by value. */
  issuance(token: string): Issuance | undefined {
    return this.byToken.get(token);
  }

  seedRefreshGrant(id: string, clientId: string, lifetimeSec: number, issuedAt: number): Issuance {
    const grant: Grant = {
      id,
      kind: 'refresh',
      clientId,
      lifetimeSec,
      issuances: [],
      revokedAt: null,
    };
    this.grants.set(id, grant);
    return this.issue(grant, issuedAt, null);
  }

  seedClientGrant(
    id: string,
    clientId: string,
    clientSecret: string,
    lifetimeSec: number,
    issuedAt: number,
  ): Issuance {
    const grant: Grant = {
      id,
      kind: 'client',
      clientId,
      clientSecret,
      lifetimeSec,
      issuances: [],
      revokedAt: null,
    };
    this.grants.set(id, grant);
    this.byClient.set(clientId, grant);
    return this.issue(grant, issuedAt, null);
  }

  /** Refuses every connection for `forMs`, then listens on the same port again. */
  async goDown(forMs: number): Promise<void> {
    const from = Date.now();
    await this.stopListening();
    await new Promise((resolve) => setTimeout(resolve, forMs));
    await this.listen(this.port);
    this.windows.push({ kind: 'down', from, to: Date.now() });
  }

  /** Answers every token request with 429 and Retry-After for `forMs`. */
  burst429(forMs: number, retryAfterSec: number): void {
    const from = Date.now();
    this.burstUntil = from + forMs;
    this.retryAfterSec = retryAfterSec;
    this.windows.push({ kind: '429', from, to: this.burstUntil });
  }

  async close(): Promise<void> {
    await this.stopListening();
  }

  private issue(grant: Grant, now: number, pid: number | null): Issuance {
    // A refresh revokes the access token it replaces; client credentials leave earlier tokens
    // valid until they expire, as most servers do.
    const previous = grant.issuances.at(-1);
    if (grant.kind === 'refresh' && previous && previous.revokedAt === null)
      previous.revokedAt = now;
    const issuance: Issuance = {
      grantId: grant.id,
      index: grant.issuances.length,
      accessToken: newToken('at'),
      ...(grant.kind === 'refresh' ? { refreshToken: newToken('rt') } : {}),
      issuedAt: now,
      expiresAt: now + grant.lifetimeSec * 1000,
      pid,
      answeredAt: null,
      spent: null,
      revokedAt: null,
    };
    grant.issuances.push(issuance);
    this.byToken.set(issuance.accessToken, issuance);
    if (issuance.refreshToken) this.byToken.set(issuance.refreshToken, issuance);
    return issuance;
  }

  private async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const pidHeader = req.headers['x-soak-pid'];
    const pid = typeof pidHeader === 'string' && /^\d+$/.test(pidHeader) ? Number(pidHeader) : null;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/me') return this.resource(req, res);
    if (req.method !== 'POST' || url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const grant = this.grantOf(form, req);
    const record = (outcome: Outcome) =>
      this.requests.push({ at: Date.now(), pid, grantId: grant?.id ?? null, outcome });

    if (this.faultsOn) {
      if (Date.now() < this.burstUntil) {
        record('429');
        return json(
          res,
          429,
          { error: 'slow_down' },
          { 'retry-after': String(this.retryAfterSec) },
        );
      }
      const roll = this.options.random();
      const { error5xx, reset, slow } = this.options.faults;
      if (roll < error5xx) {
        record('5xx');
        return json(res, 503, { error: 'temporarily_unavailable' });
      }
      if (roll < error5xx + reset) {
        record('reset');
        req.socket.destroy();
        return;
      }
      if (roll < error5xx + reset + slow) {
        await new Promise((resolve) => setTimeout(resolve, this.options.slowMs));
        if (res.destroyed || req.socket.destroyed) {
          record('slow-abandoned');
          return;
        }
        record('slow-served');
      }
    }
    const answer = this.decide(form, grant, pid);
    record(answer.outcome);
    res.on('finish', () => {
      if (answer.issued) answer.issued.answeredAt = Date.now();
    });
    json(res, answer.status, answer.body);
  }

  private grantOf(form: URLSearchParams, req: IncomingMessage): Grant | undefined {
    if (form.get('grant_type') === 'refresh_token') {
      const issued = this.byToken.get(form.get('refresh_token') ?? '');
      return issued ? this.grants.get(issued.grantId) : undefined;
    }
    const basic = req.headers.authorization?.replace(/^Basic /, '');
    const clientId =
      form.get('client_id') ??
      (basic ? decodeURIComponent(Buffer.from(basic, 'base64').toString().split(':')[0]!) : '');
    return this.byClient.get(clientId);
  }

  /** Validates and commits at once, as a real server does before it answers. */
  private decide(
    form: URLSearchParams,
    grant: Grant | undefined,
    pid: number | null,
  ): { status: number; body: unknown; outcome: Outcome; issued?: Issuance } {
    const refused = (outcome: Outcome, description: string) => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: description },
      outcome,
    });
    const now = Date.now();
    if (!grant) return refused('refused', 'unknown grant');
    if (grant.kind === 'client') {
      if (form.get('client_secret') !== grant.clientSecret) {
        return { status: 401, body: { error: 'invalid_client' }, outcome: 'refused' };
      }
      const issued = this.issue(grant, now, pid);
      return { status: 200, body: tokenBody(issued, grant), outcome: 'issued', issued };
    }
    const presented = form.get('refresh_token') ?? '';
    this.markPresented(presented, now);
    const spent = this.byToken.get(presented);
    if (!spent || spent.refreshToken !== presented)
      return refused('refused', 'not a refresh token');
    if (grant.revokedAt !== null) return refused('revoked', 'grant revoked');
    if (spent.spent !== null) {
      this.reuses.push({ grantId: grant.id, at: now, pid, spentIndex: spent.index });
      grant.revokedAt = now;
      for (const issuance of grant.issuances) issuance.revokedAt ??= now;
      return refused('reuse', 'refresh token reused; grant revoked');
    }
    spent.spent = { at: now, pid };
    const issued = this.issue(grant, now, pid);
    return { status: 200, body: tokenBody(issued, grant), outcome: 'issued', issued };
  }

  private resource(req: IncomingMessage, res: ServerResponse): void {
    this.resourceRequests += 1;
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const now = Date.now();
    this.markPresented(token, now);
    const issued = this.byToken.get(token);
    const live =
      issued !== undefined &&
      issued.accessToken === token &&
      issued.revokedAt === null &&
      issued.expiresAt > now;
    if (live) json(res, 200, { id: issued.grantId });
    else
      json(
        res,
        401,
        { error: 'invalid_token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
  }

  private markPresented(token: string, now: number): void {
    if (token && !this.presented.has(token)) this.presented.set(token, now);
  }
}

function tokenBody(issued: Issuance, grant: Grant): Record<string, unknown> {
  return {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: grant.lifetimeSec,
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
  };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}
