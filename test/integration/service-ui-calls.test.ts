import { afterEach, describe, expect, it } from 'vitest';
import { createService, type TokendeckService } from '../../src-main/core/service';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';
import { startOidcProvider, type OidcProviderServer } from '../helpers/servers/oidc-provider';

/**
 * The service calls the desktop UI added, against the real vault and a real server: inline
 * validation, discovery preview, settings, copy formats and clearing, and reveal's inspection.
 */

const KEY = 'ui-calls-api-key-0123456789';
let running: TokendeckService | undefined;
let server: OidcProviderServer | undefined;
const clipboard = createMemoryClipboard();

async function open() {
  const service = await createService({
    dataDir: scannedTempDir('svc-ui-'),
    passphrase: 'ui calls passphrase',
    browser: createRecordingBrowser(),
    clipboard,
    schedule: false,
    scryptN: 2 ** 12,
  });
  running = service;
  await service.saveProvider({
    profile: {
      id: 'keys',
      name: 'Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
      use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: 'https://api.keys.test' },
    },
  });
  const { accountId } = await service.connectAccount({ providerId: 'keys', apiKey: KEY });
  return { service, accountId };
}

afterEach(async () => {
  await running?.close();
  await server?.close();
  running = undefined;
  server = undefined;
});

describe('desktop UI calls', () => {
  it('validateProvider lists field issues and a taken id only when adding', async () => {
    const { service } = await open();
    const taken = {
      id: 'keys',
      name: 'Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
    };
    expect(await service.validateProvider({ profile: taken, isNew: true })).toEqual({
      issues: [{ field: 'id', message: 'A provider "keys" already exists.' }],
    });
    expect(await service.validateProvider({ profile: taken })).toEqual({ issues: [] });
    const { issues } = await service.validateProvider({ profile: { id: 'x', grant: 'nope' } });
    expect(issues.map((issue) => issue.field).sort()).toEqual(['client', 'grant', 'name']);
  });

  it('discoverProvider says what a real server supports', async () => {
    const { service } = await open();
    server = await startOidcProvider();
    const preview = await service.discoverProvider({ issuer: server.issuer });
    expect(preview.issuer).toBe(server.issuer);
    expect(preview.supports).toMatchObject({
      pkceS256: true,
      registration: true,
      revocation: true,
      issParameter: true,
    });
    expect(preview.jwksUri).toBe(`${server.issuer}/jwks`);
  });

  it('settings persist; copy uses them, clears the token on close, and curl copies no token', async () => {
    const { service, accountId } = await open();
    const changed: unknown[] = [];
    service.on('settingsChanged', (settings) => changed.push(settings));
    expect(await service.saveSettings({ clipboardClearSeconds: 30 })).toMatchObject({
      clipboardClearSeconds: 30,
    });
    expect(changed).toEqual([expect.objectContaining({ clipboardClearSeconds: 30 })]);
    expect(await service.getSettings()).toMatchObject({
      clipboardClearSeconds: 30,
      copyMinTtlSeconds: 300,
    });

    expect(await service.copyToken({ accountId, format: 'header' })).toEqual({
      expiresAt: null,
      clearsAfterSeconds: 30,
    });
    expect(clipboard.text).toBe(`X-Api-Key: ${KEY}`);
    expect(clipboard.concealed).toBe(true);
    expect(await service.copyToken({ accountId, format: 'curl' })).toMatchObject({
      clearsAfterSeconds: null,
    });
    expect(clipboard.text).toBe(
      `curl -sS -H "X-Api-Key: $(tokendeck token '${accountId}')" 'https://api.keys.test'`,
    );
    expect(clipboard.text).not.toContain(KEY);
    expect(clipboard.concealed).toBe(false);

    await service.copyToken({ accountId });
    expect(clipboard.text).toBe(KEY);
    expect(clipboard.concealed).toBe(true);
    await service.close();
    expect(clipboard.text).toBeNull();
    running = undefined;
  });

  it('a reveal of a key that is not a JWT says it is opaque', async () => {
    const { service, accountId } = await open();
    expect(await service.revealToken({ accountId })).toEqual({
      token: KEY,
      inspection: { kind: 'opaque' },
    });
  });

  it('copyFlowLink refuses when no sign-in is waiting', async () => {
    const { service } = await open();
    await expect(service.copyFlowLink({ providerId: 'keys' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('a provider summary says whether removing its accounts revokes', async () => {
    const { service } = await open();
    expect((await service.listProviders())[0]).toMatchObject({ id: 'keys', revokes: false });
    expect((await service.listPresets()).find((preset) => preset.id === 'aluma')?.needs).toEqual([
      'a client id',
      'a client secret',
    ]);
  });
});
