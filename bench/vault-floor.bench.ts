import { createDecipheriv } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { listAccounts, readTokens } from '../src-main/core/records';
import { Vault, type WrappedKey } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure, seedAccounts, staggeredAccounts } from './bench-fixtures';
import { bareDurableWrite } from './floor';
import { interleave, median, quantile, ratioResult, recordResult, reportResult } from './results';

/**
 * The vault at 1,000 accounts against its floor.
 *
 * - `update()` of one sealed secret against a bare durable write of the same bytes.
 * - Open, unlock with the keychain-style slot, and decrypt every token record, against a bare
 *   read of the file, `JSON.parse`, and AES-256-GCM decryption of the same records with the key
 *   already in hand.
 */
const ACCOUNTS = 1_000;
const UPDATE_ROUNDS = 60;
const OPEN_ROUNDS = 25;

const slot = createFakeKeychainSlot();
let cleanup: () => Promise<void>;
let dir: string;
let vault: Vault;
let dataKey: Buffer;

beforeAll(async () => {
  ({ root: dir, cleanup } = await makeTempRoot('tokendeck-bench-vault-floor-'));
  vault = await Vault.create(dir, slot);
  await seedAccounts(vault, staggeredAccounts(ACCOUNTS));
  const stored = JSON.parse(await readFile(vault.path, 'utf8')) as {
    slots: Array<{ wrapped: WrappedKey }>;
  };
  dataKey = await slot.unwrap(stored.slots[0]!.wrapped);
}, 120_000);

afterAll(async () => {
  await cleanup?.();
});

async function updates(): Promise<void> {
  let written = 0;
  const floorPath = join(dir, 'bare.json');
  // The vault's own bytes; one rotated token changes neither their size nor their kind.
  const bytes = await readFile(vault.path);
  const times = await interleave(UPDATE_ROUNDS, {
    tokendeck: async () => {
      written += 1;
      await vault.update((tx) =>
        tx.putSecret(
          'tokens:acct-7',
          JSON.stringify({ accessToken: `bench-rotated-${written}`, refreshToken: 'bench-rt-7' }),
        ),
      );
    },
    floor: () => bareDurableWrite(floorPath, bytes),
  });
  const baseline = { name: 'bare durable write, same bytes' };
  recordResult(
    ratioResult(
      `vault update() of one secret, ${ACCOUNTS} accounts, p50`,
      median(times.tokendeck!),
      'ms',
      { ...baseline, value: median(times.floor!) },
      2,
    ),
    reportResult(
      `vault update() of one secret, ${ACCOUNTS} accounts, p99`,
      quantile(times.tokendeck!, 0.99),
      'ms',
      { ...baseline, value: quantile(times.floor!, 0.99) },
    ),
  );
}

/** What any reader of the same records must do: read, parse, and decrypt each. */
async function bareReadAndDecrypt(): Promise<number> {
  const doc = JSON.parse(await readFile(vault.path, 'utf8')) as {
    vaultId: string;
    secrets: Record<string, { nonce: string; ct: string; tag: string }>;
  };
  let opened = 0;
  for (const [id, sealed] of Object.entries(doc.secrets)) {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(Buffer.from(`tokendeck-record\u0000${doc.vaultId}\u0000${id}`, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString(
        'utf8',
      ),
    );
    opened += 1;
  }
  return opened;
}

async function openAll(): Promise<number> {
  const opened = await Vault.open(dir, slot);
  const reader = await opened.read();
  let count = 0;
  for (const account of listAccounts(reader)) {
    readTokens(reader, account.id);
    count += 1;
  }
  return count;
}

async function opens(): Promise<void> {
  const times = await interleave(OPEN_ROUNDS, {
    tokendeck: async () => ensure((await openAll()) === ACCOUNTS, 'every account decrypted'),
    floor: async () => ensure((await bareReadAndDecrypt()) === ACCOUNTS, 'every record'),
  });
  recordResult(
    ratioResult(
      `vault open + unlock (keychain-style) + decrypt all, ${ACCOUNTS} accounts`,
      median(times.tokendeck!),
      'ms',
      { name: 'bare read + JSON.parse + AES-256-GCM decrypt', value: median(times.floor!) },
      2,
    ),
  );
}

describe(`vault with ${ACCOUNTS} accounts against its floor (ratios in bench/results.json)`, () => {
  bench(
    'update() p50/p99, open + unlock + decrypt all',
    async () => {
      await updates();
      await opens();
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
