/**
 * The scheduler at rest: 1,000 accounts loaded and their timers armed, then 60 s of nothing.
 *
 * A plain script, run by the bench's global setup in a process of its own (`node --import tsx
 * bench/scheduler-idle.ts`), so that its CPU time is its own. It prints one JSON line: the CPU
 * seconds spent while idle with every timer armed, the same with the manager stopped (what the
 * runtime spends anyway), and how many times the vault was read while armed (0: no polling).
 */
import { TokenManager, createVaultLifecycleStore } from '../src-main/core/lifecycle';
import { Vault } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { seedAccounts, staggeredAccounts } from './bench-fixtures';

const ACCOUNTS = 1_000;
const SECONDS = Number(process.env.TOKENDECK_BENCH_IDLE_SECONDS ?? 60);

/** CPU seconds this process spends in `seconds` of waiting, after a GC when one can be forced. */
async function idleFor(seconds: number): Promise<number> {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1e6;
}

const { root, cleanup } = await makeTempRoot('tokendeck-bench-idle-');
try {
  const slot = createFakeKeychainSlot();
  await seedAccounts(await Vault.create(root, slot), staggeredAccounts(ACCOUNTS));
  const vault = await Vault.open(root, slot);
  let reads = 0;
  const counted = {
    read: () => {
      reads += 1;
      return vault.read();
    },
    update: vault.update.bind(vault),
    withLock: vault.withLock.bind(vault),
  };
  const manager = new TokenManager({
    store: createVaultLifecycleStore(counted),
    renew: async () => {
      throw new Error('no token here is due for renewal');
    },
  });
  await manager.start();
  reads = 0;
  const armed = await idleFor(SECONDS);
  const readsWhileArmed = reads;
  manager.stop();
  // The same process with nothing armed: what the runtime (GC, the loader thread) spends anyway.
  const bare = await idleFor(SECONDS);
  process.stdout.write(
    `${JSON.stringify({ armed, bare, seconds: SECONDS, accounts: ACCOUNTS, reads: readsWhileArmed })}\n`,
  );
} finally {
  await cleanup();
}
