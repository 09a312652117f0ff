import {
  startConsoleSetting,
  cspRefusals,
  openConsole,
  responsePanel,
  setTheme,
  type ConsoleSetting,
} from '../helpers/console-e2e';
import { screenshot } from '../helpers/e2e-screenshot';
import { seriousViolations } from '../helpers/e2e-ui';
import { expect, test } from './fixtures';

let setting: ConsoleSetting;

test.afterEach(async () => {
  await setting?.close();
});

test('a REST GET and a POST with a JSON body, with the account token added', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  const url = page.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill('/me');
  await expect(page.locator('#console-resolved-url')).toHaveText(`→ ${setting.api.origin}/api/me`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const response = responsePanel(page);
  await expect(response).toContainText('200 OK');
  await expect(response.getByRole('textbox', { name: 'Response body' })).toContainText(
    '"Test User"',
  );
  const seen = setting.api.requests.at(-1);
  expect(seen?.path).toBe('/api/me');
  expect(seen?.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1]).toMatch(
    /^Bearer aluma_/,
  );

  // A POST with a JSON body to the echo route.
  await page.getByLabel('Method').selectOption('POST');
  await url.fill('/echo/items');
  await page
    .getByRole('group', { name: 'Request part' })
    .getByRole('button', { name: 'Body' })
    .click();
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  const body = page.getByRole('textbox', { name: 'JSON body' });
  await body.click();
  await page.keyboard.insertText('{"name": "widget", "count": 2}');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(response.getByRole('textbox', { name: 'Response body' })).toContainText('widget');
  const echoed = setting.api.requests.at(-1);
  expect(echoed?.method).toBe('POST');
  expect(JSON.parse(echoed?.body ?? '')).toEqual({ name: 'widget', count: 2 });
  await screenshot(page, 'console-rest-light');
  await setTheme(page, 'dark');
  await screenshot(page, 'console-rest-dark');
  expect(await seriousViolations(page)).toEqual([]);
  await setTheme(page, 'light');
  expect(await seriousViolations(page)).toEqual([]);
  expect(cspRefusals(tokendeck.consoleErrors)).toEqual([]);
});
