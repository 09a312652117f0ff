import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAccount } from '../../../src-main/core/account-refs';
import type { AccountIdentity } from '../../../src-main/core/flows';
import type { TokenSet } from '../../../src-main/core/model';
import { validateProfile, type ProviderProfile } from '../../../src-main/core/providers';
import {
  listAccounts,
  newAccountId,
  putAccount,
  putProvider,
  readTokens,
} from '../../../src-main/core/records';
import { nameLater, settleSignIn, storeSignIn } from '../../../src-main/core/sign-ins';
import { Vault } from '../../../src-main/core/vault';
import { failure } from '../../helpers/expect-error';
import { makeTempRoot, testPassphraseSlot } from '../../helpers/vault-fixtures';

/**
 * Where a sign-in's tokens go (SECURITY 41, 43), and how a typed name finds an account, on a real
 * vault: one account per proven subject, never a merge on a guess.
 */

let vault: Vault;
let cleanup: () => Promise<void>;

const profile: ProviderProfile = validateProfile({
  id: 'shop',
  name: 'Shop',
  grant: 'authorization_code',
  endpoints: { authorization: 'https://shop.test/a', token: 'https://shop.test/t' },
  client: { registration: 'static', clientId: 'c', auth: 'none' },
});

const tokens = (accessToken: string, receivedAt = 1): TokenSet => ({
  accessToken,
  tokenType: 'Bearer',
  expiresAt: null,
  receivedAt,
  scopes: [],
});
const unproven: AccountIdentity = { subject: null, identifiedBy: null, label: null };
const proven = (subject: string, label = subject): AccountIdentity => ({
  subject,
  identifiedBy: 'sub',
  label,
});

/** Stores a sign-in and settles it, as a connect does; returns the id or throws the refusal. */
async function signIn(
  accessToken: string,
  identity: AccountIdentity,
  chosenId?: string,
): Promise<string> {
  const stored = await vault.update((tx) => storeSignIn(tx, profile, tokens(accessToken), 1));
  const settled = await vault.update((tx) =>
    settleSignIn(tx, { storedId: stored.id, identity, ...(chosenId ? { chosenId } : {}), now: 2 }),
  );
  if ('refused' in settled) throw settled.refused;
  return settled.accountId;
}

const accessTokenOf = async (id: string) => readTokens(await vault.read(), id).accessToken;

beforeEach(async () => {
  const temp = await makeTempRoot();
  cleanup = temp.cleanup;
  vault = await Vault.create(temp.root, testPassphraseSlot());
  await vault.update((tx) => putProvider(tx, { profile, updatedAt: 0 }));
});

afterEach(async () => {
  await cleanup();
});

