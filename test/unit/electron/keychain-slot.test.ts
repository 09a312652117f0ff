import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { SafeStorageLike } from '../../../src-main/electron/keychain-status';

vi.mock('electron', () => ({ safeStorage: {} }));

const { createKeychainSlot, createOsKeychain } =
  await import('../../../src-main/electron/keychain-slot');
const { checkKeychain, keychainStatus } =
  await import('../../../src-main/electron/keychain-status');

/** A fake safeStorage that "encrypts" by prefixing, with spies on every entry point. */
function fakeStorage(options: { backend?: string; available?: boolean; reEncrypt?: boolean } = {}) {
  const encrypt = (text: string) => Buffer.from(`enc:${text}`);
  const decrypt = (data: Buffer) => {
    const text = data.toString();
    if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
    return text.slice(4);
  };
  const storage = {
    isEncryptionAvailable: vi.fn(() => options.available ?? true),
    encryptString: vi.fn(encrypt),
    decryptString: vi.fn(decrypt),
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
  } satisfies SafeStorageLike;
  return {
    ...storage,
    isAsyncEncryptionAvailable: vi.fn(async () => options.available ?? true),
    encryptStringAsync: vi.fn(async (text: string) => encrypt(text)),
    decryptStringAsync: vi.fn(async (data: Buffer) => ({
      result: decrypt(data),
      shouldReEncrypt: options.reEncrypt ?? false,
    })),
  };
}

describe('keychainStatus (SECURITY 23)', () => {
  it('calls Linux basic_text not secure, with a warning', async () => {
    const status = await keychainStatus(fakeStorage({ backend: 'basic_text' }), 'linux');
    expect(status).toMatchObject({ available: true, backend: 'basic_text', secure: false });
    expect(status.warning).toMatch(/not encryption/);
  });

  it('calls the unknown backend and unavailable encryption not secure', async () => {
    expect(await keychainStatus(fakeStorage({ backend: 'unknown' }), 'linux')).toMatchObject({
      secure: false,
    });
    expect(await keychainStatus(fakeStorage({ available: false }), 'linux')).toMatchObject({
      available: false,
      secure: false,
    });
  });

  it('calls libsecret, kwallet, the macOS keychain and DPAPI secure', async () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      expect(await keychainStatus(fakeStorage({ backend }), 'linux')).toEqual({
        available: true,
        backend,
        secure: true,
      });
    }
    expect(await keychainStatus(fakeStorage(), 'darwin')).toMatchObject({ secure: true });
    expect(await keychainStatus(fakeStorage(), 'win32')).toMatchObject({ secure: true });
  });

  it('uses the async availability check where present (SECURITY 24)', async () => {
    const storage = fakeStorage();
    await keychainStatus(storage, 'linux');
    expect(storage.isAsyncEncryptionAvailable).toHaveBeenCalled();
    expect(storage.isEncryptionAvailable).not.toHaveBeenCalled();
  });
});

