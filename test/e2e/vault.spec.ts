import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { BASIC_TEXT_WARNING } from '../helpers/e2e-keychain';
import { screenshot } from '../helpers/e2e-screenshot';
import { CORRUPT_VAULT, E2E_PASSPHRASE, expect, test } from './fixtures';

/**
 * The vault screens against the real service: a desktop without a secure keyring (needs-setup),
 * a passphrase-only vault (locked), and an unreadable vault file (recovery).
 */

const NEW_PASSPHRASE = 'e2e new passphrase for the vault';

async function expectAccountsView(page: Page) {
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Vault unlocked' })).toBeVisible();
}

test.describe('needs-setup: Linux without a keyring', () => {
  test.use({ vault: 'needs-setup' });

  test('says the keyring is not secure and protects the vault with a passphrase', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
    await expect(page.getByText(BASIC_TEXT_WARNING)).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Vault not set up' })).toBeVisible();
    await screenshot(page, 'vault-needs-setup');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'vault-needs-setup-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const form = page.getByRole('form', { name: 'Protect with a passphrase' });
    const passphrase = form.getByLabel('Passphrase', { exact: true });
    const repeat = form.getByLabel('Repeat passphrase');
    const submit = form.getByRole('button', { name: 'Protect with passphrase' });

    await passphrase.fill('short');
    await repeat.fill('short');
    await submit.click();
    await expect(form.getByRole('alert')).toHaveText('Use at least 8 characters.');

    await passphrase.fill(NEW_PASSPHRASE);
    await repeat.fill(`${NEW_PASSPHRASE}!`);
    await submit.click();
    await expect(form.getByRole('alert')).toHaveText('The two passphrases do not match.');
    await expect(repeat).toBeFocused();
    await screenshot(page, 'vault-needs-setup-mismatch');
    expect((await tokendeck.service.getVaultStatus()).state).toBe('needs-setup');

    await repeat.fill(NEW_PASSPHRASE);
    await submit.click();
    await expectAccountsView(page);
    expect(await tokendeck.service.getVaultStatus()).toMatchObject({
      state: 'unlocked',
      slots: ['passphrase'],
    });
    expect(readFileSync(tokendeck.vaultPath, 'utf8')).not.toContain(NEW_PASSPHRASE);
    await screenshot(page, 'vault-needs-setup-done');
  });

  test('uses the unprotected keychain only after the explicit checkbox', async ({ tokendeck }) => {
    const page = await tokendeck.open();
    const form = page.getByRole('form', { name: 'Use the unprotected keychain' });
    const use = form.getByRole('button', { name: 'Use the unprotected keychain' });
    await expect(use).toBeDisabled();

    const understood = form.getByRole('checkbox', {
      name: /readable by anyone with access to this user account/,
    });
    await understood.check();
    await expect(use).toBeEnabled();
    await screenshot(page, 'vault-needs-setup-insecure-ticked');
    await use.click();

    await expectAccountsView(page);
    expect(await tokendeck.service.getVaultStatus()).toMatchObject({
      state: 'unlocked',
      slots: ['os-keychain'],
      keychainWarning: BASIC_TEXT_WARNING,
    });
    // Unlocked, but the pill stays amber and says why.
    const pill = page.getByRole('status').filter({ hasText: 'Vault unlocked' });
    await expect(pill).toHaveClass(/pill--warn/);
    await expect(pill).toHaveAttribute('title', BASIC_TEXT_WARNING);
  });
});

test.describe('locked: a vault only a passphrase opens', () => {
  test.use({ vault: 'locked' });

  test('a wrong passphrase is shown inline; the right one opens the accounts', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await expect(page.getByText(tokendeck.vaultPath)).toBeVisible();
    await screenshot(page, 'vault-locked');

    const form = page.getByRole('form', { name: 'Unlock the vault' });
    const passphrase = form.getByLabel('Passphrase');
    await passphrase.fill('not the passphrase');
    await form.getByRole('button', { name: 'Unlock' }).click();
    await expect(form.getByRole('alert')).toHaveText('The passphrase is wrong.');
    await expect(passphrase).toHaveValue('not the passphrase');
    await expect(passphrase).toBeFocused();
    await screenshot(page, 'vault-locked-wrong');
    expect((await tokendeck.service.getVaultStatus()).state).toBe('locked');

    await passphrase.fill(E2E_PASSPHRASE);
    await passphrase.press('Enter');
    await expectAccountsView(page);
    await screenshot(page, 'vault-locked-done');
  });
});

test.describe('recovery: the vault file cannot be read', () => {
  test.use({ vault: 'recovery' });

  test('shows the problem and the path, keeps the file, and offers the passphrase', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    const status = await tokendeck.service.getVaultStatus();
    expect(status.state).toBe('recovery');
    await expect(page.getByRole('heading', { name: 'Your vault needs attention' })).toBeVisible();
    await expect(page.getByText(status.problem ?? 'no problem reported')).toBeVisible();
    await expect(page.locator('code.path', { hasText: tokendeck.vaultPath })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Nothing was deleted' })).toBeVisible();
    await expect(page.getByRole('button', { name: /reset|delete/i })).toHaveCount(0);
    await screenshot(page, 'vault-recovery');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'vault-recovery-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const form = page.getByRole('form', { name: 'Unlock with your command-line passphrase' });
    await form.getByLabel('Passphrase').fill(E2E_PASSPHRASE);
    await form.getByRole('button', { name: 'Unlock' }).click();
    await expect(form.getByRole('alert')).toBeVisible();
    await screenshot(page, 'vault-recovery-unlock-refused');
    expect(readFileSync(tokendeck.vaultPath, 'utf8')).toBe(CORRUPT_VAULT);
    expect((await tokendeck.service.getVaultStatus()).state).toBe('recovery');
  });
});

test.describe('recovery: the OS keychain key changed', () => {
  test.use({ vault: 'keychain-changed' });

  test('offers starting over only after a confirmation, and keeps the old file', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    const before = readFileSync(tokendeck.vaultPath);
    await expect(page.getByText(/keychain could not unlock the vault/)).toBeVisible();
    const form = page.getByRole('form', { name: 'Start over with a new vault' });
    const startOver = form.getByRole('button', { name: 'Start over' });
    await expect(startOver).toBeDisabled();
    await form.getByRole('checkbox').check();
    await expect(startOver).toBeEnabled();
    await screenshot(page, 'vault-keychain-changed');
    await startOver.click();
    await expectAccountsView(page);

    const status = await tokendeck.service.getVaultStatus();
    expect(status.state).toBe('unlocked');
    expect(status.setAside && existsSync(status.setAside)).toBe(true);
    expect(readFileSync(status.setAside!).equals(before)).toBe(true);
  });
});
