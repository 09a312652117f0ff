import { TokendeckError } from './errors';

/**
 * What a DPoP-bound token (RFC 9449) can and cannot be handed out as.
 *
 * Such a token is useless without a proof signed by its key for each request (§7.1), and the key
 * never leaves the vault. So it may be printed or copied as itself, with a note, but never as a
 * ready header or command, which the API would refuse: the console and `tokendeck request` send
 * the proofs instead.
 */

/** True when the token is DPoP-bound. */
export function isDpopBound(token: { tokenType: string; dpopKey?: unknown }): boolean {
  return token.dpopKey !== undefined || token.tokenType.toLowerCase() === 'dpop';
}

/** The refusal of a ready-to-use form (`a header`, `a curl command`) of a DPoP-bound token. */
export function dpopRefusal(form: string, accountId: string): TokendeckError {
  return new TokendeckError(
    'unsupported',
    `This account's token is DPoP-bound (RFC 9449): every request needs a fresh proof signed by a key that stays in the vault, so ${form} would be refused by the API. Send requests with: tokendeck request ${accountId} <METHOD> <url>`,
    { details: { accountId, reason: 'dpop_bound' } },
  );
}

/** The note shown with a DPoP-bound token printed or copied as itself. */
export const DPOP_NOTE =
  'this token is DPoP-bound (RFC 9449): it works only with a fresh proof from its key for each request; tokendeck request and the console send one.';
