/**
 * A second Tokendeck process for the lifecycle integration tests.
 *
 * Run as `node --import tsx lifecycle-child.ts <dir> <tokenUrl> <accountId> <mode>`. Opens the
 * vault in `<dir>` with the test passphrase, builds its own TokenManager (schedule: false, as the
 * CLI does), prints `ready`, waits for `go` on stdin, gets a fresh token and prints it as JSON (or
 * `{"error": code}`).
 *
 * Modes: `normal`; `announce` prints `got-response` when the provider answered and carries on;
 * `hang` prints `got-response` and then never persists, so the parent can kill it right there;
 * `stop` prints `got-response` and stops itself (SIGSTOP) before persisting; `stop-locked` stops
 * itself under the account's renew lock, before the refresh token is spent; `stop-in-update`
 * skips the token and stops itself inside a vault update that writes `c/child`.
 *
 * Environment: `LOCK_HOST` plays another machine in the lock files, `STALE_MS` sets the stale
 * time of locks, `RENEW_LOCK_MS` how long to wait for another process's renewal.
 */
import { createInterface } from 'node:readline';
import { createVaultLifecycleStore, TokenManager } from '../../src-main/core/lifecycle';
import { createFetchRenewer } from './lifecycle-renewer';
import { openLifecycleVault } from './lifecycle-vault';

const [dir, tokenUrl, accountId, mode] = process.argv.slice(2);
if (!dir || !tokenUrl || !accountId || !mode)
  throw new Error('usage: <dir> <tokenUrl> <accountId> <mode>');

const say = (line: string) => process.stdout.write(`${line}\n`);
const stopSelf = () => {
  say('stopping');
  process.kill(process.pid, 'SIGSTOP');
};
const env = process.env;

const vault = await openLifecycleVault(dir, {
  ...(env.LOCK_HOST ? { lockHost: env.LOCK_HOST } : {}),
  ...(env.STALE_MS ? { staleLockMs: Number(env.STALE_MS) } : {}),
});
const renew = createFetchRenewer({
  tokenUrl,
  afterResponse: async () => {
    if (mode === 'normal' || mode === 'stop-locked') return;
    say('got-response');
    if (mode === 'stop') stopSelf();
    if (mode === 'hang') {
      setInterval(() => undefined, 60_000);
      await new Promise<never>(() => undefined);
    }
  },
});
let reads = 0;
const store = createVaultLifecycleStore(
  {
    // The second read of the account is the one under the renew lock: stop once it is read.
    read: async () => {
      reads += 1;
      const view = await vault.read();
      if (mode === 'stop-locked' && reads === 2) stopSelf();
      return view;
    },
    update: (fn) => vault.update(fn),
    withLock: (name, fn, options) => vault.withLock(name, fn, options),
  },
  env.RENEW_LOCK_MS ? { lockTimeoutMs: Number(env.RENEW_LOCK_MS) } : {},
);
const manager = new TokenManager({ store, renew, schedule: false });

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
  if (mode === 'stop-in-update') {
    await vault.update((tx) => {
      tx.put('c', 'child', 1);
      stopSelf();
    });
    say(JSON.stringify({ written: true }));
  } else {
    const token = await manager.getFreshToken(accountId);
    say(JSON.stringify({ accessToken: token.accessToken }));
  }
} catch (error) {
  say(JSON.stringify({ error: (error as { code?: string }).code ?? String(error) }));
  process.exitCode = 1;
}
