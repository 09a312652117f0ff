// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VaultStatus } from '../../../src-preload/contract';
import { useStore } from '../../../src-renderer/store';
import { fakeApi } from './fake-api';
import { alerts, button, click, field, renderApp, typeInto, type Rendered } from './dom';

const initialState = useStore.getState();
let rendered: Rendered | null = null;

const WARNING =
  'Your system has no keyring that Tokendeck can use, so the OS keychain would keep the vault key with a fixed, well-known password: that is not encryption.';

function status(overrides: Partial<VaultStatus>): VaultStatus {
  return {
    state: 'unlocked',
    path: '/home/dev/.config/Tokendeck/vault.json',
    slots: [],
    ...overrides,
  };
}

function withStatus(initial: VaultStatus, overrides: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    getVaultStatus: async () => ({ ok: true, value: initial }),
    ...overrides,
  });
}

async function render(fake: ReturnType<typeof fakeApi>) {
  rendered = await renderApp(fake);
  return rendered.container;
}

beforeEach(() => useStore.setState(initialState, true));

afterEach(async () => {
  await rendered?.unmount();
  rendered = null;
});

describe('needs-setup: no secure keyring', () => {
  const needsSetup = status({ state: 'needs-setup', keychainWarning: WARNING });
  const PASSPHRASE_FORM = 'Protect with a passphrase';

  it('says the keyring is not secure, with main’s warning, and hides the normal views', async () => {
    const container = await render(withStatus(needsSetup));
    expect(container.querySelector('h1')?.textContent).toBe('Set up your vault');
    expect(container.textContent).toContain('The system keyring is not secure here');
    expect(container.textContent).toContain(WARNING);
    expect(container.querySelector('nav')).toBeNull();
    expect(container.textContent).toContain('Vault not set up');
  });

  it('offers only the passphrase when there is no OS keychain at all', async () => {
    const container = await render(withStatus(status({ ...needsSetup, keychainAvailable: false })));
    expect(container.querySelector('form[aria-label="Protect with a passphrase"]')).not.toBeNull();
    expect(container.querySelector('form[aria-label="Use the unprotected keychain"]')).toBeNull();
  });

  it('refuses a short passphrase beside the field and sends nothing', async () => {
    const fake = withStatus(needsSetup);
    const container = await render(fake);
    await typeInto(field(container, PASSPHRASE_FORM, 'Passphrase'), 'short');
    await typeInto(field(container, PASSPHRASE_FORM, 'Repeat passphrase'), 'short');
    await click(button(container, 'Protect with passphrase'));
    const passphrase = field(container, PASSPHRASE_FORM, 'Passphrase');
    expect(passphrase.getAttribute('aria-invalid')).toBe('true');
    const describedBy = passphrase.getAttribute('aria-describedby') ?? '';
    expect(container.querySelector(`[id="${describedBy}"]`)?.textContent).toBe(
      'Use at least 8 characters.',
    );
    expect(fake.mocks.setPassphrase).not.toHaveBeenCalled();
  });

  it('refuses a repeat that does not match, beside the repeat field', async () => {
    const fake = withStatus(needsSetup);
    const container = await render(fake);
    await typeInto(field(container, PASSPHRASE_FORM, 'Passphrase'), 'correct horse battery');
    await typeInto(field(container, PASSPHRASE_FORM, 'Repeat passphrase'), 'correct horse batery');
    await click(button(container, 'Protect with passphrase'));
    const repeat = field(container, PASSPHRASE_FORM, 'Repeat passphrase');
    expect(repeat.getAttribute('aria-invalid')).toBe('true');
    expect(alerts(container)).toEqual(['The two passphrases do not match.']);
    expect(document.activeElement).toBe(repeat);
    expect(fake.mocks.setPassphrase).not.toHaveBeenCalled();
  });

  it('sets the passphrase and shows the accounts view once main says unlocked', async () => {
    const fake = withStatus(needsSetup, {
      setPassphrase: async () => ({
        ok: true,
        value: status({ slots: ['passphrase'], keychainWarning: WARNING }),
      }),
    });
    const container = await render(fake);
    await typeInto(field(container, PASSPHRASE_FORM, 'Passphrase'), 'correct horse battery');
    await typeInto(field(container, PASSPHRASE_FORM, 'Repeat passphrase'), 'correct horse battery');
    await click(button(container, 'Protect with passphrase'));
    expect(fake.mocks.setPassphrase).toHaveBeenCalledWith({ passphrase: 'correct horse battery' });
    expect(container.querySelector('nav')).not.toBeNull();
    expect(container.textContent).toContain('No accounts yet');
  });

  it('shows main’s refusal under the form and keeps what was typed', async () => {
    const fake = withStatus(needsSetup, {
      setPassphrase: async () => ({
        ok: false,
        code: 'vault_io',
        message: 'The data folder is not writable.',
      }),
    });
    const container = await render(fake);
    await typeInto(field(container, PASSPHRASE_FORM, 'Passphrase'), 'correct horse battery');
    await typeInto(field(container, PASSPHRASE_FORM, 'Repeat passphrase'), 'correct horse battery');
    await click(button(container, 'Protect with passphrase'));
    expect(alerts(container)).toEqual(['The data folder is not writable.']);
    expect(field(container, PASSPHRASE_FORM, 'Passphrase').value).toBe('correct horse battery');
    expect(container.querySelector('nav')).toBeNull();
  });

  it('offers the unprotected keychain only after the explicit checkbox', async () => {
    const fake = withStatus(needsSetup, {
      allowInsecureKeychain: async () => ({
        ok: true,
        value: status({ slots: ['os-keychain'], keychainWarning: WARNING }),
      }),
    });
    const container = await render(fake);
    const form = container.querySelector('form[aria-label="Use the unprotected keychain"]');
    const checkbox = form?.querySelector('input[type="checkbox"]');
    const label = form?.querySelector(`label[for="${checkbox?.id}"]`);
    expect(label?.textContent).toMatch(/readable by anyone with access to this user account/);
    const use = button(container, 'Use the unprotected keychain');
    expect(use.disabled).toBe(true);
    await click(use);
    expect(fake.mocks.allowInsecureKeychain).not.toHaveBeenCalled();

    await click(checkbox);
    expect(use.disabled).toBe(false);
    await click(use);
    expect(fake.mocks.allowInsecureKeychain).toHaveBeenCalledWith({ confirm: true });
    expect(container.textContent).toContain('No accounts yet');
  });
});

