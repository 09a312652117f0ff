import type { TokendeckError } from '../errors';
import type { AccountStatus, PrivateJwk, StoredAccount, StoredTokens, TokenSet } from '../model';
import type { RuntimeFacts } from './account-status';
import { renewalDueAt, usableExpiry } from './renewal-due';

/** The least life a token must have left when the caller names no minimum. */
export const DEFAULT_MIN_TTL_MS = 60_000;

/** A token that is safe to use now, and the account it belongs to. */
export interface FreshToken {
  accessToken: string;
  tokenType: string;
  /** The key the token is bound to by DPoP (RFC 9449); each use needs a proof made with it. */
  dpopKey?: PrivateJwk;
  /** The real expiry (epoch ms), without the skew allowance; null when it never expires. */
  expiresAt: number | null;
  account: StoredAccount;
}

/** What the token manager knows of one account beyond its stored record. */
export interface Entry {
  id: string;
  /** The last stored record seen; null until loaded. */
  account: StoredAccount | null;
  /** The jittered due time, fixed per token generation so re-checks do not re-roll it. */
  due: { generation: string; at: number | null } | null;
  /** Waiting for a provider slot or running. */
  busy: boolean;
  refreshing: boolean;
  attempt: number;
  failure: { reason: string; retryAt: number; rateLimited: boolean; error: TokendeckError } | null;
  blocked: {
    state: 'needs-reauth' | 'expired';
    reason: string;
    cause: 'tampered' | 'cannot_renew';
  } | null;
  /** A renewal the provider answered but the vault did not take: saved, never renewed, on retry. */
  unsaved: { generation: string; replacing: string; tokens: TokenSet } | null;
  last: AccountStatus | null;
}

export function newEntry(id: string): Entry {
  return {
    id,
    account: null,
    due: null,
    busy: false,
    refreshing: false,
    attempt: 0,
    failure: null,
    blocked: null,
    unsaved: null,
    last: null,
  };
}

/** Takes a freshly read record as the truth; a new token generation resets failure state. */
export function observeRecord(entry: Entry, account: StoredAccount): void {
  const previous = entry.account;
  entry.account = account;
  if (entry.blocked?.cause === 'tampered') entry.blocked = null;
  if (previous && generation(previous) !== generation(account)) {
    entry.failure = null;
    entry.attempt = 0;
    entry.blocked = null;
  }
}

/** Identifies one issued token: a renewal always changes it. */
export function generation(account: StoredAccount): string {
  return `${account.receivedAt}:${account.expiresAt ?? 'never'}`;
}

export function entryFacts(entry: Entry, dueAt: number | null): RuntimeFacts {
  const failure = entry.failure
    ? { reason: entry.failure.reason, retryAt: entry.failure.retryAt }
    : null;
  return { refreshing: entry.refreshing, failure, blocked: entry.blocked, dueAt };
}

export function emptyFacts(dueAt: number | null): RuntimeFacts {
  return { refreshing: false, failure: null, blocked: null, dueAt };
}

export function toFresh(account: StoredAccount, tokens: StoredTokens): FreshToken {
  return {
    accessToken: tokens.accessToken,
    tokenType: account.tokenType,
    ...(tokens.dpopKey ? { dpopKey: tokens.dpopKey } : {}),
    expiresAt: account.expiresAt,
    account,
  };
}

/** When renewal of this token is due, planned on its usable expiry. */
export function plannedDue(
  account: StoredAccount,
  now: number,
  skewMs: number,
  random: () => number,
): number | null {
  const expiresAt = usableExpiry(account, skewMs);
  return renewalDueAt({ expiresAt, receivedAt: account.receivedAt }, now, random);
}

/** The jittered due time of the entry's current token, rolled once per token generation. */
export function entryDue(
  entry: Entry,
  account: StoredAccount,
  now: number,
  skewMs: number,
  random: () => number,
): number | null {
  const gen = generation(account);
  if (entry.due?.generation !== gen) {
    entry.due = { generation: gen, at: plannedDue(account, now, skewMs, random) };
  }
  return entry.due.at;
}

/** Milliseconds the token stays usable, skew allowance taken off; Infinity when it never expires. */
export function remainingMs(account: StoredAccount, now: number, skewMs: number): number {
  const expiry = usableExpiry(account, skewMs);
  return expiry === null ? Number.POSITIVE_INFINITY : expiry - now;
}

/**
 * The default minimum TTL, capped at half the token's usable lifetime.
 *
 * Without the cap, a provider issuing tokens shorter than the default would be asked for a new
 * one on every call. A minimum the caller names (`tokendeck token --min-ttl`) is honoured as
 * asked: the caller said how much life the token must have.
 */
export function defaultMinTtl(account: StoredAccount, skewMs: number): number {
  const expiry = usableExpiry(account, skewMs);
  if (expiry === null) return DEFAULT_MIN_TTL_MS;
  return Math.min(DEFAULT_MIN_TTL_MS, Math.max(0, expiry - account.receivedAt) / 2);
}
