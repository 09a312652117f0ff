/**
 * Child process for the vault concurrency test.
 *
 * Usage: vault-counter.ts <dir> <name> <count>. Opens the vault, prints "ready", waits for a line
 * on stdin (so that both children start together), then does <count> read-modify-writes that
 * increment a shared counter and its own counter, and prints "done".
 */
import { createInterface } from 'node:readline';
import { Vault } from '../../src-main/core/vault';
import { testPassphraseSlot } from './vault-fixtures';

const [dir, name, countArg] = process.argv.slice(2);
const count = Number(countArg);

const vault = await Vault.open(dir, testPassphraseSlot());
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

for (let i = 0; i < count; i += 1) {
  await vault.update(async (tx) => {
    const total = tx.get<number>('counters', 'total') ?? 0;
    const mine = tx.get<number>('counters', name) ?? 0;
    await new Promise((resolve) => setImmediate(resolve));
    tx.put('counters', 'total', total + 1);
    tx.put('counters', name, mine + 1);
    tx.put('changes', `${name}-${i}`, true);
  });
}
process.stdout.write('done\n');
