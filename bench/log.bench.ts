import { randomBytes } from 'node:crypto';
import { beforeAll, bench, describe } from 'vitest';
import { TokendeckError } from '../src-main/core/errors';
import { createLogger, redact, redactString, registerSecret } from '../src-main/core/log';
import { ensure } from './bench-fixtures';

/**
 * The redacting logger: masking a fields object, and scrubbing registered secrets from a line.
 *
 * Fifty secrets are registered first (the scrubber keeps every token the core has handled, so a
 * running app has at least this many), and every bench here runs with them.
 */
const SECRETS = 50;
const secrets = Array.from({ length: SECRETS }, () => randomBytes(24).toString('base64url'));

/** What a flow logs when a token request fails: secret keys, a callback URL, an error, arrays. */
const flowFields = {
  provider: 'github',
  accountId: 'acct-7',
  grant: 'authorization_code',
  redirect: 'http://127.0.0.1:53682/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj',
  status: 400,
  attempt: 2,
  retryAt: 1_767_225_600_000,
  scopes: ['read:user', 'repo', 'offline_access'],
  request: {
    method: 'POST',
    url: 'https://github.com/login/oauth/access_token',
    headers: { authorization: 'Basic Y2xpZW50OnNlY3JldA==', 'content-type': 'application/json' },
    body: { grant_type: 'refresh_token', refresh_token: 'rt-not-registered-0001', client_id: 'c1' },
  },
  error: new TokendeckError('token_endpoint_error', 'The token endpoint answered 400.', {
    details: { status: 400 },
  }),
};

/** About 1 KB of log text, with none of the registered secrets in it. */
const cleanLine = [
  JSON.stringify({
    t: '2026-01-01T00:00:00.000Z',
    level: 'info',
    msg: 'console request',
    method: 'GET',
    origin: 'https://api.example.com',
    status: 200,
    totalMs: 84.2,
  }),
  'lorem ipsum dolor sit amet '.repeat(40),
]
  .join(' ')
  .slice(0, 1024);
/** The same line with two registered secrets in it (one twice). */
const dirtyLine = `${cleanLine.slice(0, 900)} ${secrets[3]} ${secrets[41]} ${secrets[3]}`;

beforeAll(() => {
  for (const secret of secrets) registerSecret(secret);
});

const lines: string[] = [];
const logger = createLogger({ level: 'info', sink: (line) => lines.push(line) });

describe(`redaction, ${SECRETS} secrets registered`, () => {
  bench(
    'redact(): a flow-log fields object',
    () => {
      const out = redact(flowFields) as { request: { headers: { authorization: string } } };
      ensure(out.request.headers.authorization === '[redacted]', 'the header was masked');
    },
    { time: 1_000 },
  );

  bench(
    'redactString(): 1 KB line, no secret in it',
    () => {
      ensure(redactString(cleanLine).length === cleanLine.length, 'nothing to scrub');
    },
    { time: 1_000 },
  );

  bench(
    'redactString(): 1 KB line, 2 secrets in it',
    () => {
      ensure(!redactString(dirtyLine).includes(secrets[3]), 'the secrets were scrubbed');
    },
    { time: 1_000 },
  );

  bench(
    'createLogger().warn(): the fields object to a JSON line (sink, no file)',
    () => {
      lines.length = 0;
      logger.warn('token request failed', flowFields);
      ensure(lines.length === 1, 'one line written');
    },
    { time: 1_000 },
  );
});
