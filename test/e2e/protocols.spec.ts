import type { Page } from '@playwright/test';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { screenshot } from '../helpers/e2e-screenshot';
import { accountRow, providerForm, rowAction, seriousViolations, sheet } from '../helpers/e2e-ui';
import { scannedTempDir } from '../helpers/secret-registry';
import { startProtocolServer, type ProtocolServer } from '../helpers/servers/oidc-protocols';
import { startResourceServer, type ResourceServer } from '../helpers/servers/resource-server';
import {
  makeCertificates,
  startConnectProxy,
  startTlsApi,
  type Certificates,
} from '../helpers/servers/tls-api';
import { expect, test } from './fixtures';

/**
 * The protocol features in the app, against real servers on loopback: the device code screen
 * (RFC 8628), "Add from API URL" (RFC 9728) with DPoP-bound tokens (RFC 9449), and Settings →
 * Network (a proxy and a private certificate authority).
 */

/** How long the second browser may take to sign in (it is launched, then walks two pages). */
const SIGN_IN_MS = 45_000;

let user: BrowserUser;

test.beforeEach(async () => {
  user = await createBrowserUser({ login: 'ada' });
});

test.afterEach(async () => {
  for (const error of user.errors) console.error('browser user:', error.message);
  await user.close();
});

async function shots(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function goTo(page: Page, view: 'Accounts' | 'Providers' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: view }).click();
}