describe('os-keychain slot', () => {
  const dataKey = randomBytes(32);

  it('refuses to wrap on basic_text without the opt-in', async () => {
    const storage = fakeStorage({ backend: 'basic_text' });
    const status = await keychainStatus(storage, 'linux');
    const slot = createKeychainSlot({ status, storage });
    await expect(slot.wrap(dataKey)).rejects.toMatchObject({ code: 'vault_insecure_backend' });
    expect(storage.encryptStringAsync).not.toHaveBeenCalledWith(dataKey.toString('hex'));
  });

  it('wraps on basic_text with the explicit opt-in', async () => {
    const storage = fakeStorage({ backend: 'basic_text' });
    const status = await keychainStatus(storage, 'linux');
    const slot = createKeychainSlot({ status, storage, allowInsecure: true });
    const wrapped = await slot.wrap(dataKey);
    expect(wrapped).toMatchObject({ kind: 'os-keychain', backend: 'basic_text' });
    expect((await slot.unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('refuses to wrap when encryption is unavailable, even with the opt-in', async () => {
    const storage = fakeStorage({ available: false });
    const status = await keychainStatus(storage, 'linux');
    const slot = createKeychainSlot({ status, storage, allowInsecure: true });
    await expect(slot.wrap(dataKey)).rejects.toMatchObject({ code: 'vault_slot_unavailable' });
  });

  it('uses the async API and stores base64 ciphertext of the hex key', async () => {
    const storage = fakeStorage();
    const slot = createKeychainSlot({ status: await keychainStatus(storage, 'linux'), storage });
    const wrapped = await slot.wrap(dataKey);
    expect(storage.encryptStringAsync).toHaveBeenCalledWith(dataKey.toString('hex'));
    expect(storage.encryptString).not.toHaveBeenCalled();
    expect(Buffer.from(wrapped.ciphertext as string, 'base64').toString()).toBe(
      `enc:${dataKey.toString('hex')}`,
    );
    expect(JSON.stringify(wrapped)).not.toContain(dataKey.toString('hex'));
    const unwrapped = await slot.unwrap(wrapped);
    expect(unwrapped.equals(dataKey)).toBe(true);
    expect(storage.decryptStringAsync).toHaveBeenCalled();
    expect(storage.decryptString).not.toHaveBeenCalled();
  });

  it('falls back to the sync API when the async one is missing', async () => {
    const {
      isAsyncEncryptionAvailable: _available,
      encryptStringAsync: _encrypt,
      decryptStringAsync: _decrypt,
      ...storage
    } = fakeStorage();
    const slot = createKeychainSlot({ status: await keychainStatus(storage, 'linux'), storage });
    const wrapped = await slot.wrap(dataKey);
    expect(storage.encryptString).toHaveBeenCalled();
    expect((await slot.unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('honours shouldReEncrypt through shouldRewrap', async () => {
    const rotated = fakeStorage({ reEncrypt: true });
    const slot = createKeychainSlot({
      status: await keychainStatus(rotated, 'linux'),
      storage: rotated,
    });
    const wrapped = await slot.wrap(dataKey);
    expect(slot.shouldRewrap?.(wrapped)).toBe(false);
    await slot.unwrap(wrapped);
    expect(slot.shouldRewrap?.(wrapped)).toBe(true);

    const steady = fakeStorage({ reEncrypt: false });
    const other = createKeychainSlot({
      status: await keychainStatus(steady, 'linux'),
      storage: steady,
    });
    const wrappedAgain = await other.wrap(dataKey);
    await other.unwrap(wrappedAgain);
    expect(other.shouldRewrap?.(wrappedAgain)).toBe(false);
  });

  it('reports a decrypt failure or a wrong key as vault_slot_failed', async () => {
    const storage = fakeStorage();
    const slot = createKeychainSlot({ status: await keychainStatus(storage, 'linux'), storage });
    const garbage = { kind: 'os-keychain' as const, version: 1, ciphertext: 'AAAA', backend: null };
    await expect(slot.unwrap(garbage)).rejects.toMatchObject({ code: 'vault_slot_failed' });
    const wrongKey = {
      ...garbage,
      ciphertext: Buffer.from('enc:not-a-hex-key').toString('base64'),
    };
    await expect(slot.unwrap(wrongKey)).rejects.toMatchObject({ code: 'vault_slot_failed' });
    await expect(slot.unwrap({ kind: 'passphrase' })).rejects.toMatchObject({
      code: 'vault_slot_failed',
    });
  });

  it('createOsKeychain gives the status and slots honouring the opt-in', async () => {
    const storage = fakeStorage({ backend: 'basic_text' });
    const keychain = await createOsKeychain({ storage, platform: 'linux' });
    expect(keychain.status()).toMatchObject({ secure: false, backend: 'basic_text' });
    await expect(keychain.slot({ allowInsecure: false }).wrap(dataKey)).rejects.toMatchObject({
      code: 'vault_insecure_backend',
    });
    await expect(keychain.slot({ allowInsecure: true }).wrap(dataKey)).resolves.toMatchObject({
      kind: 'os-keychain',
    });
  });
});

/** A logger that keeps every line, to check what the app reports at start. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('the keychain check at start', () => {
  it("logs the async API's availability and the backend name it judged by", async () => {
    const logger = recordingLogger();
    await checkKeychain({
      storage: fakeStorage({ backend: 'basic_text' }),
      platform: 'linux',
      logger,
    });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'os keychain',
        fields: {
          api: 'async',
          asyncEncryptionAvailable: true,
          backend: 'basic_text',
          ciphertextTag: 'enc',
          secure: false,
        },
      },
    ]);
  });

  it('gives up after its time limit and offers the passphrase, with the reason', async () => {
    vi.useFakeTimers();
    try {
      const storage = {
        ...fakeStorage(),
        isAsyncEncryptionAvailable: vi.fn(() => new Promise<boolean>(() => undefined)),
      };
      const logger = recordingLogger();
      const pending = createOsKeychain({ storage, platform: 'darwin', logger, timeoutMs: 10_000 });
      await vi.advanceTimersByTimeAsync(10_000);
      const keychain = await pending;
      expect(keychain.status()).toMatchObject({ available: false, secure: false });
      expect(keychain.status().warning).toMatch(/did not answer within 10 seconds.*passphrase/);
      expect(logger.lines).toMatchObject([{ level: 'warn', fields: { timeoutMs: 10_000 } }]);
      // The vault shows the slot's error verbatim, so it must carry the same reason.
      const wrapped = {
        kind: 'os-keychain' as const,
        version: 1,
        ciphertext: 'AAAA',
        backend: null,
      };
      await expect(keychain.slot({ allowInsecure: false }).unwrap(wrapped)).rejects.toMatchObject({
        code: 'vault_slot_unavailable',
        message: expect.stringMatching(/did not answer within 10 seconds/),
      });
      expect(storage.decryptStringAsync).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
