import { startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';
import {
  cspRefusals,
  openConsole,
  responsePanel,
  setTheme,
  startConsoleSetting,
  type ConsoleSetting,
} from '../helpers/console-e2e';
import { screenshot } from '../helpers/e2e-screenshot';
import { seriousViolations } from '../helpers/e2e-ui';
import { expect, test } from './fixtures';

/**
 * What the response view shows for the answers that matter: a 401 the engine renewed and
 * retried, HTML (shown as text, never run), a 12 MB body cut at the display cap, a 429 with its
 * Retry-After, and a foreign origin that needs the user's per-origin opt-in.
 */

let setting: ConsoleSetting;
let foreign: ConsoleTestServer | undefined;

test.afterEach(async () => {
  await setting?.close();
  await foreign?.close();
  foreign = undefined;
});

test('a 401 is renewed and retried once, and shown as such', async ({ tokendeck }) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  // The API stops accepting the current token, as after a revocation.
  const { token } = await tokendeck.service.revealToken({ accountId: setting.accountId });
  setting.refuse(token);
  await page.getByRole('textbox', { name: 'URL', exact: true }).fill('/me');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const response = responsePanel(page);
  await expect(response).toContainText('200 OK');
  await expect(response.getByText('401 → renewed → retried')).toBeVisible();
  const authorizations = setting.api.requests
    .filter((seen) => seen.path === '/api/me')
    .map((seen) => seen.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1]);
  expect(authorizations).toHaveLength(2);
  expect(authorizations[0]).toBe(`Bearer ${token}`);
  expect(authorizations[1]).not.toBe(`Bearer ${token}`);
});

test('HTML is shown as text and its script never runs', async ({ tokendeck }) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await openConsole(page);
  await page.getByRole('textbox', { name: 'URL', exact: true }).fill(`${setting.api.origin}/html`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const body = responsePanel(page).getByRole('textbox', { name: 'Response body' });
  await expect(body).toContainText('<script>alert(1)</script><h1>Hello</h1>');
  // Nothing of the page became DOM: no heading, no script element from the body.
  await expect(page.getByRole('heading', { name: 'Hello' })).toHaveCount(0);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('a 12 MB body is cut at the display cap with a note', async ({ tokendeck }) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  await page.getByRole('textbox', { name: 'URL', exact: true }).fill(`${setting.api.origin}/big`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const response = responsePanel(page);
  await expect(response).toContainText('200 OK', { timeout: 30_000 });
  await expect(
    response.getByRole('note').filter({ hasText: /^Truncated: showing the first/ }),
  ).toBeVisible();
  await expect(response).toContainText('12.0 MB');
});

test('a 429 shows its Retry-After; a foreign origin needs a per-origin opt-in', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  foreign = await startConsoleServer();
  const page = await tokendeck.open();
  await openConsole(page);
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill(`${setting.api.origin}/status/429`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const response = responsePanel(page);
  await expect(response).toContainText('429 Too Many Requests');
  await expect(response.getByRole('note')).toContainText('Retry-After 7 seconds');
  await screenshot(page, 'console-error-light');
  await setTheme(page, 'dark');
  await screenshot(page, 'console-error-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await setTheme(page, 'light');

  // Another origin: refused until the user allows that origin, then sent with the token.
  await url.fill(`${foreign.origin}/echo`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`${foreign.origin} is not one of this provider's addresses`);
  expect(foreign.requests).toHaveLength(0);
  await alert.getByRole('button', { name: `Allow ${foreign.origin} and send` }).click();
  await expect(response).toContainText('200 OK');
  expect(foreign.requests).toHaveLength(1);
  expect(
    foreign.requests[0]?.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1],
  ).toMatch(/^Bearer aluma_/);
  await expect(page.getByText(`The token may also go to: ${foreign.origin}`)).toBeVisible();
  expect(cspRefusals(tokendeck.consoleErrors)).toEqual([]);
});
