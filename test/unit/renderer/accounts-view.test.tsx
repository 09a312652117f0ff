// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src-renderer/components/app';
import { useStore } from '../../../src-renderer/store';
import { account, fakeApi } from './fake-api';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const initialState = useStore.getState();
let container: HTMLElement;
let root: Root;

async function render(fake: ReturnType<typeof fakeApi>) {
  window.tokendeck = fake.api;
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root.render(<App />));
}

// happy-dom has no layout; the virtual list measures its viewport with clientWidth/Height.
const sizes = ['clientWidth', 'clientHeight'] as const;
beforeEach(() => {
  useStore.setState(initialState, true);
  for (const size of sizes) {
    Object.defineProperty(HTMLElement.prototype, size, {
      configurable: true,
      get: () => (size === 'clientWidth' ? 1000 : 720),
    });
  }
});
afterEach(() => {
  for (const size of sizes)
    delete (HTMLElement.prototype as unknown as Record<string, unknown>)[size];
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  delete window.tokendeck;
});

describe('accounts view', () => {
  it('shows the empty state after loading accounts and providers', async () => {
    const fake = fakeApi();
    await render(fake);
    expect(fake.mocks.listAccounts).toHaveBeenCalled();
    expect(fake.mocks.listProviders).toHaveBeenCalled();
    expect(container.textContent).toContain('No accounts yet');
    expect(container.textContent).toContain('tokendeck connect <provider>');
    expect(container.textContent).toContain('Vault unlocked');
  });

  it('lists accounts with status, expiry, scopes and a working Copy button', async () => {
    const fake = fakeApi({
      listAccounts: async () => ({
        ok: true,
        value: [
          account(),
          account({
            id: 'acc-2',
            label: 'ci-bot',
            expiresAt: null,
            scopes: [],
            status: { state: 'no-expiry', reason: '' },
          }),
        ],
      }),
    });
    await render(fake);
    expect(container.querySelector('.group-header')?.textContent).toContain('Acme');
    const rows = container.querySelectorAll('[data-account-id]');
    expect(rows).toHaveLength(2);
    const fresh = container.querySelector('[data-account-id="acc-1"]');
    const forever = container.querySelector('[data-account-id="acc-2"]');
    expect(fresh?.textContent).toContain('dev@acme.test');
    expect(fresh?.textContent).toContain('Fresh');
    expect(fresh?.textContent).toContain('The token is fresh.');
    expect(fresh?.textContent).toMatch(/in 52m \d\ds/);
    expect(fresh?.textContent).toContain('renewed 7 min ago');
    expect(fresh?.textContent).toContain('read');
    expect(forever?.textContent).toContain('never');
    expect(fresh?.querySelector('.badge--fresh')).not.toBeNull();
    expect(forever?.querySelector('.badge--no-expiry')).not.toBeNull();

    const copy = fresh?.querySelector('button');
    await act(async () => copy?.click());
    expect(fake.mocks.copyToken).toHaveBeenCalledWith({ accountId: 'acc-1', format: 'token' });
    expect(container.textContent).toContain('Token copied');
  });

  it('shows a load error inline', async () => {
    await render(
      fakeApi({
        listAccounts: async () => ({
          ok: false,
          code: 'vault_locked',
          message: 'The vault is locked.',
        }),
      }),
    );
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('The vault is locked.');
  });

  it('follows accountChanged and accountRemoved events', async () => {
    const fake = fakeApi();
    await render(fake);
    await act(async () => fake.emit('accountChanged', account({ label: 'from-event' })));
    expect(container.textContent).toContain('from-event');
    expect(container.textContent).not.toContain('No accounts yet');
    await act(async () => fake.emit('accountRemoved', { accountId: 'acc-1' }));
    expect(container.textContent).not.toContain('from-event');
  });

  it('switches to the providers, console and settings views', async () => {
    await render(fakeApi());
    const buttons = [...container.querySelectorAll('nav button')] as HTMLButtonElement[];
    expect(buttons.map((button) => button.textContent)).toEqual([
      'Accounts',
      'Providers',
      'Console',
      'Settings',
    ]);
    await act(async () => buttons[1]?.click());
    expect(container.textContent).toContain('No providers yet');
    // The console is a lazy chunk: loaded here first, so that one act() shows it.
    await import('../../../src-renderer/components/console/console-screen');
    await act(async () => buttons[2]?.click());
    await vi.waitFor(
      async () => {
        await act(async () => undefined);
        expect(container.textContent).toContain('Try REST and GraphQL requests');
      },
      { timeout: 10_000 },
    );
    await act(async () => buttons[3]?.click());
    expect(container.textContent).toContain('Command-line access');
  });
});
