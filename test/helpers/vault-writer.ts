/**
 * Child process for the vault crash test.
 *
 * Usage: vault-writer.ts <dir> <first> <last>. Opens the vault and, for each sequence number,
 * runs one update() that records it (metadata plus a sealed record), then prints the number on
 * stdout only after update() resolved: a printed number is an acknowledged write.
 */
import { Vault } from '../../src-main/core/vault';
import { testPassphraseSlot } from './vault-fixtures';

const [dir, firstArg, lastArg] = process.argv.slice(2);
const first = Number(firstArg);
const last = Number(lastArg);

const vault = await Vault.open(dir, testPassphraseSlot());
for (let seq = first; seq <= last; seq += 1) {
  await vault.update((tx) => {
    tx.put('seq', String(seq), { seq, at: Date.now() });
    tx.put('state', 'last', seq);
    tx.putSecret('tokens:latest', `crash-SECRET-${seq}`);
  });
  process.stdout.write(`${seq}\n`);
}
process.stdout.write('done\n');
