import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import type { TokenSet } from '../model';

/**
 * Wraps a pasted API key as a token that never expires.
 *
 * The key is trimmed; an empty key, or one holding whitespace or control characters (CR or LF
 * could split a header, and none belongs in a key), is `invalid_input` (SECURITY 50). The key is registered with the log scrubber.
 */
export function apiKeyTokens(apiKey: string, now: number): TokenSet {
  const key = apiKey.trim();
  if (!key)
    throw new TokendeckError('invalid_input', 'The API key is empty.', {
      details: { field: 'apiKey' },
    });
  if (/[\s\p{Cc}]/u.test(key)) {
    throw new TokendeckError(
      'invalid_input',
      'The API key holds whitespace or control characters; paste the key alone.',
      { details: { field: 'apiKey' } },
    );
  }
  registerSecret(key);
  return { accessToken: key, tokenType: 'Bearer', expiresAt: null, receivedAt: now, scopes: [] };
}
