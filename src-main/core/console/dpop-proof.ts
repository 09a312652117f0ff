import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { dpopHandle } from '../flows';
import type { PrivateJwk } from '../model';
import type { WireRequest, WireResponse } from '../net';
import type { HeaderList } from './types';

/**
 * Sends one console request with a DPoP-bound token (RFC 9449 §7): `Authorization: DPoP <token>`
 * and a proof made fresh for this method and URL, by oauth4webapi's `protectedResourceRequest`.
 *
 * oauth4webapi builds the two headers and hands the request to `send` (the transport, which keeps
 * its timings); the answer goes back through oauth4webapi so the handle keeps the resource's
 * `DPoP-Nonce`. When the resource asks for a nonce (401 with `use_dpop_nonce`, §9), the request
 * is sent once more with a new proof that carries it. Any other answer is returned as it came.
 */
export async function sendWithProof(
  wire: WireRequest,
  token: { accessToken: string; dpopKey: PrivateJwk },
  send: (wire: WireRequest) => Promise<WireResponse>,
  signal: AbortSignal,
): Promise<WireResponse> {
  const dpop = await dpopHandle(token.dpopKey);
  let answer: WireResponse | undefined;
  const customFetch = async (_url: string, init: { headers: Record<string, string> }) => {
    const headers = wire.headers.filter(([name]) => !PROOF_HEADERS.has(name.toLowerCase()));
    headers.push(['Authorization', init.headers.authorization!], ['DPoP', init.headers.dpop!]);
    answer = await send({ ...wire, headers });
    const seen = new Headers();
    for (const [name, value] of answer.headers) {
      if (PASSED_BACK.has(name.toLowerCase())) seen.append(name, value);
    }
    return new Response(null, { status: answer.status, headers: seen });
  };
  const request = () =>
    oauth.protectedResourceRequest(token.accessToken, wire.method, wire.url, new Headers(), null, {
      signal,
      [oauth.customFetch]: customFetch as never,
      ...(wire.url.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
      DPoP: dpop,
    });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await request();
      return answer!;
    } catch (error) {
      if (attempt === 0 && oauth.isDPoPNonceError(error)) continue;
      if (error instanceof oauth.WWWAuthenticateChallengeError && answer) return answer;
      throw error;
    }
  }
  if (!answer) throw new TokendeckError('internal', 'The DPoP request did not run.');
  return answer;
}

/** Headers the engine sets for a DPoP request; the user's own are refused before this runs. */
export const PROOF_HEADERS: ReadonlySet<string> = new Set(['authorization', 'dpop']);

/** What oauth4webapi needs to see of an answer: its nonce and its challenges. */
const PASSED_BACK = new Set(['dpop-nonce', 'www-authenticate']);

/** A DPoP request's Authorization and DPoP headers are the engine's (RFC 9449 §7.1). */
export function refuseProofHeaders(headers: HeaderList): void {
  const taken = headers.find(([name]) => PROOF_HEADERS.has(name.toLowerCase()));
  if (taken) {
    throw new TokendeckError(
      'invalid_input',
      `This account's token is DPoP-bound, so the ${taken[0]} header carries its proof and cannot be set by hand.`,
      { details: { header: taken[0] } },
    );
  }
}
