/**
 * A strict stand-in for Attentive (seed page 001): private-app API keys and public-app OAuth.
 *
 * Paths come from Attentive's public docs (docs.attentive.com, "Authentication" and the
 * "Access Token" API reference), all served from the stand-in's one origin:
 * - `GET /v1/me` (REST "who am I"): with `Authorization: Bearer <api key or access token>` it
 *   answers `{ companyId, companyName, applicationId, applicationName }`. The real response shape is
 *   not published on the page; this one is the stand-in's own, documented here.
 * - `POST /v1/graphql`: resolves `viewer { installedApplication { installerCompany { id name } } }`.
 * - `GET /integrations/oauth-install`: the distribution URL (on ui.attentivemobile.com in real
 *   life). Takes `client_id`, `redirect_uri` (must equal the app's registered one exactly),
 *   `scope` (must equal the app's scopes as a set) and an optional `state`, which is echoed.
 *   `response_type`, if sent, must be `code`; other parameters (such as PKCE's) are ignored, as
 *   RFC 6749 §3.1 says unknown parameters are. It renders "Approve" and "Deny" buttons.
 * - `POST /v1/authorization-codes/tokens`: form body with `grant_type=authorization_code`
 *   (optional, but only that value), `code`, `redirect_uri` (identical to the authorize one),
 *   `client_id` and `client_secret`. Only `client_secret_post` is accepted: an `Authorization`
 *   header is a 401 `invalid_client`. Codes live 2 minutes and are single-use. The reply is
 *   `{ access_token, id_token, token_type: 'Bearer' }`, as in the docs' sample (whose `id_token`
 *   is the same opaque string, not a JWT); there is no `expires_in` (the token does not expire)
 *   and no `refresh_token`. Set `idTokenInResponse: false` to leave `id_token` out.
 *
 * One token per installing company: approving the app again for the same company replaces that
 * company's token, and the old one stops working.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  BoundedStore,
  HttpReply,
  bearerToken,
  consentPage,
  errorPage,
  listen,
  mediaType,
  randomToken,
  secretToken,
  readForm,
  readJsonObject,
  redirect,
  safeEqual,
  sendHtml,
  sendJson,
  singleParams,
  withQuery,
} from './http-kit';
import { runGraphql } from './mini-graphql';

/** Attentive's paths, relative to the stand-in's origin. */
export const ATTENTIVE_PATHS = {
  authorize: '/integrations/oauth-install',
  token: '/v1/authorization-codes/tokens',
  me: '/v1/me',
  graphql: '/v1/graphql',
} as const;

/** The scopes named on the seed page. */
export const ATTENTIVE_SCOPES = [
  'events:write',
  'ecommerce:write',
  'subscriptions:write',
  'attributes:write',
  'privacy_requests:write',
] as const;

/** A public app registered with the stand-in. */
export interface AttentiveClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  /** Shown as `applicationName` (default `Tokendeck test app`). */
  name?: string;
}

/** A company that installs apps. */
export interface AttentiveCompany {
  id: string;
  name: string;
}

/** Options for `startAttentive`. */
export interface AttentiveOptions {
  /** Private-app API keys, each valid as a Bearer token for the default company. */
  apiKeys?: string[];
  /** Public apps for the OAuth flow. */
  clients?: AttentiveClient[];
  /** Authorization code lifetime in milliseconds (default 120 000, as the page says). */
  codeTtlMs?: number;
  /** The company that installs (default `{ id: 'company-1', name: 'Test Company' }`). */
  company?: AttentiveCompany;
  /** Whether the token reply carries the docs' `id_token` (default true). */
  idTokenInResponse?: boolean;
}

/** A running Attentive stand-in. */
export interface AttentiveServer {
  url: string;
  close(): Promise<void>;
  /** Changes the company that the next approval installs for. */
  setCompany(company: AttentiveCompany): void;
  /** POSTs to the token endpoint. */
  readonly tokenRequests: number;
  /** GETs of `/v1/me`. */
  readonly meRequests: number;
  /** POSTs to `/v1/graphql`. */
  readonly graphqlRequests: number;
  /** Tokens issued by the OAuth flow. */
  readonly tokensIssued: number;
}

interface Identity {
  company: AttentiveCompany;
  applicationId: string;
  applicationName: string;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  company: AttentiveCompany;
  used: boolean;
}

