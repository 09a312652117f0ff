import type { Page } from '@playwright/test';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  type ContractCalls,
  type ContractMethod,
} from '../../src-preload/contract';
import { startAluma, type AlumaServer } from '../helpers/servers/aluma';
import { E2E_PASSPHRASE, expect, test } from './fixtures';

/**
 * SECURITY 10: a raw token crosses IPC only when the user explicitly asks to reveal it.
 *
 * Tokens are planted in the page's real service: a client-credentials account whose tokens come
 * from the Aluma stand-in (every one starts `aluma_`, so even a renewed-away token is caught),
 * its client secret, and an API key. Then every contract call is made through
 * `window.tokendeck`, as the renderer makes them, and the UI copies a token; every result and
 * every event the page receives is walked for the planted values. Only `revealToken` may hold a
 * token. The spec uses nothing of the harness but its `tokendeck` fixture and the page's
 * `window.tokendeck`, so it holds whatever carries the calls underneath.
 */

const CLIENT_SECRET = 'e2e-planted-client-secret-5c1f0a';
const API_KEY = 'e2e-planted-api-key-93be77d2';
const PLANTED = [/aluma_/, new RegExp(CLIENT_SECRET), new RegExp(API_KEY)];

let aluma: AlumaServer;
test.beforeAll(async () => {
  aluma = await startAluma({
    clients: [{ client_id: 'e2e-client', client_secret: CLIENT_SECRET, name: 'E2E client' }],
  });
});
test.afterAll(async () => {
  await aluma.close();
});

type Call = { method: ContractMethod; result: unknown };

/** Makes one contract call in the page, as the renderer does; returns its IPC result. */
async function call<M extends ContractMethod>(
  page: Page,
  method: M,
  arg?: ContractCalls[M]['arg'],
): Promise<Call> {
  const result = await page.evaluate(
    ([name, value]) => {
      const api = window.tokendeck as unknown as Record<
        string,
        (arg?: unknown) => Promise<unknown>
      >;
      return api[name]!(value);
    },
    [method, arg] as const,
  );
  return { method, result };
}

/** Subscribes, in the page, to every event; the payloads collect in `window.__events`. */
async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(
    (events) => {
      const seen: unknown[] = [];
      (window as unknown as { __events: unknown[] }).__events = seen;
      for (const event of events) {
        window.tokendeck?.on(event as 'accountChanged', (payload) => seen.push({ event, payload }));
      }
    },
    [...CONTRACT_EVENTS],
  );
}

function leaks(value: unknown): string[] {
  const text = JSON.stringify(value) ?? '';
  return PLANTED.filter((pattern) => pattern.test(text)).map(String);
}

