import { describe, expect, it } from 'vitest';
import { toErrorPayload } from '../../src-main/core/errors';
import { createService } from '../../src-main/core/service';
import { Vault, createPassphraseSlot } from '../../src-main/core/vault';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';

/**
 * Account and token records have one reader, so a fault has one error whichever call meets it:
 * an account without tokens is `needs_reauth`, and a malformed record is `vault_corrupt`.
 */

const PASSPHRASE = 'record faults passphrase';

async function connectedKeyAccount() {
  const dataDir = scannedTempDir('svc-faults-');
  const service = await createService({
    dataDir,
    passphrase: PASSPHRASE,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule: false,
    scryptN: 2 ** 12,
  });
  await service.saveProvider({
    profile: {
      id: 'keys',
      name: 'Keys',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
    },
  });
  const { accountId } = await service.connectAccount({
    providerId: 'keys',
    apiKey: 'record-faults-api-key-123456',
  });
  const vault = await Vault.open(dataDir, createPassphraseSlot(PASSPHRASE));
  return { service, vault, accountId };
}

/** The code each token-reading call fails with. */
async function codes(
  service: Awaited<ReturnType<typeof connectedKeyAccount>>['service'],
  accountId: string,
) {
  const calls = {
    copyToken: () => service.copyToken({ accountId }),
    renewAccount: () => service.renewAccount({ accountId }),
    getFreshToken: () => service.getFreshToken(accountId),
  };
  const result: Record<string, string> = {};
  for (const [name, call] of Object.entries(calls)) {
    result[name] = await call().then(
      () => 'ok',
      (error: unknown) => toErrorPayload(error).code,
    );
  }
  return result;
}

describe('record faults', () => {
  it('an account whose tokens are gone needs reconnecting, on every path', async () => {
    const { service, vault, accountId } = await connectedKeyAccount();
    try {
      await vault.update((tx) => tx.deleteSecret(`tokens:${accountId}`));
      expect(await codes(service, accountId)).toEqual({
        copyToken: 'needs_reauth',
        renewAccount: 'needs_reauth',
        getFreshToken: 'needs_reauth',
      });
    } finally {
      await service.close();
    }
  });

  it('a token record that does not parse is vault_corrupt, on every path', async () => {
    const { service, vault, accountId } = await connectedKeyAccount();
    try {
      await vault.update((tx) => tx.putSecret(`tokens:${accountId}`, 'not json'));
      expect(await codes(service, accountId)).toEqual({
        copyToken: 'vault_corrupt',
        renewAccount: 'vault_corrupt',
        getFreshToken: 'vault_corrupt',
      });
    } finally {
      await service.close();
    }
  });

  it('a malformed account record is vault_corrupt when listed and when used', async () => {
    const { service, vault, accountId } = await connectedKeyAccount();
    try {
      await vault.update((tx) => tx.put('accounts', accountId, { id: accountId }));
      await expect(service.listAccounts()).rejects.toMatchObject({ code: 'vault_corrupt' });
      expect(await codes(service, accountId)).toEqual({
        copyToken: 'vault_corrupt',
        renewAccount: 'vault_corrupt',
        getFreshToken: 'vault_corrupt',
      });
    } finally {
      await service.close();
    }
  });
});
