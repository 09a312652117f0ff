import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../../helpers/memory-io';
import { runCli } from '../../../src-main/cli/run';
import { nullLogger } from '../../../src-main/core/log';
import { createService, type KeychainPort } from '../../../src-main/core';
import { createFakeKeychainSlot } from '../../helpers/fake-key-slot';
import { createMemoryClipboard } from '../../helpers/fake-ports';

/**
 * The installed app's `tokendeck`: the same CLI code, handed the app's OS keychain, opens a
 * keychain vault with no passphrase, and falls back to the passphrase slot otherwise.
 */

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function keychainPort(options: { fail?: boolean } = {}): KeychainPort {
  return {
    status: () => ({ available: true, secure: true, backend: 'test' }),
    slot: () => createFakeKeychainSlot(options),
  };
}

/** A data folder whose vault has only the OS keychain slot, as the desktop app makes it. */
async function keychainVault(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-cli-keychain-'));
  roots.push(dataDir);
  const app = await createService({
    dataDir,
    keychain: keychainPort(),
    browser: { open: async () => undefined },
    clipboard: createMemoryClipboard(),
    schedule: false,
    logger: nullLogger,
  });
  expect((await app.getVaultStatus()).slots).toEqual(['os-keychain']);
  await app.close();
  return dataDir;
}

describe("the installed app's tokendeck and the OS keychain", () => {
  it('opens a keychain vault with no passphrase', async () => {
    const dataDir = await keychainVault();
    const io = memoryIo();
    const keychain = vi.fn(async () => keychainPort());
    expect(await runCli(['--data-dir', dataDir, 'accounts', '--json'], io, { keychain })).toBe(0);
    expect(JSON.parse(io.out())).toEqual([]);
    expect(keychain).toHaveBeenCalledOnce();
  });

  it('without the app (the plain CLI), the same vault needs the passphrase', async () => {
    const dataDir = await keychainVault();
    const io = memoryIo();
    expect(await runCli(['--data-dir', dataDir, 'accounts'], io)).toBe(5);
    expect(io.err()).toMatch(/passphrase/i);
  });

  it('says why the keychain failed, then falls back to the passphrase slot', async () => {
    const dataDir = await keychainVault();
    const io = memoryIo();
    const keychain = async () => keychainPort({ fail: true });
    expect(await runCli(['--data-dir', dataDir, 'accounts'], io, { keychain })).toBe(5);
    expect(io.err()).toMatch(/OS keychain did not open the vault.*using the passphrase/);
    expect(io.out()).toBe('');
  });

  it('never asks the keychain when TOKENDECK_PASSPHRASE is set, nor for a new vault', async () => {
    const dataDir = await keychainVault();
    const keychain = vi.fn(async () => keychainPort());
    const io = memoryIo({ TOKENDECK_PASSPHRASE: 'not the right one at all' });
    expect(await runCli(['--data-dir', dataDir, 'accounts'], io, { keychain })).toBe(1);
    expect(keychain).not.toHaveBeenCalled();

    const fresh = mkdtempSync(join(tmpdir(), 'tokendeck-cli-keychain-'));
    roots.push(fresh);
    expect(await runCli(['--data-dir', fresh, '--version'], memoryIo(), { keychain })).toBe(0);
    expect(await runCli(['--data-dir', fresh, 'accounts'], memoryIo(), { keychain })).toBe(5);
    expect(keychain).not.toHaveBeenCalled();
  });
});
