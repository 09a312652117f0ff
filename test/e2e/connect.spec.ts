import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { screenshot } from '../helpers/e2e-screenshot';
import {
  accountRow,
  providerForm,
  rowAction,
  seriousViolations,
  sheet,
  startProvider,
} from '../helpers/e2e-ui';
import { startOidcProvider, type OidcProviderServer } from '../helpers/servers/oidc-provider';
import { expect, test, type TokendeckHarness } from './fixtures';

/**
 * The desktop app on its own, against a real authorization server (node-oidc-provider on
 * loopback): add a provider by discovery, connect while the sheet shows progress, copy, reveal,
 * reconnect, remove; cancel a pending sign-in; a refused sign-in in plain words.
 *
 * The system browser is a second Chromium that signs in, started only when the test lets it, so
 * the sheet can be seen waiting.
 */

/** How long the second browser may take to sign in (it is launched, then walks two pages). */
const SIGN_IN_MS = 45_000;

let server: OidcProviderServer;
let user: BrowserUser;

test.beforeEach(async () => {
  server = await startOidcProvider({ jwtAccessTokens: true, accessTokenTtl: 3600 });
  user = await createBrowserUser();
});

test.afterEach(async () => {
  for (const error of user.errors) console.error('browser user:', error.message);
  await user.close();
  await server.close();
});

