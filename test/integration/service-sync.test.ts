import { describe, expect, it, vi } from 'vitest';
import type { AccountSummary } from '../../src-preload/contract';
import { createService } from '../../src-main/core/service';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';

/**
 * The running app follows what the CLI does to the same vault: a new account is pushed to the
 * UI (and scheduled), and a removed one disappears.
 */

const PASSPHRASE = 'shared passphrase for app and cli';

function open(dataDir: string, schedule: boolean) {
  return createService({
    dataDir,
    passphrase: PASSPHRASE,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule,
    scryptN: 2 ** 12,
  });
}

describe('the app and the CLI on one vault', () => {
  it('pushes accounts that another process adds and removes', async () => {
    const dataDir = scannedTempDir('svc-sync-');
    const app = await open(dataDir, true);
    const changed: AccountSummary[] = [];
    const removed: string[] = [];
    app.on('accountChanged', (summary) => changed.push(summary));
    app.on('accountRemoved', ({ accountId }) => removed.push(accountId));

    const cli = await open(dataDir, false);
    await cli.saveProvider({
      profile: {
        id: 'keys',
        name: 'Keys',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      },
    });
    const { accountId } = await cli.connectAccount({
      providerId: 'keys',
      apiKey: 'cli-added-api-key-123456',
    });
    await vi.waitFor(() => expect(changed.map((s) => s.id)).toContain(accountId), {
      timeout: 10_000,
      interval: 50,
    });
    expect(changed.find((s) => s.id === accountId)?.status.state).toBe('no-expiry');

    await cli.removeAccount({ accountId });
    await cli.close();
    await vi.waitFor(() => expect(removed).toContain(accountId), { timeout: 10_000, interval: 50 });
    expect(await app.listAccounts()).toEqual([]);
    await app.close();
  });
});
