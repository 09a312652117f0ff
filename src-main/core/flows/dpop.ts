import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import type { PrivateJwk } from '../model';
import type { ProviderProfile } from '../providers';

/**
 * DPoP (RFC 9449): one key pair per account, and oauth4webapi's proofs.
 *
 * The key is made when an account connects and is sealed in the vault with its tokens, so the
 * app, the CLI and the agent prove possession with the same key, across restarts. A proof is
 * signed fresh for every request (§4); the server's nonces (§8, §9) are kept per key and per
 * origin by the handle, which this process keeps as long as it runs.
 */

/** The algorithm of the keys Tokendeck makes; every DPoP server supports it (RFC 9449 §5.1). */
const DPOP_ALG = 'ES256';
const EC_PARAMS = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const MAX_HANDLES = 256;

const handles = new Map<string, Promise<oauth.DPoPHandle>>();

/** Whether the provider's tokens are to be DPoP-bound: always, or when the server supports it. */
export function wantsDpop(profile: ProviderProfile, as: oauth.AuthorizationServer): boolean {
  if (profile.dpop === 'on') return true;
  if (profile.dpop !== 'auto') return false;
  const algs = as.dpop_signing_alg_values_supported;
  return Array.isArray(algs) && algs.includes(DPOP_ALG);
}

/** A new P-256 key pair, as a private JWK (public part included). */
export async function newDpopKey(): Promise<PrivateJwk> {
  const pair = await oauth.generateKeyPair(DPOP_ALG, { extractable: true });
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const key: PrivateJwk = {
    kty: String(jwk.kty),
    crv: String(jwk.crv),
    x: String(jwk.x),
    y: String(jwk.y),
    d: String(jwk.d),
  };
  registerSecret(key.d);
  return key;
}

/** The proof handle for a stored key; one per key in this process, so its nonces are kept. */
export function dpopHandle(key: PrivateJwk): Promise<oauth.DPoPHandle> {
  if (key.kty !== 'EC' || key.crv !== 'P-256' || !key.x || !key.y || !key.d) {
    return Promise.reject(
      new TokendeckError('vault_corrupt', 'A stored DPoP key is not a P-256 private key.'),
    );
  }
  registerSecret(key.d);
  const id = `${key.x}.${key.y}`;
  let handle = handles.get(id);
  if (!handle) {
    handle = importPair(key);
    handle.catch(() => handles.delete(id));
    if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value!);
    handles.set(id, handle);
  }
  return handle;
}

async function importPair(key: PrivateJwk): Promise<oauth.DPoPHandle> {
  const { kty, crv, x, y, d } = key;
  const privateKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, EC_PARAMS, false, [
    'sign',
  ]);
  const publicKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, EC_PARAMS, true, [
    'verify',
  ]);
  return oauth.DPoP({}, { privateKey, publicKey });
}

/**
 * Runs a DPoP request, and once more when the server asks for a nonce (`use_dpop_nonce`, RFC
 * 9449 §8.1 and §9): the handle has stored the nonce from the refusal, so the retry carries it.
 */
export async function withNonceRetry<T>(
  dpop: oauth.DPoPHandle | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (dpop && oauth.isDPoPNonceError(error)) return run();
    throw error;
  }
}

/**
 * Whether a resource answered 401 asking for a DPoP nonce (RFC 9449 §9), for the requests that
 * oauth4webapi does not check for challenges itself (userinfo). The handle kept the nonce.
 */
export function needsNonce(response: Response): boolean {
  return (
    response.status === 401 &&
    /error="?use_dpop_nonce/i.test(response.headers.get('www-authenticate') ?? '')
  );
}

/** The request options that add a proof, when the tokens are to be bound. */
export function dpopOption(dpop: oauth.DPoPHandle | undefined): { DPoP?: oauth.DPoPHandle } {
  return dpop ? { DPoP: dpop } : {};
}
