import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import type { TokenSet } from '../model';
import { CR_LF_NUL } from '../providers';

/**
 * Wraps a pasted API key as a token that never expires.
 *
 * The key is trimmed; an empty key, or one with CR, LF or NUL (which could split a header), is
 * `invalid_input`. The key is registered with the log scrubber.
 */
export function apiKeyTokens(apiKey: string, now: number): TokenSet {
  const key = apiKey.trim();
  if (!key)
    throw new TokendeckError('invalid_input', 'The API key is empty.', {
      details: { field: 'apiKey' },
    });
  if (CR_LF_NUL.test(key)) {
    throw new TokendeckError('invalid_input', 'The API key contains a line break or NUL.', {
      details: { field: 'apiKey' },
    });
  }
  registerSecret(key);
  return { accessToken: key, tokenType: 'Bearer', expiresAt: null, receivedAt: now, scopes: [] };
}