describe('locked: a passphrase-only vault', () => {
  const locked = status({ state: 'locked', slots: ['passphrase'] });
  const FORM = 'Unlock the vault';

  it('asks for the passphrase and does not send an empty one', async () => {
    const fake = withStatus(locked);
    const container = await render(fake);
    expect(container.querySelector('h1')?.textContent).toBe('Unlock your vault');
    expect(container.textContent).toContain(locked.path);
    await click(button(container, 'Unlock'));
    expect(alerts(container)).toEqual(['Enter your passphrase.']);
    expect(fake.mocks.unlockWithPassphrase).not.toHaveBeenCalled();
  });

  it('shows a wrong passphrase inline and keeps the field', async () => {
    const fake = withStatus(locked, {
      unlockWithPassphrase: async () => ({
        ok: false,
        code: 'vault_wrong_passphrase',
        message: 'The passphrase is wrong.',
      }),
    });
    const container = await render(fake);
    await typeInto(field(container, FORM, 'Passphrase'), 'not it');
    await click(button(container, 'Unlock'));
    expect(fake.mocks.unlockWithPassphrase).toHaveBeenCalledWith({ passphrase: 'not it' });
    expect(alerts(container)).toEqual(['The passphrase is wrong.']);
    const input = field(container, FORM, 'Passphrase');
    expect(input.value).toBe('not it');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input);
  });

  it('shows the accounts view after unlocking', async () => {
    const fake = withStatus(locked, {
      unlockWithPassphrase: async () => ({ ok: true, value: status({ slots: ['passphrase'] }) }),
    });
    const container = await render(fake);
    await typeInto(field(container, FORM, 'Passphrase'), 'correct horse battery');
    await click(button(container, 'Unlock'));
    expect(container.textContent).toContain('No accounts yet');
    expect(container.textContent).toContain('Vault unlocked');
  });

  it('follows vaultStatusChanged (another window or the CLI unlocked it)', async () => {
    const fake = withStatus(locked);
    const container = await render(fake);
    const { act } = await import('react');
    await act(async () => fake.emit('vaultStatusChanged', status({ slots: ['passphrase'] })));
    expect(container.textContent).toContain('No accounts yet');
  });
});

describe('recovery', () => {
  const problem =
    'The vault file /data/vault.json cannot be read. It has been kept unchanged; restore a backup or move it aside.';
  const recovery = status({ state: 'recovery', path: '/data/<odd> & "name"/vault.json', problem });

  it('shows the problem and the path verbatim, says nothing was deleted, and offers no reset', async () => {
    const container = await render(withStatus(recovery));
    expect(container.textContent).toContain(problem);
    const paths = [...container.querySelectorAll('code.path')].map((code) => code.textContent);
    expect(paths).toContain('/data/<odd> & "name"/vault.json');
    expect(container.textContent).toContain('Nothing was deleted');
    const labels = [...container.querySelectorAll('button')].map((b) => b.textContent ?? '');
    expect(labels.some((label) => /reset|delete/i.test(label))).toBe(false);
    expect(container.querySelector('nav')).toBeNull();
  });

  it('unlocks with the command-line passphrase and shows its error inline', async () => {
    const fake = withStatus(recovery, {
      unlockWithPassphrase: async () => ({
        ok: false,
        code: 'vault_corrupt',
        message: 'The vault file is not valid JSON.',
      }),
    });
    const container = await render(fake);
    await typeInto(
      field(container, 'Unlock with your command-line passphrase', 'Passphrase'),
      'correct horse battery',
    );
    await click(button(container, 'Unlock'));
    expect(fake.mocks.unlockWithPassphrase).toHaveBeenCalledWith({
      passphrase: 'correct horse battery',
    });
    expect(alerts(container)).toContain('The vault file is not valid JSON.');
  });
});

describe('the vault status cannot be read', () => {
  it('says so and offers to try again', async () => {
    let calls = 0;
    const fake = fakeApi({
      getVaultStatus: async () => {
        calls += 1;
        return calls === 1
          ? { ok: false, code: 'internal', message: 'The service is not ready.' }
          : { ok: true, value: status({ slots: ['passphrase'] }) };
      },
    });
    const container = await render(fake);
    expect(alerts(container)).toEqual(['The service is not ready.']);
    await click(button(container, 'Try again'));
    expect(container.textContent).toContain('No accounts yet');
  });
});

describe('the header pill', () => {
  it.each([
    [['passphrase'], 'pill--ok'],
    [['os-keychain'], 'pill--warn'],
    [['os-keychain', 'passphrase'], 'pill--warn'],
  ] as const)('with slots %j and a keychain warning is %s', async (slots, tone) => {
    const container = await render(
      withStatus(status({ slots: [...slots], keychainWarning: WARNING })),
    );
    const pill = container.querySelector('.pill');
    expect(pill?.textContent).toBe('Vault unlocked');
    expect(pill?.classList.contains(tone)).toBe(true);
    expect(pill?.getAttribute('title')).toBe(WARNING);
  });
});
