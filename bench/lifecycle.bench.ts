import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  TokenManager,
  createVaultLifecycleStore,
  type LifecycleStore,
  type Renewer,
} from '../src-main/core/lifecycle';
import { Vault } from '../src-main/core/vault';
import { createFakeKeychainSlot } from '../test/helpers/fake-key-slot';
import { HOUR, makeAccount } from '../test/helpers/lifecycle-fixtures';
import { MemoryLifecycleStore } from '../test/helpers/lifecycle-memory-store';
import { createFetchRenewer } from '../test/helpers/lifecycle-renewer';
import { startLifecycleServer, type LifecycleServer } from '../test/helpers/lifecycle-server';
import { makeTempRoot } from '../test/helpers/vault-fixtures';
import {
  ensure,
  samplePool,
  seedAccounts,
  staggeredAccounts,
  type SeededAccount,
} from './bench-fixtures';

/**
 * The token lifecycle: single-flight renewal end to end, and arming 1,000 timers at start.
 *
 * Single flight: 500 callers ask for the token of one expired account at once; the manager must
 * make exactly one request to the loopback token server (rotating refresh tokens, from the
 * tests), save the result durably, and hand the new token to all 500. Each sample uses a fresh
 * expired account from a pool seeded up front, since a renewed account is no longer expired.
 */
const CALLERS = 500;
const FLEET = 1_000;
const SINGLE_FLIGHT = { time: 0, iterations: 60, warmupTime: 0, warmupIterations: 3 };
const POOL = SINGLE_FLIGHT.iterations + SINGLE_FLIGHT.warmupIterations;

let server: LifecycleServer;
const cleanups: Array<() => Promise<void>> = [];
const managers: TokenManager[] = [];

interface SingleFlightTarget {
  manager: TokenManager;
  pool: ReturnType<typeof samplePool<string>>;
}
let onVault: SingleFlightTarget;
let inMemory: SingleFlightTarget;
let fleetOnVault: LifecycleStore;
let fleetInMemory: MemoryLifecycleStore;

/** `count` accounts whose tokens expired an hour ago, each a live grant at the server. */
function expiredAccounts(prefix: string, count: number): SeededAccount[] {
  const receivedAt = Date.now() - 2 * HOUR;
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i}`;
    return { account: makeAccount({ id, receivedAt }), tokens: server.seed(id, 'provider-a') };
  });
}

async function tempVault(prefix: string): Promise<Vault> {
  const { root, cleanup } = await makeTempRoot(prefix);
  cleanups.push(cleanup);
  return Vault.create(root, createFakeKeychainSlot());
}

function singleFlightManager(store: LifecycleStore): TokenManager {
  const manager = new TokenManager({
    store,
    renew: createFetchRenewer({ tokenUrl: server.tokenUrl }),
    schedule: false,
  });
  managers.push(manager);
  return manager;
}

/** A renewer for the start bench, where every token is fresh: being called is a bug. */
const noRenewal: Renewer = async () => {
  throw new Error('start() must not renew fresh tokens');
};

beforeAll(async () => {
  server = await startLifecycleServer();

  const vault = await tempVault('tokendeck-bench-flight-');
  const vaultPool = expiredAccounts('flight-vault', POOL);
  await seedAccounts(vault, vaultPool);
  onVault = {
    manager: singleFlightManager(createVaultLifecycleStore(vault)),
    pool: samplePool(
      'single flight (vault)',
      vaultPool.map(({ account }) => account.id),
    ),
  };

  const memory = new MemoryLifecycleStore();
  const memoryPool = expiredAccounts('flight-memory', POOL);
  for (const { account, tokens } of memoryPool) memory.add(account, tokens);
  inMemory = {
    manager: singleFlightManager(memory),
    pool: samplePool(
      'single flight (memory)',
      memoryPool.map(({ account }) => account.id),
    ),
  };

  const fleet = staggeredAccounts(FLEET);
  const fleetVault = await tempVault('tokendeck-bench-fleet-');
  await seedAccounts(fleetVault, fleet);
  fleetOnVault = createVaultLifecycleStore(fleetVault);
  fleetInMemory = new MemoryLifecycleStore();
  for (const { account, tokens } of fleet) fleetInMemory.add(account, tokens);
}, 120_000);

afterAll(async () => {
  for (const manager of managers) manager.stop();
  await server?.close();
  for (const cleanup of cleanups) await cleanup();
});

async function fiveHundredCallers({ manager, pool }: SingleFlightTarget): Promise<void> {
  const accountId = pool.next();
  const requestsBefore = server.stats.requests;
  const results = await Promise.all(
    Array.from({ length: CALLERS }, () => manager.getFreshToken(accountId)),
  );
  ensure(server.stats.requests === requestsBefore + 1, 'exactly one token request');
  const issued = server.current(accountId).accessToken;
  ensure(
    results.every((result) => result.accessToken === issued),
    'every caller got the new token',
  );
}

describe(`${CALLERS} concurrent getFreshToken() on one expired account`, () => {
  bench(
    'vault store: one renewal over loopback HTTP, saved with fsync',
    async () => fiveHundredCallers(onVault),
    SINGLE_FLIGHT,
  );

  bench(
    'in-memory store: one renewal over loopback HTTP',
    async () => fiveHundredCallers(inMemory),
    SINGLE_FLIGHT,
  );
});

async function startAndStop(store: LifecycleStore): Promise<void> {
  const manager = new TokenManager({ store, renew: noRenewal, schedule: true });
  await manager.start();
  const last = manager.status(`acct-${FLEET - 1}`);
  manager.stop();
  ensure(last.state === 'fresh' && last.nextRenewalAt !== null, 'a renewal timer was armed');
}

describe(`TokenManager.start() over ${FLEET.toLocaleString('en')} accounts, then stop()`, () => {
  bench(
    'vault store (list from the vault, schema-checked)',
    async () => startAndStop(fleetOnVault),
    { time: 2_000, iterations: 20 },
  );

  bench('in-memory store (scheduling alone)', async () => startAndStop(fleetInMemory), {
    time: 2_000,
    iterations: 20,
  });
});
