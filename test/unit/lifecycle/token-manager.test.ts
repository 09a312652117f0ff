import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import {
  MAX_TIMER_MS,
  TokenManager,
  globalTimers,
  renewalDueAt,
  usableExpiry,
  type Renewer,
  type TimerApi,
  type TokenManagerOptions,
} from '../../../src-main/core/lifecycle';
import type { StoredAccount, StoredTokens, TokenSet } from '../../../src-main/core/model';
import {
  DAY,
  HOUR,
  createManualPower,
  deferred,
  makeAccount,
  makeTokenSet,
  makeTokens,
  recordStatuses,
} from '../../helpers/lifecycle-fixtures';
import { MemoryLifecycleStore } from '../../helpers/lifecycle-memory-store';

const T0 = Date.UTC(2026, 0, 1);
const SKEW = 30_000;
const mid = () => 0.5;

/** A renewer that answers from a script, counting calls. */
function scriptedRenewer(
  answer: (
    call: number,
    account: StoredAccount,
    tokens: StoredTokens,
  ) => Promise<TokenSet> | TokenSet,
): Renewer & { calls: Array<{ accountId: string; refreshToken?: string }> } {
  const calls: Array<{ accountId: string; refreshToken?: string }> = [];
  const renew: Renewer = async (account, tokens) => {
    calls.push({ accountId: account.id, refreshToken: tokens.refreshToken });
    return answer(calls.length, account, tokens);
  };
  return Object.assign(renew, { calls });
}

const renewsFine = () => scriptedRenewer((n) => makeTokenSet(Date.now(), `r${n}`));

/** The due time the manager plans for an account, with the skew allowance and random 0.5. */
function plannedDue(account: StoredAccount): number {
  const expiresAt = usableExpiry(account, SKEW);
  return renewalDueAt(
    { expiresAt, receivedAt: account.receivedAt },
    account.receivedAt,
    mid,
  ) as number;
}

function manager(
  store: MemoryLifecycleStore,
  renew: Renewer,
  extra: Partial<TokenManagerOptions> = {},
) {
  return new TokenManager({ store, renew, random: mid, skewMs: SKEW, ...extra });
}

function transient(status = 503): TokendeckError {
  return new TokendeckError('token_endpoint_error', 'Service unavailable', {
    details: { status, transient: true },
  });
}

let store: MemoryLifecycleStore;
let running: TokenManager[];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  store = new MemoryLifecycleStore();
  running = [];
});

afterEach(() => {
  for (const m of running) m.stop();
  vi.useRealTimers();
});

async function started(m: TokenManager): Promise<TokenManager> {
  running.push(m);
  await m.start();
  return m;
}