test('no contract result or event carries a raw token, except an explicit reveal', async ({
  tokendeck,
}) => {
  const page = await tokendeck.open();
  await recordEvents(page);
  const profile = {
    id: 'aluma-e2e',
    name: 'Aluma E2E',
    grant: 'client_credentials' as const,
    endpoints: { token: `${aluma.url}/oauth/token` },
    client: {
      registration: 'static' as const,
      clientId: 'e2e-client',
      auth: 'client_secret_post' as const,
    },
    use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: aluma.url },
  };
  const keys = {
    id: 'keys-e2e',
    name: 'Keys E2E',
    grant: 'api_key' as const,
    client: { registration: 'static' as const, auth: 'none' as const },
    use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: aluma.url },
  };
  const calls: Call[] = [];
  const make = async <M extends ContractMethod>(method: M, arg?: ContractCalls[M]['arg']) => {
    const made = await call(page, method, arg);
    calls.push(made);
    return made.result as { ok: boolean; value?: unknown; code?: string };
  };

  // Planting: a provider with a client secret, its account, and an API key account.
  expect(await make('saveProvider', { profile, clientSecret: CLIENT_SECRET })).toMatchObject({
    ok: true,
  });
  const connected = await make('connectAccount', { providerId: 'aluma-e2e' });
  const accountId = (connected.value as { accountId: string }).accountId;
  await make('saveProvider', { profile: keys });
  const keyed = await make('connectAccount', { providerId: 'keys-e2e', apiKey: API_KEY });
  const keyAccountId = (keyed.value as { accountId: string }).accountId;
  expect(aluma.tokensIssued).toBe(1);

  // The UI's own Copy: the token goes to the clipboard in main, not to the page.
  const row = page.getByRole('listitem', { name: /Aluma E2E/ });
  await row.getByRole('button', { name: /^Copy token/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(tokendeck.clipboard.at(-1)).toMatch(/^aluma_/);

  const spec = { kind: 'rest' as const, accountId, method: 'GET', url: '/v1/me' };
  // One entry per contract method: a new method without one fails the typecheck.
  const everyCall: { [M in ContractMethod]: () => Promise<unknown> } = {
    getAppInfo: () => make('getAppInfo'),
    getVaultStatus: () => make('getVaultStatus'),
    listPresets: () => make('listPresets'),
    getPreset: () => make('getPreset', { id: 'aluma' }),
    listProviders: () => make('listProviders'),
    getProvider: () => make('getProvider', { id: 'aluma-e2e' }),
    saveProvider: () => make('saveProvider', { profile }),
    previewProviderEdit: () => make('previewProviderEdit', { profile }),
    exportProvider: () => make('exportProvider', { id: 'aluma-e2e' }),
    parseProviderFile: () => make('parseProviderFile', { text: JSON.stringify(profile) }),
    removeProvider: () => make('removeProvider', { id: 'keys-e2e' }),
    listAccounts: () => make('listAccounts'),
    discoverFromApi: () => make('discoverFromApi', { url: `${aluma.url}/v1/me`, id: 'found-e2e' }),
    connectAccount: () => make('connectAccount', { providerId: 'aluma-e2e' }),
    exchangeToken: () => make('exchangeToken', { accountId, audience: 'https://api.example' }),
    cancelConnect: () => make('cancelConnect', { providerId: 'aluma-e2e' }),
    copyFlowLink: () => make('copyFlowLink', { providerId: 'aluma-e2e' }),
    renewAccount: () => make('renewAccount', { accountId }),
    removeAccount: () => make('removeAccount', { accountId: keyAccountId }),
    renameAccount: () => make('renameAccount', { accountId, label: 'Renamed in the e2e run' }),
    mergeAccounts: () => make('mergeAccounts', { keepId: accountId, otherId: keyAccountId }),
    setDefaultAccount: () => make('setDefaultAccount', { accountId }),
    copyToken: () => make('copyToken', { accountId }),
    revealToken: () => make('revealToken', { accountId }),
    sendRequest: () => make('sendRequest', { ...spec, requestId: 'e2e-security-1' }),
    cancelRequest: () => make('cancelRequest', { requestId: 'e2e-security-none' }),
    listHistory: () => make('listHistory', { accountId }),
    clearHistory: () => make('clearHistory', { accountId }),
    introspectGraphql: () => make('introspectGraphql', { accountId }),
    exportCurl: async () => {
      // Copying with the token inlined: the token goes to the clipboard, never to the page.
      await make('exportCurl', { spec, copy: true, options: { inlineToken: true } });
      return make('exportCurl', { spec });
    },
    listSavedRequests: () => make('listSavedRequests', { providerId: 'aluma-e2e' }),
    saveRequest: () =>
      make('saveRequest', {
        providerId: 'aluma-e2e',
        name: 'Me',
        request: { kind: 'rest', method: 'GET', url: '/v1/me' },
      }),
    renameSavedRequest: () =>
      make('renameSavedRequest', { providerId: 'aluma-e2e', name: 'Me', newName: 'Who am I' }),
    deleteSavedRequest: () =>
      make('deleteSavedRequest', { providerId: 'aluma-e2e', name: 'Who am I' }),
    listEnvVariables: () => make('listEnvVariables', { providerId: 'aluma-e2e' }),
    setEnvVariable: () =>
      make('setEnvVariable', { providerId: 'aluma-e2e', name: 'tenant', value: 'acme' }),
    unsetEnvVariable: () => make('unsetEnvVariable', { providerId: 'aluma-e2e', name: 'tenant' }),
    setPassphrase: () => make('setPassphrase', { passphrase: 'a second e2e passphrase 42' }),
    removePassphrase: () => make('removePassphrase'),
    unlockWithPassphrase: () => make('unlockWithPassphrase', { passphrase: E2E_PASSPHRASE }),
    allowInsecureKeychain: () => make('allowInsecureKeychain', { confirm: true }),
    getAgentSettings: () => make('getAgentSettings'),
    setAgentSettings: () => make('setAgentSettings', { enabled: false, askOnNewTerminal: true }),
    resetVault: () => make('resetVault', { confirm: true }),
    getNetworkSettings: () => make('getNetworkSettings'),
    setNetworkSettings: () => make('setNetworkSettings', { proxy: { mode: 'system' } }),
    getSettings: () => make('getSettings'),
    saveSettings: () => make('saveSettings', { clipboardClearSeconds: 45 }),
    validateProvider: () => make('validateProvider', { profile }),
    discoverProvider: () => make('discoverProvider', { issuer: aluma.url }),
  };
  // Account and provider removal last, so that every other call sees the planted tokens.
  const last: ContractMethod[] = ['removeAccount', 'removeProvider'];
  for (const method of CONTRACT_METHODS.filter((name) => !last.includes(name))) {
    await everyCall[method]();
  }
  for (const method of last) await everyCall[method]();
  expect(new Set(calls.map((made) => made.method))).toEqual(new Set(CONTRACT_METHODS));
  expect(aluma.tokensIssued).toBeGreaterThan(1);

  const revealed = calls.filter((made) => made.method === 'revealToken');
  expect(revealed.map((made) => made.result)).toEqual([
    {
      ok: true,
      value: { token: expect.stringMatching(/^aluma_/), inspection: expect.any(Object) },
    },
  ]);
  const curl = calls.find((made) => made.method === 'exportCurl')?.result;
  expect(curl).toMatchObject({
    ok: true,
    value: { command: expect.stringContaining('$(tokendeck token') },
  });
  expect(calls.find((made) => made.method === 'copyToken')?.result).toEqual({
    ok: true,
    value: { expiresAt: expect.any(Number), clearsAfterSeconds: 45 },
  });

  for (const made of calls.filter((entry) => entry.method !== 'revealToken')) {
    expect(leaks(made.result), `${made.method} result`).toEqual([]);
  }
  const events = await page.evaluate(() => (window as unknown as { __events: unknown[] }).__events);
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) expect(leaks(event), JSON.stringify(event).slice(0, 80)).toEqual([]);
});
