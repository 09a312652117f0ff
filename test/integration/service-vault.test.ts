import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeychainPort, KeychainStatus } from '../../src-main/core/ports';
import { createService } from '../../src-main/core/service';
import { failure } from '../helpers/expect-error';
import { createFakeKeychainSlot } from '../helpers/fake-key-slot';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';

/**
 * How the desktop service opens its vault: with the OS keychain when it is real, never silently
 * on Linux's basic_text, and never by wiping a vault it cannot unlock (SECURITY 23, 25, 27).
 */

const SECURE: KeychainStatus = { available: true, secure: true, backend: 'gnome_libsecret' };
const BASIC_TEXT: KeychainStatus = {
  available: true,
  secure: false,
  backend: 'basic_text',
  warning: 'No system keyring was found; basic_text is not encryption.',
};

function keychain(status: KeychainStatus, secret = 'keychain-secret-1'): KeychainPort {
  return {
    status: () => status,
    slot: ({ allowInsecure }) => {
      if (!status.secure && !allowInsecure)
        throw new Error('insecure keychain used without opt-in');
      return createFakeKeychainSlot({ secret: Buffer.from(secret) });
    },
  };
}

function desktop(dataDir: string, port: KeychainPort) {
  return createService({
    dataDir,
    keychain: port,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule: false,
    scryptN: 2 ** 12,
  });
}

describe('the desktop vault', () => {
  it('is created under a secure OS keychain and opens again with it', async () => {
    const dataDir = scannedTempDir('svc-secure-');
    const first = await desktop(dataDir, keychain(SECURE));
    expect(await first.getVaultStatus()).toMatchObject({
      state: 'unlocked',
      slots: ['os-keychain'],
    });
    await first.close();
    const again = await desktop(dataDir, keychain(SECURE));
    expect((await again.getVaultStatus()).state).toBe('unlocked');
    expect(await again.listAccounts()).toEqual([]);
    await again.close();
  });

  it('is not created under basic_text without a choice, and says why', async () => {
    const dataDir = scannedTempDir('svc-basic-');
    const service = await desktop(dataDir, keychain(BASIC_TEXT));
    const status = await service.getVaultStatus();
    expect(status).toMatchObject({
      state: 'needs-setup',
      keychainWarning: BASIC_TEXT.warning,
      keychainAvailable: true,
    });
    expect(existsSync(status.path)).toBe(false);
    expect((await failure(service.listAccounts())).code).toBe('vault_locked');

    expect(await service.setPassphrase({ passphrase: 'a long passphrase' })).toMatchObject({
      state: 'unlocked',
      slots: ['passphrase'],
    });
    await service.close();

    // Next start: only the passphrase opens it.
    const locked = await desktop(dataDir, keychain(BASIC_TEXT));
    expect((await locked.getVaultStatus()).state).toBe('locked');
    expect((await failure(locked.unlockWithPassphrase({ passphrase: 'wrong one!' }))).code).toBe(
      'vault_wrong_passphrase',
    );
    expect((await locked.unlockWithPassphrase({ passphrase: 'a long passphrase' })).state).toBe(
      'unlocked',
    );
    await locked.close();
  });

  it('uses basic_text only after the explicit opt-in', async () => {
    const dataDir = scannedTempDir('svc-optin-');
    const service = await desktop(dataDir, keychain(BASIC_TEXT));
    expect(await service.allowInsecureKeychain({ confirm: true })).toMatchObject({
      state: 'unlocked',
      slots: ['os-keychain'],
    });
    await service.close();
    const again = await desktop(dataDir, keychain(BASIC_TEXT));
    expect((await again.getVaultStatus()).state).toBe('unlocked');
    await again.close();
  });

  it('keeps the vault when the keychain key changed, and repairs it with the passphrase', async () => {
    const dataDir = scannedTempDir('svc-changed-');
    const first = await desktop(dataDir, keychain(SECURE, 'old keychain'));
    await first.setPassphrase({ passphrase: 'command line passphrase' });
    await first.saveProvider({
      profile: {
        id: 'keys',
        name: 'Keys',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      },
    });
    await first.close();
    const path = join(dataDir, 'vault.json');
    const before = readFileSync(path);

    const changed = await desktop(dataDir, keychain(SECURE, 'new keychain'));
    const status = await changed.getVaultStatus();
    expect(status.state).toBe('recovery');
    expect(status.problem).toMatch(/keychain/i);
    expect(readFileSync(path).equals(before)).toBe(true);

    await changed.unlockWithPassphrase({ passphrase: 'command line passphrase' });
    expect((await changed.listProviders()).map((p) => p.id)).toEqual(['keys']);
    await changed.close();

    // The keychain slot was wrapped again for the new key: it opens without the passphrase now.
    const repaired = await desktop(dataDir, keychain(SECURE, 'new keychain'));
    expect((await repaired.getVaultStatus()).state).toBe('unlocked');
    await repaired.close();
  });

  it('reports a corrupt file by path, keeps it, and never resets it', async () => {
    const dataDir = scannedTempDir('svc-corrupt-');
    const path = join(dataDir, 'vault.json');
    const first = await desktop(dataDir, keychain(SECURE));
    await first.close();
    writeFileSync(path, '{"format":"tokendeck-vault","version":1,"slots":[');
    const corrupt = readFileSync(path);

    const service = await desktop(dataDir, keychain(SECURE));
    const status = await service.getVaultStatus();
    expect(status.state).toBe('recovery');
    expect(status.problem).toContain(path);
    expect(readFileSync(path).equals(corrupt)).toBe(true);

    expect(status.recovery).toBe('corrupt');
    expect((await failure(service.resetVault({ confirm: true }))).message).toContain(path);
    expect(readFileSync(path).equals(corrupt)).toBe(true);
    await service.close();
  });

  it('starts over after a keychain change only on request, moving the old file aside', async () => {
    const dataDir = scannedTempDir('svc-reset-');
    const path = join(dataDir, 'vault.json');
    const first = await desktop(dataDir, keychain(SECURE, 'old keychain'));
    await first.close();
    const before = readFileSync(path);

    const service = await desktop(dataDir, keychain(SECURE, 'new keychain'));
    expect(await service.getVaultStatus()).toMatchObject({
      state: 'recovery',
      recovery: 'keychain-changed',
    });
    const reset = await service.resetVault({ confirm: true });
    expect(reset.state).toBe('unlocked');
    expect(reset.recovery).toBeUndefined();
    expect(reset.setAside).toMatch(/vault\.json\.set-aside-/);
    expect(readFileSync(reset.setAside!).equals(before)).toBe(true);
    expect((await failure(service.resetVault({ confirm: true }))).code).toBe('conflict');
    await service.close();
  });
});
