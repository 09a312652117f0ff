import { describe, expect, it } from 'vitest';
import { AccountFeed } from '../../src-main/core/account-feed';
import type { AccountSummary } from '../../src-main/core/api';
import { EventBus } from '../../src-main/core/event-bus';
import { nullLogger } from '../../src-main/core/log';
import type { JsonValue, VaultReader } from '../../src-main/core/vault';
import { makeAccount } from '../helpers/lifecycle-fixtures';

/** A vault view of `count` accounts, counting how often it is read. */
function countingVault(count: number) {
  const accounts = new Map<string, JsonValue>();
  for (let i = 0; i < count; i += 1) {
    const account = makeAccount({ id: `acct-${i}`, receivedAt: 0 });
    accounts.set(account.id, account as unknown as JsonValue);
  }
  const view: VaultReader = {
    revision: 1,
    get: <T extends JsonValue>(collection: string, id: string) =>
      (collection === 'accounts' ? accounts.get(id) : undefined) as T | undefined,
    list: <T extends JsonValue>(collection: string) =>
      (collection === 'accounts' ? [...accounts] : []) as Array<[string, T]>,
    getSecret: () => undefined,
    hasSecret: () => false,
  };
  const vault = {
    reads: 0,
    lists: 0,
    async read() {
      vault.reads += 1;
      return view;
    },
  };
  const list = view.list.bind(view);
  view.list = <T extends JsonValue>(collection: string) => {
    if (collection === 'accounts') vault.lists += 1;
    return list<T>(collection);
  };
  return vault;
}

describe('the account feed', () => {
  it('reads the vault once for every status change of the same turn, and pushes each', async () => {
    const vault = countingVault(1_000);
    const bus = new EventBus(nullLogger);
    const pushed: AccountSummary[] = [];
    bus.on('accountChanged', (summary) => pushed.push(summary));
    const feed = new AccountFeed({
      vault,
      status: () => ({
        state: 'fresh',
        reason: 'The token is fresh.',
        nextRenewalAt: null,
        retryAt: null,
      }),
      recheck: async () => undefined,
      bus,
      logger: nullLogger,
    });
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => feed.publish(`acct-${i}`)));
    expect(vault.reads).toBe(1);
    expect(pushed).toHaveLength(1_000);
    // A later change is read afresh, and an unchanged summary is not pushed again.
    await feed.publish('acct-7');
    expect(vault.reads).toBe(2);
    expect(pushed).toHaveLength(1_000);
    // The same snapshot of the vault is indexed once, however many turns publish from it.
    expect(vault.lists).toBe(1);
  });
});
