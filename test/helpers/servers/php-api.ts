/**
 * A strict stand-in for the OAuth 2.0 API written in PHP (seed page 002).
 *
 * - `GET /api/authorize.php`: `client_id`, `redirect_uri` (must match the registered one; an http
 *   loopback one matches with any port, RFC 8252 §7.3) and `response_type=code` are required; a
 *   `state`, if sent, is echoed (RFC 6749 §4.1.2). It renders "Approve" and "Deny" buttons.
 * - `POST /api/token.php`: form body with `code`, `client_id`, `client_secret`. Like a PHP script
 *   reading `$_POST`, it ignores anything else (`grant_type`, `redirect_uri`, `code_verifier`)
 *   and any `Authorization` header. Reply: `{ access_token, token_type: 'Bearer', expires_in: 3600 }`,
 *   no refresh token.
 * - `GET /api/userinfo.php` with `Authorization: Bearer`: `{ username, email, full_name }`.
 * - Errors are exactly the page's `{ error, error_description }`: `invalid_request` 400,
 *   `invalid_client` 401, `invalid_code` 400, `invalid_token` 401.
 * - Rate limiting: every request counts against a fixed window; over the limit it answers 429
 *   with `Retry-After` (seconds) and `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 *   `X-RateLimit-Reset` (epoch seconds). Those three headers are on every reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  BoundedStore,
  HttpReply,
  bearerToken,
  consentPage,
  errorPage,
  listen,
  randomToken,
  secretToken,
  readBody,
  redirect,
  redirectMatches,
  safeEqual,
  sendHtml,
  sendJson,
  withQuery,
} from './http-kit';

/** The PHP API's paths. */
export const PHP_API_PATHS = {
  authorize: '/api/authorize.php',
  token: '/api/token.php',
  userinfo: '/api/userinfo.php',
} as const;

/** The user the PHP API signs in. */
export interface PhpApiUser {
  username: string;
  email: string;
  full_name: string;
}

/** Options for `startPhpApi`. */
export interface PhpApiOptions {
  clientId: string;
  clientSecret: string;
  /** The registered redirect URI (default `http://127.0.0.1/callback`, any port). */
  redirectUri?: string;
  /** Fixed-window rate limit over all requests (default 1000 per 60 s). */
  rateLimit?: { limit: number; windowMs: number };
  /** Access token lifetime in seconds (default 3600, as on the page). */
  expiresIn?: number;
  /** Code lifetime in milliseconds (default 60 000). */
  codeTtlMs?: number;
  /** The signed-in user (default johndoe, as on the page). */
  user?: PhpApiUser;
}

/** A running PHP API stand-in. */
export interface PhpApiServer {
  url: string;
  close(): Promise<void>;
  /** Makes the next `n` requests, of any path, answer 429. */
  forceRateLimit(n: number): void;
  /** Makes the next `n` userinfo requests answer 429 with `Retry-After` (other paths go on). */
  limitUserinfo(n: number, retryAfterSeconds: number): void;
  /** Makes every access token issued so far expired. */
  expireAllAccessTokens(): void;
  /** All requests, including refused ones. */
  readonly requests: number;
  /** POSTs to the token endpoint that got past the rate limiter. */
  readonly tokenRequests: number;
  /** GETs of userinfo that got past the rate limiter. */
  readonly userinfoRequests: number;
  /** Requests answered 429. */
  readonly rateLimited: number;
}

