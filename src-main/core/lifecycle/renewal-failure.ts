import { TokendeckError, assertNever, isTokendeckError } from '../errors';
import type { Logger } from '../log';
import type { Entry } from './account-entry';
import { STATUS_REASONS } from './account-status';
import type { LifecycleStore } from './lifecycle-store';

/**
 * What a failed renewal means for the account.
 *
 * - `needs-reauth`: the provider refused the grant or the client; recorded on the account, no retry.
 * - `reauth-recorded`: the account already carries a refusal; nothing new to record.
 * - `tampered`: the token record cannot be read; the user must connect again. No retry.
 * - `cannot-renew`: there is no way to renew without the user; the state becomes `expired`.
 * - `gone`: the account was removed meanwhile.
 * - `transient`: network, 5xx, 429, a busy lock or a failed save; retried with backoff.
 */
export type FailureKind =
  'needs-reauth' | 'reauth-recorded' | 'tampered' | 'cannot-renew' | 'gone' | 'transient';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** The error callers receive. */
  error: TokendeckError;
  /** One plain sentence for the user. */
  reason: string;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
  /** A 429: on-demand callers wait out the retry time instead of asking again. */
  rateLimited: boolean;
}

/** The status reason while a renewal the provider answered is not yet saved. */
export const SAVE_FAILED_REASON =
  'The renewed token could not be saved to the vault, so it is not being used. Tokendeck will try saving it again; check that the disk is writable.';

/** The status reason when an account's token record fails its integrity check. */
export const TAMPERED_REASON =
  "This account's stored tokens failed their integrity check and cannot be used. Connect the account again.";

/**
 * Sorts an error from the renewer, the store or the lock into what it means for the account.
 *
 * `token_endpoint_error` is retried with backoff even when `details.transient` is false: an
 * answer the flows could not name is no proof the grant is gone, so it does not make the user
 * reconnect, and the capped backoff keeps the cost to one request an hour.
 */
export function classifyRenewalFailure(thrown: unknown): ClassifiedFailure {
  const error = isTokendeckError(thrown)
    ? thrown
    : new TokendeckError('internal', 'Renewal failed unexpectedly.', { cause: thrown });
  const base = { error, rateLimited: false };
  switch (error.code) {
    case 'invalid_grant':
      return {
        ...base,
        kind: 'needs-reauth',
        // A token-exchange child whose parent needs the user says so (see exchanges.ts).
        reason:
          typeof error.details.parentId === 'string'
            ? error.message
            : 'The provider refused to renew the token (invalid_grant): access was revoked or has run out. Connect the account again.',
      };
    case 'invalid_client':
      return {
        ...base,
        kind: 'needs-reauth',
        reason:
          "The provider no longer accepts this app's client (invalid_client). Check the provider settings, then connect the account again.",
      };
    case 'needs_reauth':
      return { ...base, kind: 'reauth-recorded', reason: error.message };
    case 'token_response_invalid':
      if (error.details.reason === 'token_type_changed') {
        return { ...base, kind: 'needs-reauth', reason: error.message };
      }
      return {
        ...base,
        kind: 'transient',
        reason: 'Renewal failed unexpectedly; it will be retried automatically.',
      };
    case 'vault_record_tampered':
      return { ...base, kind: 'tampered', reason: TAMPERED_REASON };
    case 'cannot_renew':
      return {
        ...base,
        kind: 'cannot-renew',
        reason: 'The token cannot be renewed without you. Connect the account again.',
      };
    case 'not_found':
      return { ...base, kind: 'gone', reason: 'This account no longer exists.' };
    case 'rate_limited':
      return {
        ...base,
        kind: 'transient',
        rateLimited: true,
        retryAfterMs: numberDetail(error, 'retryAfterMs'),
        reason: 'The provider asked Tokendeck to slow down; renewal will be retried automatically.',
      };
    case 'token_endpoint_error': {
      const status = numberDetail(error, 'status');
      const what = status === undefined ? 'failed' : `failed (HTTP ${status})`;
      return {
        ...base,
        kind: 'transient',
        retryAfterMs: numberDetail(error, 'retryAfterMs'),
        reason: `The provider's token endpoint ${what}; renewal will be retried automatically.`,
      };
    }
    case 'network_error':
      return {
        ...base,
        kind: 'transient',
        reason: 'The provider could not be reached; renewal will be retried automatically.',
      };
    case 'timeout':
      return {
        ...base,
        kind: 'transient',
        reason: 'The provider did not answer in time; renewal will be retried automatically.',
      };
    case 'vault_write_failed':
      return { ...base, kind: 'transient', reason: SAVE_FAILED_REASON };
    case 'vault_lock_lost':
      return {
        ...base,
        kind: 'transient',
        reason:
          'Another Tokendeck process took over this renewal while this one was stalled; it will be retried automatically.',
      };
    case 'vault_lock_timeout':
      return {
        ...base,
        kind: 'transient',
        reason:
          'Another Tokendeck process kept this account busy for too long; renewal will be retried automatically.',
      };
    default:
      return {
        ...base,
        kind: 'transient',
        reason: 'Renewal failed unexpectedly; it will be retried automatically.',
      };
  }
}

