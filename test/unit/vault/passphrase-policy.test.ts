import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService } from '../../../src-main/core';
import { CONTRACT_SCHEMAS } from '../../../src-main/core/api-schemas';
import { Vault, createPassphraseSlot } from '../../../src-main/core/vault';
import { createMemoryClipboard, createRecordingBrowser } from '../../helpers/fake-ports';
import { makeTempRoot } from '../../helpers/vault-fixtures';

/** SECURITY 45: passphrases of 8 or more; scrypt at OWASP's cost, older vaults re-wrapped. */

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await makeTempRoot()));
afterEach(async () => cleanup());

const open = (passphrase: string, scryptN?: number) =>
  createService({
    dataDir: root,
    passphrase,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule: false,
    ...(scryptN ? { scryptN } : {}),
  });

async function storedCost(): Promise<number> {
  const doc = JSON.parse(await readFile(join(root, 'vault.json'), 'utf8'));
  return doc.slots.find((slot: { kind: string }) => slot.kind === 'passphrase').wrapped.N;
}

describe('passphrase policy', () => {
  it('re-wraps a vault stored at a lower scrypt cost on its next unlock, at N=2^17', async () => {
    await (await open('long enough passphrase', 2 ** 10)).close();
    expect(await storedCost()).toBe(2 ** 10);
    const service = await open('long enough passphrase');
    expect((await service.getVaultStatus()).state).toBe('unlocked');
    await service.close();
    expect(await storedCost()).toBe(2 ** 17);
  });

  it('refuses a new passphrase under 8 characters on every path: new vault, setPassphrase, IPC', async () => {
    await expect(open('short', 2 ** 10)).rejects.toMatchObject({ code: 'invalid_input' });
    const service = await open('long enough passphrase', 2 ** 10);
    await expect(service.setPassphrase({ passphrase: 'seven77' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await service.close();
    expect(CONTRACT_SCHEMAS.setPassphrase.safeParse({ passphrase: 'seven77' }).success).toBe(false);
    expect(CONTRACT_SCHEMAS.setPassphrase.safeParse({ passphrase: 'eight888' }).success).toBe(true);
    // Unlocking is not setting: a short one may still be tried.
    expect(CONTRACT_SCHEMAS.unlockWithPassphrase.safeParse({ passphrase: 'short' }).success).toBe(
      true,
    );
  });

  it('still unlocks with an older, shorter passphrase, and flags it so the user is asked to change it', async () => {
    await Vault.create(root, createPassphraseSlot('short', { N: 2 ** 10 }));
    const service = await open('short', 2 ** 10);
    expect(await service.getVaultStatus()).toMatchObject({
      state: 'unlocked',
      passphraseTooShort: true,
    });
    const changed = await service.setPassphrase({ passphrase: 'a longer passphrase' });
    expect(changed.passphraseTooShort).toBeUndefined();
    await service.close();
  });
});
