import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVaultLifecycleStore, TokenManager } from '../../src-main/core/lifecycle';
import type { Vault } from '../../src-main/core/vault';
import { HOUR, makeAccount } from '../helpers/lifecycle-fixtures';
import { spawnLifecycleChild, type LifecycleChild } from '../helpers/lifecycle-process';
import { createFetchRenewer } from '../helpers/lifecycle-renewer';
import { startLifecycleServer, type LifecycleServer } from '../helpers/lifecycle-server';
import {
  createLifecycleVault,
  makeLifecycleDir,
  openLifecycleVault,
  seedAccount,
} from '../helpers/lifecycle-vault';

let server: LifecycleServer;
let dir: string;
let vault: Vault;
let cleanup: () => Promise<void>;
const children: LifecycleChild[] = [];

beforeEach(async () => {
  server = await startLifecycleServer({ latencyMs: 50 });
  ({ dir, cleanup } = await makeLifecycleDir());
  vault = await createLifecycleVault(dir);
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null)
      child.process.kill('SIGKILL');
    await child.exited;
  }
  await server.close();
  await cleanup();
});

/** Seeds an expired account at the server and in the vault; returns its first pair. */
async function seedExpired(id: string) {
  const pair = server.seed(id, 'provider-a');
  const account = makeAccount({ id, receivedAt: Date.now() - 2 * HOUR });
  await seedAccount(vault, account, pair);
  return { account, pair };
}

function spawn(accountId: string, mode: 'normal' | 'announce' | 'hang'): LifecycleChild {
  const child = spawnLifecycleChild(dir, server.tokenUrl, accountId, mode);
  children.push(child);
  return child;
}

async function storedPair(accountId: string) {
  const store = createVaultLifecycleStore(await openLifecycleVault(dir));
  const { account, tokens } = await store.load(accountId);
  return { account, pair: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken } };
}

describe('renewal across processes', () => {
  it('two processes renewing the same account at once make one refresh request and agree', async () => {
    await seedExpired('shared');
    const a = spawn('shared', 'normal');
    const b = spawn('shared', 'normal');
    await Promise.all([a.waitForLine((l) => l === 'ready'), b.waitForLine((l) => l === 'ready')]);
    a.send('go');
    b.send('go');
    const [outA, outB] = await Promise.all(
      [a, b].map((child) => child.waitForLine((l) => l.startsWith('{'))),
    );

    const issued = server.current('shared');
    expect(JSON.parse(outA as string)).toEqual({ accessToken: issued.accessToken });
    expect(JSON.parse(outB as string)).toEqual({ accessToken: issued.accessToken });
    expect(server.stats.refreshes).toBe(1);
    expect(server.stats.requests).toBe(1);
    expect(server.stats.reuse).toBe(0);
    expect((await storedPair('shared')).pair).toEqual(issued);
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
  });

  it('a process killed between the provider response and persistence leaves the old pair', async () => {
    const { account, pair: oldPair } = await seedExpired('killed');
    const child = spawn('killed', 'hang');
    await child.waitForLine((l) => l === 'ready');
    child.send('go');
    await child.waitForLine((l) => l === 'got-response');
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');

    expect(server.stats.refreshes).toBe(1);
    const stored = await storedPair('killed');
    expect(stored.pair).toEqual(oldPair);
    expect(stored.account.expiresAt).toBe(account.expiresAt);
    expect(stored.account.receivedAt).toBe(account.receivedAt);
  });

  it('a process killed while persisting leaves exactly the old pair or the new pair', async () => {
    for (let round = 0; round < 4; round += 1) {
      const id = `race-${round}`;
      const { account, pair: oldPair } = await seedExpired(id);
      const child = spawn(id, 'announce');
      await child.waitForLine((l) => l === 'ready');
      child.send('go');
      await child.waitForLine((l) => l === 'got-response');
      child.process.kill('SIGKILL');
      await child.exited;

      const newPair = server.current(id);
      const stored = await storedPair(id);
      if (stored.pair.accessToken === oldPair.accessToken) {
        expect(stored.pair).toEqual(oldPair);
        expect(stored.account.receivedAt).toBe(account.receivedAt);
      } else {
        expect(stored.pair).toEqual(newPair);
        expect(stored.account.receivedAt).toBeGreaterThan(account.receivedAt);
      }
    }
  });

  it('a normal run against the rotating server sees no reuse', async () => {
    await seedExpired('steady');
    const store = createVaultLifecycleStore(vault);
    const manager = new TokenManager({
      store,
      renew: createFetchRenewer({ tokenUrl: server.tokenUrl }),
      schedule: false,
    });
    let token = await manager.getFreshToken('steady');
    for (let i = 0; i < 5; i += 1) {
      token = await manager.getFreshToken('steady', { rejectToken: token.accessToken });
    }
    const child = spawn('steady', 'normal');
    await child.waitForLine((l) => l === 'ready');
    child.send('go');
    const out = await child.waitForLine((l) => l.startsWith('{'));

    expect(server.stats.refreshes).toBe(6);
    expect(server.stats.reuse).toBe(0);
    expect(server.stats.rejected).toBe(0);
    expect(JSON.parse(out)).toEqual({ accessToken: token.accessToken });
    expect((await storedPair('steady')).pair).toEqual(server.current('steady'));
  });
});
