import { createHash, createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import type { PrivateJwk } from '../model';
import type { ProviderProfile } from '../providers';

/**
 * The private key a client signs `private_key_jwt` assertions with (RFC 7523 §2.2; OpenID
 * Connect Core §9).
 *
 * A key file is a PEM private key (PKCS#8, PKCS#1 or SEC1) or a JWK (or a JWK Set holding one
 * private key). It is kept in the vault as a JWK; the profile names it by its RFC 7638
 * thumbprint, with the algorithm its type implies (or the JWK's own `alg`) and the JWK's `kid`.
 */
export interface ClientKey {
  jwk: PrivateJwk;
  info: NonNullable<ProviderProfile['client']['key']>;
}

type KeyAlg = ClientKey['info']['alg'];

/** Reads a key file's text; `name` says which file in errors. */
export function parseClientKey(text: string, name: string): ClientKey {
  const trimmed = text.trim();
  let key: KeyObject;
  let declared: { alg?: unknown; kid?: unknown } = {};
  try {
    if (trimmed.startsWith('{')) {
      const parsed = JSON.parse(trimmed) as { keys?: unknown[] } & JsonWebKey;
      const candidates = Array.isArray(parsed.keys) ? parsed.keys : [parsed];
      const privates = candidates.filter(
        (candidate): candidate is JsonWebKey & { kid?: string } =>
          typeof candidate === 'object' && candidate !== null && 'd' in candidate,
      );
      if (privates.length !== 1) throw refused(name, 'it holds no private JWK, or more than one');
      declared = privates[0]!;
      key = createPrivateKey({ key: privates[0]!, format: 'jwk' });
    } else {
      key = createPrivateKey(trimmed);
    }
  } catch (cause) {
    if (cause instanceof TokendeckError) throw cause;
    throw refused(name, 'it is not a PEM private key or a private JWK', cause);
  }
  const exported = key.export({ format: 'jwk' }) as Record<string, unknown>;
  const jwk: PrivateJwk = {};
  for (const [field, value] of Object.entries(exported)) {
    if (typeof value === 'string') jwk[field] = value;
  }
  const alg = algorithmOf(jwk, declared.alg, name);
  registerSecret(jwk.d);
  const kid = typeof declared.kid === 'string' && declared.kid ? declared.kid : undefined;
  return { jwk, info: { thumbprint: thumbprintOf(jwk), alg, ...(kid ? { kid } : {}) } };
}

/** RFC 7638: the SHA-256 of the key's required public members, in order, as base64url. */
export function thumbprintOf(jwk: PrivateJwk): string {
  const members =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === 'EC'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The client authentication that signs an assertion with the stored key (RFC 7523 §2.2). */
export function privateKeyJwtAuth(jwk: PrivateJwk, info: ClientKey['info']): oauth.ClientAuth {
  let imported: Promise<CryptoKey> | undefined;
  return async (as, client, body, headers) => {
    imported ??= crypto.subtle.importKey('jwk', jwk, importParams(info.alg), false, ['sign']);
    const key = await imported;
    await oauth.PrivateKeyJwt({ key, ...(info.kid ? { kid: info.kid } : {}) })(
      as,
      client,
      body,
      headers,
    );
  };
}

function importParams(alg: KeyAlg): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  switch (alg) {
    case 'RS256':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'PS256':
      return { name: 'RSA-PSS', hash: 'SHA-256' };
    case 'ES256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ES384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'ES512':
      return { name: 'ECDSA', namedCurve: 'P-521' };
    case 'EdDSA':
      return { name: 'Ed25519' };
  }
}

function algorithmOf(jwk: PrivateJwk, declared: unknown, name: string): KeyAlg {
  const implied: KeyAlg | undefined =
    jwk.kty === 'RSA'
      ? 'RS256'
      : jwk.kty === 'EC'
        ? ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as const)[jwk.crv ?? '']
        : jwk.kty === 'OKP' && jwk.crv === 'Ed25519'
          ? 'EdDSA'
          : undefined;
  if (!implied) throw refused(name, `its key type (${jwk.kty} ${jwk.crv ?? ''}) cannot sign JWTs`);
  if (declared === 'PS256' && jwk.kty === 'RSA') return 'PS256';
  return implied;
}

function refused(name: string, why: string, cause?: unknown): TokendeckError {
  return new TokendeckError('invalid_input', `The client key file ${name} was refused: ${why}.`, {
    cause,
    details: { field: 'clientKey' },
  });
}
