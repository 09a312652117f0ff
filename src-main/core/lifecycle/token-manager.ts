import { raceAbort } from '../abort';
import { TokendeckError, assertNever, isTokendeckError } from '../errors';
import { nullLogger, type Logger } from '../log';
import type { AccountStatus, StoredAccount, StoredTokens, TokenSet } from '../model';
import { systemClock, type Clock, type PowerEvents } from '../ports';
import {
  computeStatus,
  isRenewable,
  sameStatus,
  STATUS_REASONS,
  type RuntimeFacts,
} from './account-status';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffBounds } from './backoff';
import { KeyedSemaphore } from './keyed-semaphore';
import type { LifecycleStore } from './lifecycle-store';
import {
  classifyRenewalFailure,
  SAVE_FAILED_REASON,
  saveFailure,
  TAMPERED_REASON,
} from './renewal-failure';
import { MAX_TIMER_MS, renewalDueAt, usableExpiry } from './renewal-due';
import { globalTimers, type TimerApi } from './timer-api';

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

/** A token that is safe to use now, and the account it belongs to. */
export interface FreshToken {
  accessToken: string;
  tokenType: string;
  /** The real expiry (epoch ms), without the skew allowance; null when it never expires. */
  expiresAt: number | null;
  account: StoredAccount;
}

export interface GetFreshTokenOptions {
  /** The token must stay valid at least this long, skew allowance included; default 60 s. */
  minTtlMs?: number;
  /** The caller got a 401 with this token: renew unless the stored token already differs. */
  rejectToken?: string;
  /** Stops this caller's wait; a renewal other callers share keeps going and is saved. */
  signal?: AbortSignal;
}

export const DEFAULT_MIN_TTL_MS = 60_000;
export const DEFAULT_SKEW_MS = 30_000;
export const DEFAULT_MAX_CONCURRENT_PER_PROVIDER = 4;

/** Why a renewal runs, which decides, under the lock, whether it is still needed. */
type RenewalPlan =
  | { mode: 'demand'; minTtlMs: number; rejectToken: string | undefined }
  | { mode: 'scheduled'; generation: string };

interface Entry {
  id: string;
  /** The last stored record seen; null until loaded. */
  account: StoredAccount | null;
  /** The jittered due time, fixed per token generation so re-checks do not re-roll it. */
  due: { generation: string; at: number | null } | null;
  timer: unknown;
  timerAt: number | null;
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

/**
 * Keeps every account's token fresh, and is the one way anyone gets a token.
 *
 * - Scheduling: one timer per account at its due time, clamped to the timer maximum and re-armed
 *   when a clamped timer fires early. No polling loop. Failures back off exponentially and honour
 *   Retry-After; refusals stop retrying.
 * - Single flight: per account one renewal at a time in this process, per provider at most
 *   `maxConcurrentPerProvider`, and across processes `store.withRenewLock`. Inside the lock the
 *   account is read again; when another process already renewed it, that result is used and the
 *   rotated-away refresh token is never sent (a reuse would revoke the grant, RFC 9700 § 4.14.2).
 * - Rotation safety: the new tokens are saved, durably, before any caller sees them. When saving
 *   fails the state is `error`, callers get the error, and the next attempt retries the save
 *   instead of spending the old refresh token again.
 */
export class TokenManager {
  private readonly store: LifecycleStore;
  private readonly renewer: Renewer;
  private readonly clock: Clock;
  private readonly timers: TimerApi;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly power: PowerEvents | undefined;
  private readonly skewMs: number;
  private readonly backoff: BackoffBounds;
  private readonly schedule: boolean;
  private readonly providers: KeyedSemaphore;
  private readonly entries = new Map<string, Entry>();
  private readonly renewals = new Map<string, Promise<FreshToken>>();
  private readonly loads = new Map<
    string,
    Promise<{ account: StoredAccount; tokens: StoredTokens }>
  >();
  private readonly listeners = new Set<(accountId: string, status: AccountStatus) => void>();
  private running = false;
  private unsubscribePower: (() => void) | null = null;
  private abort = new AbortController();

  constructor(options: TokenManagerOptions) {
    this.store = options.store;
    this.renewer = options.renew;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? globalTimers;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? nullLogger;
    this.power = options.power;
    this.skewMs = options.skewMs ?? DEFAULT_SKEW_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.schedule = options.schedule ?? true;
    this.providers = new KeyedSemaphore(
      options.maxConcurrentPerProvider ?? DEFAULT_MAX_CONCURRENT_PER_PROVIDER,
    );
  }

