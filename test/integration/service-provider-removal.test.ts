import { describe, expect, it } from 'vitest';
import { createService } from '../../src-main/core/service';
import { failure } from '../helpers/expect-error';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';

/**
 * Removing a provider while a connect to it waits for the browser cancels that connect, in the
 * same process, and stores nothing (issue 20 §4; across processes the connect re-checks the
 * provider under the vault lock, see cli-adversarial.test.ts).
 */
describe('removing a provider during its connect', () => {
  it('cancels the flow, and no account is left without a provider', async () => {
    let opened: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (opened = resolve));
    const service = await createService({
      dataDir: scannedTempDir('svc-remove-during-connect-'),
      passphrase: 'correct horse battery staple',
      scryptN: 2 ** 12,
      browser: createRecordingBrowser(() => opened()),
      clipboard: createMemoryClipboard(),
      schedule: false,
    });
    try {
      await service.saveProvider({
        profile: {
          id: 'slow',
          name: 'Slow',
          grant: 'authorization_code',
          endpoints: { authorization: 'http://127.0.0.1:9/a', token: 'http://127.0.0.1:9/t' },
          client: { registration: 'static', clientId: 'c', auth: 'none' },
        },
      });
      const connecting = failure(service.connectAccount({ providerId: 'slow' }));
      await waiting;
      await service.removeProvider({ id: 'slow' });
      expect((await connecting).code).toMatch(/cancelled/);
      expect(await service.listAccounts()).toEqual([]);
      expect(await service.listProviders()).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