describe('scheduler', () => {
  it('arms no timer for a token that never expires', async () => {
    store.add(
      makeAccount({ id: 'key', grant: 'api_key', expiresAt: null, hasRefreshToken: false }),
      {
        accessToken: 'api-key-value',
      },
    );
    store.add(
      makeAccount({ id: 'cc', grant: 'client_credentials', expiresAt: null }),
      makeTokens('cc'),
    );
    const renew = renewsFine();
    const m = await started(manager(store, renew));
    expect(vi.getTimerCount()).toBe(0);
    expect(m.status('key').state).toBe('no-expiry');
    expect(m.status('cc').state).toBe('no-expiry');

    store.add(makeAccount({ id: 'expiring' }), makeTokens());
    await m.track('expiring');
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(400 * DAY);
    expect(renew.calls.map((c) => c.accountId).every((id) => id === 'expiring')).toBe(true);
  });

  it('renews at the due time and emits fresh, expiring, refreshing, fresh in order', async () => {
    const account = makeAccount();
    store.add(account, makeTokens());
    const renew = renewsFine();
    const m = manager(store, renew);
    const seen = recordStatuses();
    m.onStatus(seen.listener);
    await started(m);
    const due = plannedDue(account);
    expect(m.status(account.id)).toMatchObject({ state: 'fresh', nextRenewalAt: due });

    await vi.advanceTimersByTimeAsync(due - T0 - 1);
    expect(renew.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(renew.calls).toHaveLength(1);
    expect(seen.states(account.id)).toEqual(['fresh', 'expiring', 'refreshing', 'fresh']);
    expect(store.tokens.get(account.id)?.accessToken).toBe('access-r1');
    expect(vi.getTimerCount()).toBe(1);
    for (const { status } of seen.all) expect(status.reason).toMatch(/\w+.*\./);
  });

  it('clamps a 100-day lifetime to the timer maximum and re-arms until due', async () => {
    const account = makeAccount({ expiresAt: T0 + 100 * DAY });
    store.add(account, makeTokens());
    const delays: number[] = [];
    const timers: TimerApi = {
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return globalTimers.setTimeout(fn, ms);
      },
      clearTimeout: (handle) => globalTimers.clearTimeout(handle),
    };
    const renew = renewsFine();
    await started(manager(store, renew, { timers }));
    expect(delays).toEqual([MAX_TIMER_MS]);

    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(renew.calls).toHaveLength(0);
    expect(delays).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1);

    const due = plannedDue(account);
    await vi.advanceTimersByTimeAsync(due - Date.now() - 1);
    expect(renew.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(renew.calls).toHaveLength(1);
    expect(delays.every((d) => d <= MAX_TIMER_MS)).toBe(true);
    expect(delays.length).toBeGreaterThanOrEqual(4);
  });

  it('re-checks every account on resume from sleep', async () => {
    const account = makeAccount();
    store.add(account, makeTokens());
    const renew = renewsFine();
    const power = createManualPower();
    const m = await started(manager(store, renew, { power }));
    expect(power.listeners).toBe(1);

    // Asleep for two hours: the wall clock jumps, the timer does not fire.
    vi.setSystemTime(T0 + 2 * HOUR);
    store.add(makeAccount({ id: 'added-meanwhile', receivedAt: T0 + 2 * HOUR }), makeTokens('b'));
    expect(renew.calls).toHaveLength(0);

    power.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(renew.calls).toEqual([{ accountId: account.id, refreshToken: 'refresh-v1' }]);
    expect(m.status(account.id).state).toBe('fresh');
    expect(m.status('added-meanwhile').state).toBe('fresh');
  });

  it('stop clears every timer and the resume listener', async () => {
    store.add(makeAccount({ id: 'a' }), makeTokens('a'));
    store.add(makeAccount({ id: 'b' }), makeTokens('b'));
    const power = createManualPower();
    const renew = renewsFine();
    const m = await started(manager(store, renew, { power }));
    expect(vi.getTimerCount()).toBe(2);
    m.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(power.listeners).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(renew.calls).toHaveLength(0);
  });
});