  /** Loads all accounts and arms their timers (when scheduling); subscribes to power resume. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    if (this.power && !this.unsubscribePower) {
      this.unsubscribePower = this.power.onResume(() => {
        this.recheckAll().catch((error: unknown) =>
          this.logger.warn('Re-checking accounts after resume failed', { error }),
        );
      });
    }
    await this.recheckAll();
  }

  /**
   * Clears every timer and listener.
   *
   * Renewal requests still in flight are aborted through their signal; one the provider already
   * answered is still saved.
   */
  stop(): void {
    this.running = false;
    this.unsubscribePower?.();
    this.unsubscribePower = null;
    for (const entry of this.entries.values()) this.disarm(entry);
    this.abort.abort(new TokendeckError('cancelled', 'The token manager stopped.'));
  }

  /**
   * The way to get a token.
   *
   * Returns the stored token when it has more than `minTtlMs` left (after the skew allowance);
   * otherwise renews, once per account however many callers ask at the same time. With
   * `rejectToken` it renews unless the stored token already differs, so N concurrent 401s renew
   * once. Throws `needs_reauth` when renewal was refused, `cannot_renew` when the token has expired
   * and only the user can get a new one, `cancelled` when `signal` aborts, or the renewal's own
   * error.
   */
  async getFreshToken(accountId: string, options: GetFreshTokenOptions = {}): Promise<FreshToken> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const inflight = this.renewals.get(accountId);
    if (inflight) return raceAbort(inflight, signal, cancelled);

    const { account, tokens } = await raceAbort(this.sharedLoad(accountId), signal, cancelled);
    const entry = this.observe(account);
    this.evaluate(entry);
    if (account.reauthReason !== undefined) throw needsReauth(account.reauthReason);

    const minTtlMs = options.minTtlMs ?? this.defaultMinTtl(account);
    const rejected =
      options.rejectToken !== undefined && options.rejectToken === tokens.accessToken;
    const remaining = this.remaining(account);
    if (entry.unsaved === null && !rejected && remaining > minTtlMs)
      return toFresh(account, tokens);

    if (!isRenewable(account)) {
      // A caller that named its minimum (the CLI's --min-ttl, the console) must not get less.
      const enough = options.minTtlMs === undefined ? 0 : minTtlMs;
      if (!rejected && remaining > enough) return toFresh(account, tokens);
      throw cannotRenew(accountId);
    }
    const now = this.clock.now();
    if (entry.failure?.rateLimited && entry.failure.retryAt > now) throw entry.failure.error;

    const plan: RenewalPlan = { mode: 'demand', minTtlMs, rejectToken: options.rejectToken };
    return raceAbort(this.renewOnce(accountId, account.providerId, plan), signal, cancelled);
  }

  /** Re-evaluates one account after the service adds, updates or removes it. */
  async track(accountId: string): Promise<void> {
    try {
      const { account } = await this.store.load(accountId);
      this.evaluate(this.observe(account));
    } catch (error) {
      if (isTokendeckError(error) && error.code === 'not_found') {
        this.untrack(accountId);
        return;
      }
      if (isTokendeckError(error) && error.code === 'vault_record_tampered') {
        await this.markTampered(accountId);
        return;
      }
      throw error;
    }
  }

  /** Forgets an account: its timer goes; a renewal in flight finishes but arms nothing. */
  untrack(accountId: string): void {
    const entry = this.entries.get(accountId);
    if (!entry) return;
    this.disarm(entry);
    this.entries.delete(accountId);
  }

  /** The account's status now; for an id never seen, a status that says so. */
  status(accountId: string): AccountStatus {
    const account = this.entries.get(accountId)?.account;
    if (!account) {
      return { state: 'error', reason: STATUS_REASONS.unknown, nextRenewalAt: null, retryAt: null };
    }
    return this.statusOf(account);
  }

  /** The status of a stored record, with what this manager knows of it (in flight, failures). */
  statusOf(account: StoredAccount): AccountStatus {
    const entry = this.entries.get(account.id);
    const now = this.clock.now();
    if (!entry) {
      return computeStatus(account, emptyFacts(this.plainDue(account, now)), now, this.skewMs);
    }
    const current = entry.account !== null && generation(entry.account) === generation(account);
    const dueAt = current ? this.dueAt(entry, account, now) : this.plainDue(account, now);
    return computeStatus(account, this.facts(entry, dueAt), now, this.skewMs);
  }