test('the device code screen: the code large, Copy, the countdown, and a sign-in on another device', async ({
  tokendeck,
}) => {
  const server = await startProtocolServer({ deviceInterval: 1 });
  try {
    await tokendeck.service.saveProvider({
      profile: {
        id: 'tv',
        name: 'Living room TV',
        grant: 'device_code',
        issuer: server.issuer,
        client: { registration: 'static', clientId: 'device-client', auth: 'none' },
        scopes: ['openid', 'offline_access'],
        whoami: { kind: 'id_token' },
      },
      create: true,
    });
    const page = await tokendeck.open();
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Connect Living room TV' }).click();
    await expect(sheet(page).getByText('shows a code')).toBeVisible();
    await sheet(page).getByRole('button', { name: 'Show the code' }).click();

    const code = sheet(page).getByLabel('Code to enter');
    await expect(code).toHaveText(/^[A-Z]{4}-?[A-Z]{4}$/);
    const userCode = (await code.textContent())!;
    await expect(sheet(page).locator('.step--active')).toHaveText(
      'Waiting for the code to be entered…',
    );
    await expect(sheet(page)).toContainText(`Open ${server.issuer}/device on this or any`);
    await expect(sheet(page)).toContainText(/The code expires in 9m \d\ds\./);
    // Main opened the verification page, the code in it, in the system browser.
    await expect.poll(() => tokendeck.openedUrls.at(-1)).toContain(`${server.issuer}/device`);
    expect(tokendeck.openedUrls.at(-1)).toContain('user_code=');

    await sheet(page).getByRole('button', { name: 'Copy code' }).click();
    expect(tokendeck.clipboardText()).toBe(userCode);
    await expect(page.getByRole('status').filter({ hasText: 'Code copied' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await shots(page, 'device-code');

    // The person types the code shown on screen at the verification page, and signs in.
    await user.enterCode(`${server.issuer}/device`, userCode);
    await expect(sheet(page).getByRole('status')).toHaveText('Connected to Living room TV.', {
      timeout: SIGN_IN_MS,
    });
    await user.settled();
    await sheet(page).getByRole('button', { name: 'Done' }).click();
    await expect(accountRow(page, 'ada')).toContainText('Fresh');
  } finally {
    await server.close();
  }
  expect(tokendeck.bridge.errors).toEqual([]);
});

test('a device sign-in can be cancelled while the code waits', async ({ tokendeck }) => {
  const server = await startProtocolServer({ deviceInterval: 1 });
  try {
    await tokendeck.service.saveProvider({
      profile: {
        id: 'tv',
        name: 'TV',
        grant: 'device_code',
        issuer: server.issuer,
        client: { registration: 'static', clientId: 'device-client', auth: 'none' },
        scopes: ['openid'],
      },
      create: true,
    });
    const page = await tokendeck.open();
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Connect TV' }).click();
    await sheet(page).getByRole('button', { name: 'Show the code' }).click();
    await expect(sheet(page).getByLabel('Code to enter')).toBeVisible();
    await sheet(page).getByRole('button', { name: 'Cancel sign-in' }).click();
    await expect(sheet(page).getByRole('alert')).toBeVisible();
    await expect(sheet(page).getByLabel('Code to enter')).toHaveCount(0);
    expect(await tokendeck.service.listAccounts()).toEqual([]);
  } finally {
    await server.close();
  }
});

test('add from an API URL, bind its tokens with DPoP, and copy them with a warning', async ({
  tokendeck,
}) => {
  const api: ResourceServer = await startResourceServer({ requireNonce: true });
  const server: ProtocolServer = await startProtocolServer({ resource: api.url, dpopNonce: true });
  api.trust(server.issuer);
  try {
    const page = await tokendeck.open();
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    await page
      .getByRole('list', { name: 'Presets' })
      .getByRole('button', { name: /^From an API URL/ })
      .click();
    const dialog = sheet(page);
    // A URL that is not an API names the step that failed.
    await dialog.getByRole('textbox', { name: 'API URL' }).fill(`${server.issuer}/nothing-here`);
    await dialog.getByRole('button', { name: 'Look up' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Step 2 of 4');

    await dialog.getByRole('textbox', { name: 'API URL' }).fill(api.url);
    await expect(dialog.getByRole('textbox', { name: 'Id' })).toHaveValue('127-0-0-1');
    await dialog.getByRole('textbox', { name: 'Id' }).fill('orders-api');
    await dialog.getByRole('button', { name: 'Look up' }).click();
    const found = dialog.getByRole('status', { name: 'What the API named' });
    await expect(found).toContainText(server.issuer);
    await expect(found).toContainText(`${api.url}.well-known/oauth-protected-resource`);
    await expect(found).toContainText('Tokendeck registers itself');
    expect(await seriousViolations(page)).toEqual([]);
    await shots(page, 'add-from-api-url');
    // Nothing is saved before the user has seen the form.
    expect(await tokendeck.service.listProviders()).toEqual([]);

    await dialog.getByRole('button', { name: 'Review and save' }).click();
    const form = providerForm(page);
    await expect(form.getByLabel('Issuer URL')).toHaveValue(server.issuer);
    await expect(form.getByLabel('API base URL')).toHaveValue(api.url);
    await form.getByLabel('Sender-constrained tokens (DPoP)').selectOption('on');
    await expect(form.locator('.field__error')).toHaveCount(0);
    await shots(page, 'provider-form-dpop');
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await expect(sheet(page)).toBeVisible();
    const saved = await tokendeck.service.getProvider({ id: 'orders-api' });
    expect(saved).toMatchObject({
      dpop: 'on',
      authorizeParams: { resource: api.url },
      use: { apiBase: api.url },
    });

    tokendeck.onBrowserOpen(async (url) => void user.open(url));
    await sheet(page).getByRole('button', { name: 'Open browser and sign in' }).click();
    await expect(sheet(page).getByRole('status')).toHaveText(/^Connected to /, {
      timeout: SIGN_IN_MS,
    });
    await user.settled();
    const authorize = new URL(tokendeck.openedUrls.at(-1)!);
    expect(authorize.searchParams.get('dpop_jkt')).toMatch(/^[\w-]{43}$/);
    await sheet(page).getByRole('button', { name: 'Done' }).click();

    // The token is bound: Copy says a bare copy needs a proof; header and curl refuse.
    const row = accountRow(page, 'ada');
    await expect(row).toContainText('DPoP');
    await row.getByRole('button', { name: /Copy token/ }).click();
    const warning = page
      .getByRole('status')
      .filter({ hasText: 'Token copied. It is DPoP-bound: an API refuses it without a proof' });
    await expect(warning).toBeVisible();
    const [account] = await tokendeck.service.listAccounts();
    expect(account!.dpopBound).toBe(true);
    expect(tokendeck.clipboard.at(-1)).toMatch(/^ey/);
    await shots(page, 'copy-dpop-token');
    const copies = tokendeck.clipboard.length;
    await rowAction(page, 'ada', 'Copy as header');
    await expect(row.getByRole('alert')).toContainText('DPoP-bound (RFC 9449)');
    await rowAction(page, 'ada', 'Copy as curl');
    await expect(row.getByRole('alert')).toContainText('a curl command would be refused');
    expect(tokendeck.clipboard).toHaveLength(copies);

    // The console sends it with a fresh proof, and the API's nonce after one retry.
    const response = await tokendeck.service.sendRequest({
      kind: 'rest',
      requestId: 'e2e-dpop',
      accountId: account!.id,
      method: 'GET',
      url: '/items',
    });
    expect(response.status).toBe(200);
    expect(api.accepted.at(-1)).toEqual({ scheme: 'DPoP', nonce: true, path: '/items' });
  } finally {
    await server.close();
    await api.close();
  }
  expect(tokendeck.bridge.errors).toEqual([]);
});

test('Settings → Network: a proxy and a private certificate authority, as the CLI sets them', async ({
  tokendeck,
}) => {
  const certificates: Certificates = makeCertificates(scannedTempDir('tokendeck-e2e-net-'));
  const api = await startTlsApi(certificates.good);
  const proxy = await startConnectProxy();
  try {
    await tokendeck.service.saveProvider({
      profile: {
        id: 'corp',
        name: 'Corp',
        grant: 'client_credentials',
        endpoints: { token: `${api.url}/token` },
        client: { registration: 'static', clientId: 'corp-client', auth: 'client_secret_post' },
        use: { apiBase: api.url },
      },
      clientSecret: 'corp-client-secret-0123456789',
      create: true,
    });
    const page = await tokendeck.open();

    // Before: the private CA is unknown, and the failure names the host and the certificate.
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Connect Corp' }).click();
    await sheet(page).getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(sheet(page).getByRole('alert')).toContainText(
      'The TLS certificate of 127.0.0.1 is not trusted',
    );
    await sheet(page).locator('.sheet__actions').getByRole('button', { name: 'Close' }).click();

    await goTo(page, 'Settings');
    const network = page.getByRole('form', { name: 'Network' });
    await expect(network.getByRole('button', { name: 'System' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await network.getByRole('button', { name: 'This proxy' }).click();
    await network.getByLabel('Proxy URL').fill('ftp://nope');
    await network.getByRole('button', { name: 'Save network settings' }).click();
    await expect(network.getByRole('alert')).toContainText('must be an http(s)://host[:port] URL');

    await network.getByLabel('Proxy URL').fill(proxy.url);
    await network.getByLabel('Bypass').fill('.internal.example');
    await network.getByLabel('Certificate authority file').setInputFiles(certificates.caFile);
    await expect(network).toContainText('ca.pem');
    await network.getByRole('button', { name: 'Save network settings' }).click();
    await expect(network.getByRole('status')).toHaveText('Saved');
    const facts = network.getByRole('definition');
    await expect(facts.first()).toHaveText(`${proxy.url} (from Tokendeck settings)`);
    await expect(facts.nth(1)).toHaveText('internal.example');
    await expect(facts.nth(2)).toContainText('ca.pem (from Tokendeck settings)');
    expect(await seriousViolations(page)).toEqual([]);
    await shots(page, 'settings-network');

    // The same settings the CLI's `tokendeck network` reads, in the data folder's vault.
    const view = await tokendeck.service.getNetworkSettings();
    expect(view.settings).toMatchObject({
      proxy: { mode: 'manual', url: proxy.url, bypass: '.internal.example' },
      ca: { name: 'ca.pem' },
    });

    // After: the connect goes through the proxy and trusts the CA.
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Connect Corp' }).click();
    await sheet(page).getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(sheet(page).getByRole('status')).toHaveText('Connected to Corp.');
    expect(proxy.seen).toContain(api.authority);
    expect(api.tokensIssued).toBe(1);
    await sheet(page).getByRole('button', { name: 'Done' }).click();

    // Back to the system's proxy; the CA goes with Remove.
    await goTo(page, 'Settings');
    await network.getByRole('button', { name: 'System' }).click();
    await network.getByRole('button', { name: 'Remove' }).click();
    await network.getByRole('button', { name: 'Save network settings' }).click();
    await expect(network.getByRole('status')).toHaveText('Saved');
    expect((await tokendeck.service.getNetworkSettings()).settings).toEqual({
      proxy: { mode: 'system' },
    });
  } finally {
    await proxy.close();
    await api.close();
  }
  expect(tokendeck.bridge.errors).toEqual([]);
});
