import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createHistoryStore, type HistoryEntry } from '../src-main/core/console';
import { createVaultLifecycleStore } from '../src-main/core/lifecycle';
import { Vault } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure, seedAccounts, staggeredAccounts } from './bench-fixtures';

/**
 * `tokendeck token` stays as fast however much request history grows (issue 20 §13).
 *
 * Two data folders hold the same 20 accounts. In one, every account also has a full history
 * (large requests up to the account's byte cap, 512 KiB; each request cut to its own caps). Each
 * sample is what `token` does before any network: open the vault (a keychain-style slot, so no
 * key derivation) and read one account and its tokens. The history lives in sealed files beside the vault, so both
 * folders' `vault.json` are the same size and the two benches should take the same time. A third
 * folder keeps the same history inside `vault.json`, as Tokendeck did before, for contrast.
 */
const ACCOUNTS = 20;
/** Enough large requests to reach each account's byte cap. */
const REQUESTS = 12;
const keychain = createFakeKeychainSlot();
const folders = { empty: '', full: '', inVault: '' };
const cleanups: Array<() => Promise<void>> = [];

function bigEntry(accountId: string, n: number): HistoryEntry {
  const headers: Array<[string, string]> = Array.from({ length: 60 }, (_, i) => [
    `X-Big-${i}`,
    'v'.repeat(4000),
  ]);
  return {
    id: `r-${n}`,
    at: n,
    request: {
      kind: 'rest',
      accountId,
      method: 'POST',
      url: '/items',
      headers,
      body: { type: 'raw', text: 'b'.repeat(50_000) },
    },
    status: 200,
    size: 10,
    totalMs: 5,
  };
}

beforeAll(async () => {
  for (const name of ['empty', 'full', 'inVault'] as const) {
    const temp = await makeTempRoot(`tokendeck-bench-history-${name}-`);
    cleanups.push(temp.cleanup);
    folders[name] = temp.root;
    const vault = await Vault.create(temp.root, keychain);
    await seedAccounts(vault, staggeredAccounts(ACCOUNTS));
    if (name === 'empty') continue;
    const history = createHistoryStore(vault);
    for (let a = 0; a < ACCOUNTS; a += 1) {
      const id = `acct-${a}`;
      for (let n = 0; n < REQUESTS; n += 1) await history.append(id, bigEntry(id, n));
      if (name === 'inVault') {
        // The layout before: the same capped history as a sealed record inside vault.json.
        const text = JSON.stringify(await history.list(id));
        await history.clear(id);
        await vault.update((tx) => tx.putSecret(`history:${id}`, text));
      }
    }
  }
}, 600_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function tokenPath(folder: string): Promise<void> {
  const vault = await Vault.open(folder, keychain);
  const { tokens } = await createVaultLifecycleStore(vault).load('acct-7');
  ensure(tokens.accessToken.startsWith('bench-access-7'), 'read the account’s token');
}

describe(`token path with ${ACCOUNTS} accounts`, () => {
  bench('no request history', () => tokenPath(folders.empty), { time: 2_000 });
  bench('a full history per account', () => tokenPath(folders.full), {
    time: 2_000,
  });
  bench('the same history inside vault.json, as before', () => tokenPath(folders.inVault), {
    time: 2_000,
  });
});
