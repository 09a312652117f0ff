import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isTokendeckError } from '../../src-main/core/errors';
import { nullLogger } from '../../src-main/core/log';
import { listAccounts, readTokens } from '../../src-main/core/records';
import { Vault, createPassphraseSlot } from '../../src-main/core/vault';
import {
  judgeSoak,
  type CommandRecord,
  type ProcRecord,
  type SoakFindings,
  type SoakObservations,
  type VaultEntry,
} from './soak-checks';
import { seededRandom, type SoakConfig } from './soak-config';
import { SoakProvider, TOKEN_PATTERN } from './soak-provider';
import { SOAK_PASSPHRASE, openSoakService, seedSoak } from './soak-seed';

/**
 * The chaos soak's driver: token servers with faults, a seeded vault, one long-running service,
 * CLI processes in a loop, SIGKILLs, then the checks.
 *
 * The children run bundles built here with esbuild (a Node process starts one in a fraction of
 * the time tsx needs to compile the sources), so restarting a killed CLI process every few
 * seconds stays cheap on two cores.
 */
export interface SoakOptions {
  seed?: number;
  /** Progress lines for a person; default none. */
  log?: (line: string) => void;
  /** Keep the temp folder (data folder, bundles) for a look afterwards. */
  keep?: boolean;
}

