import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

let setting: ConsoleSetting;
let shimDir: string | undefined;

test.afterEach(async () => {
  await setting?.close();
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
  shimDir = undefined;
});

test('history survives a page restart and restores a request on click', async ({ tokendeck }) => {
  setting = await startConsoleSetting(tokendeck.service);
  let page = await tokendeck.open();
  await openConsole(page);
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill('/me');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(responsePanel(page)).toContainText('200 OK');
  await url.fill('/echo/orders');
  await page
    .getByRole('group', { name: 'Request part' })
    .getByRole('button', { name: 'Query' })
    .click();
  await page.getByRole('textbox', { name: 'Query parameters: name 1' }).fill('page');
  await page.getByRole('textbox', { name: 'Query parameters: value 1' }).fill('2');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(responsePanel(page)).toContainText('/api/echo/orders?page=2');

  // A restart of the page: the history comes back from the vault.
  page = await tokendeck.open();
  await openConsole(page);
  const history = page.getByRole('complementary', { name: 'History' });
  await expect(history.getByRole('button')).toHaveCount(3); // Clear and two entries
  await expect(url).toHaveValue('');
  await history.getByRole('button', { name: /GET \/echo\/orders/ }).click();
  await expect(url).toHaveValue('/echo/orders');
  await expect(page.locator('#console-resolved-url')).toHaveText(
    `→ ${setting.api.origin}/api/echo/orders?page=2`,
  );
  await screenshot(page, 'console-history-light');
  await setTheme(page, 'dark');
  await screenshot(page, 'console-history-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await setTheme(page, 'light');

  await history.getByRole('button', { name: 'Clear' }).click();
  await history.getByRole('button', { name: 'Clear history' }).click();
  await expect(history).toContainText('Requests you send with this account appear here.');
  expect(await tokendeck.service.listHistory({ accountId: setting.accountId })).toEqual([]);
  expect(cspRefusals(tokendeck.consoleErrors)).toEqual([]);
});

test('Copy as curl puts a command on the clipboard that gives the same answer in /bin/sh', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  await page.getByRole('textbox', { name: 'URL', exact: true }).fill('/me');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const body = responsePanel(page).getByRole('textbox', { name: 'Response body' });
  await expect(body).toContainText('"Test User"');

  await page.getByRole('button', { name: 'Copy as curl' }).click();
  await expect(page.getByText('curl command copied')).toBeVisible();
  const command = tokendeck.clipboardText();
  expect(command).toContain(`$(tokendeck token '${setting.accountId}')`);
  expect(command).not.toMatch(/aluma_/);

  // `tokendeck token` on the PATH, answering as the CLI would with the account's token.
  const { token } = await tokendeck.service.revealToken({ accountId: setting.accountId });
  shimDir = mkdtempSync(join(tmpdir(), 'tokendeck-shim-'));
  const shim = join(shimDir, 'tokendeck');
  writeFileSync(
    shim,
    `#!/bin/sh\n[ "$1" = token ] && [ "$2" = '${setting.accountId}' ] && printf %s '${token}'\n`,
  );
  chmodSync(shim, 0o700);
  // Not a sync spawn: the API server answering curl runs in this process.
  const { stdout: output } = await promisify(execFile)('/bin/sh', ['-c', `${command} --silent`], {
    env: { PATH: `${shimDir}:/usr/bin:/bin` },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(JSON.parse(output)).toEqual({ id: 'user-1', name: 'Test User' });

  // Inlining the token is a confirmed choice; the token reaches the clipboard, not the page.
  await page.getByRole('button', { name: 'With token…' }).click();
  await page
    .getByRole('dialog', { name: 'Copy with the token' })
    .getByRole('button', { name: 'Copy with the token' })
    .click();
  await expect(page.getByText(/Copied, with the token/)).toBeVisible();
  expect(tokendeck.clipboardText()).toContain(`Bearer ${token}`);
  expect(await page.content()).not.toContain(token);
});

test('a curl command pasted into the URL fills the request, without its token', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  const pasted = `curl -X PUT '${setting.api.origin}/api/echo/items?x=1' -H 'Authorization: Bearer pasted-secret' -H 'X-Trace: abc' --data-raw '{"a":1}'`;
  await url.focus();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, pasted);
  await expect(url).toHaveValue(`${setting.api.origin}/api/echo/items`);
  await expect(page.getByLabel('Method')).toHaveValue('PUT');
  await expect(
    page.getByRole('status').filter({ hasText: 'Filled from a curl command' }),
  ).toContainText('left out Authorization');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(responsePanel(page)).toContainText('200 OK');
  const seen = setting.api.requests.at(-1);
  expect(seen?.method).toBe('PUT');
  expect(seen?.path).toBe('/api/echo/items?x=1');
  expect(seen?.body).toBe('{"a":1}');
  expect(seen?.headers).toContainEqual(['X-Trace', 'abc']);
  expect(JSON.stringify(seen?.headers)).not.toContain('pasted-secret');
});

test('a request saved by name loads again, and environment variables are offered', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  await tokendeck.service.setEnvVariable({
    providerId: setting.providerId,
    name: 'who',
    value: 'me',
  });
  const page = await tokendeck.open();
  await openConsole(page);
  await expect(page.getByText('{{who}}')).toBeVisible();
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill('/{{who}}');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(responsePanel(page)).toContainText('200 OK');
  expect(setting.api.requests.at(-1)?.path).toBe('/api/me');

  await page.getByRole('button', { name: 'Save as…' }).click();
  await page.getByRole('textbox', { name: 'Name of the saved request' }).fill('Who am I');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved “Who am I”.')).toBeVisible();
  await url.fill('/other');
  await page.getByRole('combobox', { name: 'Saved requests' }).selectOption('Who am I');
  await expect(url).toHaveValue('/{{who}}');
  expect(await seriousViolations(page)).toEqual([]);
});
