import { screenshot } from '../helpers/e2e-screenshot';
import {
  accountRow,
  providerForm,
  seriousViolations,
  sheet,
  startProvider,
} from '../helpers/e2e-ui';
import { ALUMA_PATHS, startAluma } from '../helpers/servers/aluma';
import { startAttentive } from '../helpers/servers/attentive';
import { expect, test } from './fixtures';

/**
 * Presets through the app against the seed stand-ins on loopback: an API-key account
 * (Attentive's private app, named by GET /me) and a client-credentials account (Aluma), each
 * added from the catalogue, pointed at the stand-in, and connected from the sheet.
 */

test('an API-key preset: paste the key in the sheet, and the account is named by /me', async ({
  tokendeck,
}) => {
  const apiKey = 'attentive-private-key-e2e-0123456789';
  const server = await startAttentive({ apiKeys: [apiKey] });
  try {
    const page = await tokendeck.open();
    await startProvider(page, 'Attentive \\(private app');
    const form = providerForm(page);
    await expect(form.getByRole('heading', { name: 'Add Attentive (private app)' })).toBeVisible();
    await form.getByLabel('API base URL').fill(`${server.url}/v1`);
    await form.getByLabel('GraphQL URL').fill(`${server.url}/v1/graphql`);
    await form.getByRole('button', { name: 'Save and connect' }).click();

    const connect = sheet(page);
    await expect(connect.getByLabel('API key')).toBeFocused();
    await connect.getByLabel('API key').fill(apiKey);
    await screenshot(page, 'connect-api-key');
    expect(await seriousViolations(page)).toEqual([]);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect.getByRole('status')).toHaveText('Connected to Attentive (private app).');
    await connect.getByRole('button', { name: 'Done' }).click();

    const row = accountRow(page, 'Test Company');
    await expect(row).toContainText('No expiry');
    await expect(row).toContainText('never');
    await row.getByRole('button', { name: /Copy token/ }).click();
    await expect.poll(() => tokendeck.clipboard.at(-1)).toBe(apiKey);
    expect(server.meRequests).toBeGreaterThanOrEqual(1);
    // The key never comes back to the page.
    const summaries = await page.evaluate(() => window.tokendeck?.listAccounts());
    expect(JSON.stringify(summaries)).not.toContain(apiKey);
  } finally {
    await server.close();
  }
});

test('a client-credentials preset: the secret is stored, never shown, and the token fetched', async ({
  tokendeck,
}) => {
  const client = { client_id: 'aluma-e2e-client', client_secret: 'aluma-e2e-secret-987654' };
  const server = await startAluma({ clients: [client], expiresIn: 3600 });
  try {
    const page = await tokendeck.open();
    await startProvider(page, 'Aluma');
    const form = providerForm(page);
    await form.getByLabel('Token URL').fill(`${server.url}${ALUMA_PATHS.token}`);
    await form.getByLabel('API base URL').fill(server.url);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    // The preset's placeholder client id and the missing secret are marked inline.
    await expect(
      form.getByText('Fill this in: the preset only has a placeholder here.'),
    ).toBeVisible();
    await expect(form.getByText('Enter the client secret.')).toBeVisible();
    await form.getByLabel('Client id').fill(client.client_id);
    await form.getByLabel('Client secret').fill(client.client_secret);
    await expect(form.getByText('Fill this in')).toHaveCount(0);
    await form.getByRole('button', { name: 'Save and connect' }).click();

    const connect = sheet(page);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect.getByRole('status')).toHaveText('Connected to Aluma.');
    await connect.getByRole('button', { name: 'Done' }).click();
    const row = accountRow(page, client.client_id);
    await expect(row).toContainText('Fresh');
    await expect(row.locator('.countdown')).toHaveText(/^in 59m \d\ds$/);
    expect(server.tokensIssued).toBe(1);

    // Editing shows the secret as stored, never its value.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Providers' })
      .click();
    await page.getByRole('button', { name: 'More actions for Aluma' }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    await expect(form.getByText('Stored', { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain(client.client_secret);
    await screenshot(page, 'provider-edit-secret-stored');

    // Renew now asks the server again.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Accounts' })
      .click();
    await row.getByRole('button', { name: /More actions/ }).click();
    await page.getByRole('menuitem', { name: 'Renew now' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Token renewed' })).toBeVisible();
    expect(server.tokensIssued).toBe(2);
  } finally {
    await server.close();
  }
});
