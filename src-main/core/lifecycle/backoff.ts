import { jitterFactor } from './renewal-due';

/** How long to wait before retrying a failed renewal. */
export interface BackoffBounds {
  /** The first wait; it doubles with every further failure. */
  initialMs: number;
  /** The longest wait the doubling reaches. A server's Retry-After may ask for longer. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffBounds = { initialMs: 30_000, maxMs: 3_600_000 };

/**
 * The wait before retry number `attempt` (1 for the first failure).
 *
 * Exponential: `initialMs` doubling with each attempt, capped at `maxMs`, with ±10% jitter that
 * never goes past the cap. When the server sent `Retry-After` (RFC 9110 § 10.2.3) the larger of the
 * two wins, so Tokendeck never retries sooner than the server asked.
 */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  bounds: BackoffBounds = DEFAULT_BACKOFF,
): number {
  const step = Math.max(1, Math.floor(attempt)) - 1;
  const base = Math.min(bounds.maxMs, bounds.initialMs * 2 ** Math.min(step, 60));
  const delay = Math.round(Math.min(bounds.maxMs, base * jitterFactor(random)));
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > delay) {
    return Math.ceil(retryAfterMs);
  }
  return delay;
}

/** The shortest wait {@link retryBeforeExpiry} shortens a retry to, so a failing server is never hammered. */
export const MIN_EARLY_RETRY_MS = 5_000;

/**
 * When to retry a failed renewal of a token that is still usable.
 *
 * The backoff alone lets one transient failure expire a short-lived token: a token with 40 s
 * left and a 30 s first wait is retried with 10 s to spare, and a second failure loses it. So
 * while the token is usable, a retry that would land past its usable expiry is brought forward
 * to halfway there, never sooner than {@link MIN_EARLY_RETRY_MS}. Halving bounds the extra tries
 * to a handful per token. A server that asked to slow down (a 429, or any Retry-After, RFC 9110
 * § 10.2.3) is never asked sooner, and a token with no expiry, or already past it, keeps the
 * plain backoff.
 */
export function retryBeforeExpiry(
  now: number,
  delayMs: number,
  usableUntil: number | null,
  serverAskedToWait: boolean,
): number {
  const plain = now + delayMs;
  if (serverAskedToWait || usableUntil === null || plain < usableUntil) return plain;
  const left = usableUntil - now;
  if (left <= MIN_EARLY_RETRY_MS) return plain;
  return now + Math.max(MIN_EARLY_RETRY_MS, Math.floor(left / 2));
}