describe('sign-ins', () => {
  it('makes a new account for every sign-in that proves nothing', async () => {
    const first = await signIn('token-one-1111', unproven);
    const second = await signIn('token-two-2222', unproven);
    expect(first).not.toBe(second);
    const labels = listAccounts(await vault.read()).map((a) => a.label);
    expect(labels.sort()).toEqual(['Shop account 1', 'Shop account 2']);
    expect(await accessTokenOf(first)).toBe('token-one-1111');
  });

  it('updates the account of a proven subject instead of adding one', async () => {
    const first = await signIn('token-one-1111', proven('ada', 'Ada'));
    expect(await signIn('token-two-2222', proven('ada', 'Ada L.'))).toBe(first);
    const [account] = listAccounts(await vault.read());
    expect(account).toMatchObject({ id: first, subject: 'ada', label: 'Ada L.' });
    expect(await accessTokenOf(first)).toBe('token-two-2222');
  });

  it('refuses a reconnect that proves another subject, and keeps the old tokens', async () => {
    const ada = await signIn('token-ada-1111', proven('ada'));
    const error = await failure(signIn('token-bob-2222', proven('bob'), ada));
    expect(error.code).toBe('identity_mismatch');
    expect(await accessTokenOf(ada)).toBe('token-ada-1111');
    expect(listAccounts(await vault.read())).toHaveLength(1);
  });

  it('reconnects a chosen account when the sign-in proves nothing', async () => {
    const chosen = await signIn('token-one-1111', unproven);
    await signIn('token-two-2222', unproven);
    expect(await signIn('token-three-3333', unproven, chosen)).toBe(chosen);
    expect(await accessTokenOf(chosen)).toBe('token-three-3333');
    expect(listAccounts(await vault.read())).toHaveLength(2);
  });

  it('never merges when proof arrives later; both accounts keep their tokens', async () => {
    const named = await signIn('token-one-1111', proven('ada'));
    const unnamed = await signIn('token-two-2222', unproven);
    await vault.update((tx) => nameLater(tx, unnamed, proven('ada', 'Ada'), 3));
    const accounts = listAccounts(await vault.read());
    expect(accounts.map((a) => a.subject)).toEqual(['ada', 'ada']);
    expect(await accessTokenOf(named)).toBe('token-one-1111');
    expect(await accessTokenOf(unnamed)).toBe('token-two-2222');
  });

  it('keeps a label the user gave when the provider names the account later', async () => {
    const id = await signIn('token-one-1111', unproven);
    await vault.update((tx) => {
      const account = listAccounts(tx)[0]!;
      putAccount(tx, { ...account, label: 'mine', labelByUser: true });
    });
    await vault.update((tx) => nameLater(tx, id, proven('ada', 'Ada'), 3));
    expect(listAccounts(await vault.read())[0]).toMatchObject({ label: 'mine', subject: 'ada' });
  });

  it('draws a new account id when one is taken (SECURITY 43)', () => {
    const seen: string[] = [];
    const id = newAccountId('shop', (candidate) => {
      seen.push(candidate);
      return seen.length < 3;
    });
    expect(seen).toHaveLength(3);
    expect(id).toBe(seen[2]);
    expect(id).toMatch(/^shop-[a-z2-7]{20}$/);
    expect(new Set(seen).size).toBe(3);
  });
});

describe('resolving what the user typed', () => {
  it('takes an id, then a provider’s default or only account, then a unique label', async () => {
    const only = await signIn('token-one-1111', proven('ada', 'Ada'));
    let view = await vault.read();
    expect(resolveAccount(view, only).id).toBe(only);
    expect(resolveAccount(view, 'shop').id).toBe(only);
    expect(resolveAccount(view, 'Ada').id).toBe(only);

    const other = await signIn('token-two-2222', proven('bob', 'Bob'));
    view = await vault.read();
    const ambiguous = await failure(Promise.resolve().then(() => resolveAccount(view, 'shop')));
    expect(ambiguous.code).toBe('invalid_input');
    expect(ambiguous.message).toContain(only);
    expect(ambiguous.message).toContain(other);

    await vault.update((tx) => {
      const provider = tx.get('providers', 'shop') as object;
      tx.put('providers', 'shop', { ...provider, defaultAccount: other });
    });
    expect(resolveAccount(await vault.read(), 'shop').id).toBe(other);
  });

  it('lets a provider id mean its signed-in account, not a token-exchange child of it', async () => {
    const parent = await signIn('token-one-1111', proven('ada', 'Ada'));
    const childId = `${parent}-child`;
    await vault.update((tx) => {
      const own = listAccounts(tx).find((account) => account.id === parent)!;
      putAccount(tx, {
        ...own,
        id: childId,
        label: 'Ada → api',
        exchange: { parentId: parent, audience: 'api', scopes: [] },
      });
    });
    const view = await vault.read();
    expect(resolveAccount(view, 'shop').id).toBe(parent);
    expect(resolveAccount(view, 'Ada → api').id).toBe(childId);
  });

  it('never lets a label a server chose win over a provider id', async () => {
    const other = validateProfile({ ...profile, id: 'github', name: 'GitHub' });
    await vault.update((tx) => putProvider(tx, { profile: other, updatedAt: 0 }));
    await signIn('token-one-1111', proven('ada', 'github'));
    const error = await failure(vault.read().then((view) => resolveAccount(view, 'github')));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('Provider "github" has no account');
  });
});
