import { compactVerify, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors } from 'jose';
import type { JsonValue, SignatureCheck, TokenInspection } from './model';

/**
 * Inspects a revealed token: what it says about itself: a JWT's header and claims with its signature checked,
 * or "opaque" when it is not a JWT (RFC 7519).
 *
 * The signature is checked against the provider's published key set (its `jwks_uri`, from
 * discovery) with `jose`; only the signature, since expiry is shown beside it. Nothing here is
 * logged: the caller logs that a reveal happened, never the token.
 */
const JWKS_TIMEOUT_MS = 5_000;

function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export async function inspectToken(token: string, jwksUri?: string): Promise<TokenInspection> {
  if (!looksLikeJwt(token)) return { kind: 'opaque' };
  let header: Record<string, JsonValue>;
  let claims: Record<string, JsonValue>;
  try {
    header = decodeProtectedHeader(token) as Record<string, JsonValue>;
    claims = decodeJwt(token) as Record<string, JsonValue>;
  } catch {
    return { kind: 'opaque' };
  }
  return { kind: 'jwt', header, claims, signature: await checkSignature(token, header, jwksUri) };
}

async function checkSignature(
  token: string,
  header: Record<string, JsonValue>,
  jwksUri: string | undefined,
): Promise<SignatureCheck> {
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (alg === 'none' || alg === '') {
    return { state: 'invalid', reason: 'The token is not signed (alg "none").' };
  }
  if (alg.startsWith('HS')) {
    return {
      state: 'unchecked',
      reason: `Signed with a shared secret (${alg}); only the provider can check it.`,
    };
  }
  if (!jwksUri) {
    return {
      state: 'unchecked',
      reason: 'The provider publishes no key set (jwks_uri), so the signature was not checked.',
    };
  }
  try {
    const keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: JWKS_TIMEOUT_MS });
    const { protectedHeader } = await compactVerify(token, keys);
    return {
      state: 'valid',
      alg: protectedHeader.alg,
      ...(protectedHeader.kid ? { keyId: protectedHeader.kid } : {}),
    };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { state: 'invalid', reason: 'The signature does not match the provider’s keys.' };
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return { state: 'invalid', reason: 'No key in the provider’s key set matches this token.' };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      state: 'unchecked',
      reason: `The provider’s key set could not be used: ${message.slice(0, 200)}`,
    };
  }
}
