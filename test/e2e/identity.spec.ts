import type { Page } from '@playwright/test';
import { screenshot } from '../helpers/e2e-screenshot';
import { accountRow, providerForm, rowAction, seriousViolations, sheet } from '../helpers/e2e-ui';
import { listen, sendJson } from '../helpers/servers/http-kit';
import { expect, test, type TokendeckHarness } from './fixtures';

/**
 * The identity screens against the real core: rename an account, choose the provider's default,
 * see and merge possible duplicates, and a provider edit that would send secrets somewhere new,
 * which says what it drops and waits for a yes.
 *
 * The accounts are API-key accounts named by a "who am I" call to a loopback stand-in, which can
 * be made to fail (HTTP 429) so a sign-in is stored unnamed and named later.
 */

const KEY_1 = 'e2e-api-key-number-one-0123456789';
const KEY_2 = 'e2e-api-key-number-two-0123456789';

/** The "who am I" stand-in: fails with HTTP 429 while `failing`, and records each key it gets. */
interface Whoami {
  url: string;
  failing: boolean;
  calls: string[];
  close(): Promise<void>;
}

let whoami: Whoami;

test.beforeEach(async () => {
  const state = { failing: false, calls: [] as string[] };
  const server = await listen((req, res) => {
    state.calls.push(String(req.headers['x-api-key'] ?? ''));
    if (state.failing) {
      // No Retry-After, so the next use of the token tries again at once.
      sendJson(res, 429, { error: 'slow down' });
      return;
    }
    sendJson(res, 200, { id: 'ada-1', name: 'Ada Lovelace' });
  });
  whoami = Object.assign(state, { url: server.url, close: () => server.close() });
});

test.afterEach(async () => {
  await whoami.close();
});

/** An API-key provider whose accounts are named by the stand-in's "who am I". */
async function saveKeysProvider(tokendeck: TokendeckHarness): Promise<void> {
  await tokendeck.service.saveProvider({
    profile: {
      id: 'keys',
      name: 'Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
      use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: 'https://api.keys.test' },
      whoami: { kind: 'rest', url: `${whoami.url}/me` },
    },
  });
}

async function openAccounts(tokendeck: TokendeckHarness): Promise<Page> {
  const page = await tokendeck.open();
  await expect(page.locator('[data-account-id]').first()).toBeVisible();
  return page;
}

