/**
 * A strict stand-in for Aluma (seed page 003): client credentials, form-encoded.
 *
 * - `POST /oauth/token`: `application/x-www-form-urlencoded` only (a JSON or other body is a 400
 *   `invalid_request`), with `client_id` and `client_secret` in the body. `grant_type` is not on
 *   the page: it may be left out, and if sent it must be `client_credentials`. The page shows no
 *   HTTP Basic option, so credentials in an `Authorization` header are not read. Reply:
 *   `{ access_token, token_type: 'Bearer', expires_in }` with `expires_in` 86400 by default.
 *   Wrong credentials are a 401 `invalid_client` (RFC 6749 §5.2).
 * - `GET /v1/me` (the stand-in's protected resource; the page names no endpoint): with a live
 *   `Authorization: Bearer` token it answers `{ client_id, name }`; a missing or expired token is
 *   a 401 Unauthorized, as the page says.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  BoundedStore,
  HttpReply,
  bearerToken,
  listen,
  mediaType,
  secretToken,
  readBody,
  safeEqual,
  sendJson,
  singleParams,
} from './http-kit';

/** Aluma's paths. */
export const ALUMA_PATHS = {
  token: '/oauth/token',
  me: '/v1/me',
} as const;

/** An API client created in the Aluma dashboard. */
export interface AlumaClient {
  client_id: string;
  client_secret: string;
  /** Shown by `/v1/me` (default `API client`). */
  name?: string;
}

/** Options for `startAluma`. */
export interface AlumaOptions {
  clients: AlumaClient[];
  /** `expires_in` in seconds (default 86400). */
  expiresIn?: number;
}

/** A running Aluma stand-in. */
export interface AlumaServer {
  url: string;
  close(): Promise<void>;
  /** Makes every access token issued so far expired, so the API answers 401. */
  expireAllAccessTokens(): void;
  /** Changes `expires_in` (seconds) for tokens issued from now on. */
  setExpiresIn(seconds: number): void;
  /** POSTs to the token endpoint. */
  readonly tokenRequests: number;
  /** Tokens issued. */
  readonly tokensIssued: number;
  /** GETs of the protected resource. */
  readonly apiRequests: number;
}

/** Starts an Aluma stand-in on 127.0.0.1. */
export async function startAluma(options: AlumaOptions): Promise<AlumaServer> {
  const clients = new Map(options.clients.map((c) => [c.client_id, c]));
  let expiresIn = options.expiresIn ?? 86_400;
  const tokens = new BoundedStore<AlumaClient>(5000);
  const counts = { tokenRequests: 0, tokensIssued: 0, apiRequests: 0 };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.tokenRequests += 1;
    const bad = (status: number, error: string, description: string) =>
      sendJson(res, status, { error, error_description: description });
    const raw = await readBody(req);
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return bad(400, 'invalid_request', 'send an application/x-www-form-urlencoded request');
    }
    const form = singleParams(new URLSearchParams(raw));
    const grantType = form.get('grant_type');
    if (grantType !== undefined && grantType !== 'client_credentials') {
      return bad(400, 'unsupported_grant_type', 'only client_credentials is supported');
    }
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    if (!clientId || !clientSecret)
      return bad(400, 'invalid_request', 'client_id and client_secret are required');
    const client = clients.get(clientId);
    if (!client || !safeEqual(client.client_secret, clientSecret)) {
      return bad(401, 'invalid_client', 'client authentication failed');
    }
    const accessToken = secretToken('aluma_');
    tokens.set(accessToken, client, expiresIn * 1000);
    counts.tokensIssued += 1;
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn });
  };

  const me = (req: IncomingMessage, res: ServerResponse): void => {
    counts.apiRequests += 1;
    const presented = bearerToken(req);
    const client = presented === undefined ? undefined : tokens.get(presented);
    if (!client) {
      return sendJson(
        res,
        401,
        { message: 'Unauthorized' },
        { 'WWW-Authenticate': presented === undefined ? 'Bearer' : 'Bearer error="invalid_token"' },
      );
    }
    sendJson(res, 200, { client_id: client.client_id, name: client.name ?? 'API client' });
  };

  const server = await listen(async (req, res, url) => {
    switch (`${req.method} ${url.pathname}`) {
      case `POST ${ALUMA_PATHS.token}`:
        return token(req, res);
      case `GET ${ALUMA_PATHS.me}`:
        return me(req, res);
      default:
        throw new HttpReply(404, { message: 'Not Found' });
    }
  });

  return {
    url: server.url,
    close: () => server.close(),
    expireAllAccessTokens: () => tokens.expireAll(),
    setExpiresIn: (seconds: number) => {
      expiresIn = seconds;
    },
    get tokenRequests() {
      return counts.tokenRequests;
    },
    get tokensIssued() {
      return counts.tokensIssued;
    },
    get apiRequests() {
      return counts.apiRequests;
    },
  };
}
