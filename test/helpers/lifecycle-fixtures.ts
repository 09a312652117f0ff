import type { StoredAccount, StoredTokens, TokenSet } from '../../src-main/core/model';
import type { AccountStatus } from '../../src-main/core/model';
import type { PowerEvents } from '../../src-main/core/ports';

/** Shared builders for the lifecycle tests. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** An authorization-code account with a refresh token, valid for an hour from `receivedAt`. */
export function makeAccount(overrides: Partial<StoredAccount> = {}): StoredAccount {
  const receivedAt = overrides.receivedAt ?? Date.now();
  return {
    id: 'acct-1',
    providerId: 'provider-a',
    subject: 'user-1',
    label: 'Test account',
    grant: 'authorization_code',
    tokenType: 'Bearer',
    scopes: ['read'],
    expiresAt: receivedAt + HOUR,
    receivedAt,
    hasRefreshToken: true,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    ...overrides,
  };
}

export function makeTokens(tag = 'v1'): StoredTokens {
  return { accessToken: `access-${tag}`, refreshToken: `refresh-${tag}` };
}

/** The TokenSet a renewal at `now` returns, valid for `lifetimeMs`. */
export function makeTokenSet(now: number, tag: string, lifetimeMs = HOUR): TokenSet {
  return {
    accessToken: `access-${tag}`,
    refreshToken: `refresh-${tag}`,
    tokenType: 'Bearer',
    expiresAt: now + lifetimeMs,
    receivedAt: now,
    scopes: ['read'],
  };
}

/** Power events a test fires by hand. */
export function createManualPower(): PowerEvents & { resume(): void; listeners: number } {
  const listeners = new Set<() => void>();
  return {
    onResume(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resume() {
      for (const listener of [...listeners]) listener();
    },
    get listeners() {
      return listeners.size;
    },
  };
}

/** Records every status a manager emits, per account. */
export function recordStatuses(): {
  listener: (accountId: string, status: AccountStatus) => void;
  states: (accountId: string) => string[];
  all: Array<{ accountId: string; status: AccountStatus }>;
} {
  const all: Array<{ accountId: string; status: AccountStatus }> = [];
  return {
    all,
    listener: (accountId, status) => all.push({ accountId, status }),
    states: (accountId) => all.filter((e) => e.accountId === accountId).map((e) => e.status.state),
  };
}

/** A promise with its resolve and reject exposed. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