  /** Calls `listener` on every status transition; returns the unsubscribe function. */
  onStatus(listener: (accountId: string, status: AccountStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Re-checks every account now and re-arms every timer.
   *
   * Wired to resume from sleep: timers may have slept too, and the clock may have jumped. Accounts
   * added or removed by another process are picked up.
   */
  async recheckAll(): Promise<void> {
    const accounts = await this.store.list();
    const seen = new Set<string>();
    for (const account of accounts) {
      seen.add(account.id);
      this.observe(account);
    }
    for (const id of [...this.entries.keys()]) {
      if (!seen.has(id)) this.untrack(id);
    }
    for (const entry of this.entries.values()) {
      this.disarm(entry);
      this.evaluate(entry);
    }
  }

  private renewOnce(accountId: string, providerId: string, plan: RenewalPlan): Promise<FreshToken> {
    const existing = this.renewals.get(accountId);
    if (existing) return existing;
    const renewal = this.runRenewal(accountId, providerId, plan).finally(() => {
      if (this.renewals.get(accountId) === renewal) this.renewals.delete(accountId);
    });
    this.renewals.set(accountId, renewal);
    return renewal;
  }

  private async runRenewal(
    accountId: string,
    providerId: string,
    plan: RenewalPlan,
  ): Promise<FreshToken> {
    const entry = this.entryFor(accountId);
    entry.busy = true;
    this.evaluate(entry);
    const release = await this.providers.acquire(providerId);
    try {
      entry.refreshing = true;
      this.evaluate(entry);
      const fresh = await this.store.withRenewLock(accountId, () => this.renewLocked(entry, plan));
      entry.failure = null;
      entry.attempt = 0;
      return fresh;
    } catch (error) {
      throw await this.fail(entry, error);
    } finally {
      release();
      entry.busy = false;
      entry.refreshing = false;
      if (this.entries.get(accountId) === entry) this.evaluate(entry);
    }
  }

  /** The renewal proper, inside the cross-process lock, on a fresh read of the account. */
  private async renewLocked(entry: Entry, plan: RenewalPlan): Promise<FreshToken> {
    const { account, tokens } = await this.store.load(entry.id);
    this.observe(account);
    if (account.reauthReason !== undefined) throw needsReauth(account.reauthReason);

    if (entry.unsaved) {
      const stillOurs =
        entry.unsaved.generation === generation(account) &&
        entry.unsaved.replacing === tokens.accessToken;
      if (stillOurs) return this.persist(entry, entry.unsaved.tokens);
      this.logger.warn(
        'Dropping a renewal that could not be saved: the account changed meanwhile',
        { accountId: entry.id },
      );
      entry.unsaved = null;
    }

    if (!this.stillNeeded(account, tokens, plan)) {
      this.logger.debug('Using the token another process renewed', { accountId: entry.id });
      return toFresh(account, tokens);
    }
    if (!isRenewable(account)) throw cannotRenew(entry.id);
    const renewed = await this.renewer(account, tokens, this.abort.signal);
    entry.unsaved = {
      generation: generation(account),
      replacing: tokens.accessToken,
      tokens: renewed,
    };
    return this.persist(entry, renewed);
  }

  /** Saves a renewal; only once it is durable does anyone see the new token. */
  private async persist(entry: Entry, tokens: TokenSet): Promise<FreshToken> {
    let saved: StoredAccount;
    try {
      saved = await this.store.saveRenewal(entry.id, tokens);
    } catch (error) {
      throw saveFailure(error);
    }
    entry.unsaved = null;
    this.observe(saved);
    this.logger.info('Token renewed', {
      accountId: entry.id,
      providerId: saved.providerId,
      expiresAt: saved.expiresAt,
    });
    return {
      accessToken: tokens.accessToken,
      tokenType: saved.tokenType,
      expiresAt: saved.expiresAt,
      account: saved,
    };
  }

  /** Whether the freshly read token still needs renewing, or another process got there first. */
  private stillNeeded(account: StoredAccount, tokens: StoredTokens, plan: RenewalPlan): boolean {
    switch (plan.mode) {
      case 'demand':
        if (plan.rejectToken !== undefined && plan.rejectToken === tokens.accessToken) return true;
        return this.remaining(account) <= plan.minTtlMs;
      case 'scheduled':
        if (plan.generation === generation(account)) return true;
        return this.remaining(account) <= this.defaultMinTtl(account);
      default:
        return assertNever(plan, 'renewal plan');
    }
  }

  /** Records what a failure means for the account and returns the error callers get. */
  private async fail(entry: Entry, thrown: unknown): Promise<TokendeckError> {
    const failure = classifyRenewalFailure(thrown);
    const code = failure.error.code;
    switch (failure.kind) {
      case 'needs-reauth': {
        entry.failure = null;
        entry.attempt = 0;
        if (entry.account) entry.account = { ...entry.account, reauthReason: failure.reason };
        try {
          await this.store.markNeedsReauth(entry.id, failure.reason);
        } catch (error) {
          this.logger.error('Could not record that the account needs reconnecting', {
            accountId: entry.id,
            error,
          });
        }
        this.logger.warn('Renewal refused; the account needs reconnecting', {
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
        this.logger.error('Token record failed its integrity check', { accountId: entry.id });
        return needsReauth(failure.reason, failure.error);
      case 'cannot-renew':
        entry.failure = null;
        entry.blocked = { state: 'expired', reason: failure.reason, cause: 'cannot_renew' };
        return failure.error;
      case 'gone':
        this.untrack(entry.id);
        return failure.error;
      case 'transient': {
        entry.attempt += 1;
        const delay = backoffDelay(entry.attempt, failure.retryAfterMs, this.random, this.backoff);
        const retryAt = this.clock.now() + delay;
        const reason = entry.unsaved ? SAVE_FAILED_REASON : failure.reason;
        entry.failure = { reason, retryAt, rateLimited: failure.rateLimited, error: failure.error };
        this.logger.warn('Renewal failed; will retry', {
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

  /** Computes the status, emits it when it changed, and arms the account's next timer. */
  private evaluate(entry: Entry): void {
    const account = entry.account;
    if (!account) return;
    const status = this.currentStatus(entry, account, this.clock.now());
    this.emit(entry, status);
    if (this.running && this.schedule && this.entries.get(entry.id) === entry) {
      this.arm(entry, this.nextWake(entry, account, status));
    }
  }

  /** When the account's timer should next fire, or null when nothing will change on its own. */
  private nextWake(entry: Entry, account: StoredAccount, status: AccountStatus): number | null {
    if (entry.busy) return null;
    switch (status.state) {
      case 'needs-reauth':
      case 'expired':
      case 'no-expiry':
      case 'refreshing':
        return null;
      case 'error':
        return entry.failure?.retryAt ?? null;
      case 'fresh':
        return entry.due?.at ?? null;
      case 'expiring':
        return isRenewable(account) ? (entry.due?.at ?? null) : usableExpiry(account, this.skewMs);
      default:
        return assertNever(status.state, 'token state');
    }
  }

  private onTimer(entry: Entry): void {
    entry.timer = null;
    const target = entry.timerAt;
    entry.timerAt = null;
    if (!this.running || this.entries.get(entry.id) !== entry || !entry.account) return;
    const now = this.clock.now();
    if (target !== null && now < target) {
      this.arm(entry, target);
      return;
    }
    const account = entry.account;
    const status = this.currentStatus(entry, account, now);
    const renewNow =
      isRenewable(account) &&
      !entry.busy &&
      (status.state === 'expiring' ||
        (status.state === 'error' && (entry.failure?.retryAt ?? 0) <= now));
    if (!renewNow) {
      this.evaluate(entry);
      return;
    }
    const plan: RenewalPlan = { mode: 'scheduled', generation: generation(account) };
    this.renewOnce(entry.id, account.providerId, plan).catch((error: unknown) =>
      this.logger.debug('Scheduled renewal did not complete', { accountId: entry.id, error }),
    );
  }

  private arm(entry: Entry, at: number | null): void {
    if (at === null) {
      this.disarm(entry);
      return;
    }
    if (entry.timer !== null && entry.timerAt === at) return;
    this.disarm(entry);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now()));
    entry.timerAt = at;
    entry.timer = this.timers.setTimeout(() => this.onTimer(entry), delay);
  }

  private disarm(entry: Entry): void {
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    entry.timer = null;
    entry.timerAt = null;
  }

  private emit(entry: Entry, status: AccountStatus): void {
    if (sameStatus(entry.last, status)) return;
    entry.last = status;
    for (const listener of [...this.listeners]) {
      try {
        listener(entry.id, status);
      } catch (error) {
        this.logger.error('A status listener threw', { accountId: entry.id, error });
      }
    }
  }

  /** Takes a freshly read record as the truth; a new token generation resets failure state. */
  private observe(account: StoredAccount): Entry {
    const entry = this.entryFor(account.id);
    const previous = entry.account;
    entry.account = account;
    if (entry.blocked?.cause === 'tampered') entry.blocked = null;
    if (previous && generation(previous) !== generation(account)) {
      entry.failure = null;
      entry.attempt = 0;
      entry.blocked = null;
    }
    return entry;
  }

  private async markTampered(accountId: string): Promise<void> {
    const entry = this.entryFor(accountId);
    if (!entry.account) {
      entry.account = (await this.store.list()).find((account) => account.id === accountId) ?? null;
    }
    entry.failure = null;
    entry.blocked = { state: 'needs-reauth', reason: TAMPERED_REASON, cause: 'tampered' };
    this.evaluate(entry);
  }

  private sharedLoad(accountId: string): Promise<{ account: StoredAccount; tokens: StoredTokens }> {
    const existing = this.loads.get(accountId);
    if (existing) return existing;
    const load = this.store
      .load(accountId)
      .catch(async (error: unknown) => {
        if (isTokendeckError(error) && error.code === 'vault_record_tampered') {
          await this.markTampered(accountId);
          throw needsReauth(TAMPERED_REASON, error);
        }
        if (isTokendeckError(error) && error.code === 'not_found') this.untrack(accountId);
        throw error;
      })
      .finally(() => {
        if (this.loads.get(accountId) === load) this.loads.delete(accountId);
      });
    this.loads.set(accountId, load);
    return load;
  }

  private entryFor(accountId: string): Entry {
    let entry = this.entries.get(accountId);
    if (!entry) {
      entry = {
        id: accountId,
        account: null,
        due: null,
        timer: null,
        timerAt: null,
        busy: false,
        refreshing: false,
        attempt: 0,
        failure: null,
        blocked: null,
        unsaved: null,
        last: null,
      };
      this.entries.set(accountId, entry);
    }
    return entry;
  }

  /** The status of the entry's current record, with its own jittered due time. */
  private currentStatus(entry: Entry, account: StoredAccount, now: number): AccountStatus {
    return computeStatus(
      account,
      this.facts(entry, this.dueAt(entry, account, now)),
      now,
      this.skewMs,
    );
  }

  private facts(entry: Entry, dueAt: number | null): RuntimeFacts {
    const failure = entry.failure
      ? { reason: entry.failure.reason, retryAt: entry.failure.retryAt }
      : null;
    return { refreshing: entry.refreshing, failure, blocked: entry.blocked, dueAt };
  }

  /** The jittered due time of the entry's current token, rolled once per token generation. */
  private dueAt(entry: Entry, account: StoredAccount, now: number): number | null {
    const gen = generation(account);
    if (entry.due?.generation !== gen) {
      entry.due = { generation: gen, at: this.plainDueWith(account, now, this.random) };
    }
    return entry.due.at;
  }

  private plainDue(account: StoredAccount, now: number): number | null {
    return this.plainDueWith(account, now, () => 0.5);
  }

  private plainDueWith(account: StoredAccount, now: number, random: () => number): number | null {
    const expiresAt = usableExpiry(account, this.skewMs);
    return renewalDueAt({ expiresAt, receivedAt: account.receivedAt }, now, random);
  }

  /** Milliseconds the token stays usable, skew allowance taken off; Infinity when it never expires. */
  private remaining(account: StoredAccount): number {
    const expiry = usableExpiry(account, this.skewMs);
    return expiry === null ? Number.POSITIVE_INFINITY : expiry - this.clock.now();
  }

  /**
   * The default minimum TTL, capped at half the token's usable lifetime.
   *
   * Without the cap, a provider issuing tokens shorter than the default would be asked for a new
   * one on every call. A minimum the caller names (`tokendeck token --min-ttl`) is honoured as
   * asked: the caller said how much life the token must have.
   */
  private defaultMinTtl(account: StoredAccount): number {
    const expiry = usableExpiry(account, this.skewMs);
    if (expiry === null) return DEFAULT_MIN_TTL_MS;
    return Math.min(DEFAULT_MIN_TTL_MS, Math.max(0, expiry - account.receivedAt) / 2);
  }
}

/** Identifies one issued token: a renewal always changes it. */
function generation(account: StoredAccount): string {
  return `${account.receivedAt}:${account.expiresAt ?? 'never'}`;
}

function emptyFacts(dueAt: number | null): RuntimeFacts {
  return { refreshing: false, failure: null, blocked: null, dueAt };
}

function toFresh(account: StoredAccount, tokens: StoredTokens): FreshToken {
  return {
    accessToken: tokens.accessToken,
    tokenType: account.tokenType,
    expiresAt: account.expiresAt,
    account,
  };
}

function needsReauth(reason: string, cause?: TokendeckError): TokendeckError {
  const message = /connect/i.test(reason) ? reason : `${reason} Connect the account again.`;
  return new TokendeckError('needs_reauth', message, {
    cause,
    details: cause ? { cause: cause.code } : {},
  });
}

function cannotRenew(accountId: string): TokendeckError {
  return new TokendeckError('cannot_renew', STATUS_REASONS.expiredManual, {
    details: { accountId },
  });
}

function cancelled(): TokendeckError {
  return new TokendeckError('cancelled', 'The request for a token was cancelled.');
}
