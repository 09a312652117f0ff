import type { Page } from '@playwright/test';
import type { AccountSummary, TokenState } from '../../src-preload/contract';
import { screenshot } from '../helpers/e2e-screenshot';
import { accountRow, seriousViolations, sheet } from '../helpers/e2e-ui';
import { expect, test, type TokendeckHarness } from './fixtures';

/**
 * The dashboard at scale and by keyboard: a thousand accounts (pushed as main's events), the
 * timeline, the palette, the row keys, Settings, and axe on every view in light and dark.
 */

const PROVIDERS = ['Attendium', 'Aluma', 'GitHub', 'Google', 'EventBookings', 'Okta', 'Slack'];
const STATES: TokenState[] = [
  'fresh',
  'expiring',
  'refreshing',
  'needs-reauth',
  'no-expiry',
  'error',
];
const REASONS: Record<TokenState, string> = {
  fresh: 'Renews 10 min before expiry.',
  expiring: 'Renewing soon.',
  refreshing: 'Renewing now.',
  expired: 'Expired; sign in again.',
  'needs-reauth': 'The provider refused the refresh token (invalid_grant).',
  error: 'The provider did not answer; retrying in 30 s.',
  'no-expiry': 'This token does not expire.',
};

function thousandAccounts(now: number): AccountSummary[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const state = STATES[i % STATES.length] as TokenState;
    const providerName = PROVIDERS[i % PROVIDERS.length] as string;
    return {
      id: `acc-${i}`,
      providerId: providerName.toLowerCase(),
      providerName,
      label: `user${i}@${providerName.toLowerCase()}.test`,
      subject: `sub-${(i * 7919).toString(36)}`,
      identifiedBy: 'sub',
      grant: 'authorization_code',
      scopes: ['openid', 'email', 'read:user', 'offline_access', 'repo'].slice(0, (i % 5) + 1),
      expiresAt: state === 'no-expiry' ? null : now + (((i * 137) % 240) - 20) * 60_000,
      receivedAt: now - ((i * 53) % 120) * 60_000,
      status: {
        state,
        reason: REASONS[state],
        nextRenewalAt: state === 'fresh' ? now + ((i * 71) % 200) * 60_000 : null,
      },
      isDefault: false,
      possibleDuplicates: [],
    };
  });
}

async function loadThousand(tokendeck: TokendeckHarness): Promise<Page> {
  const page = await tokendeck.open();
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  await tokendeck.bridge.emitMany('accountChanged', thousandAccounts(Date.now()));
  await expect(accountRow(page, 'user1@aluma.test')).toBeVisible();
  return page;
}

test('a thousand accounts: virtualised, grouped, searchable, and a timeline', async ({
  tokendeck,
}) => {
  const page = await loadThousand(tokendeck);
  // Only the rows on screen are in the DOM.
  expect(await page.locator('[data-account-id]').count()).toBeLessThan(40);
  await expect(page.locator('.group-header').first()).toContainText('Aluma143');
  await screenshot(page, 'dashboard-1000');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'dashboard-1000-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  // Search by label, subject or scope; a needs-reauth row offers "Sign in again".
  const search = page.getByRole('searchbox', { name: 'Search accounts' });
  await search.fill('user3@');
  await expect(page.locator('[data-account-id]')).toHaveCount(1);
  const row = accountRow(page, 'user3@');
  await expect(row).toContainText('Sign in again');
  await expect(row).toContainText('The provider refused the refresh token (invalid_grant).');
  await expect(row.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  await search.fill('repo google');
  await expect(page.locator('.group-header')).toHaveCount(1);
  await search.fill('');

  // Collapse a group; events for other accounts keep the order.
  await page
    .locator('.group-header')
    .first()
    .getByRole('button', { name: /^Aluma \d+$/ })
    .click();
  await expect(
    page
      .locator('.group-header')
      .first()
      .getByRole('button', { name: /^Aluma \d+$/ }),
  ).toHaveAttribute('aria-expanded', 'false');
  await expect(accountRow(page, 'user1@aluma.test')).toHaveCount(0);
  const firstBefore = await page
    .locator('[data-account-id]')
    .first()
    .getAttribute('data-account-id');
  const changed = thousandAccounts(Date.now())
    .slice(0, 50)
    .map((account) => ({
      ...account,
      status: { state: 'refreshing' as const, reason: 'Renewing now.' },
    }));
  await tokendeck.bridge.emitMany('accountChanged', changed);
  await expect(page.locator('[data-account-id]').first()).toHaveAttribute(
    'data-account-id',
    firstBefore ?? '',
  );

  // The timeline draws the same accounts.
  await page.getByRole('button', { name: 'Timeline' }).click();
  const canvas = page.getByRole('img', { name: /Token timeline of 1000 accounts/ });
  await expect(canvas).toBeVisible();
  await canvas.hover({ position: { x: 500, y: 70 } });
  await expect(page.getByRole('tooltip')).toContainText('Expires');
  await screenshot(page, 'timeline');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'timeline-dark');
  expect(tokendeck.bridge.errors).toEqual([]);
});