/** Starts a PHP API stand-in on 127.0.0.1. */
export async function startPhpApi(options: PhpApiOptions): Promise<PhpApiServer> {
  const registered = options.redirectUri ?? 'http://127.0.0.1/callback';
  const { limit, windowMs } = options.rateLimit ?? { limit: 1000, windowMs: 60_000 };
  const expiresIn = options.expiresIn ?? 3600;
  const codeTtlMs = options.codeTtlMs ?? 60_000;
  const user = options.user ?? {
    username: 'johndoe',
    email: 'john@example.com',
    full_name: 'John Doe',
  };
  const pending = new BoundedStore<{ redirectUri: string; state?: string }>(1000);
  const codes = new BoundedStore<{ used: boolean }>(1000);
  const tokens = new BoundedStore<true>(5000);
  const counts = { requests: 0, tokenRequests: 0, userinfoRequests: 0, rateLimited: 0 };
  let forced = 0;
  let windowStart = Date.now();
  let windowCount = 0;

  const error = (status: number, code: string, description: string) =>
    new HttpReply(status, { error: code, error_description: description });

  /** Applies the rate limit; returns false when the request was answered 429. */
  const admit = (res: ServerResponse): boolean => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount += 1;
    const reset = Math.ceil((windowStart + windowMs) / 1000);
    const limited = forced > 0 || windowCount > limit;
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(limited ? 0 : Math.max(0, limit - windowCount)));
    res.setHeader('X-RateLimit-Reset', String(reset));
    if (!limited) return true;
    if (forced > 0) forced -= 1;
    counts.rateLimited += 1;
    const retryAfter = Math.max(1, reset - Math.floor(now / 1000));
    sendJson(
      res,
      429,
      { error: 'rate_limit_exceeded', error_description: 'Too many requests; retry later' },
      { 'Retry-After': String(retryAfter) },
    );
    return false;
  };

  const authorize = (res: ServerResponse, url: URL): void => {
    const q = url.searchParams;
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    const responseType = q.get('response_type');
    if (!clientId || !redirectUri || !responseType) {
      throw error(400, 'invalid_request', 'client_id, redirect_uri and response_type are required');
    }
    if (clientId !== options.clientId)
      throw error(401, 'invalid_client', 'Client authentication failed');
    if (!redirectMatches(registered, redirectUri, true)) {
      throw error(400, 'invalid_request', 'redirect_uri does not match the one registered');
    }
    if (responseType !== 'code') throw error(400, 'invalid_request', 'response_type must be code');
    const requestId = randomToken();
    pending.set(requestId, { redirectUri, state: q.get('state') ?? undefined }, 10 * 60_000);
    sendHtml(
      res,
      200,
      consentPage(
        'Authorize application',
        'An application wants to access your account.',
        PHP_API_PATHS.authorize,
        {
          request_id: requestId,
        },
      ),
    );
  };

  const decide = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    const requestId = form.get('request_id') ?? '';
    const request = pending.get(requestId);
    if (!request)
      return sendHtml(res, 400, errorPage('invalid_request', 'unknown or expired request'));
    pending.delete(requestId);
    if (form.get('decision') !== 'approve') {
      return redirect(
        res,
        withQuery(request.redirectUri, { error: 'access_denied', state: request.state }),
      );
    }
    const code = secretToken('php_code_');
    codes.set(code, { used: false }, codeTtlMs);
    redirect(res, withQuery(request.redirectUri, { code, state: request.state }));
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.tokenRequests += 1;
    const isForm = (req.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/x-www-form-urlencoded');
    const raw = await readBody(req);
    const form = new URLSearchParams(isForm ? raw : '');
    const code = form.get('code');
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    if (!code || !clientId || !clientSecret) {
      throw error(400, 'invalid_request', 'The request is missing required parameters');
    }
    if (clientId !== options.clientId || !safeEqual(clientSecret, options.clientSecret)) {
      throw error(401, 'invalid_client', 'Client authentication failed');
    }
    const grant = codes.get(code);
    if (!grant || grant.used)
      throw error(400, 'invalid_code', 'The authorization code is invalid or expired');
    grant.used = true;
    const accessToken = secretToken('php_at_');
    tokens.set(accessToken, true, expiresIn * 1000);
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn });
  };

  let userinfoLimited = { n: 0, retryAfter: 0 };
  const userinfo = (req: IncomingMessage, res: ServerResponse): void => {
    counts.userinfoRequests += 1;
    if (userinfoLimited.n > 0) {
      userinfoLimited.n -= 1;
      counts.rateLimited += 1;
      return sendJson(
        res,
        429,
        { error: 'rate_limit_exceeded', error_description: 'Too many requests; retry later' },
        { 'Retry-After': String(userinfoLimited.retryAfter) },
      );
    }
    const presented = bearerToken(req);
    if (presented === undefined || !tokens.get(presented)) {
      throw error(401, 'invalid_token', 'The access token is invalid or expired');
    }
    sendJson(res, 200, user);
  };

  const server = await listen(async (req, res, url) => {
    counts.requests += 1;
    if (!admit(res)) return;
    switch (`${req.method} ${url.pathname}`) {
      case `GET ${PHP_API_PATHS.authorize}`:
        return authorize(res, url);
      case `POST ${PHP_API_PATHS.authorize}`:
        return decide(req, res);
      case `POST ${PHP_API_PATHS.token}`:
        return token(req, res);
      case `GET ${PHP_API_PATHS.userinfo}`:
        return userinfo(req, res);
      default:
        throw error(404, 'not_found', 'Not found');
    }
  });

  return {
    url: server.url,
    close: () => server.close(),
    forceRateLimit: (n: number) => {
      forced = n;
    },
    limitUserinfo: (n: number, retryAfter: number) => {
      userinfoLimited = { n, retryAfter };
    },
    expireAllAccessTokens: () => tokens.expireAll(),
    get requests() {
      return counts.requests;
    },
    get tokenRequests() {
      return counts.tokenRequests;
    },
    get userinfoRequests() {
      return counts.userinfoRequests;
    },
    get rateLimited() {
      return counts.rateLimited;
    },
  };
}
