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

// Wide enough for the schema browser beside the query.
test.use({ viewport: { width: 1320, height: 860 } });

test.afterEach(async () => {
  await setting?.close();
});

test('GraphQL: completion from the introspected schema, hover docs, validation, browser, send', async ({
  tokendeck,
}) => {
  setting = await startConsoleSetting(tokendeck.service);
  const page = await tokendeck.open();
  await openConsole(page);
  await page.getByRole('button', { name: 'GraphQL', exact: true }).click();
  await expect(page.getByText(/^Schema fetched /)).toBeVisible();
  expect(setting.api.introspections).toBe(1);

  const query = page.getByRole('textbox', { name: 'GraphQL query' });
  await query.click();
  await page.keyboard.type('query Me { m');
  const popup = page.locator('.cm-tooltip-autocomplete');
  await expect(popup).toBeVisible();
  await expect(popup.getByRole('option', { name: /^me/ })).toBeVisible();
  await screenshot(page, 'console-graphql-completion-light');
  await setTheme(page, 'dark');
  await screenshot(page, 'console-graphql-completion-dark');
  await setTheme(page, 'light');
  await page.keyboard.press('Enter');
  await expect(query).toContainText('query Me { me');
  await page.keyboard.type(' { id nmae');
  // Inline validation: the misspelt field is marked from the schema.
  await expect(page.locator('.cm-lintRange-error')).toBeVisible();
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('Backspace');
  await page.keyboard.type('name');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);

  // Hover docs come from the schema's descriptions.
  await page.getByText('me', { exact: true }).first().hover();
  await expect(page.locator('.cm-tooltip-hover')).toContainText('Who the token belongs to.');

  // The schema browser: search, then a click inserts the field at the cursor.
  const browser = page.getByRole('region', { name: 'Schema' });
  await browser.getByRole('searchbox', { name: 'Search the schema' }).fill('email');
  await expect(browser.getByRole('button', { name: /^Insert User\.\s*email/ })).toBeVisible();
  await expect(browser.getByRole('button', { name: /^Insert Query\.\s*me\b/ })).toHaveCount(0);
  await query.click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await browser.getByRole('button', { name: /^Insert User\.\s*email/ }).click();
  await expect(query).toContainText('name email');
  await browser.getByRole('searchbox', { name: 'Search the schema' }).fill('');
  await browser.locator('summary', { hasText: /^User$/ }).click();
  await expect(browser.getByRole('button', { name: /^Insert User\.\s*orders/ })).toBeVisible();
  await screenshot(page, 'console-schema-browser-light');
  await setTheme(page, 'dark');
  await screenshot(page, 'console-schema-browser-dark');
  await setTheme(page, 'light');

  await page.getByRole('textbox', { name: 'GraphQL variables' }).click();
  await page.keyboard.insertText('{"limit": 3}');
  await page.keyboard.press('ControlOrMeta+Enter');
  const response = responsePanel(page);
  await expect(response).toContainText('200 OK');
  await expect(response.getByRole('textbox', { name: 'Response body' })).toContainText('"user-1"');
  const sent = JSON.parse(setting.api.requests.at(-1)?.body ?? '{}');
  expect(sent.query).toMatch(/^query Me \{ me \{ id name email ?\}/);
  expect(sent.variables).toEqual({ limit: 3 });

  // The schema is cached per provider: Refresh fetches it again, on demand only.
  await page.getByRole('button', { name: 'Refresh schema' }).click();
  await expect.poll(() => setting.api.introspections).toBe(2);
  expect(await seriousViolations(page)).toEqual([]);
  expect(cspRefusals(tokendeck.consoleErrors)).toEqual([]);
});
