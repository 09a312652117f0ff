import { createService, type TokendeckService } from '../../src-main/core';
import { createMemoryClipboard, createRecordingBrowser } from './fake-ports';

/** A service on `dataDir` unlocked by a passphrase at a test-only low scrypt cost, no timers. */
export function openTestService(
  dataDir: string,
  passphrase = 'long enough passphrase',
): Promise<TokendeckService> {
  return createService({
    dataDir,
    passphrase,
    scryptN: 2 ** 10,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule: false,
  });
}
