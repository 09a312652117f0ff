import { afterEach, describe, expect, it } from 'vitest';
import { TokenManager, type Renewer } from '../../src-main/core/lifecycle';
import type { TokenState } from '../../src-main/core/model';
import { HOUR, makeAccount } from '../helpers/lifecycle-fixtures';
import { MemoryLifecycleStore } from '../helpers/lifecycle-memory-store';
import { createFetchRenewer } from '../helpers/lifecycle-renewer';
import { startLifecycleServer, type LifecycleServer } from '../helpers/lifecycle-server';
import { until, VirtualTime } from '../helpers/lifecycle-virtual-time';

const T0 = Date.UTC(2026, 0, 1);
const ACCOUNTS = 1_000;
const PROVIDERS = ['provider-a', 'provider-b'];
const STEP_MS = 30_000;

let server: LifecycleServer | undefined;
let manager: TokenManager | undefined;

afterEach(async () => {
  manager?.stop();
  await server?.close();
});

/** A deterministic random source (mulberry32), so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('1,000 accounts with staggered expiries', () => {
  it('renews every token before it expires, never more than 4 at once per provider', async () => {
    server = await startLifecycleServer({ latencyMs: 3 });
    const time = new VirtualTime(T0);
    const store = new MemoryLifecycleStore();
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const id = `acct-${i}`;
      const providerId = PROVIDERS[i % PROVIDERS.length] as string;
      const expiresAt = T0 + 5 * 60_000 + i * 1_000;
      store.add(
        makeAccount({ id, providerId, expiresAt, receivedAt: expiresAt - HOUR }),
        server.seed(id, providerId),
      );
    }
    const lastExpiry = T0 + 5 * 60_000 + (ACCOUNTS - 1) * 1_000;

    const late: string[] = [];
    const fetchRenewer = createFetchRenewer({ tokenUrl: server.tokenUrl, clock: time });
    const renew: Renewer = (account, tokens, signal) => {
      if (time.now() >= account.expiresAt!) late.push(account.id);
      return fetchRenewer(account, tokens, signal);
    };
    manager = new TokenManager({
      store,
      renew,
      clock: time,
      timers: time,
      random: seededRandom(7),
    });

    const busy = new Set<string>();
    const failures: Array<{ id: string; state: TokenState }> = [];
    manager.onStatus((id, status) => {
      if (status.state === 'expiring' || status.state === 'refreshing') busy.add(id);
      else busy.delete(id);
      if (
        status.state === 'error' ||
        status.state === 'needs-reauth' ||
        status.state === 'expired'
      ) {
        failures.push({ id, state: status.state });
      }
    });
    await manager.start();

    while (time.now() < lastExpiry + 10 * 60_000) {
      time.advanceTo(time.now() + STEP_MS);
      await until(() => busy.size === 0, 'renewals of this step to finish');
      for (const account of store.accounts.values()) {
        expect(account.expiresAt as number).toBeGreaterThan(time.now());
      }
    }

    expect(late).toEqual([]);
    expect(failures).toEqual([]);
    for (let i = 0; i < ACCOUNTS; i += 1)
      expect(server.refreshesOf(`acct-${i}`)).toBeGreaterThanOrEqual(1);
    expect(server.stats.reuse).toBe(0);
    expect(server.stats.rejected).toBe(0);
    for (const provider of PROVIDERS) {
      const peak = server.stats.maxInFlight.get(provider) ?? 0;
      expect(peak).toBeLessThanOrEqual(4);
      expect(peak).toBeGreaterThanOrEqual(2);
    }
    expect(time.timerCount).toBe(ACCOUNTS);
  });
});
