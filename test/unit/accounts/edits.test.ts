import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountEdits } from '../../../src-main/core/account-edits';
import { AccountFeed } from '../../../src-main/core/account-feed';
import { createHistoryStore } from '../../../src-main/core/console';
import { EventBus } from '../../../src-main/core/event-bus';
import type { TokenManager } from '../../../src-main/core/lifecycle';
import { nullLogger } from '../../../src-main/core/log';
import type { StoredAccount } from '../../../src-main/core/model';
import { validateProfile } from '../../../src-main/core/providers';
import {
  clientSecretRecord,
  listAccounts,
  putAccount,
  putProvider,
  readAccount,
  readProvider,
  readTokens,
  registrationTokenRecord,
  writeTokens,
} from '../../../src-main/core/records';
import { SavedProviders } from '../../../src-main/core/saved-providers';
import { Vault } from '../../../src-main/core/vault';
import { failure } from '../../helpers/expect-error';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/** Rename, merge and default (issue 9 §1), and provider edits that drop secrets (§5). */

let vault: Vault;
let cleanup: () => Promise<void>;
let edits: AccountEdits;
let providers: SavedProviders;
const clock = { now: () => 1000 };

const input = {
  id: 'shop',
  name: 'Shop',
  grant: 'client_credentials' as const,
  endpoints: { token: 'https://shop.test/token' },
  client: { registration: 'static' as const, clientId: 'c', auth: 'client_secret_post' as const },
  use: { apiBase: 'https://api.shop.test' },
};

function account(id: string, subject: string | null, receivedAt: number): StoredAccount {
  return {
    id,
    providerId: 'shop',
    subject,
    label: id,
    grant: 'client_credentials',
    tokenType: 'Bearer',
    scopes: [],
    expiresAt: null,
    receivedAt,
    hasRefreshToken: true,
    createdAt: receivedAt,
    updatedAt: receivedAt,
  };
}

async function seed(...accounts: StoredAccount[]): Promise<void> {
  await vault.update((tx) => {
    for (const a of accounts) {
      putAccount(tx, a);
      writeTokens(tx, a.id, { accessToken: `access-${a.id}`, refreshToken: `refresh-${a.id}` });
    }
  });
}

beforeEach(async () => {
  const temp = await makeTempRoot();
  cleanup = temp.cleanup;
  vault = await Vault.create(temp.root, testPassphraseSlot());
  providers = new SavedProviders(vault, nullLogger, clock);
  await providers.save({ profile: input, clientSecret: 'old-client-secret-1' });
  const manager = { track: async () => undefined, untrack: () => undefined };
  const feed = new AccountFeed({
    vault,
    status: () => ({ state: 'fresh', reason: 'ok' }),
    recheck: async () => undefined,
    bus: new EventBus(nullLogger),
    logger: nullLogger,
  });
  edits = new AccountEdits({
    vault,
    history: createHistoryStore(vault),
    manager: manager as unknown as TokenManager,
    feed,
    logger: nullLogger,
    clock,
  });
});

afterEach(async () => {
  await cleanup();
});

describe('account edits', () => {
  it('merges a possible duplicate: the newer tokens win and the other account goes', async () => {
    await seed(account('shop-keep', 'ada', 1), account('shop-other', null, 5));
    await vault.update((tx) =>
      putProvider(tx, { ...readProvider(tx, 'shop'), defaultAccount: 'shop-other' }),
    );
    const merged = await edits.merge('shop-keep', 'shop-other');
    expect(merged).toMatchObject({ id: 'shop-keep', subject: 'ada', isDefault: true });
    const view = await vault.read();
    expect(listAccounts(view).map((a) => a.id)).toEqual(['shop-keep']);
    expect(readTokens(view, 'shop-keep').accessToken).toBe('access-shop-other');
  });

  it('never merges two different subjects, nor across providers', async () => {
    await seed(account('shop-a', 'ada', 1), account('shop-b', 'bob', 2));
    expect((await failure(edits.merge('shop-a', 'shop-b'))).code).toBe('identity_mismatch');
    expect(listAccounts(await vault.read())).toHaveLength(2);
    expect((await failure(edits.merge('shop-a', 'shop-a'))).code).toBe('invalid_input');
  });

  it('renames with a label the user gives, refusing control characters', async () => {
    await seed(account('shop-a', null, 1));
    expect((await edits.rename('shop-a', '  Staging  ')).label).toBe('Staging');
    expect(readAccount(await vault.read(), 'shop-a').labelByUser).toBe(true);
    expect((await failure(edits.rename('shop-a', 'bad\u001b[2J'))).code).toBe('invalid_input');
  });

  it('makes one account the provider’s default', async () => {
    await seed(account('shop-a', null, 1), account('shop-b', null, 2));
    expect((await edits.setDefault('shop-b')).isDefault).toBe(true);
    expect(readProvider(await vault.read(), 'shop').defaultAccount).toBe('shop-b');
  });
});

describe('provider edits (SECURITY 42)', () => {
  it('keeps everything when only the API base, headers or name change', async () => {
    await seed(account('shop-a', 'c', 1));
    const edit = { ...input, name: 'Shop 2', use: { apiBase: 'https://v2.shop.test' } };
    expect((await providers.preview(edit)).message).toBe('');
    await providers.save({ profile: edit });
    const view = await vault.read();
    expect(view.hasSecret(clientSecretRecord('shop'))).toBe(true);
    expect(readTokens(view, 'shop-a').refreshToken).toBe('refresh-shop-a');
  });

  it('refuses, unconfirmed, an edit that moves the token URL, and drops every secret when confirmed', async () => {
    await seed(account('shop-a', 'c', 1));
    const edit = { ...input, endpoints: { token: 'https://elsewhere.test/token' } };
    const preview = await providers.preview(edit);
    expect(preview).toMatchObject({
      changed: ['endpoints.token'],
      accountsToReconnect: [{ id: 'shop-a', label: 'shop-a' }],
      dropsClientSecret: true,
    });
    expect(preview.message).toContain('1 account will need to connect again');
    const refused = await failure(providers.save({ profile: edit }));
    expect(refused.code).toBe('confirmation_required');
    expect((await vault.read()).hasSecret(clientSecretRecord('shop'))).toBe(true);

    await providers.save({ profile: edit, confirmDrops: true });
    const view = await vault.read();
    expect(view.hasSecret(clientSecretRecord('shop'))).toBe(false);
    expect(view.hasSecret(registrationTokenRecord('shop'))).toBe(false);
    expect(readProvider(view, 'shop').profile.client.hasSecret).toBe(false);
    expect(readAccount(view, 'shop-a').reauthReason).toMatch(/Connect the account again/);
    expect((await failure(Promise.resolve().then(() => readTokens(view, 'shop-a')))).code).toBe(
      'needs_reauth',
    );
  });

  it('keeps a client secret given with the edit, and asks nothing when no account is affected', async () => {
    const edit = { ...input, client: { ...input.client, clientId: 'other-client' } };
    await providers.save({ profile: edit, clientSecret: 'new-client-secret-2' });
    expect((await vault.read()).getSecret(clientSecretRecord('shop'))).toBe('new-client-secret-2');
  });

  it('refuses to add over an existing provider unless editing', async () => {
    const error = await failure(providers.save({ profile: input, create: true }));
    expect(error.code).toBe('conflict');
    expect(error.details.reason).toBe('exists');
    expect(validateProfile(input).id).toBe('shop');
  });
});
