import { TokendeckError } from '../../src-main/core/errors';
import type { StoredAccount } from '../../src-main/core/model';
import {
  providerProfileSchema,
  type ProviderProfile,
  type ProviderProfileInput,
} from '../../src-main/core/providers/profile';
import type { ConsoleContext, TokenSource } from '../../src-main/core/console';

/** A call the fake token source answered. */
export interface TokenCall {
  accountId: string;
  minTtlMs?: number;
  rejectToken?: string;
}

/**
 * A token source that hands out `tokens` in order, one per call, and records the calls.
 *
 * The console takes its token source as an interface, so a fake stands in for the lifecycle;
 * the HTTP servers the tests talk to are real. Past the end of the list it keeps giving the last.
 */
export function countingTokenSource(tokens: string[]): TokenSource & { calls: TokenCall[] } {
  const calls: TokenCall[] = [];
  return {
    calls,
    async getFreshToken(accountId, options = {}) {
      calls.push({ accountId, minTtlMs: options.minTtlMs, rejectToken: options.rejectToken });
      return { accessToken: tokens[Math.min(calls.length - 1, tokens.length - 1)] };
    },
  };
}

/** A profile for the test server: API base `<origin>/api`, GraphQL at `<origin>/graphql`. */
export function testProfile(
  origin: string,
  overrides: Partial<ProviderProfileInput> = {},
): ProviderProfile {
  return providerProfileSchema.parse({
    id: 'test-provider',
    name: 'Test provider',
    grant: 'authorization_code',
    client: { registration: 'static', clientId: 'client-1', auth: 'none' },
    use: {
      headerName: 'Authorization',
      headerPrefix: 'Bearer',
      apiBase: `${origin}/api`,
      graphqlUrl: `${origin}/graphql`,
    },
    ...overrides,
  });
}

export function testAccount(id = 'acct-1', providerId = 'test-provider'): StoredAccount {
  return {
    id,
    providerId,
    subject: 'user-1',
    label: 'Test user',
    grant: 'authorization_code',
    tokenType: 'Bearer',
    scopes: [],
    expiresAt: null,
    receivedAt: 0,
    hasRefreshToken: true,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** A `context` lookup over a fixed set of accounts; anything else is `not_found`. */
export function contextLookup(
  ...contexts: ConsoleContext[]
): (accountId: string) => Promise<ConsoleContext> {
  return async (accountId) => {
    const found = contexts.find((ctx) => ctx.account.id === accountId);
    if (!found) throw new TokendeckError('not_found', 'No such account.');
    return found;
  };
}
