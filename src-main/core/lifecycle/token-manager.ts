import { raceAbort } from '../abort';
import { TokendeckError, assertNever, isTokendeckError } from '../errors';
import { nullLogger, type Logger } from '../log';
import type { AccountStatus, StoredAccount, StoredTokens, TokenSet } from '../model';
import { systemClock, type Clock, type PowerEvents } from '../ports';
import {
  defaultMinTtl,
  entryDue,
  entryFacts,
  emptyFacts,
  generation,
  newEntry,
  observeRecord,
  plannedDue,
  remainingMs,
  toFresh,
  type Entry,
  type FreshToken,
} from './account-entry';
import { computeStatus, isRenewable, sameStatus, STATUS_REASONS } from './account-status';
import { backoffDelay, DEFAULT_BACKOFF, retryBeforeExpiry, type BackoffBounds } from './backoff';
import { KeyedSemaphore } from './keyed-semaphore';
import type { LifecycleStore } from './lifecycle-store';
import {
  cannotRenew,
  needsReauth,
  recordFailure,
  saveFailure,
  TAMPERED_REASON,
  tokenRequestCancelled,
} from './renewal-failure';
import { usableExpiry } from './renewal-due';
import { RenewalTimers, nextWake } from './renewal-timers';
import { globalTimers } from './timer-api';
import {
  DEFAULT_MAX_CONCURRENT_PER_PROVIDER,
  DEFAULT_SKEW_MS,
  type GetFreshTokenOptions,
  type Renewer,
  type TokenManagerOptions,
} from './manager-options';

/** Why a renewal runs, which decides, under the lock, whether it is still needed. */
type RenewalPlan =
  | { mode: 'demand'; minTtlMs: number; rejectToken: string | undefined }
  | { mode: 'scheduled'; generation: string };

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
  private readonly timers: RenewalTimers;
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
    this.timers = new RenewalTimers(options.timers ?? globalTimers, this.clock, (accountId) =>
      this.onDue(accountId),
    );
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
    this.timers.disarmAll();
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
    if (signal?.aborted) throw tokenRequestCancelled();
    const inflight = this.renewals.get(accountId);
    if (inflight) return raceAbort(inflight, signal, tokenRequestCancelled);

    const { account, tokens } = await raceAbort(
      this.sharedLoad(accountId),
      signal,
      tokenRequestCancelled,
    );
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
    return raceAbort(
      this.renewOnce(accountId, account.providerId, plan),
      signal,
      tokenRequestCancelled,
    );
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
    this.timers.disarm(accountId);
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
    const dueAt = current
      ? entryDue(entry, account, now, this.skewMs, this.random)
      : this.plainDue(account, now);
    return computeStatus(account, entryFacts(entry, dueAt), now, this.skewMs);
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
      this.timers.disarm(entry.id);
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
    await this.store.assertRenewLockHeld?.();
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
      ...(tokens.dpopKey ? { dpopKey: tokens.dpopKey } : {}),
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
  private fail(entry: Entry, thrown: unknown): Promise<TokendeckError> {
    return recordFailure(entry, thrown, {
      store: this.store,
      logger: this.logger,
      untrack: (accountId) => this.untrack(accountId),
      retryAt: (attempt, retryAfterMs, rateLimited) =>
        retryBeforeExpiry(
          this.clock.now(),
          backoffDelay(attempt, retryAfterMs, this.random, this.backoff),
          entry.account ? usableExpiry(entry.account, this.skewMs) : null,
          rateLimited || retryAfterMs !== undefined,
        ),
    });
  }

  /** Computes the status, emits it when it changed, and arms the account's next timer. */
  private evaluate(entry: Entry): void {
    const account = entry.account;
    if (!account) return;
    const status = this.currentStatus(entry, account, this.clock.now());
    this.emit(entry, status);
    if (this.running && this.schedule && this.entries.get(entry.id) === entry) {
      const wake = nextWake({
        status,
        busy: entry.busy,
        renewable: isRenewable(account),
        dueAt: entry.due?.at ?? null,
        retryAt: entry.failure?.retryAt ?? null,
        usableUntil: usableExpiry(account, this.skewMs),
      });
      this.timers.arm(entry.id, wake);
    }
  }

  /** An account's timer reached its time: renew if that is still what it is due for. */
  private onDue(accountId: string): void {
    const entry = this.entries.get(accountId);
    if (!this.running || !entry?.account) return;
    const now = this.clock.now();
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
    this.logger.debug('Scheduled renewal started', { accountId: entry.id });
    this.renewOnce(entry.id, account.providerId, plan).catch((error: unknown) =>
      this.logger.debug('Scheduled renewal did not complete', { accountId: entry.id, error }),
    );
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
    observeRecord(entry, account);
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
      entry = newEntry(accountId);
      this.entries.set(accountId, entry);
    }
    return entry;
  }

  /** The status of the entry's current record, with its own jittered due time. */
  private currentStatus(entry: Entry, account: StoredAccount, now: number): AccountStatus {
    const dueAt = entryDue(entry, account, now, this.skewMs, this.random);
    return computeStatus(account, entryFacts(entry, dueAt), now, this.skewMs);
  }

  /** The due time without jitter, for a record this manager does not follow. */
  private plainDue(account: StoredAccount, now: number): number | null {
    return plannedDue(account, now, this.skewMs, () => 0.5);
  }

  private remaining(account: StoredAccount): number {
    return remainingMs(account, this.clock.now(), this.skewMs);
  }

  private defaultMinTtl(account: StoredAccount): number {
    return defaultMinTtl(account, this.skewMs);
  }
}
