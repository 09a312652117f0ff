import type { StoredAccount } from '../model';

/** The largest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Renewal never starts later than this before expiry. */
export const MIN_RENEWAL_LEAD_MS = 60_000;

/** Renewal starts this share of the lifetime before expiry, when that is more than the minimum. */
export const RENEWAL_LEAD_FRACTION = 0.1;

/** The lead is spread by up to this share either way, so accounts connected together renew apart. */
export const RENEWAL_JITTER_FRACTION = 0.1;

/**
 * When the scheduler starts renewing a token.
 *
 * Renewal starts max(60 s, 10% of the lifetime) before expiry, with ±10% jitter on that lead
 * (random 0 gives the shortest lead, random 1 the longest), and never before `now`. The lifetime is
 * `expiresAt - receivedAt`, both local times, so a skewed server clock does not matter. One guard
 * goes beyond that formula: renewal never starts before half the lifetime has passed, so a token
 * that lives under about two minutes is not renewed again the moment it arrives. Returns null for a
 * token that never expires.
 */
export function renewalDueAt(
  account: Pick<StoredAccount, 'expiresAt' | 'receivedAt'>,
  now: number,
  random: () => number,
): number | null {
  if (account.expiresAt === null) return null;
  const lifetime = Math.max(0, account.expiresAt - account.receivedAt);
  const lead = renewalLead(lifetime) * jitterFactor(random);
  const due = Math.max(account.expiresAt - lead, account.receivedAt + lifetime / 2);
  return Math.max(now, Math.round(due));
}

/** The unjittered lead: how long before expiry renewal is due. */
export function renewalLead(lifetimeMs: number): number {
  return Math.max(MIN_RENEWAL_LEAD_MS, RENEWAL_LEAD_FRACTION * Math.max(0, lifetimeMs));
}

/**
 * The expiry the lifecycle plans with: the real expiry minus the skew allowance.
 *
 * The allowance never takes more than a quarter of the lifetime, so a short-lived token stays
 * usable for most of its life. Null for a token that never expires.
 */
export function usableExpiry(
  account: Pick<StoredAccount, 'expiresAt' | 'receivedAt'>,
  skewMs: number,
): number | null {
  if (account.expiresAt === null) return null;
  const lifetime = Math.max(0, account.expiresAt - account.receivedAt);
  return account.expiresAt - Math.min(Math.max(0, skewMs), lifetime / 4);
}

/** A factor in [1 - J, 1 + J] from a random number in [0, 1]. */
export function jitterFactor(random: () => number): number {
  const r = Math.min(1, Math.max(0, random()));
  return 1 - RENEWAL_JITTER_FRACTION + 2 * RENEWAL_JITTER_FRACTION * r;
}
