import type { PrivateJwk, StoredAccount } from '../model';
import type { ProviderProfile } from '../providers';
import type { HistoryEntry } from './types';

/** A token with less than this left is renewed before a console request or an inlined curl. */
export const CONSOLE_MIN_TTL_MS = 10_000;

/**
 * Where the console gets its tokens: the lifecycle's `getFreshToken`.
 *
 * The console asks for a token with at least `minTtlMs` left ({@link CONSOLE_MIN_TTL_MS}), and, after a
 * 401, once more with `rejectToken` set to the token the server refused, so the lifecycle renews
 * unless another caller already has.
 */
export interface TokenSource {
  getFreshToken(
    accountId: string,
    options?: { minTtlMs?: number; rejectToken?: string; signal?: AbortSignal },
  ): Promise<ConsoleToken>;
}

/** A token for the console: DPoP-bound when it comes with its key (RFC 9449). */
export interface ConsoleToken {
  accessToken: string;
  dpopKey?: PrivateJwk;
}

/** The account a request runs as, and its provider's profile. */
export interface ConsoleContext {
  account: StoredAccount;
  profile: ProviderProfile;
  /** The userinfo endpoint from the provider's discovered metadata, when it has one. */
  userinfoEndpoint?: string;
}

/**
 * Per-account request history.
 *
 * Entries may hold secrets the user typed (headers, bodies), so a real store keeps them
 * encrypted; see `createHistoryStore`.
 */
export interface HistoryStore {
  /** Adds an entry, keeping the last {@link HISTORY_LIMIT} (and a bounded number of bytes). */
  append(accountId: string, entry: HistoryEntry): Promise<void>;
  /** Newest first. */
  list(accountId: string): Promise<HistoryEntry[]>;
  clear(accountId: string): Promise<void>;
  /** Moves every entry of `fromAccountId` into `intoAccountId` (merging accounts), newest first. */
  absorb(intoAccountId: string, fromAccountId: string): Promise<void>;
}

/** How many entries each account's history keeps. */
export const HISTORY_LIMIT = 200;
