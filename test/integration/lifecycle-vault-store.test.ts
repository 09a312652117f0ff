import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createVaultLifecycleStore,
  TokenManager,
  type LifecycleStore,
} from '../../src-main/core/lifecycle';
import type { StoredAccount } from '../../src-main/core/model';
import type { JsonValue, Vault } from '../../src-main/core/vault';
import {
  deferred,
  HOUR,
  makeAccount,
  makeTokenSet,
  makeTokens,
} from '../helpers/lifecycle-fixtures';
import {
  createLifecycleVault,
  makeLifecycleDir,
  openLifecycleVault,
  seedAccount,
} from '../helpers/lifecycle-vault';

let dir: string;
let cleanup: () => Promise<void>;
let vault: Vault;
let store: LifecycleStore;
const T = 1_800_000_000_000;

beforeEach(async () => {
  ({ dir, cleanup } = await makeLifecycleDir());
  vault = await createLifecycleVault(dir);
  store = createVaultLifecycleStore(vault, { now: () => T + 5 });
});

afterEach(async () => {
  await cleanup();
});

describe('the vault-backed lifecycle store', () => {
  it('loads and lists what the service stored', async () => {
    const account = makeAccount({ receivedAt: T });
    await seedAccount(vault, account, makeTokens());
    await seedAccount(vault, makeAccount({ id: 'acct-2', receivedAt: T }), makeTokens('two'));
    expect(await store.load('acct-1')).toEqual({ account, tokens: makeTokens() });
    expect((await store.list()).map((a) => a.id).sort()).toEqual(['acct-1', 'acct-2']);
    await expect(store.load('missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('saves a rotation: new pair, new expiry, reauthReason cleared, other fields kept', async () => {
    const account = { ...makeAccount({ receivedAt: T, reauthReason: 'old' }), note: 'kept' };
    await seedAccount(vault, account as StoredAccount, makeTokens());
    const set = makeTokenSet(T + HOUR, 'r1', 2 * HOUR);
    const saved = await store.saveRenewal('acct-1', set);
    expect(saved).toMatchObject({
      expiresAt: T + 3 * HOUR,
      receivedAt: T + HOUR,
      updatedAt: T + 5,
    });
    expect(saved.reauthReason).toBeUndefined();
    expect((saved as StoredAccount & { note?: string }).note).toBe('kept');
    const reopened = createVaultLifecycleStore(await openLifecycleVault(dir));
    expect(await reopened.load('acct-1')).toEqual({
      account: saved,
      tokens: { accessToken: 'access-r1', refreshToken: 'refresh-r1' },
    });
  });

  it('keeps the old refresh token when the response had none', async () => {
    await seedAccount(vault, makeAccount({ receivedAt: T }), { ...makeTokens(), idToken: 'id-v1' });
    const { refreshToken: _omitted, ...set } = makeTokenSet(T + HOUR, 'r1');
    const saved = await store.saveRenewal('acct-1', set);
    expect(saved.hasRefreshToken).toBe(true);
    expect((await store.load('acct-1')).tokens).toEqual({
      accessToken: 'access-r1',
      refreshToken: 'refresh-v1',
      idToken: 'id-v1',
    });
  });

  it('records a refusal without touching the tokens', async () => {
    await seedAccount(vault, makeAccount({ receivedAt: T }), makeTokens());
    await store.markNeedsReauth('acct-1', 'Refused. Connect the account again.');
    const { account, tokens } = await store.load('acct-1');
    expect(account.reauthReason).toBe('Refused. Connect the account again.');
    expect(tokens).toEqual(makeTokens());
  });

  it('reports a tampered token record as vault_record_tampered', async () => {
    await seedAccount(vault, makeAccount({ receivedAt: T }), makeTokens());
    const doc = JSON.parse(await readFile(vault.path, 'utf8'));
    const ct = Buffer.from(doc.secrets['tokens:acct-1'].ct, 'base64');
    ct[0] = (ct[0] as number) ^ 0x01;
    doc.secrets['tokens:acct-1'].ct = ct.toString('base64');
    await writeFile(vault.path, JSON.stringify(doc));
    await expect(store.load('acct-1')).rejects.toMatchObject({ code: 'vault_record_tampered' });

    const manager = new TokenManager({
      store,
      renew: async () => makeTokenSet(Date.now(), 'x'),
      schedule: false,
    });
    await expect(manager.getFreshToken('acct-1')).rejects.toMatchObject({ code: 'needs_reauth' });
    expect(manager.status('acct-1').state).toBe('needs-reauth');
  });

  it('reports a malformed account record as vault_corrupt', async () => {
    await vault.update((tx) => tx.put('accounts', 'acct-1', { id: 'acct-1' } as JsonValue));
    await expect(store.list()).rejects.toMatchObject({ code: 'vault_corrupt' });
  });

  it('holds the renew lock across two vault handles, one holder at a time', async () => {
    const other = createVaultLifecycleStore(await openLifecycleVault(dir));
    const order: string[] = [];
    const firstIn = deferred<void>();
    const letGo = deferred<void>();
    const first = store.withRenewLock('acct-1', async () => {
      order.push('first in');
      firstIn.resolve();
      await letGo.promise;
      order.push('first out');
    });
    await firstIn.promise;
    const second = other.withRenewLock('acct-1', async () => {
      order.push('second in');
    });
    const elsewhere = other.withRenewLock('acct-2', async () => {
      order.push('other account');
    });
    await elsewhere;
    letGo.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'other account', 'first out', 'second in']);
  });
});