test('rename, default, and merging possible duplicates', async ({ tokendeck }) => {
  await saveKeysProvider(tokendeck);
  const first = await tokendeck.service.connectAccount({ providerId: 'keys', apiKey: KEY_1 });
  // The second sign-in cannot be named now: it is stored as a new account, never merged.
  whoami.failing = true;
  const second = await tokendeck.service.connectAccount({ providerId: 'keys', apiKey: KEY_2 });
  whoami.failing = false;

  const page = await openAccounts(tokendeck);
  await expect(accountRow(page, 'Ada Lovelace')).toContainText('identified by id');
  const unnamed = accountRow(page, /Keys account \d/);
  await expect(unnamed).toContainText('HTTP 429');
  await expect(page.getByRole('button', { name: 'Possible duplicate' })).toHaveCount(0);

  // Using the unnamed account's token names it: the same subject as the first account, which
  // makes both possible duplicates, and nothing merges by itself.
  await unnamed.getByRole('button', { name: /Copy token/ }).click();
  await expect(page.getByRole('button', { name: 'Possible duplicate' })).toHaveCount(2);
  expect(await tokendeck.service.listAccounts()).toHaveLength(2);

  // Rename: only in Tokendeck, and kept when the provider names the account again.
  const firstRow = page.locator(`[data-account-id="${first.accountId}"]`);
  await firstRow.getByRole('button', { name: /More actions/ }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  const rename = sheet(page);
  await expect(rename.getByRole('button', { name: 'Rename' })).toBeDisabled();
  await rename.getByLabel('Label').fill('Ada (work)');
  await screenshot(page, 'account-rename');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toHaveCount(0);
  await expect(accountRow(page, 'Ada (work)')).toBeVisible();
  const renamed = (await tokendeck.service.listAccounts()).find((a) => a.label === 'Ada (work)');
  expect(renamed?.id).toBe(first.accountId);

  // Default: the tag moves to the chosen account, and the core agrees.
  await rowAction(page, 'Ada (work)', /^Make default for Keys/);
  await expect(
    accountRow(page, 'Ada (work)').locator('.tag', { hasText: 'Default' }),
  ).toBeVisible();
  expect((await tokendeck.service.listAccounts()).filter((a) => a.isDefault)).toEqual([
    expect.objectContaining({ id: first.accountId }),
  ]);
  await screenshot(page, 'accounts-duplicates');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'accounts-duplicates-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Merge: the user picks the account to keep (the default is preselected).
  await accountRow(page, 'Ada (work)').getByRole('button', { name: 'Possible duplicate' }).click();
  const merge = sheet(page);
  await expect(merge.getByRole('heading')).toHaveText('Merge possible duplicates');
  await expect(merge.getByRole('radio', { name: /Ada \(work\)/ })).toBeChecked();
  await screenshot(page, 'accounts-merge');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'accounts-merge-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await merge.getByRole('button', { name: 'Merge into Ada (work)' }).click();
  await expect(merge).toHaveCount(0);
  await expect(page.locator('[data-account-id]')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Possible duplicate' })).toHaveCount(0);
  const left = await tokendeck.service.listAccounts();
  expect(left).toEqual([
    expect.objectContaining({ id: first.accountId, label: 'Ada (work)', isDefault: true }),
  ]);
  // The newer tokens (the second key's) went into the kept account.
  expect((await tokendeck.service.getFreshToken(first.accountId)).accessToken).toBe(KEY_2);
  expect(left.map((a) => a.id)).not.toContain(second.accountId);
  expect(tokendeck.bridge.unhandled).toEqual([]);
});

test('a provider edit that sends secrets somewhere new says what it drops first', async ({
  tokendeck,
}) => {
  await saveKeysProvider(tokendeck);
  await tokendeck.service.connectAccount({ providerId: 'keys', apiKey: KEY_1 });
  const page = await openAccounts(tokendeck);
  await expect(accountRow(page, 'Ada Lovelace')).toContainText('No expiry');

  // A change that keeps everything (the API base) saves without a question.
  await editProvider(page, 'Keys');
  await providerForm(page).getByLabel('API base URL').fill('https://v2.keys.test');
  await providerForm(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providerForm(page)).toHaveCount(0);
  await expect(sheet(page)).toHaveCount(0);

  // A new "who am I" URL would receive the key: the form asks, naming the account.
  await editProvider(page, 'Keys');
  const newUrl = `${whoami.url}/v2/me`;
  await providerForm(page).getByLabel('Who-am-I URL').fill(newUrl);
  await providerForm(page).getByRole('button', { name: 'Save', exact: true }).click();
  const warning = sheet(page);
  await expect(warning.getByRole('heading')).toHaveText('Save Keys and drop its stored secrets?');
  await expect(warning).toContainText('You changed the Who-am-I URL');
  await expect(warning).toContainText('1 account will need to connect again: Ada Lovelace.');
  await screenshot(page, 'provider-edit-warning');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'provider-edit-warning-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Cancel saves nothing: the account keeps its key.
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(warning).toHaveCount(0);
  const before = await tokendeck.service.getProvider({ id: 'keys' });
  expect(before.whoami).toEqual({ kind: 'rest', url: `${whoami.url}/me` });
  expect(before.use.apiBase).toBe('https://v2.keys.test');

  // Agreeing saves, and the account needs the user; the key never went to the new URL.
  await providerForm(page).getByRole('button', { name: 'Save', exact: true }).click();
  await sheet(page).getByRole('button', { name: 'Save and drop them' }).click();
  await expect(providerForm(page)).toHaveCount(0);
  const after = await tokendeck.service.getProvider({ id: 'keys' });
  expect(after.whoami).toEqual({ kind: 'rest', url: newUrl });
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Accounts' })
    .click();
  await expect(accountRow(page, 'Ada Lovelace')).toContainText(/Sign in again|Needs sign-in/);
  const [account] = await tokendeck.service.listAccounts();
  expect(account?.status.state).toBe('needs-reauth');
  expect(whoami.calls).toEqual([KEY_1]);
  expect(tokendeck.bridge.unhandled).toEqual([]);
});

test('a new token URL drops the stored client secret unless a new one is entered', async ({
  tokendeck,
}) => {
  await tokendeck.service.saveProvider({
    profile: {
      id: 'shop',
      name: 'Shop',
      grant: 'client_credentials',
      endpoints: { token: 'https://shop.test/token' },
      client: { registration: 'static', clientId: 'shop-client', auth: 'client_secret_post' },
      use: { apiBase: 'https://api.shop.test' },
    },
    clientSecret: 'e2e-old-client-secret-0123456789',
  });
  const page = await tokendeck.open();
  await editProvider(page, 'Shop');
  const form = providerForm(page);
  await form.getByLabel('Token URL').fill('https://shop-v2.test/token');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  const warning = sheet(page);
  await expect(warning).toContainText('The client secret must be entered again.');
  await expect(warning).not.toContainText('will need to connect again');
  await screenshot(page, 'provider-edit-warning-secret');
  await warning.getByRole('button', { name: 'Cancel' }).click();

  // With a new secret typed in, nothing stored is dropped: it saves at once.
  await form.getByRole('button', { name: /Replace/ }).click();
  await form.getByLabel('Client secret').fill('e2e-new-client-secret-0123456789');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form).toHaveCount(0);
  await expect(sheet(page)).toHaveCount(0);
  const saved = await tokendeck.service.getProvider({ id: 'shop' });
  expect(saved.endpoints.token).toBe('https://shop-v2.test/token');
  expect(saved.client.hasSecret).toBe(true);

  // The assumed lifetime (for servers that send no expires_in) is checked by main's schema, and
  // changing it keeps every stored secret.
  await editProvider(page, 'Shop');
  const lifetime = form.getByLabel('Assumed token lifetime (seconds)');
  await lifetime.fill('an hour');
  await expect(form.getByText('must be a whole number of seconds, e.g. 3600')).toBeVisible();
  await expect(lifetime).toHaveAttribute('aria-invalid', 'true');
  await lifetime.fill('3600');
  await expect(lifetime).not.toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form).toHaveCount(0);
  await expect(sheet(page)).toHaveCount(0);
  const assumed = await tokendeck.service.getProvider({ id: 'shop' });
  expect(assumed.quirks.assumeExpiresIn).toBe(3600);
  expect(assumed.client.hasSecret).toBe(true);
});

/** Opens a saved provider's form through its card's menu. */
async function editProvider(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Providers' })
    .click();
  const card = page.locator('.provider-card').filter({ hasText: name });
  await card.getByRole('button', { name: /More actions|Actions/ }).click();
  await page.getByRole('menuitem', { name: /^Edit/ }).click();
  await expect(providerForm(page)).toBeVisible();
}
