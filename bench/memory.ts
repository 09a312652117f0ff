/**
 * Heap used by 1,000 accounts loaded into a TokenManager, as the app loads them.
 *
 * Not a vitest bench: heap figures need a forced GC and one process of their own. Run with
 * `node --expose-gc --import tsx bench/memory.ts`. It creates a vault with 1,000 accounts in a
 * temp folder, opens it again as the app does on start, starts a TokenManager on the vault store
 * (timers armed, scheduling on), and prints the heap after each step, each taken after a full GC.
 * The numbers describe this machine and this Node; they are not thresholds.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenManager, createVaultLifecycleStore } from '../src-main/core/lifecycle';
import { VAULT_FILE, Vault, type KeySlot } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { seedAccounts, staggeredAccounts } from './bench-fixtures';

const ACCOUNTS = 1_000;
const MIB = 1024 * 1024;

interface Heap {
  /** V8 heap in use. */
  heapUsed: number;
  /** Buffer and ArrayBuffer bytes, outside the V8 heap (the vault keeps its file bytes so). */
  arrayBuffers: number;
}

/** Memory in use after a full GC, run a few times with a turn of the event loop between. */
async function settledMemory(): Promise<Heap> {
  const collect = globalThis.gc;
  if (!collect) {
    throw new Error('Run with node --expose-gc --import tsx bench/memory.ts');
  }
  for (let round = 0; round < 3; round += 1) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

/** Creates and seeds the vault; the instance that wrote it is gone once this returns. */
async function createVault(root: string, slot: KeySlot): Promise<number> {
  const creator = await Vault.create(root, slot);
  await seedAccounts(creator, staggeredAccounts(ACCOUNTS));
  return (await stat(join(root, VAULT_FILE))).size;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(2)} MiB`;
}

async function main(): Promise<void> {
  const { root, cleanup } = await makeTempRoot('tokendeck-bench-memory-');
  const slot = createFakeKeychainSlot();
  try {
    const fileBytes = await createVault(root, slot);

    const baseline = await settledMemory();
    const vault = await Vault.open(root, slot);
    const opened = await settledMemory();

    const manager = new TokenManager({
      store: createVaultLifecycleStore(vault),
      renew: async () => {
        throw new Error('no token here is due for renewal');
      },
      schedule: true,
    });
    await manager.start();
    const started = await settledMemory();
    const sample = manager.status(`acct-${ACCOUNTS - 1}`);
    manager.stop();
    const stopped = await settledMemory();

    if (process.argv.includes('--json')) {
      // For the bench's table: V8 heap plus buffers, before the vault and with 1,000 loaded.
      const total = (heap: Heap) => (heap.heapUsed + heap.arrayBuffers) / MIB;
      console.log(
        JSON.stringify({ accounts: ACCOUNTS, empty: total(baseline), loaded: total(started) }),
      );
      return;
    }
    console.log(
      `Node ${process.version}; vault of ${ACCOUNTS} accounts, ${mib(fileBytes)} on disk`,
    );
    console.log('');
    const rows: Array<[string, Heap]> = [
      ['before opening the vault', baseline],
      ['after Vault.open (document cached)', opened],
      ['after TokenManager.start() (timers armed)', started],
      ['after stop()', stopped],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(
      `${'step'.padEnd(width)}  ${'heapUsed'.padStart(10)}  ${'arrayBuffers'.padStart(12)}`,
    );
    for (const [label, heap] of rows) {
      console.log(
        `${label.padEnd(width)}  ${mib(heap.heapUsed).padStart(10)}  ${mib(heap.arrayBuffers).padStart(12)}`,
      );
    }
    const managerBytes = started.heapUsed - opened.heapUsed;
    console.log('');
    console.log(
      `vault instance: ${mib(opened.heapUsed - baseline.heapUsed)} heap + ` +
        `${mib(opened.arrayBuffers - baseline.arrayBuffers)} buffers`,
    );
    console.log(
      `TokenManager, ${ACCOUNTS} accounts: ${mib(managerBytes)} heap ` +
        `(${Math.round(managerBytes / ACCOUNTS)} bytes per account)`,
    );
    if (sample.state !== 'fresh' || sample.nextRenewalAt === null) {
      console.error(`sanity check failed: the last account is ${sample.state} with no timer`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

await main();