/** What {@link recordFailure} needs from the token manager. */
export interface FailureContext {
  store: Pick<LifecycleStore, 'markNeedsReauth'>;
  logger: Logger;
  untrack(accountId: string): void;
  /** When the given attempt is retried, with the server's Retry-After if it sent one. */
  retryAt(attempt: number, retryAfterMs: number | undefined, rateLimited: boolean): number;
}

/**
 * Records what a failed renewal means for the account, and returns the error callers get.
 *
 * A refusal is written to the account (and only logged if that write fails too); a transient
 * failure schedules a retry with backoff; a gone account is forgotten.
 */
export async function recordFailure(
  entry: Entry,
  thrown: unknown,
  ctx: FailureContext,
): Promise<TokendeckError> {
  const failure = classifyRenewalFailure(thrown);
  const code = failure.error.code;
  switch (failure.kind) {
    case 'needs-reauth': {
      entry.failure = null;
      entry.attempt = 0;
      if (entry.account) entry.account = { ...entry.account, reauthReason: failure.reason };
      try {
        await ctx.store.markNeedsReauth(entry.id, failure.reason);
      } catch (error) {
        ctx.logger.error('Could not record that the account needs reconnecting', {
          accountId: entry.id,
          error,
        });
      }
      ctx.logger.warn('Renewal refused; the account needs reconnecting', {
        accountId: entry.id,
        code,
      });
      return needsReauth(failure.reason, failure.error);
    }
    case 'reauth-recorded':
      entry.failure = null;
      return failure.error;
    case 'tampered':
      entry.failure = null;
      entry.blocked = { state: 'needs-reauth', reason: failure.reason, cause: 'tampered' };
      ctx.logger.error('Token record failed its integrity check', { accountId: entry.id });
      return needsReauth(failure.reason, failure.error);
    case 'cannot-renew':
      entry.failure = null;
      entry.blocked = { state: 'expired', reason: failure.reason, cause: 'cannot_renew' };
      return failure.error;
    case 'gone':
      ctx.untrack(entry.id);
      return failure.error;
    case 'transient': {
      entry.attempt += 1;
      const retryAt = ctx.retryAt(entry.attempt, failure.retryAfterMs, failure.rateLimited);
      const reason = entry.unsaved ? SAVE_FAILED_REASON : failure.reason;
      entry.failure = { reason, retryAt, rateLimited: failure.rateLimited, error: failure.error };
      ctx.logger.warn('Renewal failed; will retry', {
        accountId: entry.id,
        code,
        attempt: entry.attempt,
        retryAt,
      });
      return failure.error;
    }
    default:
      return assertNever(failure.kind, 'failure kind');
  }
}

/**
 * The error when the provider answered but its answer could not be saved (SECURITY 51).
 *
 * Said plainly, never as a generic error: the tokens exist at the provider but not here. An
 * account removed meanwhile (`not_found`), a lock held too long (`vault_lock_timeout`) or taken
 * over by another process (`vault_lock_lost`, a fenced write) keep their own errors, which the
 * lifecycle already handles; anything else is `vault_write_failed` naming why.
 */
export function saveFailure(thrown: unknown): TokendeckError {
  if (
    isTokendeckError(thrown) &&
    (thrown.code === 'not_found' ||
      thrown.code === 'vault_lock_timeout' ||
      thrown.code === 'vault_lock_lost')
  ) {
    return thrown;
  }
  const errno = isTokendeckError(thrown)
    ? thrown.details.errno
    : (thrown as NodeJS.ErrnoException | undefined)?.code;
  const what = thrown instanceof Error ? thrown.message.replace(/\.$/, '') : String(thrown);
  return new TokendeckError(
    'vault_write_failed',
    `The provider issued new tokens, but they could not be saved (${what}${typeof errno === 'string' ? `: ${errno}` : ''}); this account must connect again.`,
    { cause: thrown, details: { errno: typeof errno === 'string' ? errno : null } },
  );
}

function numberDetail(error: TokendeckError, key: string): number | undefined {
  const value = error.details[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The error of an account that needs connecting again; the reason names what to do. */
export function needsReauth(reason: string, cause?: TokendeckError): TokendeckError {
  const message = /connect/i.test(reason) ? reason : `${reason} Connect the account again.`;
  return new TokendeckError('needs_reauth', message, {
    cause,
    details: cause ? { cause: cause.code } : {},
  });
}

/** The error of an expired token that only the user can replace. */
export function cannotRenew(accountId: string): TokendeckError {
  return new TokendeckError('cannot_renew', STATUS_REASONS.expiredManual, {
    details: { accountId },
  });
}

/** The error of a caller that stopped waiting for its token. */
export function tokenRequestCancelled(): TokendeckError {
  return new TokendeckError('cancelled', 'The request for a token was cancelled.');
}
