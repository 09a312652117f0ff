import { CONTRACT_METHODS } from '../../src-preload/contract';
import { accountRow } from '../helpers/e2e-ui';
import { expect, test } from './fixtures';

/** Chrome's notice that `frame-ancestors` only works as a header; the header does carry it. */
const META_FRAME_ANCESTORS_NOTICE = /frame-ancestors.*ignored when delivered via a <meta> element/;

test.describe('accounts view', () => {
  test('renders the empty accounts view against the real service', async ({ tokendeck }) => {
    const page = await tokendeck.open();

    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
    await expect(page.getByText('tokendeck connect <provider>')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Vault unlocked' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Accounts', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );

    const keys = await page.evaluate(() => Object.keys(window.tokendeck ?? {}));
    expect(keys.sort()).toEqual([...CONTRACT_METHODS, 'on'].sort());
    expect(await page.evaluate(() => 'ipcRenderer' in window || '__tokendeckIpc' in window)).toBe(
      false,
    );
    expect(
      tokendeck.consoleErrors.filter((text) => !META_FRAME_ANCESTORS_NOTICE.test(text)),
    ).toEqual([]);

    await page.screenshot({ path: 'test-results/accounts-empty.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/accounts-empty-dark.png', fullPage: true });
  });

  test('the CSP stops an injected inline script (SECURITY 3)', async ({ tokendeck }) => {
    const page = await tokendeck.open();
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
  });

  test('real calls are schema-checked like IPC', async ({ tokendeck }) => {
    const page = await tokendeck.open();
    const bad = await page.evaluate(() =>
      window.tokendeck?.getProvider({ id: 'Not An Id!' } as { id: string }),
    );
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
    const providers = await page.evaluate(() => window.tokendeck?.listProviders());
    expect(providers).toEqual({ ok: true, value: [] });
  });

  test('the real sender check refuses a page on another origin (SECURITY 8)', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    // The same files from another origin: the preload still runs, main refuses the caller.
    await page.goto(page.url().replace('127.0.0.1', 'localhost'));
    const refused = await page.evaluate(() => window.tokendeck?.listProviders());
    expect(refused).toMatchObject({ ok: false, code: 'unauthorized_sender' });
    expect(tokendeck.bridge.unhandled).toEqual([]);
  });

  test('an accountChanged event shows the account, and Copy copies in main', async ({
    tokendeck,
  }) => {
    const page = await tokendeck.open();
    await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();

    await tokendeck.bridge.emit('accountChanged', {
      id: 'acc-e2e',
      providerId: 'acme',
      providerName: 'Acme',
      label: 'qa@acme.test',
      subject: 'user-42',
      identifiedBy: 'sub',
      grant: 'authorization_code',
      scopes: ['read', 'write'],
      expiresAt: Date.now() + 52 * 60_000 + 30_000,
      receivedAt: Date.now() - 7 * 60_000,
      status: { state: 'fresh', reason: 'The token is fresh.' },
      isDefault: false,
      possibleDuplicates: [],
    });
    const row = accountRow(page, 'qa@acme.test');
    await expect(row).toContainText('Fresh');
    await expect(row).toContainText('The token is fresh.');
    await expect(row.locator('.countdown')).toHaveText(/^in 52m \d\ds$/);
    await expect(row).toContainText('read');
    await page.screenshot({ path: 'test-results/accounts-list.png', fullPage: true });

    // The account exists only in the page, so the real service refuses the copy: the error is
    // shown inline on the row and nothing reaches the clipboard.
    await row.getByRole('button', { name: /Copy token/ }).click();
    await expect(row.getByRole('alert')).toBeVisible();
    expect(tokendeck.clipboard).toEqual([]);
    expect(tokendeck.bridge.errors).toEqual([]);
  });
});

test('an API key account connected through the real service can be copied', async ({
  tokendeck,
}) => {
  const page = await tokendeck.open();
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();

  const connected = await page.evaluate(async () => {
    const api = window.tokendeck;
    if (!api) throw new Error('no bridge');
    const saved = await api.saveProvider({
      profile: {
        id: 'acme-keys',
        name: 'Acme Keys',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
        use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: 'https://api.acme.test' },
      },
    });
    if (!saved.ok) return saved;
    return api.connectAccount({ providerId: 'acme-keys', apiKey: 'e2e-api-key-0123456789' });
  });
  expect(connected).toMatchObject({ ok: true });

  const row = accountRow(page, 'Acme Keys');
  await expect(row).toBeVisible();
  await expect(row).toContainText('never');
  await row.getByRole('button', { name: /Copy token/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Token copied' })).toBeVisible();
  expect(tokendeck.clipboard).toEqual(['e2e-api-key-0123456789']);
  const accountsInPage = await page.evaluate(() => window.tokendeck?.listAccounts());
  expect(JSON.stringify(accountsInPage)).not.toContain('e2e-api-key-0123456789');
  await page.screenshot({ path: 'test-results/accounts-copied.png', fullPage: true });
});
