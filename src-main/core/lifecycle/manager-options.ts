import type { Logger } from '../log';
import type { StoredAccount, StoredTokens, TokenSet } from '../model';
import type { Clock, PowerEvents } from '../ports';
import type { BackoffBounds } from './backoff';
import type { LifecycleStore } from './lifecycle-store';
import type { TimerApi } from './timer-api';

/**
 * Gets a new token for an account, without the user.
 *
 * The refresh_token grant (RFC 6749 § 6), or the client credentials grant run again.
 * Throws `TokendeckError`: `invalid_grant`/`invalid_client` (the user must connect again),
 * `cannot_renew`, `rate_limited` (details.retryAfterMs), `token_endpoint_error`
 * (details.transient, details.status), `network_error` or `timeout`.
 */
export type Renewer = (
  account: StoredAccount,
  tokens: StoredTokens,
  signal: AbortSignal,
) => Promise<TokenSet>;

export interface TokenManagerOptions {
  store: LifecycleStore;
  renew: Renewer;
  clock?: Clock;
  /** Default: the global timers, looked up at call time so fake timers apply. */
  timers?: TimerApi;
  /** Default: Math.random. Drives the jitter on due times and backoff. */
  random?: () => number;
  logger?: Logger;
  /** When given, every account is re-checked on resume from sleep. */
  power?: PowerEvents;
  /** Renewals running at once against one provider; default 4. */
  maxConcurrentPerProvider?: number;
  /** Taken off every token's lifetime to allow for clock skew; default 30 s. */
  skewMs?: number;
  /** Waits between retries of a failed renewal; default 30 s doubling up to 1 h. */
  backoff?: BackoffBounds;
  /** Renew ahead of expiry on timers (the app); false renews only on demand (the CLI). Default true. */
  schedule?: boolean;
}

export interface GetFreshTokenOptions {
  /** The token must stay valid at least this long, skew allowance included; default 60 s. */
  minTtlMs?: number;
  /** The caller got a 401 with this token: renew unless the stored token already differs. */
  rejectToken?: string;
  /** Stops this caller's wait; a renewal other callers share keeps going and is saved. */
  signal?: AbortSignal;
}

export const DEFAULT_SKEW_MS = 30_000;
export const DEFAULT_MAX_CONCURRENT_PER_PROVIDER = 4;