export interface SoakResult {
  run: SoakObservations;
  findings: SoakFindings;
  root: string;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Accounts the CLI processes pick often, so that they race each other and the service. */
const HOT_ACCOUNTS = 6;

class Child {
  readonly record: ProcRecord;
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    role: ProcRecord['role'],
    bundle: string,
    args: string[],
    onLine: (line: Record<string, unknown>) => void,
  ) {
    // A bounded heap makes V8 collect instead of growing: these processes allocate quickly.
    this.child = spawn(process.execPath, ['--max-old-space-size=384', bundle, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.record = { pid: this.child.pid ?? -1, role, spawnedAt: Date.now() };
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        onLine(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A line cut short by a kill.
      }
    });
    this.child.stderr!.resume();
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(): void {
    if (!this.alive) return;
    this.record.killedAt = Date.now();
    this.child.kill('SIGKILL');
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(config: SoakConfig, options: SoakOptions = {}): Promise<SoakResult> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const log = options.log ?? (() => undefined);
  const random = seededRandom(seed);
  const root = mkdtempSync(join(tmpdir(), `tokendeck-soak-${config.name}-`));
  const dataDir = join(root, 'data');
  const servers: SoakProvider[] = [];
  const children = new Set<Child>();
  try {
    await build({
      entryPoints: {
        service: join(HERE, 'service-process.ts'),
        cli: join(HERE, 'cli-process.ts'),
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: join(root, 'bundles'),
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    for (let index = 0; index < config.servers; index += 1) {
      servers.push(
        await SoakProvider.start({
          name: `soak-${index}`,
          random: seededRandom(seed + index + 1),
          faults: config.faults,
          slowMs: config.slowMs,
        }),
      );
    }
    const accounts = await seedSoak(dataDir, config, servers, random);
    const accountsFile = join(root, 'accounts.json');
    const hot = new Set(
      accounts
        .filter((a) => a.kind === 'refresh')
        .slice(0, HOT_ACCOUNTS)
        .map((a) => a.id),
    );
    writeFileSync(
      accountsFile,
      JSON.stringify(accounts.map(({ id }) => ({ id, hot: hot.has(id) }))),
    );
    log(
      `seed ${seed}: ${accounts.length} accounts over ${servers.length} token servers in ${dataDir}`,
    );

    const procs: ProcRecord[] = [];
    const commands: CommandRecord[] = [];
    const lag: SoakObservations['lag'] = [];
    const load: SoakObservations['load'] = [];
    const bundle = (name: string) => join(root, 'bundles', `${name}.mjs`);
    const track = (child: Child) => {
      children.add(child);
      procs.push(child.record);
      void child.exited.then(() => children.delete(child));
      return child;
    };
    const startService = async () => {
      let ready!: () => void;
      const started = new Promise<void>((resolve) => (ready = resolve));
      const child = track(
        new Child(
          'service',
          bundle('service'),
          [dataDir, SOAK_PASSPHRASE, String(config.scryptN), String(config.requestTimeoutMs)],
          (line) => {
            if (line.k === 'ready') {
              child.record.readyAt = Date.now();
              ready();
            } else if (line.k === 'lag')
              lag.push({ at: Number(line.t), maxMs: Number(line.maxMs) });
          },
        ),
      );
      await Promise.race([
        started,
        child.exited.then(() =>
          Promise.reject(new Error('the service exited before it was ready')),
        ),
      ]);
      return child;
    };
    const startCli = () =>
      track(
        new Child(
          'cli',
          bundle('cli'),
          [
            dataDir,
            accountsFile,
            SOAK_PASSPHRASE,
            String(config.scryptN),
            String(config.requestTimeoutMs),
            String(config.cliPauseMs[0]),
            String(config.cliPauseMs[1]),
            String(config.requestShare),
            String(Math.floor(random() * 2 ** 31)),
          ],
          (line) => {
            if (line.k === 'cmd') commands.push(line as unknown as CommandRecord);
          },
        ),
      );

    let service = await startService();
    const loadStartAt = Date.now();
    const loadEndAt = loadStartAt + config.loadMs;
    let clis = Array.from({ length: config.cliProcesses }, startCli);
    log(
      `load: ${config.cliProcesses} CLI processes and the service, for ${config.loadMs / 1000} s`,
    );

    const at = (offset: number) => sleep(Math.max(0, loadStartAt + offset - Date.now()));
    const sampler = setInterval(() => load.push({ at: Date.now(), loadavg: loadavg()[0]! }), 1_000);
    const events = [
      (async () => {
        await at(config.burst429.atMs);
        servers[config.burst429.server]!.burst429(
          config.burst429.forMs,
          config.burst429.retryAfterSec,
        );
        log(
          `429 burst on token server ${config.burst429.server} for ${config.burst429.forMs / 1000} s`,
        );
      })(),
      (async () => {
        await at(config.down.atMs);
        log(`token server ${config.down.server} down for ${config.down.forMs / 1000} s`);
        await servers[config.down.server]!.goDown(config.down.forMs);
      })(),
      (async () => {
        await at(config.serviceKillAtMs);
        service.kill();
        log('SIGKILL of the service');
        await service.exited;
        await sleep(config.serviceDownMs);
        service = await startService();
        log('service started again');
      })(),
      (async () => {
        for (;;) {
          const [least, most] = config.cliKillEveryMs;
          await sleep(least + random() * (most - least));
          if (Date.now() >= loadEndAt) return;
          const victim = clis[Math.floor(random() * clis.length)]!;
          victim.kill();
          clis = clis.map((child) => (child === victim ? startCli() : child));
        }
      })(),
    ];
    await at(config.loadMs);
    for (const child of clis) child.send('stop');
    await Promise.race([
      Promise.all(clis.map((child) => child.exited)),
      sleep(3 * config.requestTimeoutMs),
    ]);
    for (const child of clis) child.kill();
    await Promise.all(events);
    for (const server of servers) server.faultsOn = false;
    log(`settle: the service alone, without faults, for ${config.settleMs / 1000} s`);
    await sleep(config.settleMs);
    const settleEndAt = Date.now();
    service.kill();
    await service.exited;
    clearInterval(sampler);

    const beforeSweep = await readVault(dataDir, config);
    const sweepStartAt = Date.now();
    const sweep = await finalSweep(dataDir, config, accounts, servers, beforeSweep.entries);
    const final = await readVault(dataDir, config);
    const run: SoakObservations = {
      config,
      seed,
      loadStartAt,
      loadEndAt,
      settleEndAt,
      servers,
      accounts,
      procs,
      commands,
      lag,
      load,
      cpus: cpus().length,
      beforeSweep: beforeSweep.entries,
      final: final.entries,
      vaultError: beforeSweep.error ?? final.error ?? null,
      sweep,
      sweepStartAt,
      leaks: scanForTokens(dataDir, servers),
    };
    return { run, findings: judgeSoak(run), root };
  } finally {
    for (const child of children) child.kill();
    await Promise.all(servers.map((server) => server.close()));
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}

/** Every account of the vault with its tokens, as a fresh process reads them. */
async function readVault(
  dataDir: string,
  config: SoakConfig,
): Promise<{ entries: Map<string, VaultEntry>; error?: string }> {
  const entries = new Map<string, VaultEntry>();
  try {
    const vault = await Vault.open(
      dataDir,
      createPassphraseSlot(SOAK_PASSPHRASE, { N: config.scryptN }),
    );
    const view = await vault.read();
    for (const account of listAccounts(view)) {
      try {
        entries.set(account.id, { account, tokens: readTokens(view, account.id) });
      } catch (error) {
        entries.set(account.id, { error: String(error) });
      }
    }
    return { entries };
  } catch (error) {
    return { entries, error: String(error) };
  }
}

/**
 * Plays every replay the run left pending: an account whose grant was revoked but not yet
 * recorded, or whose last answer was lost to a kill, is made to renew now. Each must end in
 * needs-reauth (or a clean renewal, where the server allows it).
 */
async function finalSweep(
  dataDir: string,
  config: SoakConfig,
  accounts: SoakObservations['accounts'],
  servers: SoakProvider[],
  vault: Map<string, VaultEntry>,
): Promise<SoakObservations['sweep']> {
  const pending = accounts.filter((seeded) => {
    const entry = vault.get(seeded.id);
    if (!entry || 'error' in entry || entry.account.reauthReason || seeded.kind !== 'refresh')
      return false;
    const grant = servers[seeded.server]!.grants.get(seeded.grantId)!;
    return (
      grant.revokedAt !== null || grant.issuances.at(-1)!.refreshToken !== entry.tokens.refreshToken
    );
  });
  if (pending.length === 0) return [];
  const service = await openSoakService(dataDir, config, { logger: nullLogger });
  const outcomes: SoakObservations['sweep'] = [];
  try {
    for (const seeded of pending) {
      try {
        await service.getFreshToken(seeded.id, { minTtlMs: 365 * 24 * 3_600_000 });
        outcomes.push({ account: seeded.id, outcome: 'renewed' });
      } catch (error) {
        outcomes.push({
          account: seeded.id,
          outcome: isTokendeckError(error) ? error.code : 'internal',
        });
      }
    }
  } finally {
    await service.close();
  }
  return outcomes;
}

/** The files under the data folder that hold a token one of the servers issued. */
function scanForTokens(dataDir: string, servers: SoakProvider[]): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const found = (readFileSync(path, 'utf8').match(TOKEN_PATTERN) ?? []).filter((token) =>
        servers.some((server) => server.issuance(token)),
      );
      if (found.length > 0) hits.push(`${path.slice(dataDir.length + 1)} (${found.length})`);
    }
  };
  walk(dataDir);
  return hits;
}
