import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createVaultLifecycleStore,
  TokenManager,
  type LifecycleStore,
} from '../../src-main/core/lifecycle';
import { HOUR, makeAccount } from '../helpers/lifecycle-fixtures';
import { MemoryLifecycleStore } from '../helpers/lifecycle-memory-store';
import { createFetchRenewer } from '../helpers/lifecycle-renewer';
import { startLifecycleServer, type LifecycleServer } from '../helpers/lifecycle-server';
import { createLifecycleVault, makeLifecycleDir, seedAccount } from '../helpers/lifecycle-vault';

let server: LifecycleServer;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  server = await startLifecycleServer({ latencyMs: 20 });
});

afterEach(async () => {
  await server.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An account whose token expired an hour ago, seeded at the server as grant `id`. */
function expiredAccount(id: string) {
  const seeded = server.seed(id, 'provider-a');
  const account = makeAccount({ id, receivedAt: Date.now() - 2 * HOUR });
  return { account, tokens: seeded };
}

async function fiveHundredAtOnce(store: LifecycleStore, accountId: string) {
  const manager = new TokenManager({
    store,
    renew: createFetchRenewer({ tokenUrl: server.tokenUrl }),
    schedule: false,
  });
  server.hold();
  const all = Promise.all(Array.from({ length: 500 }, () => manager.getFreshToken(accountId)));
  // Let all 500 callers queue up before the one request is answered.
  await new Promise((resolve) => setTimeout(resolve, 50));
  server.release();
  return all;
}

describe('single flight against a real token endpoint', () => {
  it('500 concurrent getFreshToken calls on one expired account make exactly 1 token request', async () => {
    const store = new MemoryLifecycleStore();
    const { account, tokens } = expiredAccount('acct-mem');
    store.add(account, tokens);

    const results = await fiveHundredAtOnce(store, account.id);

    expect(server.stats.requests).toBe(1);
    expect(server.stats.reuse).toBe(0);
    const issued = server.current(account.id);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set([issued.accessToken]));
    expect(store.tokens.get(account.id)).toEqual(issued);
  });

  it('does the same on the real vault', async () => {
    const { dir, cleanup } = await makeLifecycleDir();
    cleanups.push(cleanup);
    const vault = await createLifecycleVault(dir);
    const { account, tokens } = expiredAccount('acct-vault');
    await seedAccount(vault, account, tokens);

    const store = createVaultLifecycleStore(vault);
    const results = await fiveHundredAtOnce(store, account.id);

    expect(server.stats.requests).toBe(1);
    const issued = server.current(account.id);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set([issued.accessToken]));
    expect((await store.load(account.id)).tokens).toEqual(issued);
  });
});