/** Starts an Attentive stand-in on 127.0.0.1. */
export async function startAttentive(options: AttentiveOptions = {}): Promise<AttentiveServer> {
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  const codeTtlMs = options.codeTtlMs ?? 120_000;
  const idTokenInResponse = options.idTokenInResponse ?? true;
  let company = options.company ?? { id: 'company-1', name: 'Test Company' };
  const tokens = new Map<string, Identity>();
  for (const key of options.apiKeys ?? []) {
    tokens.set(key, { company, applicationId: 'private-app', applicationName: 'Private app' });
  }
  const companyTokens = new Map<string, string>();
  const pending = new BoundedStore<{ clientId: string; redirectUri: string; state?: string }>(1000);
  const codes = new BoundedStore<CodeGrant>(1000);
  const counts = { tokenRequests: 0, meRequests: 0, graphqlRequests: 0, tokensIssued: 0 };

  const identify = (req: IncomingMessage, res: ServerResponse): Identity | undefined => {
    const presented = bearerToken(req);
    const identity = presented === undefined ? undefined : tokens.get(presented);
    if (!identity) {
      sendJson(
        res,
        401,
        { error: 'unauthorized', error_description: 'missing or invalid bearer token' },
        { 'WWW-Authenticate': presented === undefined ? 'Bearer' : 'Bearer error="invalid_token"' },
      );
    }
    return identity;
  };

  const authorize = (res: ServerResponse, url: URL): void => {
    const params = singleParams(url.searchParams);
    const client = clients.get(params.get('client_id') ?? '');
    if (!client) return sendHtml(res, 400, errorPage('invalid_client', 'unknown client_id'));
    const redirectUri = params.get('redirect_uri');
    if (redirectUri !== client.redirectUri) {
      return sendHtml(
        res,
        400,
        errorPage('invalid_request', 'redirect_uri is not the one registered with the app'),
      );
    }
    const state = params.get('state');
    const responseType = params.get('response_type');
    if (responseType !== undefined && responseType !== 'code') {
      return redirect(res, withQuery(redirectUri, { error: 'unsupported_response_type', state }));
    }
    const requested = new Set((params.get('scope') ?? '').split(/[\s+]+/).filter(Boolean));
    const required = new Set(client.scopes);
    const sameScopes =
      requested.size === required.size && [...required].every((s) => requested.has(s));
    if (!sameScopes) {
      return redirect(
        res,
        withQuery(redirectUri, {
          error: 'invalid_scope',
          error_description: 'scopes must match the scopes the app requires',
          state,
        }),
      );
    }
    const requestId = randomToken();
    pending.set(requestId, { clientId: client.clientId, redirectUri, state }, 10 * 60_000);
    sendHtml(
      res,
      200,
      consentPage(
        'Install app',
        `${client.name ?? 'Tokendeck test app'} asks for: ${client.scopes.join(', ')}`,
        ATTENTIVE_PATHS.authorize,
        { request_id: requestId },
      ),
    );
  };

  const decide = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = await readForm(req);
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
    const code = secretToken('attn_code_');
    codes.set(
      code,
      { clientId: request.clientId, redirectUri: request.redirectUri, company, used: false },
      codeTtlMs,
    );
    redirect(res, withQuery(request.redirectUri, { code, state: request.state }));
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.tokenRequests += 1;
    const bad = (status: number, error: string, description: string) =>
      sendJson(res, status, { error, error_description: description });
    if (req.headers.authorization !== undefined) {
      return bad(401, 'invalid_client', 'send client_id and client_secret in the form body');
    }
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      return bad(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = await readForm(req);
    const grantType = form.get('grant_type');
    if (grantType !== undefined && grantType !== 'authorization_code') {
      return bad(400, 'unsupported_grant_type', 'authorization_code is the only accepted type');
    }
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!clientId || !clientSecret || !code || !redirectUri) {
      return bad(
        400,
        'invalid_request',
        'code, redirect_uri, client_id and client_secret are required',
      );
    }
    const client = clients.get(clientId);
    if (!client || !safeEqual(client.clientSecret, clientSecret)) {
      return bad(401, 'invalid_client', 'client authentication failed');
    }
    const grant = codes.get(code);
    if (!grant || grant.used)
      return bad(400, 'invalid_grant', 'authorization code is invalid, used or expired');
    grant.used = true;
    if (grant.clientId !== clientId)
      return bad(400, 'invalid_grant', 'code was issued to another app');
    if (grant.redirectUri !== redirectUri)
      return bad(400, 'invalid_grant', 'redirect_uri does not match');
    const key = `${clientId}\n${grant.company.id}`;
    const previous = companyTokens.get(key);
    if (previous !== undefined) tokens.delete(previous);
    const accessToken = secretToken('attn_');
    tokens.set(accessToken, {
      company: grant.company,
      applicationId: client.clientId,
      applicationName: client.name ?? 'Tokendeck test app',
    });
    companyTokens.set(key, accessToken);
    counts.tokensIssued += 1;
    sendJson(res, 200, {
      access_token: accessToken,
      ...(idTokenInResponse ? { id_token: accessToken } : {}),
      token_type: 'Bearer',
    });
  };

  const me = (req: IncomingMessage, res: ServerResponse): void => {
    counts.meRequests += 1;
    const identity = identify(req, res);
    if (!identity) return;
    sendJson(res, 200, {
      companyId: identity.company.id,
      companyName: identity.company.name,
      applicationId: identity.applicationId,
      applicationName: identity.applicationName,
    });
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.graphqlRequests += 1;
    const identity = identify(req, res);
    if (!identity) return;
    const root = {
      viewer: {
        installedApplication: {
          id: identity.applicationId,
          name: identity.applicationName,
          installerCompany: { id: identity.company.id, name: identity.company.name },
        },
      },
    };
    const result = runGraphql(await readJsonObject(req), root);
    sendJson(res, result.status, result.body);
  };

  const server = await listen(async (req, res, url) => {
    switch (`${req.method} ${url.pathname}`) {
      case `GET ${ATTENTIVE_PATHS.authorize}`:
        return authorize(res, url);
      case `POST ${ATTENTIVE_PATHS.authorize}`:
        return decide(req, res);
      case `POST ${ATTENTIVE_PATHS.token}`:
        return token(req, res);
      case `GET ${ATTENTIVE_PATHS.me}`:
        return me(req, res);
      case `POST ${ATTENTIVE_PATHS.graphql}`:
        return graphql(req, res);
      default:
        throw new HttpReply(404, { error: 'not_found' });
    }
  });

  return {
    url: server.url,
    close: () => server.close(),
    setCompany: (next: AttentiveCompany) => {
      company = next;
    },
    get tokenRequests() {
      return counts.tokenRequests;
    },
    get meRequests() {
      return counts.meRequests;
    },
    get graphqlRequests() {
      return counts.graphqlRequests;
    },
    get tokensIssued() {
      return counts.tokensIssued;
    },
  };
}
