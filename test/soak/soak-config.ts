import type { FaultRates } from './soak-provider';

/**
 * The two shapes of the chaos soak: the full run (`npm run soak`) and the short one that
 * `npm test` runs. Times are from the start of the load, in milliseconds.
 */
export interface SoakConfig {
  name: 'full' | 'short';
  /** How long the CLI processes load the vault while the service renews. */
  loadMs: number;
  /** After the load: the service renews alone, without faults, so the checks see a settled vault. */
  settleMs: number;
  accounts: number;
  /** Of those, accounts on the client credentials grant, each its own client and provider. */
  clientCredentialAccounts: number;
  /** Token servers (providers). */
  servers: number;
  /** Access-token lifetimes, in seconds, spread evenly. */
  lifetimeSec: [number, number];
  faults: FaultRates;
  /** The renewal request timeout of the service and the CLI, and how long a slow answer waits. */
  requestTimeoutMs: number;
  slowMs: number;
  burst429: { server: number; atMs: number; forMs: number; retryAfterSec: number };
  down: { server: number; atMs: number; forMs: number };
  cliProcesses: number;
  /** The pause between two commands of one CLI process, at random in this range. */
  cliPauseMs: [number, number];
  /** A random CLI process is SIGKILLed (and started again) every so often, at random in this range. */
  cliKillEveryMs: [number, number];
  /** The service is SIGKILLed once, here, and started again after `serviceDownMs`. */
  serviceKillAtMs: number;
  serviceDownMs: number;
  /** The share of CLI commands that are `request` (the rest are `token`). */
  requestShare: number;
  /** scrypt cost of the soak's vault: a test-only low cost, so unlocking does not starve the CPU. */
  scryptN: number;
}

const common = {
  servers: 5,
  lifetimeSec: [20, 120] as [number, number],
  faults: { error5xx: 0.1, reset: 0.05, slow: 0.05 },
  requestTimeoutMs: 4_000,
  slowMs: 5_000,
  cliProcesses: 3,
  requestShare: 0.35,
  scryptN: 2 ** 10,
};

export const FULL_SOAK: SoakConfig = {
  ...common,
  name: 'full',
  loadMs: 600_000,
  settleMs: 30_000,
  accounts: 1_000,
  clientCredentialAccounts: 20,
  burst429: { server: 1, atMs: 150_000, forMs: 15_000, retryAfterSec: 5 },
  down: { server: 2, atMs: 300_000, forMs: 20_000 },
  cliPauseMs: [150, 400],
  cliKillEveryMs: [4_000, 9_000],
  serviceKillAtMs: 240_000,
  serviceDownMs: 2_000,
};

/** About a minute: 200 accounts, every fault once, the service killed once. */
export const SHORT_SOAK: SoakConfig = {
  ...common,
  name: 'short',
  loadMs: 45_000,
  settleMs: 6_000,
  accounts: 200,
  clientCredentialAccounts: 8,
  burst429: { server: 1, atMs: 8_000, forMs: 6_000, retryAfterSec: 3 },
  down: { server: 2, atMs: 24_000, forMs: 10_000 },
  cliPauseMs: [300, 700],
  cliKillEveryMs: [3_000, 6_000],
  serviceKillAtMs: 16_000,
  serviceDownMs: 1_500,
};

/** A deterministic random source (mulberry32), so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
