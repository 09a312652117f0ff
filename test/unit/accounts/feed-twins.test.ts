import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AccountSummary } from '../../../src-main/core/api';
import { AccountFeed } from '../../../src-main/core/account-feed';
import { EventBus } from '../../../src-main/core/event-bus';
import { nullLogger } from '../../../src-main/core/log';
import type { StoredAccount } from '../../../src-main/core/model';
import { putAccount, readAccount } from '../../../src-main/core/records';
import { SavedProviders } from '../../../src-main/core/saved-providers';
import { Vault } from '../../../src-main/core/vault';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/**
 * An account named later with the subject of another account makes both possible duplicates, so
 * the feed pushes both summaries, not only the named one's (else the other row never shows it).
 */

let vault: Vault;
let cleanup: () => Promise<void>;

function account(id: string, subject: string | null): StoredAccount {
  return {
    id,
    providerId: 'keys',
    subject,
    label: id,
    grant: 'api_key',
    tokenType: 'Bearer',
    scopes: [],
    expiresAt: null,
    receivedAt: 1,
    hasRefreshToken: false,
    createdAt: 1,
    updatedAt: 1,
  };
}

beforeEach(async () => {
  const temp = await makeTempRoot();
  cleanup = temp.cleanup;
  vault = await Vault.create(temp.root, testPassphraseSlot());
  await new SavedProviders(vault, nullLogger, { now: () => 1 }).save({
    profile: {
      id: 'keys',
      name: 'Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
    },
  });
});

afterEach(async () => {
  await cleanup();
});

it('publishing an account named later also pushes its new twin', async () => {
  await vault.update((tx) => {
    putAccount(tx, account('keys-a', 'ada'));
    putAccount(tx, account('keys-b', null));
  });
  const bus = new EventBus(nullLogger);
  const feed = new AccountFeed({
    vault,
    status: () => ({ state: 'no-expiry', reason: 'ok' }),
    recheck: async () => undefined,
    bus,
    logger: nullLogger,
  });
  await feed.list();
  const pushed: AccountSummary[] = [];
  bus.on('accountChanged', (summary) => pushed.push(summary));

  await vault.update((tx) => putAccount(tx, { ...readAccount(tx, 'keys-b'), subject: 'ada' }));
  await feed.publish('keys-b');

  expect(pushed.map((summary) => [summary.id, summary.possibleDuplicates])).toEqual([
    ['keys-b', ['keys-a']],
    ['keys-a', ['keys-b']],
  ]);
});
