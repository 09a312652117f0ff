import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src-renderer/store';
import { account, fakeApi } from './fake-api';

describe('store slices', () => {
  it('loads accounts and providers into one store', async () => {
    const fake = fakeApi({
      listAccounts: async () => ({ ok: true, value: [account()] }),
    });
    const store = createAppStore(() => fake.api);
    expect(store.getState().accountsStatus).toBe('idle');
    await store.getState().loadAccounts();
    await store.getState().loadProviders();
    expect(store.getState().accountOrder).toEqual(['acc-1']);
    expect(store.getState().accountsStatus).toBe('ready');
    expect(store.getState().providersStatus).toBe('ready');
  });

  it('keeps an error as text when a call fails', async () => {
    const fake = fakeApi({
      listAccounts: async () => ({
        ok: false,
        code: 'vault_locked',
        message: 'The vault is locked.',
      }),
    });
    const store = createAppStore(() => fake.api);
    await store.getState().loadAccounts();
    expect(store.getState().accountsStatus).toBe('error');
    expect(store.getState().accountsError).toBe('The vault is locked.');
  });

  it('reports a missing bridge clearly', async () => {
    const store = createAppStore();
    await store.getState().loadAccounts();
    expect(store.getState().accountsError).toMatch(/bridge is missing/);
  });

  it('upserts and drops accounts from events, in one stable order', () => {
    const store = createAppStore(() => fakeApi().api);
    const labels = () =>
      store.getState().accountOrder.map((id) => store.getState().accountsById[id]?.label);
    store.getState().upsertAccount(account());
    store.getState().upsertAccount(account({ label: 'renamed' }));
    store.getState().upsertAccount(account({ id: 'acc-2' }));
    store.getState().upsertAccount(account({ id: 'acc-3', providerName: 'Aardvark' }));
    expect(labels()).toEqual(['dev@acme.test', 'dev@acme.test', 'renamed']);
    expect(store.getState().accountOrder).toEqual(['acc-3', 'acc-2', 'acc-1']);

    // A status change keeps the order array itself, so the list does not regroup.
    const order = store.getState().accountOrder;
    store
      .getState()
      .upsertAccount(account({ id: 'acc-2', status: { state: 'expiring', reason: 'soon' } }));
    expect(store.getState().accountOrder).toBe(order);

    store.getState().dropAccount('acc-1');
    expect(store.getState().accountOrder).toEqual(['acc-3', 'acc-2']);
  });

  it('copies a token: a toast on success, an inline error on failure', async () => {
    const fake = fakeApi();
    const store = createAppStore(() => fake.api);
    expect(await store.getState().copyToken('acc-1')).toBe(true);
    expect(fake.mocks.copyToken).toHaveBeenCalledWith({ accountId: 'acc-1', format: 'token' });
    expect(store.getState().toast?.text).toBe('Token copied');

    fake.mocks.copyToken?.mockResolvedValueOnce({
      ok: true,
      value: { expiresAt: null, clearsAfterSeconds: 45 },
    });
    await store.getState().copyToken('acc-1', 'header');
    expect(store.getState().toast?.text).toBe('Header copied — clears in 45 s');

    fake.mocks.copyToken?.mockResolvedValueOnce({
      ok: false,
      code: 'needs_reauth',
      message: 'Sign in again to use this account.',
    });
    expect(await store.getState().copyToken('acc-1')).toBe(false);
    expect(store.getState().accountErrors['acc-1']).toBe('Sign in again to use this account.');
  });

  it('never keeps a token in state', async () => {
    const fake = fakeApi();
    const store = createAppStore(() => fake.api);
    await store.getState().copyToken('acc-1');
    expect(JSON.stringify(store.getState())).not.toMatch(/accessToken|refreshToken/);
  });
});