describe('failures', () => {
  it('invalid_grant makes the account need reauth and stops retrying; others go on', async () => {
    const bad = makeAccount({ id: 'bad' });
    const good = makeAccount({ id: 'good', receivedAt: T0 + 60_000 });
    store.add(bad, makeTokens('bad'));
    store.add(good, makeTokens('good'));
    const renew = scriptedRenewer((n, account) => {
      if (account.id === 'bad') throw new TokendeckError('invalid_grant', 'Grant revoked');
      return makeTokenSet(Date.now(), `good${n}`);
    });
    const m = manager(store, renew);
    const seen = recordStatuses();
    m.onStatus(seen.listener);
    await started(m);

    await vi.advanceTimersByTimeAsync(plannedDue(bad) - T0);
    expect(renew.calls).toEqual([{ accountId: 'bad', refreshToken: 'refresh-bad' }]);
    expect(m.status('bad').state).toBe('needs-reauth');
    expect(m.status('bad').reason).toMatch(/connect the account again/i);
    expect(store.calls.markNeedsReauth).toBe(1);
    expect(store.accounts.get('bad')?.reauthReason).toMatch(/invalid_grant/);
    expect(seen.states('bad')).toEqual(['fresh', 'expiring', 'refreshing', 'needs-reauth']);
    expect(store.tokens.get('bad')).toEqual(makeTokens('bad'));

    await expect(m.getFreshToken('bad', { minTtlMs: 10 * HOUR })).rejects.toMatchObject({
      code: 'needs_reauth',
    });
    await vi.advanceTimersByTimeAsync(10 * DAY);
    expect(renew.calls.filter((c) => c.accountId === 'bad')).toHaveLength(1);
    expect(renew.calls.filter((c) => c.accountId === 'good').length).toBeGreaterThan(100);
    expect(m.status('good').state).toBe('fresh');
  });

  it('invalid_client is a refusal too', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = scriptedRenewer(() => {
      throw new TokendeckError('invalid_client', 'Client revoked');
    });
    const m = await started(manager(store, renew));
    vi.setSystemTime(T0 + 2 * HOUR);
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'needs_reauth' });
    expect(m.status('acct-1').state).toBe('needs-reauth');
    await vi.advanceTimersByTimeAsync(DAY);
    expect(renew.calls).toHaveLength(1);
  });

  it('a transient 5xx sets error, keeps returning the still-valid token, then retries', async () => {
    const account = makeAccount();
    store.add(account, makeTokens());
    let fail = true;
    const renew = scriptedRenewer((n) => {
      if (fail) throw transient(503);
      return makeTokenSet(Date.now(), `r${n}`);
    });
    const m = manager(store, renew);
    const seen = recordStatuses();
    m.onStatus(seen.listener);
    await started(m);

    const due = plannedDue(account);
    await vi.advanceTimersByTimeAsync(due - T0);
    expect(renew.calls).toHaveLength(1);
    const status = m.status(account.id);
    expect(status).toMatchObject({ state: 'error', retryAt: due + 30_000 });
    expect(status.reason).toMatch(/HTTP 503/);

    const token = await m.getFreshToken(account.id);
    expect(token.accessToken).toBe('access-v1');
    expect(renew.calls).toHaveLength(1);

    fail = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(renew.calls).toHaveLength(2);
    expect(m.status(account.id).state).toBe('fresh');
    expect((await m.getFreshToken(account.id)).accessToken).toBe('access-r2');
    expect(seen.states(account.id)).toEqual([
      'fresh',
      'expiring',
      'refreshing',
      'error',
      'refreshing',
      'fresh',
    ]);
  });

  it('backs off 30 s, 60 s, 120 s and honours a longer Retry-After', async () => {
    const account = makeAccount();
    store.add(account, makeTokens());
    const errors: TokendeckError[] = [
      new TokendeckError('network_error', 'ECONNREFUSED'),
      transient(502),
      new TokendeckError('timeout', 'Timed out'),
      new TokendeckError('rate_limited', 'Slow down', { details: { retryAfterMs: 900_000 } }),
    ];
    const renew = scriptedRenewer((n) => {
      const error = errors[n - 1];
      if (error) throw error;
      return makeTokenSet(Date.now(), `r${n}`);
    });
    const m = await started(manager(store, renew));

    await vi.advanceTimersByTimeAsync(plannedDue(account) - T0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const status = m.status(account.id);
      expect(status.state).toBe('error');
      const wait = (status.retryAt as number) - Date.now();
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 900_000]);
    expect(renew.calls).toHaveLength(5);
    expect(m.status(account.id).state).toBe('fresh');
  });

  it('retries a short-lived token before it expires, however long the backoff', async () => {
    const account = makeAccount({ expiresAt: T0 + 60_000 });
    store.add(account, makeTokens());
    const renew = scriptedRenewer((n) => {
      if (n <= 2) throw transient(502);
      return makeTokenSet(Date.now(), `r${n}`, 60_000);
    });
    const m = await started(manager(store, renew));
    const usableUntil = usableExpiry(account, SKEW) as number;

    await vi.advanceTimersByTimeAsync(plannedDue(account) - T0);
    const retries: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const status = m.status(account.id);
      expect(status.state).toBe('error');
      retries.push(status.retryAt as number);
      await vi.advanceTimersByTimeAsync((status.retryAt as number) - Date.now());
    }
    // Each retry lands halfway to the usable expiry, not 30 s and 60 s later.
    expect(retries.every((at) => at < usableUntil)).toBe(true);
    expect(renew.calls).toHaveLength(3);
    expect(m.status(account.id).state).toBe('fresh');
  });

  it('never retries sooner than a 429 or a Retry-After asked, even as the token runs out', async () => {
    const account = makeAccount({ expiresAt: T0 + 60_000 });
    store.add(account, makeTokens());
    const renew = scriptedRenewer(() => {
      throw new TokendeckError('rate_limited', 'Slow down', { details: { retryAfterMs: 40_000 } });
    });
    const m = await started(manager(store, renew));
    await vi.advanceTimersByTimeAsync(plannedDue(account) - T0);
    expect((m.status(account.id).retryAt as number) - Date.now()).toBe(40_000);
  });

  it('does not ask a rate-limiting provider again on demand before Retry-After', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = scriptedRenewer(() => {
      throw new TokendeckError('rate_limited', 'Slow down', { details: { retryAfterMs: 600_000 } });
    });
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(renew.calls).toHaveLength(1);
    expect(m.status('acct-1')).toMatchObject({ state: 'error', retryAt: T0 + 2 * HOUR + 600_000 });
    vi.setSystemTime(T0 + 2 * HOUR + 600_000);
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(renew.calls).toHaveLength(2);
  });

  it('a tampered token record means reconnecting, and nothing is sent', async () => {
    store.add(makeAccount(), makeTokens());
    store.tampered.add('acct-1');
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({
      code: 'needs_reauth',
      details: { cause: 'vault_record_tampered' },
    });
    expect(m.status('acct-1').state).toBe('needs-reauth');
    expect(renew.calls).toHaveLength(0);
  });

  it('cannot_renew from the renewer makes the account expired', async () => {
    store.add(makeAccount({ grant: 'client_credentials', hasRefreshToken: false }), makeTokens());
    const renew = scriptedRenewer(() => {
      throw new TokendeckError('cannot_renew', 'No client secret');
    });
    const m = await started(manager(store, renew));
    vi.setSystemTime(T0 + 2 * HOUR);
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'cannot_renew' });
    expect(m.status('acct-1').state).toBe('expired');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an authorization-code token without a refresh token expires without a request', async () => {
    const account = makeAccount({ hasRefreshToken: false });
    store.add(account, { accessToken: 'access-only' });
    const renew = renewsFine();
    const m = manager(store, renew);
    const seen = recordStatuses();
    m.onStatus(seen.listener);
    await started(m);

    vi.setSystemTime(T0 + HOUR - 45_000);
    expect((await m.getFreshToken(account.id)).accessToken).toBe('access-only');
    vi.setSystemTime(T0);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(m.status(account.id).state).toBe('expired');
    expect(m.status(account.id).reason).toMatch(/connect the account again/i);
    await expect(m.getFreshToken(account.id)).rejects.toMatchObject({ code: 'cannot_renew' });
    expect(renew.calls).toHaveLength(0);
    expect(seen.states(account.id)).toEqual(['fresh', 'expiring', 'expired']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('getFreshToken', () => {
  it('renews once for 50 concurrent callers on an expired account', async () => {
    store.add(makeAccount(), makeTokens());
    const gate = deferred<void>();
    const renew = scriptedRenewer(async (n) => {
      await gate.promise;
      return makeTokenSet(Date.now(), `r${n}`);
    });
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    const all = Promise.all(Array.from({ length: 50 }, () => m.getFreshToken('acct-1')));
    await vi.advanceTimersByTimeAsync(0);
    gate.resolve();
    const tokens = await all;
    expect(renew.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['access-r1']));
  });

  it('renews once for many concurrent 401s, and not for a token already replaced', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    const first = await m.getFreshToken('acct-1');
    expect(first.accessToken).toBe('access-v1');

    const retried = await Promise.all(
      Array.from({ length: 20 }, () => m.getFreshToken('acct-1', { rejectToken: 'access-v1' })),
    );
    expect(renew.calls).toHaveLength(1);
    expect(new Set(retried.map((t) => t.accessToken))).toEqual(new Set(['access-r1']));

    const late = await m.getFreshToken('acct-1', { rejectToken: 'access-v1' });
    expect(late.accessToken).toBe('access-r1');
    expect(renew.calls).toHaveLength(1);
  });

  it('renews a token without expires_in only when a 401 rejects it, once', async () => {
    store.add(makeAccount({ expiresAt: null }), makeTokens());
    const renew = scriptedRenewer((n) => ({
      ...makeTokenSet(Date.now(), `r${n}`),
      expiresAt: null,
    }));
    const m = manager(store, renew, { schedule: false });
    expect((await m.getFreshToken('acct-1', { minTtlMs: 10 * DAY })).accessToken).toBe('access-v1');
    expect(renew.calls).toHaveLength(0);
    const retried = await Promise.all(
      Array.from({ length: 5 }, () => m.getFreshToken('acct-1', { rejectToken: 'access-v1' })),
    );
    expect(new Set(retried.map((t) => t.accessToken))).toEqual(new Set(['access-r1']));
    expect(renew.calls).toHaveLength(1);
    expect(m.status('acct-1').state).toBe('no-expiry');
  });

  it('says to connect again when the stored refusal reason does not', async () => {
    store.add(makeAccount({ reauthReason: 'Revoked by an administrator.' }), makeTokens());
    const m = manager(store, renewsFine(), { schedule: false });
    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({
      code: 'needs_reauth',
      message: 'Revoked by an administrator. Connect the account again.',
    });
  });

  it('takes the skew allowance off the lifetime', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + HOUR - 50_000);
    expect((await m.getFreshToken('acct-1', { minTtlMs: 10_000 })).accessToken).toBe('access-v1');
    expect(renew.calls).toHaveLength(0);
    vi.setSystemTime(T0 + HOUR - 35_000);
    expect((await m.getFreshToken('acct-1', { minTtlMs: 10_000 })).accessToken).toBe('access-r1');
    expect(renew.calls).toHaveLength(1);
  });

  it('hands out the new token only after it is saved', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = renewsFine();
    const saveGate = deferred<void>();
    const save = store.saveRenewal.bind(store);
    store.saveRenewal = async (id, tokens) => {
      await saveGate.promise;
      return save(id, tokens);
    };
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    let got: string | null = null;
    const pending = m.getFreshToken('acct-1').then((t) => (got = t.accessToken));
    await vi.advanceTimersByTimeAsync(0);
    expect(renew.calls).toHaveLength(1);
    expect(got).toBeNull();
    expect(store.tokens.get('acct-1')?.accessToken).toBe('access-v1');
    saveGate.resolve();
    await pending;
    expect(got).toBe('access-r1');
    expect(store.tokens.get('acct-1')?.accessToken).toBe('access-r1');
  });

  it('when saving fails: an error, no old token passed off as valid, and the save is retried without renewing', async () => {
    store.add(makeAccount(), makeTokens());
    store.failSaves = 2;
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + HOUR - 50_000);

    await expect(m.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'vault_write_failed' });
    const status = m.status('acct-1');
    expect(status.state).toBe('error');
    expect(status.reason).toMatch(/could not be saved/);

    // The old access token still has 20 s of usable life, but it is not handed out.
    await expect(m.getFreshToken('acct-1', { minTtlMs: 1_000 })).rejects.toMatchObject({
      code: 'vault_write_failed',
    });
    const token = await m.getFreshToken('acct-1', { minTtlMs: 1_000 });
    expect(token.accessToken).toBe('access-r1');
    expect(renew.calls).toHaveLength(1);
    expect(store.tokens.get('acct-1')).toEqual({
      accessToken: 'access-r1',
      refreshToken: 'refresh-r1',
    });
    expect(m.status('acct-1').state).toBe('fresh');
  });

  it('uses the token another process renewed while it waited for the lock', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    store.onLocked = (id) => {
      const other = makeTokenSet(Date.now(), 'other-process');
      store.accounts.set(id, {
        ...(store.accounts.get(id) as StoredAccount),
        expiresAt: other.expiresAt,
        receivedAt: other.receivedAt,
      });
      store.tokens.set(id, { accessToken: other.accessToken, refreshToken: other.refreshToken });
    };
    const token = await m.getFreshToken('acct-1');
    expect(token.accessToken).toBe('access-other-process');
    expect(renew.calls).toHaveLength(0);
  });

  it('runs at most 4 renewals at once per provider, without holding up other providers', async () => {
    for (let i = 0; i < 10; i += 1) store.add(makeAccount({ id: `a${i}` }), makeTokens(`a${i}`));
    for (let i = 0; i < 3; i += 1) {
      store.add(makeAccount({ id: `b${i}`, providerId: 'provider-b' }), makeTokens(`b${i}`));
    }
    const gates: Array<() => void> = [];
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const renew = scriptedRenewer(async (n, account) => {
      const key = account.providerId;
      active.set(key, (active.get(key) ?? 0) + 1);
      peak.set(key, Math.max(peak.get(key) ?? 0, active.get(key) as number));
      await new Promise<void>((resolve) => gates.push(resolve));
      active.set(key, (active.get(key) as number) - 1);
      return makeTokenSet(Date.now(), `r${n}`);
    });
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    const ids = [...store.accounts.keys()];
    const all = Promise.all(ids.map((id) => m.getFreshToken(id)));
    await vi.advanceTimersByTimeAsync(0);
    expect(active.get('provider-a')).toBe(4);
    expect(active.get('provider-b')).toBe(3);
    expect(
      ids
        .filter((id) => id.startsWith('a'))
        .map((id) => m.status(id).state)
        .sort(),
    ).toEqual([...Array<string>(6).fill('expiring'), ...Array<string>(4).fill('refreshing')]);
    while (gates.length > 0) {
      for (const release of gates.splice(0)) release();
      await vi.advanceTimersByTimeAsync(0);
    }
    await all;
    expect(renew.calls).toHaveLength(13);
    expect(peak.get('provider-a')).toBe(4);
  });

  it('returns the stored token when it has enough time left, without renewing', async () => {
    store.add(makeAccount(), makeTokens());
    const renew = renewsFine();
    const m = manager(store, renew, { schedule: false });
    const token = await m.getFreshToken('acct-1');
    expect(token).toMatchObject({
      accessToken: 'access-v1',
      tokenType: 'Bearer',
      expiresAt: T0 + HOUR,
    });
    expect(renew.calls).toHaveLength(0);
  });

  it('throws not_found for an account that is gone', async () => {
    const m = manager(store, renewsFine(), { schedule: false });
    await expect(m.getFreshToken('missing')).rejects.toMatchObject({ code: 'not_found' });
    expect(m.status('missing').state).toBe('error');
  });

  it('lets a caller stop waiting without cancelling the shared renewal', async () => {
    store.add(makeAccount(), makeTokens());
    const gate = deferred<void>();
    const renew = scriptedRenewer(async (n) => {
      await gate.promise;
      return makeTokenSet(Date.now(), `r${n}`);
    });
    const m = manager(store, renew, { schedule: false });
    vi.setSystemTime(T0 + 2 * HOUR);
    const controller = new AbortController();
    const impatient = m.getFreshToken('acct-1', { signal: controller.signal });
    const patient = m.getFreshToken('acct-1');
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ code: 'cancelled' });
    gate.resolve();
    expect((await patient).accessToken).toBe('access-r1');
    expect(store.tokens.get('acct-1')?.accessToken).toBe('access-r1');
  });
});

describe('status', () => {
  it('statusOf computes for a record the manager never saw', () => {
    const m = manager(store, renewsFine(), { schedule: false });
    expect(m.statusOf(makeAccount({ receivedAt: T0 })).state).toBe('fresh');
    expect(m.statusOf(makeAccount({ receivedAt: T0 - HOUR + 100_000 })).state).toBe('expiring');
    expect(m.statusOf(makeAccount({ reauthReason: 'Revoked. Connect again.' }))).toMatchObject({
      state: 'needs-reauth',
      reason: 'Revoked. Connect again.',
    });
    expect(m.statusOf(makeAccount({ grant: 'api_key', expiresAt: null })).state).toBe('no-expiry');
  });

  it('untrack removes the timer', async () => {
    store.add(makeAccount(), makeTokens());
    const m = await started(manager(store, renewsFine()));
    expect(vi.getTimerCount()).toBe(1);
    m.untrack('acct-1');
    expect(vi.getTimerCount()).toBe(0);
  });
});
