import type { StoredAccount, StoredTokens } from '../src-main/core/model';
import type { JsonValue, Vault } from '../src-main/core/vault';
import { HOUR, makeAccount } from '../test/helpers/lifecycle-fixtures';

/**
 * Shared builders for the benchmarks.
 *
 * The benches reuse the test helpers (loopback servers, fake keychain slot, account builders);
 * what is here is only what several benches need on top of them.
 */

export interface SeededAccount {
  account: StoredAccount;
  tokens: StoredTokens;
}

/**
 * `count` accounts with staggered expiries, none due for renewal for about an hour.
 *
 * Account `i` has id `acct-<i>`, alternates between two providers, and expires `i * 5 s` after
 * the first one.
 */
export function staggeredAccounts(count: number, now = Date.now()): SeededAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    account: makeAccount({
      id: `acct-${i}`,
      providerId: i % 2 === 0 ? 'provider-a' : 'provider-b',
      label: `Bench account ${i}`,
      subject: `user-${i}`,
      receivedAt: now,
      expiresAt: now + 2 * HOUR + i * 5_000,
    }),
    tokens: {
      accessToken: `bench-access-${i}-${'a'.repeat(40)}`,
      refreshToken: `bench-refresh-${i}-${'r'.repeat(40)}`,
    },
  }));
}

/** Writes accounts and their sealed token records the way the service does, in one update. */
export async function seedAccounts(vault: Vault, accounts: SeededAccount[]): Promise<void> {
  await vault.update((tx) => {
    for (const { account, tokens } of accounts) {
      tx.put('accounts', account.id, account as unknown as JsonValue);
      tx.putSecret(`tokens:${account.id}`, JSON.stringify(tokens));
    }
  });
}

/**
 * Hands out prepared items one per benchmark sample, for work that can be done only once.
 *
 * Vitest's `bench()` has no per-sample setup hook, so a bench whose sample consumes its input
 * (an expired account gets renewed, a stale reader gets refreshed) takes the next item from a
 * pool filled before the bench starts. Run such benches with `time: 0` and a fixed
 * `iterations` and `warmupIterations`, size the pool to their sum, and pass an `async`
 * function: tinybench calls a plain function once more to find out whether it is async.
 */
export function samplePool<T>(name: string, items: T[]): { next(): T; left(): number } {
  let index = 0;
  return {
    next() {
      const item = items[index];
      if (item === undefined) {
        throw new Error(`${name}: the pool of ${items.length} prepared samples ran out.`);
      }
      index += 1;
      return item;
    },
    left: () => items.length - index,
  };
}

/** Fails the bench when the measured code did not do what it is meant to measure. */
export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}
