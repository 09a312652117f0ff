import { assertNever } from '../errors';
import type { AccountStatus, StoredAccount } from '../model';
import { usableExpiry } from './renewal-due';

/** What the token manager knows about an account beyond its stored record. */
export interface RuntimeFacts {
  /** A renewal holds a provider slot and is running. */
  refreshing: boolean;
  /** The last renewal failed transiently; retrying at `retryAt`. */
  failure: { reason: string; retryAt: number | null } | null;
  /** Renewal cannot go on without the user, for a reason the stored record does not show. */
  blocked: { state: 'needs-reauth' | 'expired'; reason: string } | null;
  /** When renewal of the current token is due (jittered); null for a token that never expires. */
  dueAt: number | null;
}

export const STATUS_REASONS = {
  unknown: 'Tokendeck has not checked this account yet.',
  refreshing: 'Renewing the token now.',
  noExpiry: 'This token does not expire.',
  fresh: 'The token is valid.',
  expiringRenewable: 'The token expires soon and will be renewed automatically.',
  expiredRenewable: 'The token has expired and will be renewed automatically.',
  expiringManual:
    'The token expires soon and cannot be renewed automatically. Connect the account again to keep using it.',
  expiredManual:
    'The token has expired and cannot be renewed without you. Connect the account again.',
} as const;

/**
 * Whether Tokendeck can get a new token for this account without the user.
 *
 * A client credentials grant is simply run again; a token-exchange child exchanges its parent's
 * token again; a sign-in (authorization code, device) needs its refresh token; an API key is
 * never renewed.
 */
export function isRenewable(account: StoredAccount): boolean {
  if (account.exchange) return true;
  switch (account.grant) {
    case 'client_credentials':
      return true;
    case 'authorization_code':
    case 'device_code':
      return account.hasRefreshToken;
    case 'api_key':
      return false;
    default:
      return assertNever(account.grant, 'grant type');
  }
}

/**
 * The status shown for an account: its state and one plain sentence why.
 *
 * Refusals recorded on the account come first, then what is happening now (a renewal in flight, a
 * failure being retried), then what the clock says about the token, with the skew allowance
 * taken off its lifetime.
 */
export function computeStatus(
  account: StoredAccount,
  facts: RuntimeFacts,
  now: number,
  skewMs: number,
): AccountStatus {
  if (account.reauthReason !== undefined) {
    return {
      state: 'needs-reauth',
      reason: account.reauthReason,
      nextRenewalAt: null,
      retryAt: null,
    };
  }
  if (facts.blocked?.state === 'needs-reauth') {
    return {
      state: 'needs-reauth',
      reason: facts.blocked.reason,
      nextRenewalAt: null,
      retryAt: null,
    };
  }
  if (facts.refreshing) {
    return {
      state: 'refreshing',
      reason: STATUS_REASONS.refreshing,
      nextRenewalAt: null,
      retryAt: null,
    };
  }
  if (facts.failure) {
    const { reason, retryAt } = facts.failure;
    return { state: 'error', reason, nextRenewalAt: retryAt, retryAt };
  }
  if (facts.blocked?.state === 'expired') {
    return { state: 'expired', reason: facts.blocked.reason, nextRenewalAt: null, retryAt: null };
  }
  const expiry = usableExpiry(account, skewMs);
  if (expiry === null) {
    return {
      state: 'no-expiry',
      reason: STATUS_REASONS.noExpiry,
      nextRenewalAt: null,
      retryAt: null,
    };
  }
  const renewable = isRenewable(account);
  const nextRenewalAt = renewable ? facts.dueAt : null;
  if (now >= expiry) {
    return renewable
      ? { state: 'expiring', reason: STATUS_REASONS.expiredRenewable, nextRenewalAt, retryAt: null }
      : {
          state: 'expired',
          reason: STATUS_REASONS.expiredManual,
          nextRenewalAt: null,
          retryAt: null,
        };
  }
  if (facts.dueAt !== null && now >= facts.dueAt) {
    const reason = renewable ? STATUS_REASONS.expiringRenewable : STATUS_REASONS.expiringManual;
    return { state: 'expiring', reason, nextRenewalAt, retryAt: null };
  }
  return { state: 'fresh', reason: STATUS_REASONS.fresh, nextRenewalAt, retryAt: null };
}

/** True when two statuses would look the same to the user. */
export function sameStatus(a: AccountStatus | null, b: AccountStatus): boolean {
  return (
    a !== null &&
    a.state === b.state &&
    a.reason === b.reason &&
    (a.nextRenewalAt ?? null) === (b.nextRenewalAt ?? null) &&
    (a.retryAt ?? null) === (b.retryAt ?? null)
  );
}
