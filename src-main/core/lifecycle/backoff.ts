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