/** Adds the oidc-provider as a custom provider found by discovery; leaves the Providers list. */
async function addByDiscovery(page: Page, shots = false): Promise<void> {
  await startProvider(page, 'Custom provider');
  const form = providerForm(page);
  await form.getByLabel('Name', { exact: true }).fill('Local OIDC');
  await expect(form.getByLabel('Id', { exact: true })).toHaveValue('local-oidc');
  await form.getByLabel('Issuer URL').fill('http://example.test');
  // Inline validation comes from main's schema, field by field.
  await expect(form.getByText('only https, or http on a loopback address')).toBeVisible();
  if (shots) {
    await form.getByLabel('Header name').fill('Bad Header');
    await expect(form.getByText('must be a valid HTTP header name')).toBeVisible();
    await expect(form.getByText('only https, or http on a loopback address')).toBeVisible();
    await screenshot(page, 'provider-form-inline-errors');
    await form.getByLabel('Header name').fill('Authorization');
  }
  await form.getByLabel('Issuer URL').fill(server.issuer);
  await form.getByRole('button', { name: 'Discover', exact: true }).click();
  const found = form.getByRole('status', { name: 'What the server supports' });
  await expect(found).toContainText('PKCE (S256)');
  await expect(found.locator('li', { hasText: 'Dynamic registration' })).toContainText('supported');
  await expect(found.locator('li', { hasText: 'Revocation' })).toContainText('supported');
  await expect(
    form.getByRole('button', { name: 'Register Tokendeck automatically' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await form.getByLabel('Scopes', { exact: true }).fill('openid offline_access email');
  await form.getByLabel('Who am I').selectOption('id_token');
  await expect(form.locator('.field__error')).toHaveCount(0);
  if (shots) await screenshot(page, 'provider-form-discovered');
  expect(await seriousViolations(page)).toEqual([]);
}

/** Presses the sheet's sign-in button and waits until main waits for the browser. */
async function signInThroughSheet(tokendeck: TokendeckHarness, page: Page, login = 'alice') {
  let release!: (url: string) => void;
  const opened = new Promise<string>((resolve) => {
    tokendeck.onBrowserOpen(async (url) => resolve(url));
  });
  void opened.then((url) => (release = () => void user.open(url)));
  await sheet(page).getByRole('button', { name: 'Open browser and sign in' }).click();
  const url = await opened;
  user.setLogin(login);
  await expect(sheet(page).locator('.step--active')).toHaveText('Waiting for your browser…');
  await expect(sheet(page).getByLabel('Sign-in link')).toHaveValue(url);
  return { url, signIn: () => release(url) };
}

test('add by discovery, connect, copy, reveal, reconnect and remove against a real server', async ({
  tokendeck,
}) => {
  const page = await tokendeck.open();
  await addByDiscovery(page, true);
  await providerForm(page).getByRole('button', { name: 'Save and connect' }).click();

  // The sheet follows main's progress while the second browser signs in.
  await expect(sheet(page)).toBeVisible();
  const { signIn } = await signInThroughSheet(tokendeck, page);
  await expect(sheet(page).locator('.step--done').first()).toHaveText('Finding the provider');
  await expect(sheet(page).getByText('Registering Tokendeck')).toBeVisible();
  await screenshot(page, 'connect-sheet-waiting');
  expect(await seriousViolations(page)).toEqual([]);
  await sheet(page).getByRole('button', { name: 'Copy link' }).click();
  expect(tokendeck.clipboardText()).toContain(`${server.issuer}/auth?`);
  signIn();
  // A real sign-in in a second Chromium: allow it the time a person's browser would take.
  await expect(sheet(page).getByRole('status')).toHaveText('Connected to Local OIDC.', {
    timeout: SIGN_IN_MS,
  });
  await sheet(page).getByRole('button', { name: 'Done' }).click();

  // The account, with a live countdown.
  const row = accountRow(page, 'alice');
  await expect(row).toContainText('Fresh');
  const before = await row.locator('.countdown').textContent();
  expect(before).toMatch(/^in 59m \d\ds$/);
  await expect(row.locator('.countdown')).not.toHaveText(before ?? '');
  await expect(row).toContainText('renewed just now');
  await expect(row.getByRole('list', { name: 'Scopes' })).toContainText('openid');
  await screenshot(page, 'accounts-connected');

  // Copy: the real token on the clipboard, cleared after the (shortened) delay.
  await tokendeck.service.saveSettings({ clipboardClearSeconds: 1 });
  const [account] = await tokendeck.service.listAccounts();
  const fresh = await tokendeck.service.getFreshToken(account!.id);
  await row.getByRole('button', { name: /Copy token/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Token copied — clears in 1 s' }),
  ).toBeVisible();
  expect(tokendeck.clipboard.at(-1)).toBe(fresh.accessToken);
  await expect.poll(() => tokendeck.clipboardText(), { timeout: 5000 }).toBe('');

  // Copy as header and as curl, from the row menu.
  await rowAction(page, 'alice', 'Copy as header');
  await expect
    .poll(() => tokendeck.clipboard.at(-1))
    .toBe(`Authorization: Bearer ${fresh.accessToken}`);
  await rowAction(page, 'alice', 'Copy as curl');
  await expect
    .poll(() => tokendeck.clipboard.at(-1))
    .toBe(`curl -sS -H "Authorization: Bearer $(tokendeck token '${account!.id}')" '<URL>'`);

  // Reveal: masked until clicked, claims shown, signature checked against the JWKS.
  await rowAction(page, 'alice', 'Reveal and inspect…');
  const inspector = sheet(page);
  await inspector.getByRole('button', { name: 'Reveal token' }).click();
  await expect(inspector.getByText('Signature verified against the provider’s keys')).toBeVisible();
  const tokenBox = inspector.locator('.token-box');
  await expect(tokenBox).toHaveAttribute('aria-pressed', 'false');
  await expect(tokenBox).not.toContainText(fresh.accessToken);
  await expect(inspector.locator('pre').nth(1)).toContainText('"sub": "alice"');
  await expect(inspector).toContainText(`${server.issuer}/api`);
  await screenshot(page, 'inspector');
  expect(await seriousViolations(page)).toEqual([]);
  await inspector.getByRole('button', { name: 'Click to show the token' }).click();
  await expect(tokenBox).toHaveText(fresh.accessToken);
  // The reveal is logged, without the token.
  const log = readFileSync(join(tokendeck.dataDir, 'logs', 'tokendeck.log'), 'utf8');
  expect(log).toContain('token revealed by the user');
  expect(log).not.toContain(fresh.accessToken);
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);

  // Reconnect: the same user again keeps one account.
  // The ID token's email names the account (issue 9: name, then username, login or email).
  await rowAction(page, 'alice', 'Reconnect…');
  await expect(sheet(page).getByRole('heading')).toHaveText('Reconnect alice@example.test');
  const again = await signInThroughSheet(tokendeck, page);
  again.signIn();
  await expect(sheet(page).getByRole('status')).toHaveText(
    'alice@example.test is connected again.',
    {
      timeout: SIGN_IN_MS,
    },
  );
  await sheet(page).getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('[data-account-id]')).toHaveCount(1);
  expect(await tokendeck.service.listAccounts()).toHaveLength(1);

  // Remove: the dialog says it revokes, and the server accepted the revocation.
  await rowAction(page, 'alice', 'Remove…');
  await expect(sheet(page)).toContainText('revokes its tokens at Local OIDC');
  await screenshot(page, 'remove-confirm');
  const revokedBefore = server.revocations;
  await sheet(page).getByRole('button', { name: 'Revoke and remove' }).click();
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  expect(server.revocations).toBeGreaterThan(revokedBefore);
  expect(await tokendeck.service.listAccounts()).toEqual([]);
  expect(tokendeck.bridge.unhandled).toEqual([]);
});

test('cancelling a sign-in closes its loopback port', async ({ tokendeck }) => {
  const page = await tokendeck.open();
  await addByDiscovery(page);
  await providerForm(page).getByRole('button', { name: 'Save and connect' }).click();
  const { url } = await signInThroughSheet(tokendeck, page);
  const port = Number(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);
  expect(await portOpen(port)).toBe(true);

  await sheet(page).getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(sheet(page).getByRole('alert')).toContainText('Sign-in cancelled');
  await expect.poll(() => portOpen(port)).toBe(false);
  expect(await tokendeck.service.listAccounts()).toEqual([]);
});

test('a refused sign-in says so in plain words, and what to do', async ({ tokendeck }) => {
  const page = await tokendeck.open();
  await addByDiscovery(page);
  await providerForm(page).getByRole('button', { name: 'Save and connect' }).click();
  tokendeck.onBrowserOpen((url) => user.deny(url));
  await sheet(page).getByRole('button', { name: 'Open browser and sign in' }).click();
  const alert = sheet(page).getByRole('alert');
  await expect(alert).toContainText('Access was declined', { timeout: SIGN_IN_MS });
  await expect(alert).toContainText('access_denied');
  await expect(alert).toContainText('Press Try again');
  await expect(sheet(page).locator('.step--failed')).toBeVisible();
  await screenshot(page, 'connect-access-denied');
  expect(await seriousViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'connect-access-denied-dark');
  expect(await tokendeck.service.listAccounts()).toEqual([]);
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
