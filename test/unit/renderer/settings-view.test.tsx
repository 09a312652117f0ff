// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VaultStatus } from '../../../src-preload/contract';
import { useStore } from '../../../src-renderer/store';
import { fakeApi } from './fake-api';
import { alerts, button, click, field, renderApp, typeInto, type Rendered } from './dom';

const initialState = useStore.getState();
let rendered: Rendered | null = null;

const WARNING = 'basic_text keeps the vault key with a fixed password: that is not encryption.';
const PATH = '/home/dev/.config/Tokendeck/vault.json';

function unlocked(slots: VaultStatus['slots'], extra: Partial<VaultStatus> = {}): VaultStatus {
  return { state: 'unlocked', path: PATH, slots, ...extra };
}

async function openSettings(fake: ReturnType<typeof fakeApi>) {
  rendered = await renderApp(fake);
  const { container } = rendered;
  await click(button(container, 'Settings'));
  return container;
}

function section(container: HTMLElement, title: string): HTMLElement {
  const heading = [...container.querySelectorAll('h2')].find((h) => h.textContent === title);
  const found = heading?.closest('section');
  if (!found) throw new Error(`No section "${title}".`);
  return found;
}

function slotNames(container: HTMLElement): string[] {
  return [...container.querySelectorAll('ul[aria-label="Key slots"] .slot__name')].map(
    (name) => name.firstChild?.textContent ?? '',
  );
}

function toast(container: HTMLElement): string | null {
  return container.querySelector('.toast')?.textContent ?? null;
}

beforeEach(() => useStore.setState(initialState, true));

afterEach(async () => {
  await rendered?.unmount();
  rendered = null;
});

describe('settings: command-line access', () => {
  it('explains the passphrase, says none is set, and sets one', async () => {
    const fake = fakeApi({
      getVaultStatus: async () => ({
        ok: true,
        value: unlocked(['os-keychain'], { keychainWarning: WARNING }),
      }),
      setPassphrase: async () => ({
        ok: true,
        value: unlocked(['os-keychain', 'passphrase'], { keychainWarning: WARNING }),
      }),
    });
    const container = await openSettings(fake);
    const cli = section(container, 'Command-line access');
    expect(cli.textContent).toContain('headless machines');
    expect(cli.textContent).toContain('No passphrase is set');
    expect(slotNames(container)).toEqual(['OS keychain']);

    await click(button(container, 'Set passphrase'));
    await typeInto(field(container, 'Set a passphrase', 'Passphrase'), 'correct horse battery');
    await typeInto(field(container, 'Set a passphrase', 'Repeat passphrase'), 'correct horse');
    await click(button(container, 'Set passphrase'));
    expect(alerts(cli)).toEqual(['The two passphrases do not match.']);
    expect(fake.mocks.setPassphrase).not.toHaveBeenCalled();

    await typeInto(
      field(container, 'Set a passphrase', 'Repeat passphrase'),
      'correct horse battery',
    );
    await click(button(container, 'Set passphrase'));
    expect(fake.mocks.setPassphrase).toHaveBeenCalledWith({ passphrase: 'correct horse battery' });
    expect(cli.textContent).toContain('A passphrase is set');
    expect(cli.querySelector('form')).toBeNull();
    expect(slotNames(container)).toEqual(['OS keychain', 'Passphrase']);
    expect(toast(container)).toBe('Passphrase set');
  });

  it('cancels the form without calling main', async () => {
    const fake = fakeApi({
      getVaultStatus: async () => ({ ok: true, value: unlocked(['os-keychain']) }),
    });
    const container = await openSettings(fake);
    await click(button(container, 'Set passphrase'));
    await click(button(container, 'Cancel'));
    expect(container.querySelector('form:not([aria-label="Network"])')).toBeNull();
    expect(fake.mocks.setPassphrase).not.toHaveBeenCalled();
  });

  it('asks before removing, and shows main’s refusal for the last slot', async () => {
    const refusal = 'The last key slot cannot be removed; the vault could never be opened again.';
    const fake = fakeApi({
      getVaultStatus: async () => ({ ok: true, value: unlocked(['passphrase']) }),
      removePassphrase: async () => ({ ok: false, code: 'invalid_input', message: refusal }),
    });
    const container = await openSettings(fake);
    await click(button(container, 'Remove passphrase'));
    expect(fake.mocks.removePassphrase).not.toHaveBeenCalled();
    const confirm = container.querySelector('[role="group"][aria-label="Remove the passphrase"]');
    expect(confirm?.textContent).toContain('will no longer be able to unlock this vault');

    await click(button(container, 'Yes, remove passphrase'));
    expect(fake.mocks.removePassphrase).toHaveBeenCalledTimes(1);
    expect(alerts(container)).toEqual([refusal]);
    expect(confirm?.textContent).not.toContain('Yes, remove passphrase');
    expect(section(container, 'Command-line access').textContent).toContain('A passphrase is set');
    await click(button(container, 'Close'));
    expect(alerts(container)).toEqual([]);
  });

  it('removes the passphrase when another slot remains', async () => {
    const fake = fakeApi({
      getVaultStatus: async () => ({ ok: true, value: unlocked(['os-keychain', 'passphrase']) }),
      removePassphrase: async () => ({ ok: true, value: unlocked(['os-keychain']) }),
    });
    const container = await openSettings(fake);
    await click(button(container, 'Remove passphrase'));
    await click(button(container, 'Yes, remove passphrase'));
    expect(section(container, 'Command-line access').textContent).toContain('No passphrase is set');
    expect(slotNames(container)).toEqual(['OS keychain']);
    expect(toast(container)).toBe('Passphrase removed');
  });
});

