import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  TokenManager,
  createVaultLifecycleStore,
  type LifecycleStore,
  type Renewer,
} from '../src-main/core/lifecycle';
import type { TimerApi } from '../src-main/core/lifecycle/timer-api';
import { VAULT_FILE, Vault } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { HOUR, makeAccount } from '../test/helpers/lifecycle-fixtures';
import { createFetchRenewer } from '../test/helpers/lifecycle-renewer';
import { startLifecycleServer, type LifecycleServer } from '../test/helpers/lifecycle-server';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import { ensure, seedAccounts, staggeredAccounts, type SeededAccount } from './bench-fixtures';
import { bareDurableWrite, bareTokenFetch } from './floor';
import { absoluteResult, interleave, median, quantile, ratioResult, recordResult } from './results';

/**
 * Renewal against its floor, in a vault of 1,000 accounts (the scale the app is built for).
 *
 * - Scheduler fire → durable persist: accounts fall due one every 500 ms; for each, the time
 *   from its timer firing to the renewal being saved (fsync included). The floor is a bare
 *   `fetch` of the same token endpoint plus one bare durable write of a file the vault's size.
 * - 500 concurrent `getFreshToken` on one expired account, against the same floor once.
 * - Fire lag: 1,000 accounts falling due one every 20 ms; how late each renewal started.
 */
const FLEET = 1_000;
const FIRES = 12;
const FIRE_GAP_MS = 500;
const CALLERS = 500;
const FLIGHT_ROUNDS = 25;
const LAG_GAP_MS = 20;

let server: LifecycleServer;
const cleanups: Array<() => Promise<void>> = [];
let root: string;
let vault: Vault;
let vaultBytes: number;
let bareRefresh: string;

/** `count` accounts that fall due `firstInMs` from now and then one every `gapMs`. */
function fallingDue(prefix: string, count: number, firstInMs: number, gapMs: number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i): SeededAccount => {
    const id = `${prefix}-${i}`;
    // With a lifetime under two minutes the renewal falls due at half of it.
    const lifetime = 2 * (firstInMs + i * gapMs);
    return {
      account: makeAccount({ id, receivedAt: now, expiresAt: now + lifetime }),
      tokens: server.seed(id, 'provider-a'),
    };
  });
}

async function freshVault(accounts: SeededAccount[]): Promise<Vault> {
  const made = await makeTempRoot('tokendeck-bench-renewal-');
  cleanups.push(made.cleanup);
  root = made.root;
  const created = await Vault.create(root, createFakeKeychainSlot());
  await seedAccounts(created, accounts);
  return created;
}

async function floorPair(): Promise<void> {
  const body = (await bareTokenFetch(server.tokenUrl, bareRefresh)) as { refresh_token: string };
  bareRefresh = body.refresh_token;
  await bareDurableWrite(join(root, 'bare.json'), Buffer.alloc(vaultBytes, 0x61));
}

