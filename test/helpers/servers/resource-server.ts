/**
 * A protected resource for tests (RFC 9728, RFC 9068, RFC 9449), on 127.0.0.1.
 *
 * - Its resource identifier is its origin with a slash; it serves its metadata at
 *   `/.well-known/oauth-protected-resource`, naming the authorization server it `trust`s.
 * - A request without a token gets 401 with `WWW-Authenticate: Bearer resource_metadata="…"`.
 * - It takes only JWT access tokens signed by that server (checked against its JWKS) whose `aud`
 *   is this resource. A token with `cnf.jkt` is DPoP-bound: it must come as `Authorization: DPoP`
 *   with a proof whose signature, `htm`, `htu`, `iat`, `jti`, `ath` and key thumbprint check out,
 *   and, with `requireNonce`, the nonce this server handed out.
 * - Answers `{ sub, scheme, path }` as JSON.
 */
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson } from './http-kit';

export interface ResourceServer {
  /** The resource identifier: the origin and a slash. */
  url: string;
  /** Sets the authorization server this resource trusts. */
  trust(issuer: string): void;
  /** Each accepted request: its scheme, and whether its proof carried this server's nonce. */
  readonly accepted: Array<{ scheme: 'Bearer' | 'DPoP'; nonce: boolean; path: string }>;
  /** Each refusal's reason. */
  readonly refusals: string[];
  close(): Promise<void>;
}

type Claims = Record<string, unknown>;

export async function startResourceServer(
  options: { requireNonce?: boolean } = {},
): Promise<ResourceServer> {
  let issuer = '';
  let keys: JsonWebKey[] | undefined;
  const accepted: ResourceServer['accepted'] = [];
  const refusals: string[] = [];
  const usedJti = new Set<string>();
  const nonce = randomBytes(16).toString('base64url');
  let self = '';

  const refuse = (res: ServerResponse, reason: string, headers: Record<string, string> = {}) => {
    refusals.push(reason);
    sendJson(res, 401, { error: 'invalid_token', error_description: reason }, headers);
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/.well-known/oauth-protected-resource') {
      sendJson(res, 200, {
        resource: self,
        authorization_servers: [issuer],
        scopes_supported: ['openid', 'offline_access', 'api:read'],
        dpop_signing_alg_values_supported: ['ES256'],
        resource_name: 'Test API',
      });
      return;
    }
    const authorization = req.headers.authorization ?? '';
    const [scheme, token] = authorization.split(' ', 2) as [string, string | undefined];
    if (!token) {
      sendJson(
        res,
        401,
        { error: 'unauthorized' },
        {
          'www-authenticate': `Bearer resource_metadata="${self}.well-known/oauth-protected-resource", scope="openid offline_access api:read"`,
        },
      );
      return;
    }
    keys ??= ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: JsonWebKey[] }).keys;
    const claims = verifyJwt(token, keys);
    if (!claims) return refuse(res, 'the access token signature does not verify');
    if (claims.iss !== issuer) return refuse(res, 'the access token is from another issuer');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(self)) return refuse(res, 'the access token is for another audience');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
      return refuse(res, 'the access token has expired');
    }
    const jkt = (claims.cnf as { jkt?: string } | undefined)?.jkt;
    const path = url.pathname;
    if (!jkt) {
      if (scheme !== 'Bearer') return refuse(res, 'a bearer token must come as Bearer');
      accepted.push({ scheme: 'Bearer', nonce: false, path });
      sendJson(res, 200, { sub: claims.sub, scheme: 'Bearer', path });
      return;
    }
    if (scheme !== 'DPoP') return refuse(res, 'a DPoP-bound token came without DPoP');
    const proof = checkProof(req, token, `${self.replace(/\/$/, '')}${path}`, jkt, usedJti);
    if (typeof proof === 'string') return refuse(res, proof);
    if (options.requireNonce && proof.nonce !== nonce) {
      return refuse(res, 'the proof lacks the nonce', {
        'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="use the nonce"',
        'dpop-nonce': nonce,
      });
    }
    accepted.push({ scheme: 'DPoP', nonce: proof.nonce === nonce, path });
    sendJson(res, 200, { sub: claims.sub, scheme: 'DPoP', path }, { 'dpop-nonce': nonce });
  };

  const running = await listen(handler);
  self = `${running.url}/`;
  return {
    url: self,
    trust(next) {
      issuer = next;
      keys = undefined;
    },
    accepted,
    refusals,
    close: () => running.close(),
  };
}

/** A JWS's claims when its signature verifies with one of the keys (RS256 or ES256). */
function verifyJwt(jwt: string, keys: JsonWebKey[], jwk?: JsonWebKey): Claims | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  const header = decode(parts[0]!);
  const claims = decode(parts[1]!);
  if (!header || !claims) return undefined;
  const candidates = jwk ? [jwk] : keys.filter((key) => !header.kid || key.kid === header.kid);
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  for (const key of candidates) {
    const publicKey = createPublicKey({ key, format: 'jwk' });
    const ok =
      header.alg === 'ES256'
        ? verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
        : header.alg === 'RS256'
          ? verify('RSA-SHA256', data, publicKey, signature)
          : false;
    if (ok) return claims;
  }
  return undefined;
}

/** RFC 9449 §4.3: the proof's checks; a string says what failed. */
function checkProof(
  req: IncomingMessage,
  token: string,
  htu: string,
  jkt: string,
  usedJti: Set<string>,
): Claims | string {
  const proof = req.headers.dpop;
  if (typeof proof !== 'string') return 'no DPoP proof';
  const header = decode(proof.split('.')[0] ?? '');
  if (header?.typ !== 'dpop+jwt' || header.alg !== 'ES256') return 'the proof header is wrong';
  const jwk = header.jwk as JsonWebKey | undefined;
  if (!jwk || 'd' in jwk) return 'the proof carries no public key';
  const claims = verifyJwt(proof, [], jwk);
  if (!claims) return 'the proof signature does not verify';
  if (claims.htm !== req.method) return 'the proof is for another method';
  if (claims.htu !== htu) return `the proof is for another URL (${String(claims.htu)})`;
  if (typeof claims.iat !== 'number' || Math.abs(claims.iat - Date.now() / 1000) > 120) {
    return 'the proof is too old';
  }
  if (typeof claims.jti !== 'string' || usedJti.has(claims.jti)) return 'the proof was replayed';
  usedJti.add(claims.jti);
  const ath = createHash('sha256').update(token).digest('base64url');
  if (claims.ath !== ath) return 'the proof is for another token';
  const members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  const thumbprint = createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  if (thumbprint !== jkt) return 'the proof key is not the one the token is bound to';
  return claims;
}

function decode(part: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}
