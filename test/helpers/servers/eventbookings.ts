/**
 * A strict stand-in for EventBookings (seed page 004): client credentials as a JSON body.
 *
 * - `POST /connect/token`: `Content-Type: application/json` only. A form (or any other) body is a
 *   400 `{ error: 'invalid_request', error_description }` and counts `formRejected`. The body is
 *   `{ grant_type: 'client_credentials', client_id, client_secret }`; wrong credentials are a
 *   400 `invalid_client` (the IdentityServer convention behind `/connect/token`). The reply is
 *   exactly the page's `{ access_token, refresh_token, expires_in }`, with no `token_type`.
 *   The page names the refresh token but not its request; the stand-in also takes
 *   `{ grant_type: 'refresh_token', client_id, client_secret, refresh_token }` as JSON, one use
 *   per refresh token.
 * - `GET /api/v3/events` (the stand-in's protected resource; the page names none): needs the
 *   header spelled as on the page, `Authorisation: Bearer <token>`. A request that only has the
 *   usual `Authorization` spelling is a 401 (set `acceptAuthorization: true` to also take it).
 *   The reply is `{ data: [], client_id }`.
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
} from './http-kit';

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** EventBookings' paths, and the header name its page uses. */
export const EVENTBOOKINGS_PATHS = {
  token: '/connect/token',
  events: '/api/v3/events',
} as const;

/** The header the EventBookings page spells "Authorisation". */
export const EVENTBOOKINGS_AUTH_HEADER = 'Authorisation';

/** An application's credentials. */
export interface EventBookingsClient {
  client_id: string;
  client_secret: string;
}

/** Options for `startEventBookings`. */
export interface EventBookingsOptions {
  clients: EventBookingsClient[];
  /** `expires_in` in seconds (default 3600). */
  expiresIn?: number;
  /** Also accept the usual `Authorization` spelling on the API (default false). */
  acceptAuthorization?: boolean;
}

/** A running EventBookings stand-in. */
export interface EventBookingsServer {
  url: string;
  close(): Promise<void>;
  /** Makes every access token issued so far expired. */
  expireAllAccessTokens(): void;
  /** POSTs to `/connect/token`. */
  readonly tokenRequests: number;
  /** Token requests refused because the body was not JSON. */
  readonly formRejected: number;
  /** Token requests with `grant_type: 'refresh_token'`. */
  readonly refreshRequests: number;
  /** GETs of the events API. */
  readonly apiRequests: number;
  /** API requests that sent `Authorization` instead of `Authorisation`. */
  readonly wrongHeaderSpelling: number;
  /** Every request received, in order, with its headers and (for token requests) its body. */
  readonly received: ReceivedRequest[];
}

/** One request as the stand-in received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Starts an EventBookings stand-in on 127.0.0.1. */
export async function startEventBookings(
  options: EventBookingsOptions,
): Promise<EventBookingsServer> {
  const clients = new Map(options.clients.map((c) => [c.client_id, c]));
  const expiresIn = options.expiresIn ?? 3600;
  const accessTokens = new BoundedStore<string>(5000);
  const refreshTokens = new BoundedStore<string>(5000);
  const counts = {
    tokenRequests: 0,
    formRejected: 0,
    refreshRequests: 0,
    apiRequests: 0,
    wrongHeaderSpelling: 0,
  };

  const received: ReceivedRequest[] = [];

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.tokenRequests += 1;
    const bad = (error: string, description: string) =>
      sendJson(res, 400, { error, error_description: description });
    const raw = await readBody(req);
    received.at(-1)!.body = raw;
    if (mediaType(req) !== 'application/json') {
      counts.formRejected += 1;
      return bad('invalid_request', 'Content-Type must be application/json');
    }
    const body = parseJsonObject(raw);
    if (!body) return bad('invalid_request', 'body must be a JSON object');
    const str = (name: string) =>
      typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : undefined;
    const grantType = str('grant_type');
    const clientId = str('client_id');
    const clientSecret = str('client_secret');
    if (!grantType || !clientId || !clientSecret) {
      return bad('invalid_request', 'grant_type, client_id and client_secret are required');
    }
    if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
      return bad('unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const client = clients.get(clientId);
    if (!client || !safeEqual(client.client_secret, clientSecret))
      return bad('invalid_client', 'invalid client');
    if (grantType === 'refresh_token') {
      counts.refreshRequests += 1;
      const presented = str('refresh_token');
      if (!presented) return bad('invalid_request', 'refresh_token is required');
      if (refreshTokens.get(presented) !== clientId)
        return bad('invalid_grant', 'invalid refresh token');
      refreshTokens.delete(presented);
    }
    const accessToken = secretToken('eb_at_');
    const refreshToken = secretToken('eb_rt_');
    accessTokens.set(accessToken, clientId, expiresIn * 1000);
    refreshTokens.set(refreshToken, clientId);
    sendJson(res, 200, {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: expiresIn,
    });
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    counts.apiRequests += 1;
    const hasBritish = req.headers[EVENTBOOKINGS_AUTH_HEADER.toLowerCase()] !== undefined;
    if (!hasBritish && req.headers.authorization !== undefined) counts.wrongHeaderSpelling += 1;
    const presented =
      bearerToken(req, EVENTBOOKINGS_AUTH_HEADER) ??
      (options.acceptAuthorization ? bearerToken(req, 'authorization') : undefined);
    const clientId = presented === undefined ? undefined : accessTokens.get(presented);
    if (!clientId) {
      return sendJson(res, 401, {
        error: 'unauthorized',
        error_description: `send the token as "${EVENTBOOKINGS_AUTH_HEADER}: Bearer <token>"`,
      });
    }
    sendJson(res, 200, { data: [], client_id: clientId });
  };

  const server = await listen(async (req, res, url) => {
    received.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: '' });
    switch (`${req.method} ${url.pathname}`) {
      case `POST ${EVENTBOOKINGS_PATHS.token}`:
        return token(req, res);
      case `GET ${EVENTBOOKINGS_PATHS.events}`:
        return events(req, res);
      default:
        throw new HttpReply(404, { error: 'not_found' });
    }
  });

  return {
    url: server.url,
    close: () => server.close(),
    expireAllAccessTokens: () => accessTokens.expireAll(),
    get tokenRequests() {
      return counts.tokenRequests;
    },
    get formRejected() {
      return counts.formRejected;
    },
    get refreshRequests() {
      return counts.refreshRequests;
    },
    get apiRequests() {
      return counts.apiRequests;
    },
    get wrongHeaderSpelling() {
      return counts.wrongHeaderSpelling;
    },
    received,
  };
}