/** Timers that note when the last one fired. */
function notingTimers(onFire: () => void): TimerApi {
  return {
    setTimeout: (fn, ms) =>
      setTimeout(() => {
        onFire();
        fn();
      }, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

beforeAll(async () => {
  server = await startLifecycleServer();
  bareRefresh = server.seed('bare', 'provider-a').refreshToken;
}, 120_000);

afterAll(async () => {
  await server?.close();
  // Renewals stopped mid-way may still be releasing their locks: try again a few times.
  for (const cleanup of cleanups) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await cleanup();
        break;
      } catch (error) {
        if (attempt === 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
});

async function fireToPersist(): Promise<void> {
  const fleet = staggeredAccounts(FLEET - FIRES);
  const due = fallingDue('due', FIRES, 1_000, FIRE_GAP_MS);
  vault = await freshVault([...fleet, ...due]);
  vaultBytes = (await stat(join(root, VAULT_FILE))).size;
  let lastFire = 0;
  const firedAt = new Map<string, number>();
  const spans: number[] = [];
  const store = createVaultLifecycleStore(vault);
  const timed: LifecycleStore = {
    ...store,
    async saveRenewal(accountId, tokens) {
      const saved = await store.saveRenewal(accountId, tokens);
      spans.push(performance.now() - firedAt.get(accountId)!);
      return saved;
    },
  };
  const fetchRenewer = createFetchRenewer({ tokenUrl: server.tokenUrl });
  const renew: Renewer = (account, tokens, signal) => {
    firedAt.set(account.id, lastFire);
    return fetchRenewer(account, tokens, signal);
  };
  const manager = new TokenManager({
    store: timed,
    renew,
    timers: notingTimers(() => (lastFire = performance.now())),
    random: () => 0.5,
  });
  await manager.start();
  // The floor, measured while the accounts wait to fall due and after the last one.
  const floor: number[] = [];
  const deadline = Date.now() + 1_000 + FIRES * FIRE_GAP_MS + 10_000;
  while (spans.length < FIRES && Date.now() < deadline) {
    const start = performance.now();
    await floorPair();
    floor.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, FIRE_GAP_MS / 3));
  }
  manager.stop();
  await settle();
  ensure(spans.length === FIRES, `every due account was renewed (${spans.length}/${FIRES})`);
  recordResult(
    ratioResult(
      `renewal: scheduler fire → durable persist, ${FLEET} accounts, p50`,
      median(spans),
      'ms',
      { name: 'bare fetch + bare durable write', value: median(floor) },
      1.5,
    ),
  );
}

async function concurrentCallers(): Promise<void> {
  const expired = Array.from({ length: FLIGHT_ROUNDS }, (_, i) => {
    const id = `flight-${i}`;
    return {
      account: makeAccount({ id, receivedAt: Date.now() - 2 * HOUR }),
      tokens: server.seed(id, 'provider-a'),
    };
  });
  await vault.update((tx) => {
    for (const { account, tokens } of expired) {
      tx.put('accounts', account.id, account as never);
      tx.putSecret(`tokens:${account.id}`, JSON.stringify(tokens));
    }
  });
  vaultBytes = (await stat(join(root, VAULT_FILE))).size;
  const manager = new TokenManager({
    store: createVaultLifecycleStore(vault),
    renew: createFetchRenewer({ tokenUrl: server.tokenUrl }),
    schedule: false,
  });
  let next = 0;
  const times = await interleave(FLIGHT_ROUNDS, {
    tokendeck: async () => {
      const accountId = `flight-${next}`;
      next += 1;
      const before = server.stats.requests;
      const results = await Promise.all(
        Array.from({ length: CALLERS }, () => manager.getFreshToken(accountId)),
      );
      ensure(server.stats.requests === before + 1, 'exactly one token request');
      const issued = server.current(accountId).accessToken;
      ensure(
        results.every((result) => result.accessToken === issued),
        'every caller got the new token',
      );
    },
    floor: floorPair,
  });
  recordResult(
    ratioResult(
      `renewal: ${CALLERS} concurrent getFreshToken, 1 token request, total`,
      median(times.tokendeck!),
      'ms',
      { name: 'bare fetch + bare durable write', value: median(times.floor!) },
      1.5,
    ),
  );
}

async function fireLag(): Promise<void> {
  const due = fallingDue('lag', FLEET, 1_000, LAG_GAP_MS);
  const lagVault = await freshVault(due);
  const dueAt = new Map<string, number>();
  const lags: number[] = [];
  const fetchRenewer = createFetchRenewer({ tokenUrl: server.tokenUrl });
  const manager = new TokenManager({
    store: createVaultLifecycleStore(lagVault),
    renew: (account, tokens, signal) => {
      lags.push(Date.now() - dueAt.get(account.id)!);
      return fetchRenewer(account, tokens, signal);
    },
    random: () => 0.5,
  });
  await manager.start();
  for (const { account } of due) {
    const at = manager.status(account.id).nextRenewalAt;
    ensure(typeof at === 'number', 'the account is scheduled');
    dueAt.set(account.id, at);
  }
  const deadline = Date.now() + 1_000 + FLEET * LAG_GAP_MS + 10_000;
  while (lags.length < FLEET && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A renewal not started by the deadline is at least that late: a missed goal, not a failure.
  const late = FLEET - lags.length;
  for (const { account } of due.slice(0, late)) lags.push(Date.now() - dueAt.get(account.id)!);
  manager.stop();
  await settle();
  recordResult(
    absoluteResult(
      `scheduler fire lag, ${FLEET} accounts due ${LAG_GAP_MS} ms apart, p99` +
        (late > 0 ? ` (${late} not started in time)` : ''),
      quantile(lags, 0.99),
      'ms',
      1_000,
    ),
  );
}

/** Lets renewals already answered finish saving before the folder is removed. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}

describe('renewal against its floor (ratios in bench/results.json)', () => {
  bench(
    'fire → persist, 500 callers, fire lag',
    async () => {
      await fireToPersist();
      await concurrentCallers();
      await fireLag();
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
