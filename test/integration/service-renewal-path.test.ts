import { describe, expect, it, vi } from 'vitest';
import { createService } from '../../src-main/core/service';
import type { Logger } from '../../src-main/core/log';
import { profileFromPreset } from '../../src-main/core/providers';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { scannedTempDir } from '../helpers/secret-registry';
import { startAluma } from '../helpers/servers/aluma';

/**
 * A background renewal runs manager → provider resolver → flows → manager, and never climbs back
 * into the service facade.
 *
 * The renewal is started the way the app starts one: the clock passes the token's due time and
 * the machine wakes, so the token manager's own timer renews it. The stack is captured where the
 * flow logs the token endpoint's answer.
 */

/** A logger that keeps the full async stack of every "granted" line. */
function stackRecorder(): Logger & { stacks: string[] } {
  const stacks: string[] = [];
  const record = (message: string) => {
    if (message !== 'client credentials granted') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    stacks.push(new Error('renewal').stack ?? '');
    Error.stackTraceLimit = limit;
  };
  return { stacks, debug: record, info: record, warn: record, error: record };
}

describe('the renewal path', () => {
  it('has no frame from service.ts', async () => {
    const client = { client_id: 'path-client', client_secret: 'path-secret-13572468' };
    const server = await startAluma({ clients: [client], expiresIn: 3600 });
    let now = Date.now();
    const wake = new Set<() => void>();
    const logger = stackRecorder();
    const service = await createService({
      dataDir: scannedTempDir('svc-path-'),
      passphrase: 'renewal path passphrase',
      browser: createRecordingBrowser(),
      clipboard: createMemoryClipboard(),
      clock: { now: () => now },
      power: {
        onResume(listener) {
          wake.add(listener);
          return () => wake.delete(listener);
        },
      },
      logger,
      scryptN: 2 ** 12,
    });
    try {
      await service.saveProvider({
        profile: {
          ...profileFromPreset('aluma', { id: 'aluma', baseUrl: server.url }),
          client: {
            registration: 'static',
            clientId: client.client_id,
            auth: 'client_secret_post',
          },
        },
        clientSecret: client.client_secret,
      });
      await service.connectAccount({ providerId: 'aluma' });
      expect(logger.stacks).toHaveLength(1);

      now += 3600 * 1000;
      for (const listener of wake) listener();
      await vi.waitFor(() => expect(logger.stacks).toHaveLength(2), {
        timeout: 10_000,
        interval: 20,
      });
      await vi.waitFor(async () => {
        const [account] = await service.listAccounts();
        expect(account?.status.state).toBe('fresh');
      });

      const renewal = logger.stacks[1]!;
      expect(renewal).toContain('token-manager.ts');
      expect(renewal).toContain('provider-resolver.ts');
      expect(renewal).not.toContain('service.ts');
    } finally {
      await service.close();
      await server.close();
    }
  });
});
