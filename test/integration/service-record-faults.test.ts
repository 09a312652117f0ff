import { describe, expect, it } from 'vitest';
import { toErrorPayload } from '../../src-main/core/errors';
import { createService } from '../../src-main/core/service';
import { Vault, createPassphraseSlot, type VaultTransaction } from '../../src-main/core/vault';
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
  it.each([
    {
      fault: 'an account whose tokens are gone',
      code: 'needs_reauth',
      spoil: (tx: VaultTransaction, id: string) => tx.deleteSecret(`tokens:${id}`),
    },
    {
      fault: 'a token record that does not parse',
      code: 'vault_corrupt',
      spoil: (tx: VaultTransaction, id: string) => tx.putSecret(`tokens:${id}`, 'not json'),
    },
    {
      fault: 'a malformed account record',
      code: 'vault_corrupt',
      spoil: (tx: VaultTransaction, id: string) => tx.put('accounts', id, { id }),
    },
  ])('$fault is $code on every path', async ({ code, spoil }) => {
    const { service, vault, accountId } = await connectedKeyAccount();
    try {
      await vault.update((tx) => spoil(tx, accountId));
      expect(await codes(service, accountId)).toEqual({
        copyToken: code,
        renewAccount: code,
        getFreshToken: code,
      });
    } finally {
      await service.close();
    }
  });

  it('a malformed account record also fails the account list with vault_corrupt', async () => {
    const { service, vault, accountId } = await connectedKeyAccount();
    try {
      await vault.update((tx) => tx.put('accounts', accountId, { id: accountId }));
      await expect(service.listAccounts()).rejects.toMatchObject({ code: 'vault_corrupt' });
    } finally {
      await service.close();
    }
  });
});