/** Two API-key accounts connected through the real service (keys are their tokens). */
async function twoKeyAccounts(tokendeck: TokendeckHarness) {
  await tokendeck.service.saveProvider({
    profile: {
      id: 'acme-keys',
      name: 'Acme Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
      use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: 'https://api.acme.test' },
    },
  });
  const first = await tokendeck.service.connectAccount({
    providerId: 'acme-keys',
    apiKey: 'e2e-first-key-0123456789',
  });
  const second = await tokendeck.service.connectAccount({
    providerId: 'acme-keys',
    apiKey: 'e2e-second-key-0123456789',
  });
  // Labels of the user's own, so the palette can find one by name ("Acme Keys account 1" and
  // "… 2" are alike enough for a fuzzy search to list both).
  await tokendeck.service.renameAccount({ accountId: first.accountId, label: 'Production key' });
  await tokendeck.service.renameAccount({ accountId: second.accountId, label: 'Staging key' });
  return { first: first.accountId, second: second.accountId };
}

test('the keyboard: palette, row keys and the focus ring', async ({ tokendeck }) => {
  const { first, second } = await twoKeyAccounts(tokendeck);
  const page = await tokendeck.open();
  await expect(page.locator('[data-account-id]')).toHaveCount(2);

  // Ctrl/Cmd+K, find the account, Enter copies its fresh token.
  await page.keyboard.press('ControlOrMeta+k');
  const palette = page.getByRole('combobox', { name: 'Find an account or a command' });
  await expect(palette).toBeFocused();
  const label = (await tokendeck.service.listAccounts()).find((a) => a.id === second)?.label;
  await palette.fill(label ?? 'missing');
  await expect(page.getByRole('option')).toHaveCount(1);
  await screenshot(page, 'palette');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect.poll(() => tokendeck.clipboard.at(-1)).toBe('e2e-second-key-0123456789');
  await expect(sheet(page)).toHaveCount(0);

  // Row focus: the ring shows, Ctrl/Cmd+C copies, arrows move, Enter opens, Delete asks.
  const rowOne = page.locator(`[data-account-id="${first}"]`);
  await rowOne.focus();
  await expect(rowOne).toBeFocused();
  const ring = await rowOne.evaluate((element) => getComputedStyle(element).boxShadow);
  expect(ring).toMatch(/inset/);
  await page.keyboard.press('ControlOrMeta+c');
  await expect.poll(() => tokendeck.clipboard.at(-1)).toBe('e2e-first-key-0123456789');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(`[data-account-id="${second}"]`)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rowOne).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(sheet(page).getByRole('button', { name: 'Reveal token' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sheet(page)).toHaveCount(0);
  await expect(rowOne).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(sheet(page)).toContainText('offers no revocation');
  await sheet(page).getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.locator('[data-account-id]')).toHaveCount(1);
  expect((await tokendeck.service.listAccounts()).map((account) => account.id)).toEqual([second]);
});

test('every view passes axe in light and dark; Settings sets the theme', async ({ tokendeck }) => {
  await twoKeyAccounts(tokendeck);
  const page = await tokendeck.open();
  const nav = page.getByRole('navigation', { name: 'Main' });
  const views: Array<[string, string]> = [
    ['Accounts', 'Accounts'],
    ['Providers', 'Providers'],
    ['Console', 'Console'],
    ['Settings', 'Settings'],
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [button, heading] of views) {
      await nav.getByRole('button', { name: button }).click();
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      expect(await seriousViolations(page), `${button} (${scheme})`).toEqual([]);
    }
    await nav.getByRole('button', { name: 'Providers' }).click();
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    await expect(page.getByRole('list', { name: 'Presets' })).toBeVisible();
    expect(await seriousViolations(page), `catalogue (${scheme})`).toEqual([]);
    if (scheme === 'light') await screenshot(page, 'catalogue');
    await page
      .getByRole('list', { name: 'Presets' })
      .getByRole('button', { name: /^Aluma/ })
      .click();
    await expect(page.getByRole('heading', { name: 'Add Aluma' })).toBeVisible();
    expect(await seriousViolations(page), `preset form (${scheme})`).toEqual([]);
    await page.getByRole('button', { name: 'Cancel' }).click();
  }

  await page.emulateMedia({ colorScheme: 'light' });
  await nav.getByRole('button', { name: 'Settings' }).click();
  const theme = page.getByRole('group', { name: 'Theme' });
  await theme.getByRole('button', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'settings-dark');
  expect(await seriousViolations(page)).toEqual([]);
  expect((await tokendeck.service.getSettings()).theme).toBe('dark');
  await page.getByLabel('Clear the clipboard after').selectOption('10');
  await expect
    .poll(async () => (await tokendeck.service.getSettings()).clipboardClearSeconds)
    .toBe(10);
  await page.getByLabel('Open at login').check();
  await expect.poll(async () => (await tokendeck.service.getSettings()).openAtLogin).toBe(true);
  await theme.getByRole('button', { name: 'System' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await screenshot(page, 'settings-light');
});
