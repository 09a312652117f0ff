import type { Page } from '@playwright/test';
import { createService } from '../../src-main/core/service';
import { BASIC_TEXT_WARNING } from '../helpers/e2e-keychain';
import { createMemoryClipboard } from '../helpers/fake-ports';
import { screenshot } from '../helpers/e2e-screenshot';
import { expect, test, type TokendeckHarness } from './fixtures';

/**
 * Settings against the real service: the command-line passphrase (set, change, remove) and the
 * key slots, on a desktop without a secure keyring.
 */

test.use({ vault: 'needs-setup' });

const FIRST = 'e2e first passphrase';
const SECOND = 'e2e second passphrase';

/** Whether the command line, with only a passphrase, can open the page's vault. */
async function cliOpens(tokendeck: TokendeckHarness, passphrase: string): Promise<boolean> {
  try {
    const cli = await createService({
      dataDir: tokendeck.dataDir,
      passphrase,
      browser: { open: async () => undefined },
      clipboard: createMemoryClipboard(),
      schedule: false,
    });
    await cli.close();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'vault_wrong_passphrase') return false;
    throw error;
  }
}

async function setUpWithPassphrase(page: Page, passphrase: string) {
  const form = page.getByRole('form', { name: 'Protect with a passphrase' });
  await form.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await form.getByLabel('Repeat passphrase').fill(passphrase);
  await form.getByRole('button', { name: 'Protect with passphrase' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

function slots(page: Page) {
  return page.getByRole('list', { name: 'Key slots' }).getByRole('listitem');
}

test('the passphrase is the last slot: changing works, removing is refused', async ({
  tokendeck,
}) => {
  const page = await tokendeck.open();
  await setUpWithPassphrase(page, FIRST);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  const cli = page.getByRole('region', { name: 'Command-line access' });
  await expect(cli).toContainText('A passphrase is set');
  await expect(slots(page)).toHaveCount(1);
  await expect(slots(page).first()).toContainText('Passphrase');
  await expect(page.getByRole('region', { name: 'Encryption' })).toContainText(BASIC_TEXT_WARNING);
  await screenshot(page, 'settings-passphrase-only');

  await cli.getByRole('button', { name: 'Remove passphrase' }).click();
  const confirm = cli.getByRole('group', { name: 'Remove the passphrase' });
  await expect(confirm).toContainText('will no longer be able to unlock this vault');
  await confirm.getByRole('button', { name: 'Yes, remove passphrase' }).click();
  await expect(confirm.getByRole('alert')).toHaveText(
    'The last key slot cannot be removed; the vault could never be opened again.',
  );
  await screenshot(page, 'settings-remove-last-refused');
  expect((await tokendeck.service.getVaultStatus()).slots).toEqual(['passphrase']);
  await confirm.getByRole('button', { name: 'Close' }).click();

  await cli.getByRole('button', { name: 'Change passphrase' }).click();
  const form = cli.getByRole('form', { name: 'Change the passphrase' });
  await form.getByLabel('New passphrase', { exact: true }).fill(SECOND);
  await form.getByLabel('Repeat new passphrase').fill(SECOND);
  await screenshot(page, 'settings-change-form');
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passphrase changed' })).toBeVisible();
  await expect(form).toHaveCount(0);

  expect(await cliOpens(tokendeck, SECOND)).toBe(true);
  expect(await cliOpens(tokendeck, FIRST)).toBe(false);
});

test('an insecure-keychain vault gets command-line access, then loses it', async ({
  tokendeck,
}) => {
  const page = await tokendeck.open();
  const insecure = page.getByRole('form', { name: 'Use the unprotected keychain' });
  await insecure.getByRole('checkbox').check();
  await insecure.getByRole('button', { name: 'Use the unprotected keychain' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();

  const cli = page.getByRole('region', { name: 'Command-line access' });
  await expect(cli).toContainText('No passphrase is set');
  await expect(slots(page)).toHaveCount(1);
  await expect(slots(page).first()).toContainText('OS keychain');
  await expect(slots(page).first()).toContainText('Not secure');
  await screenshot(page, 'settings-keychain-only');

  await cli.getByRole('button', { name: 'Set passphrase' }).click();
  const form = cli.getByRole('form', { name: 'Set a passphrase' });
  await form.getByLabel('Passphrase', { exact: true }).fill(FIRST);
  await form.getByLabel('Repeat passphrase').fill(`${FIRST}?`);
  await form.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(form.getByRole('alert')).toHaveText('The two passphrases do not match.');
  await form.getByLabel('Repeat passphrase').fill(FIRST);
  await form.getByRole('button', { name: 'Set passphrase' }).click();

  await expect(cli).toContainText('A passphrase is set');
  await expect(slots(page)).toHaveCount(2);
  await expect(slots(page).nth(1)).toContainText('Passphrase');
  await screenshot(page, 'settings-both-slots');
  expect(await cliOpens(tokendeck, FIRST)).toBe(true);

  await cli.getByRole('button', { name: 'Remove passphrase' }).click();
  await cli.getByRole('button', { name: 'Yes, remove passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passphrase removed' })).toBeVisible();
  await expect(cli).toContainText('No passphrase is set');
  await expect(slots(page)).toHaveCount(1);
  expect((await tokendeck.service.getVaultStatus()).slots).toEqual(['os-keychain']);
});
