/**
 * A strict stand-in for Attendium (seed page 000): DCR, code + PKCE S256, rotating refresh, GraphQL.
 *
 * Endpoints (all relative to the stand-in's origin, as the page's are to api.attendium.com):
 * - `GET /.well-known/oauth-authorization-server`: RFC 8414 metadata. There is no
 *   `/.well-known/openid-configuration` (404): Attendium is plain OAuth 2.0.
 * - `POST /oauth2/register`: RFC 7591 registration of a public client (`token_endpoint_auth_method`
 *   `none`). Redirect URIs must be https, or http on localhost, 127.0.0.1 or [::1]; anything else
 *   is a 400 `invalid_redirect_uri`.
 * - `GET /oauth2/authorize`: `response_type=code`, `client_id`, `redirect_uri`, `code_challenge`,
 *   `code_challenge_method=S256` and `state` are all required. It renders a page with "Approve"
 *   and "Deny" buttons. A loopback redirect matches its registration with any port (RFC 8252 §7.3).
 * - `POST /oauth2/token`: form body only; `authorization_code` (client_id, redirect_uri identical
 *   to the authorize one, single-use code, code_verifier) and `refresh_token` (client_id,
 *   refresh_token). Refresh tokens rotate; presenting a rotated-away one is a 400 `invalid_grant`
 *   and revokes the whole family (RFC 9700 §4.14.2). Any `Authorization: Basic` header is a 401:
 *   the page deprecates Basic authentication.
 * - `POST /graphql` with `Authorization: Bearer`: `{ me { id } }` answers `{ data: { me: { id } } }`;
 *   a missing, unknown or expired token is a 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  BoundedStore,
  HttpReply,
  authScheme,
  bearerToken,
  consentPage,
  errorPage,
  isLoopbackHost,
  isValidVerifier,
  listen,
  mediaType,
  parseUrl,
  randomToken,
  secretToken,
  readForm,
  readJsonObject,
  redirect,
  redirectMatches,
  safeEqual,
  s256,
  sendHtml,
  sendJson,
  singleParams,
  withQuery,
} from './http-kit';
import { runGraphql } from './mini-graphql';

/** Attendium's paths, relative to its origin. */
export const ATTENDIUM_PATHS = {
  metadata: '/.well-known/oauth-authorization-server',
  register: '/oauth2/register',
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  graphql: '/graphql',
} as const;

/** Options for `startAttendium`. */
export interface AttendiumOptions {
  /** Access token lifetime in seconds, sent as `expires_in` (default 3600). */
  expiresIn?: number;
  /** Authorization code lifetime in milliseconds (default 60 000). */
  codeTtlMs?: number;
  /** The user id that approving logs in as; `me.id` in GraphQL (default `attendium-user-1`). */
  userId?: string;
}

/** A running Attendium stand-in with its counters and controls. */
export interface AttendiumServer {
  url: string;
  close(): Promise<void>;
  /** Makes every access token issued so far expired, so the next GraphQL call is a 401. */
  expireAllAccessTokens(): void;
  /** Changes `expires_in` (seconds) for tokens issued from now on. */
  setExpiresIn(seconds: number): void;
  /** Changes the user that the next approval logs in as. */
  setUserId(userId: string): void;
  /** POSTs to the token endpoint, of any grant, accepted or not. */
  readonly tokenRequests: number;
  /** Token requests with `grant_type=refresh_token`. */
  readonly refreshRequests: number;
  /** Times a rotated-away (already used) refresh token was presented. */
  readonly refreshReuse: number;
  /** POSTs to `/graphql`. */
  readonly graphqlRequests: number;
  /** Successful dynamic registrations. */
  readonly registrations: number;
  /** GETs of the authorization endpoint. */
  readonly authorizeRequests: number;
}

interface Client {
  clientId: string;
  redirectUris: string[];
  clientName?: string;
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
  scope?: string;
}

interface CodeGrant extends PendingAuthorization {
  userId: string;
  used: boolean;
  family?: string;
}

interface RefreshRecord {
  clientId: string;
  userId: string;
  family: string;
  rotated: boolean;
}