describe('settings: encryption', () => {
  it('lists the slots in plain words, with the keychain warning', async () => {
    const fake = fakeApi({
      getVaultStatus: async () => ({
        ok: true,
        value: unlocked(['os-keychain', 'passphrase'], { keychainWarning: WARNING }),
      }),
    });
    const container = await openSettings(fake);
    const encryption = section(container, 'Encryption');
    expect(slotNames(container)).toEqual(['OS keychain', 'Passphrase']);
    expect(encryption.textContent).toContain('Not secure');
    expect(encryption.textContent).toContain(WARNING);
    expect(encryption.textContent).toContain(PATH);
  });

  it('shows no warning for a secure keychain, and follows status events', async () => {
    const fake = fakeApi({
      getVaultStatus: async () => ({ ok: true, value: unlocked(['os-keychain']) }),
    });
    const container = await openSettings(fake);
    const encryption = section(container, 'Encryption');
    expect(encryption.textContent).not.toContain('Not secure');
    await act(async () => fake.emit('vaultStatusChanged', unlocked(['os-keychain', 'passphrase'])));
    expect(slotNames(container)).toEqual(['OS keychain', 'Passphrase']);
  });
});

describe('settings: open at login', () => {
  it('shows the saved choice and saves a change at once', async () => {
    const saved = {
      copyMinTtlSeconds: 300,
      clipboardClearSeconds: 45,
      theme: 'system',
      openAtLogin: true,
    };
    const fake = fakeApi({ saveSettings: async () => ({ ok: true, value: saved }) });
    const container = await openSettings(fake);
    const preferences = section(container, 'Copying and appearance');
    const toggle = [...preferences.querySelectorAll('label')].find(
      (label) => label.textContent === 'Open at login',
    )?.control as HTMLInputElement | null;
    expect(toggle?.checked).toBe(false);
    await click(toggle);
    expect(fake.mocks.saveSettings).toHaveBeenCalledWith({ openAtLogin: true });
    expect(toggle?.checked).toBe(true);
  });

  it('puts the box back and says why when main refuses the change', async () => {
    const fake = fakeApi({
      saveSettings: async () => ({
        ok: false,
        code: 'internal',
        message: 'Could not save the preferences.',
      }),
    });
    const container = await openSettings(fake);
    const preferences = section(container, 'Copying and appearance');
    const toggle = preferences.querySelector<HTMLInputElement>('input[type="checkbox"]');
    await click(toggle);
    expect(toggle?.checked).toBe(false);
    expect(alerts(preferences)).toEqual(['Could not save the preferences.']);
  });
});
