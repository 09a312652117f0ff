/**
 * A second Tokendeck process for the lifecycle integration tests.
 *
 * Run as `node --import tsx lifecycle-child.ts <dir> <tokenUrl> <accountId> <mode>`. Opens the
 * vault in `<dir>` with the test passphrase, builds its own TokenManager (schedule: false, as the
 * CLI does), prints `ready`, waits for `go` on stdin, gets a fresh token and prints it as JSON.
 *
 * Modes: `normal`; `announce` prints `got-response` when the provider answered and carries on;
 * `hang` prints `got-response` and then never persists, so the parent can kill it right there.
 */
import { createInterface } from 'node:readline';
import { createVaultLifecycleStore, TokenManager } from '../../src-main/core/lifecycle';
import { createFetchRenewer } from './lifecycle-renewer';
import { openLifecycleVault } from './lifecycle-vault';

const [dir, tokenUrl, accountId, mode] = process.argv.slice(2);
if (!dir || !tokenUrl || !accountId || !mode)
  throw new Error('usage: <dir> <tokenUrl> <accountId> <mode>');

const say = (line: string) => process.stdout.write(`${line}\n`);

const vault = await openLifecycleVault(dir);
const renew = createFetchRenewer({
  tokenUrl,
  afterResponse: async () => {
    if (mode === 'normal') return;
    say('got-response');
    if (mode === 'hang') {
      setInterval(() => undefined, 60_000);
      await new Promise<never>(() => undefined);
    }
  },
});
const manager = new TokenManager({
  store: createVaultLifecycleStore(vault),
  renew,
  schedule: false,
});

const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => {
  lines.on('line', (line) => {
    if (line.trim() === 'go') resolve();
  });
});
say('ready');
await go;
lines.close();
try {
  const token = await manager.getFreshToken(accountId);
  say(JSON.stringify({ accessToken: token.accessToken }));
} catch (error) {
  say(JSON.stringify({ error: (error as { code?: string }).code ?? String(error) }));
  process.exitCode = 1;
}
