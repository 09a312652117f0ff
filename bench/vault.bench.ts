import { afterAll, beforeAll, bench, describe } from 'vitest';
import { Vault, createPassphraseSlot } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure, samplePool, seedAccounts, staggeredAccounts } from './bench-fixtures';

/**
 * The vault: a durable write, cached and re-parsed reads, and unlocking with each slot kind.
 *
 * One vault in a temp folder holds 200 accounts (a readable record in `accounts` and a sealed
 * `tokens:<id>` record each). It is created with a keychain-style slot (the fake one from the
 * tests: AES-GCM under an in-memory key, as safeStorage is to the app) and also gets a passphrase
 * slot at the default scrypt cost (N = 2^17).
 */
const ACCOUNTS = 200;
const PASSPHRASE = 'bench passphrase, not a real one';

const READ_AFTER_WRITE = { time: 0, iterations: 100, warmupTime: 0, warmupIterations: 5 };
const STALE_READERS = READ_AFTER_WRITE.iterations + READ_AFTER_WRITE.warmupIterations;

const keychain = createFakeKeychainSlot();
const passphrase = createPassphraseSlot(PASSPHRASE);

let cleanup: () => Promise<void>;
let dir: string;
let vault: Vault;
let stale: ReturnType<typeof samplePool<Vault>>;
let written = 0;

beforeAll(async () => {
  ({ root: dir, cleanup } = await makeTempRoot('tokendeck-bench-vault-'));
  vault = await Vault.create(dir, keychain);
  await seedAccounts(vault, staggeredAccounts(ACCOUNTS));
  await vault.addSlot(passphrase);
  // Readers opened now are one revision behind once `vault` writes below.
  const readers: Vault[] = [];
  for (let i = 0; i < STALE_READERS; i += 1) readers.push(await Vault.open(dir, keychain));
  stale = samplePool('read after another instance wrote', readers);
  await vault.update((tx) => tx.put('settings', 'bench', { touched: true }));
}, 120_000);

afterAll(async () => {
  await cleanup?.();
});

describe(`vault with ${ACCOUNTS} accounts`, () => {
  bench(
    'update(): one sealed secret, atomic durable write (fsync)',
    async () => {
      written += 1;
      const revision = await vault.update((tx) => {
        tx.putSecret(
          'tokens:acct-7',
          JSON.stringify({ accessToken: `bench-rotated-${written}`, refreshToken: 'bench-rt-7' }),
        );
        return tx.revision;
      });
      ensure(revision > 0, 'update ran');
    },
    { time: 2_000, iterations: 20, warmupTime: 0, warmupIterations: 3 },
  );

  bench(
    'read(): unchanged file (cached snapshot)',
    async () => {
      const reader = await vault.read();
      ensure(reader.hasSecret('tokens:acct-0'), 'the seeded records are there');
    },
    { time: 1_000 },
  );

  bench(
    'read(): after another instance wrote (re-parse)',
    async () => {
      const snapshot = await stale.next().read();
      ensure(snapshot.get('settings', 'bench') !== undefined, 'the reader saw the other write');
    },
    READ_AFTER_WRITE,
  );
});

describe('unlock (Vault.open)', () => {
  bench(
    'passphrase slot, default scrypt cost (N=2^17, r=8, p=1)',
    async () => {
      const opened = await Vault.open(dir, passphrase);
      ensure(opened.slots().length === 2, 'opened');
    },
    { time: 0, iterations: 10, warmupTime: 0, warmupIterations: 1 },
  );

  bench(
    'keychain-style slot (AES-GCM unwrap, no KDF)',
    async () => {
      const opened = await Vault.open(dir, keychain);
      ensure(opened.slots().length === 2, 'opened');
    },
    { time: 1_000, iterations: 10 },
  );
});