interface AccessRecord {
  userId: string;
  family: string;
}

const SUPPORTED_GRANTS = ['authorization_code', 'refresh_token'];

/** Starts an Attendium stand-in on 127.0.0.1. */
export async function startAttendium(options: AttendiumOptions = {}): Promise<AttendiumServer> {
  let expiresIn = options.expiresIn ?? 3600;
  let userId = options.userId ?? 'attendium-user-1';
  const codeTtlMs = options.codeTtlMs ?? 60_000;
  const clients = new BoundedStore<Client>(1000);
  const pending = new BoundedStore<PendingAuthorization>(1000);
  const codes = new BoundedStore<CodeGrant>(1000);
  const refreshTokens = new BoundedStore<RefreshRecord>(5000);
  const accessTokens = new BoundedStore<AccessRecord>(5000);
  const revokedFamilies = new Set<string>();
  const counts = {
    tokenRequests: 0,
    refreshRequests: 0,
    refreshReuse: 0,
    graphqlRequests: 0,
    registrations: 0,
    authorizeRequests: 0,
  };
  let origin = '';

  const revokeFamily = (family: string): void => {
    revokedFamilies.add(family);
    for (const [token, record] of refreshTokens.entries()) {
      if (record.family === family) refreshTokens.delete(token);
    }
    for (const [token, record] of accessTokens.entries()) {
      if (record.family === family) accessTokens.delete(token);
    }
  };

  const issueTokens = (clientId: string, subject: string, family: string) => {
    const accessToken = secretToken('att_at_');
    const refreshToken = secretToken('att_rt_');
    accessTokens.set(accessToken, { userId: subject, family }, expiresIn * 1000);
    refreshTokens.set(refreshToken, { clientId, userId: subject, family, rotated: false });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
    };
  };

  const metadata = (res: ServerResponse): void => {
    sendJson(res, 200, {
      issuer: origin,
      authorization_endpoint: `${origin}${ATTENDIUM_PATHS.authorize}`,
      token_endpoint: `${origin}${ATTENDIUM_PATHS.token}`,
      registration_endpoint: `${origin}${ATTENDIUM_PATHS.register}`,
      response_types_supported: ['code'],
      grant_types_supported: SUPPORTED_GRANTS,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
  };

  const register = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const invalid = (error: string, description: string) =>
      sendJson(res, 400, { error, error_description: description });
    if (mediaType(req) !== 'application/json') {
      return invalid('invalid_client_metadata', 'Content-Type must be application/json');
    }
    const body = await readJsonObject(req);
    if (!body) return invalid('invalid_client_metadata', 'body must be a JSON object');
    const uris = body.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) {
      return invalid('invalid_redirect_uri', 'redirect_uris must be a non-empty array of strings');
    }
    for (const uri of uris as string[]) {
      const parsed = parseUrl(uri);
      const allowed =
        parsed !== undefined &&
        parsed.hash === '' &&
        (parsed.protocol === 'https:' ||
          (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)));
      if (!allowed) {
        return invalid(
          'invalid_redirect_uri',
          'Redirect URIs must use https, or http with a loopback address (localhost, 127.0.0.1, or ::1)',
        );
      }
    }
    const method = body.token_endpoint_auth_method;
    if (method !== undefined && method !== 'none') {
      return invalid('invalid_client_metadata', 'token_endpoint_auth_method must be none');
    }
    const grants = body.grant_types ?? SUPPORTED_GRANTS;
    if (!Array.isArray(grants) || !grants.every((g) => SUPPORTED_GRANTS.includes(g as string))) {
      return invalid(
        'invalid_client_metadata',
        'grant_types must be authorization_code and/or refresh_token',
      );
    }
    const responseTypes = body.response_types ?? ['code'];
    if (!Array.isArray(responseTypes) || !responseTypes.every((t) => t === 'code')) {
      return invalid('invalid_client_metadata', 'response_types must be ["code"]');
    }
    const clientName = typeof body.client_name === 'string' ? body.client_name : undefined;
    const clientId = randomToken('attendium_');
    clients.set(clientId, { clientId, redirectUris: uris as string[], clientName });
    counts.registrations += 1;
    sendJson(res, 201, {
      client_id: clientId,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      redirect_uris: uris,
      ...(clientName === undefined ? {} : { client_name: clientName }),
      token_endpoint_auth_method: 'none',
      grant_types: grants,
      response_types: responseTypes,
      ...(typeof body.application_type === 'string'
        ? { application_type: body.application_type }
        : {}),
    });
  };

  const authorize = (res: ServerResponse, url: URL): void => {
    counts.authorizeRequests += 1;
    let params: Map<string, string>;
    try {
      params = singleParams(url.searchParams);
    } catch (error) {
      const reply = error as HttpReply;
      return sendHtml(res, 400, errorPage('invalid_request', String(reply.body.error_description)));
    }
    const clientId = params.get('client_id');
    const client = clientId === undefined ? undefined : clients.get(clientId);
    if (!client) return sendHtml(res, 400, errorPage('invalid_client', 'unknown client_id'));
    const redirectUri = params.get('redirect_uri');
    if (
      redirectUri === undefined ||
      !client.redirectUris.some((r) => redirectMatches(r, redirectUri, true))
    ) {
      return sendHtml(
        res,
        400,
        errorPage('invalid_request', 'redirect_uri is not registered for this client'),
      );
    }
    const state = params.get('state');
    const fail = (error: string, description: string) =>
      redirect(res, withQuery(redirectUri, { error, error_description: description, state }));
    if (params.get('response_type') !== 'code') {
      return fail('unsupported_response_type', 'response_type must be code');
    }
    const challenge = params.get('code_challenge');
    if (challenge === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
      return fail('invalid_request', 'code_challenge is required');
    }
    if (params.get('code_challenge_method') !== 'S256') {
      return fail('invalid_request', 'code_challenge_method must be S256');
    }
    if (state === undefined) return fail('invalid_request', 'state is required');
    const requestId = randomToken();
    pending.set(
      requestId,
      {
        clientId: client.clientId,
        redirectUri,
        codeChallenge: challenge,
        state,
        scope: params.get('scope'),
      },
      10 * 60_000,
    );
    sendHtml(
      res,
      200,
      consentPage(
        'Sign in to Attendium',
        `${client.clientName ?? 'An application'} wants to access your Attendium account.`,
        ATTENDIUM_PATHS.authorize,
        { request_id: requestId },
      ),
    );
  };

  const decide = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = await readForm(req);
    const requestId = form.get('request_id') ?? '';
    const request = pending.get(requestId);
    if (!request)
      return sendHtml(
        res,
        400,
        errorPage('invalid_request', 'unknown or expired authorization request'),
      );
    pending.delete(requestId);
    if (form.get('decision') !== 'approve') {
      return redirect(
        res,
        withQuery(request.redirectUri, { error: 'access_denied', state: request.state }),
      );
    }
    const code = secretToken('att_code_');
    codes.set(code, { ...request, userId, used: false }, codeTtlMs);
    redirect(res, withQuery(request.redirectUri, { code, state: request.state }));
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.tokenRequests += 1;
    if (authScheme(req) === 'basic') {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'Basic authentication is deprecated; send client_id in the form body',
      });
    }
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'Content-Type must be application/x-www-form-urlencoded',
      });
    }
    const form = await readForm(req);
    const grantType = form.get('grant_type');
    const bad = (error: string, description: string, status = 400) =>
      sendJson(res, status, { error, error_description: description });
    if (grantType === undefined) return bad('invalid_request', 'grant_type is required');
    if (grantType === 'refresh_token') counts.refreshRequests += 1;
    if (!SUPPORTED_GRANTS.includes(grantType))
      return bad('unsupported_grant_type', 'unsupported grant_type');
    const clientId = form.get('client_id');
    if (clientId === undefined) return bad('invalid_request', 'client_id is required');
    if (!clients.get(clientId)) return bad('invalid_client', 'unknown client_id', 401);

    if (grantType === 'authorization_code') {
      const code = form.get('code');
      const redirectUri = form.get('redirect_uri');
      const verifier = form.get('code_verifier');
      if (code === undefined || redirectUri === undefined || verifier === undefined) {
        return bad('invalid_request', 'code, redirect_uri and code_verifier are required');
      }
      const grant = codes.get(code);
      if (!grant) return bad('invalid_grant', 'authorization code is invalid or expired');
      if (grant.used) {
        if (grant.family) revokeFamily(grant.family);
        return bad('invalid_grant', 'authorization code was already used');
      }
      grant.used = true;
      if (grant.clientId !== clientId)
        return bad('invalid_grant', 'code was issued to another client');
      if (grant.redirectUri !== redirectUri)
        return bad('invalid_grant', 'redirect_uri does not match');
      if (!isValidVerifier(verifier) || !safeEqual(s256(verifier), grant.codeChallenge)) {
        return bad('invalid_grant', 'code_verifier does not match code_challenge');
      }
      grant.family = randomToken();
      return sendJson(res, 200, issueTokens(clientId, grant.userId, grant.family));
    }

    const presented = form.get('refresh_token');
    if (presented === undefined) return bad('invalid_request', 'refresh_token is required');
    const record = refreshTokens.get(presented);
    if (!record || revokedFamilies.has(record.family))
      return bad('invalid_grant', 'refresh token is invalid');
    if (record.clientId !== clientId)
      return bad('invalid_grant', 'refresh token was issued to another client');
    if (record.rotated) {
      counts.refreshReuse += 1;
      revokeFamily(record.family);
      return bad('invalid_grant', 'refresh token was already used; the grant is revoked');
    }
    record.rotated = true;
    return sendJson(res, 200, issueTokens(clientId, record.userId, record.family));
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.graphqlRequests += 1;
    const challenge = (description: string) =>
      sendJson(
        res,
        401,
        { errors: [{ message: description }] },
        { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` },
      );
    if (authScheme(req) === 'basic') return challenge('Basic authentication is deprecated');
    const presented = bearerToken(req);
    if (presented === undefined) {
      return sendJson(
        res,
        401,
        { errors: [{ message: 'missing bearer token' }] },
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const record = accessTokens.get(presented);
    if (!record)
      return challenge(accessTokens.expired(presented) ? 'token expired' : 'invalid token');
    if (mediaType(req) !== 'application/json') {
      return sendJson(res, 415, { errors: [{ message: 'Content-Type must be application/json' }] });
    }
    const result = runGraphql(await readJsonObject(req), { me: { id: record.userId } });
    sendJson(res, result.status, result.body);
  };

  const server = await listen(async (req, res, url) => {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case `GET ${ATTENDIUM_PATHS.metadata}`:
        return metadata(res);
      case `POST ${ATTENDIUM_PATHS.register}`:
        return register(req, res);
      case `GET ${ATTENDIUM_PATHS.authorize}`:
        return authorize(res, url);
      case `POST ${ATTENDIUM_PATHS.authorize}`:
        return decide(req, res);
      case `POST ${ATTENDIUM_PATHS.token}`:
        return token(req, res);
      case `POST ${ATTENDIUM_PATHS.graphql}`:
        return graphql(req, res);
      default:
        throw new HttpReply(404, { error: 'not_found' });
    }
  });
  origin = server.url;

  return {
    url: server.url,
    close: () => server.close(),
    expireAllAccessTokens: () => accessTokens.expireAll(),
    setExpiresIn: (seconds: number) => {
      expiresIn = seconds;
    },
    setUserId: (id: string) => {
      userId = id;
    },
    get tokenRequests() {
      return counts.tokenRequests;
    },
    get refreshRequests() {
      return counts.refreshRequests;
    },
    get refreshReuse() {
      return counts.refreshReuse;
    },
    get graphqlRequests() {
      return counts.graphqlRequests;
    },
    get registrations() {
      return counts.registrations;
    },
    get authorizeRequests() {
      return counts.authorizeRequests;
    },
  };
}
