import { DEFAULT_SKEW_MS, renewalDueAt, usableExpiry } from '../../src-main/core/lifecycle';
import type { StoredAccount, StoredTokens } from '../../src-main/core/model';
import type { SoakConfig } from './soak-config';
import type { Grant, Issuance, SoakProvider, TokenRequest } from './soak-provider';
import type { SeededAccount } from './soak-seed';

/**
 * The soak's verdict, from the servers' own records, the processes' reports and the vault.
 *
 * Real losses fail the run: an account lost, a refresh token used twice without a kill between
 * the server's answer and the save, a vault left holding a token the server had replaced (or a
 * mix of two pairs), a token printed after its successor was provably in use, a vault that does
 * not parse, a token in a log or file. A renewal that missed its time is judged by what the
 * service did with it, against the injected faults, the service's downtime and the measured
 * load (see `missReason`); only one that none of them explains fails. Everything else is a figure
 * for the report.
 */

export interface ProcRecord {
  pid: number;
  role: 'service' | 'cli';
  spawnedAt: number;
  readyAt?: number;
  killedAt?: number;
}

export interface CommandRecord {
  pid: number;
  cmd: 'token' | 'request';
  account: string;
  startedAt: number;
  endedAt: number;
  code: number;
  token?: string;
  status?: number;
  error?: string;
}

/** A lifecycle log line of the service about one account (see service-process.ts). */
export interface ServiceEvent {
  t: number;
  message: string;
  accountId: string;
  /** On a transient failure: when the service will try again, and the error's code. */
  retryAt?: number;
  code?: string;
}

export type VaultEntry = { account: StoredAccount; tokens: StoredTokens } | { error: string };

export interface SoakObservations {
  config: SoakConfig;
  seed: number;
  loadStartAt: number;
  loadEndAt: number;
  settleEndAt: number;
  servers: SoakProvider[];
  accounts: SeededAccount[];
  procs: ProcRecord[];
  commands: CommandRecord[];
  lag: Array<{ at: number; maxMs: number }>;
  serviceEvents: ServiceEvent[];
  load: Array<{ at: number; loadavg: number }>;
  cpus: number;
  /** The vault once the service stopped, and after the final sweep. */
  beforeSweep: Map<string, VaultEntry>;
  final: Map<string, VaultEntry>;
  vaultError: string | null;
  /** Accounts the final sweep forced to renew, and what each got. */
  sweep: Array<{ account: string; outcome: string }>;
  sweepStartAt: number;
  /** Files of the data folder that hold an issued token, with the count. */
  leaks: string[];
}

export type MissReason =
  | 'lost to a kill'
  | 'service down'
  | 'provider down'
  | 'rate limited'
  | 'injected fault'
  | 'load'
  | 'unexplained';

export interface SoakFindings {
  failures: string[];
  reuses: { explained: number; inFinalSweep: number };
  pendingReplays: number;
  needsReauth: number;
  misses: Record<MissReason, number>;
  renewalsJudged: number;
  prints: { checked: number; afterRevocation: number; afterExpiry: number };
}

interface Owned {
  grant: Grant;
  issuance: Issuance;
  server: SoakProvider;
}

/** Finds which grant and issuance a token value belongs to. */
function ownerOf(servers: SoakProvider[], token: string): Owned | undefined {
  for (const server of servers) {
    const issuance = server.issuance(token);
    if (issuance) return { grant: server.grants.get(issuance.grantId)!, issuance, server };
  }
  return undefined;
}

export function judgeSoak(run: SoakObservations): SoakFindings {
  const failures: string[] = [];
  const fail = (message: string) => failures.length < 200 && failures.push(message);
  // The server may read a request a moment after its sender was killed (the bytes were on their
  // way), so a kill up to a few seconds before the answer still came between answer and save.
  const killedAfter = (pid: number | null, at: number) =>
    pid !== null &&
    run.procs.some((p) => p.pid === pid && p.killedAt !== undefined && p.killedAt >= at - 5_000);

  if (run.vaultError) fail(`the vault does not parse: ${run.vaultError}`);

  // Refresh tokens: every reuse, and every answer that was never saved, must have a kill between.
  // An answer was saved if any process ever used or printed its tokens, or the vault holds them
  // (a token is used only once it is saved).
  const printed = new Set(run.commands.map((command) => command.token).filter(Boolean));
  const saved = (server: SoakProvider, issuance: Issuance): boolean => {
    const values = [issuance.accessToken, issuance.refreshToken].filter(Boolean) as string[];
    if (values.some((value) => server.presented.has(value) || printed.has(value))) return true;
    return [run.beforeSweep, run.final].some((vault) => {
      const entry = vault.get(issuance.grantId);
      return (
        entry !== undefined && !('error' in entry) && values.includes(entry.tokens.accessToken)
      );
    });
  };
  const lostExplained = (server: SoakProvider, issuance: Issuance): boolean =>
    !saved(server, issuance) && killedAfter(issuance.pid, issuance.issuedAt);
  const findings: SoakFindings = {
    failures,
    reuses: { explained: 0, inFinalSweep: 0 },
    pendingReplays: 0,
    needsReauth: 0,
    misses: {
      'lost to a kill': 0,
      'service down': 0,
      'provider down': 0,
      'rate limited': 0,
      'injected fault': 0,
      load: 0,
      unexplained: 0,
    },
    renewalsJudged: 0,
    prints: { checked: 0, afterRevocation: 0, afterExpiry: 0 },
  };
  for (const server of run.servers) {
    for (const reuse of server.reuses) {
      const grant = server.grants.get(reuse.grantId)!;
      const lost = grant.issuances[reuse.spentIndex + 1];
      if (reuse.at >= run.sweepStartAt && reuse.pid === null) findings.reuses.inFinalSweep += 1;
      if (lost && lostExplained(server, lost)) {
        findings.reuses.explained += 1;
      } else {
        fail(
          `${grant.id}: refresh token #${reuse.spentIndex} used twice (at ${iso(reuse.at)} by pid ${reuse.pid}) with no kill after the first answer (to pid ${lost?.pid ?? 'none'})`,
        );
      }
    }
  }

  // The vault: every account there, each one holding the server's current pair, or marked for
  // reconnecting when its grant was revoked.
  for (const seeded of run.accounts) {
    const server = run.servers[seeded.server]!;
    const grant = server.grants.get(seeded.grantId)!;
    const entry = run.final.get(seeded.id);
    if (!entry) {
      fail(`account ${seeded.id} is missing from the vault`);
      continue;
    }
    if ('error' in entry) {
      fail(`account ${seeded.id} cannot be read: ${entry.error}`);
      continue;
    }
    const before = run.beforeSweep.get(seeded.id);
    const last = grant.issuances.at(-1)!;
    const revokedEarlier = grant.revokedAt !== null && grant.revokedAt < run.sweepStartAt;
    if (before && !('error' in before) && grant.kind === 'refresh' && !revokedEarlier) {
      if (before.tokens.refreshToken !== last.refreshToken && !before.account.reauthReason) {
        findings.pendingReplays += 1;
        if (!lostExplained(server, last)) {
          fail(
            `${seeded.id}: the vault held a replaced token; the answer to pid ${last.pid} was lost without a kill`,
          );
        }
      }
    }
    if (entry.account.reauthReason) findings.needsReauth += 1;
    if (grant.kind === 'client') {
      const owned = ownerOf(run.servers, entry.tokens.accessToken);
      if (owned?.grant !== grant)
        fail(`${seeded.id}: holds an access token its server never issued for it`);
      continue;
    }
    const atOwner = ownerOf(run.servers, entry.tokens.accessToken);
    const rtOwner = entry.tokens.refreshToken
      ? ownerOf(run.servers, entry.tokens.refreshToken)
      : undefined;
    if (atOwner?.issuance !== rtOwner?.issuance) {
      fail(`${seeded.id}: holds a mix of two token pairs`);
    } else if (grant.revokedAt !== null) {
      if (!entry.account.reauthReason)
        fail(`${seeded.id}: its grant was revoked, but it is not marked for reconnecting`);
    } else if (atOwner?.issuance !== last) {
      fail(
        `${seeded.id}: holds pair #${atOwner?.issuance.index}, but the server's current pair is #${last.index}`,
      );
    }
  }

  // Printed tokens: never one whose successor was already in use when the command started.
  for (const command of run.commands) {
    if (command.cmd !== 'token' || command.token === undefined) continue;
    findings.prints.checked += 1;
    const owned = ownerOf(run.servers, command.token);
    if (!owned || owned.issuance.accessToken !== command.token) {
      fail(`pid ${command.pid} printed something that is not an issued access token`);
      continue;
    }
    const { grant, issuance, server } = owned;
    if (issuance.revokedAt !== null && issuance.revokedAt < command.startedAt)
      findings.prints.afterRevocation += 1;
    if (issuance.expiresAt < command.startedAt) findings.prints.afterExpiry += 1;
    if (grant.kind !== 'refresh') continue;
    const inUse = grant.issuances
      .slice(issuance.index + 1)
      .flatMap((later) => [later.accessToken, later.refreshToken ?? ''])
      .map((value) => server.presented.get(value) ?? Infinity);
    const firstUse = Math.min(...inUse);
    if (firstUse < command.startedAt) {
      fail(
        `pid ${command.pid} printed pair #${issuance.index} of ${grant.id} at ${iso(command.startedAt)}, after a newer pair was in use (${iso(firstUse)})`,
      );
    }
  }

  // Renewals that missed their time: the token expired before the next one was issued.
  const serviceDown = serviceDowntime(run);
  for (const server of run.servers) {
    for (const grant of server.grants.values()) {
      for (const [index, issuance] of grant.issuances.entries()) {
        const deadline = issuance.expiresAt;
        if (deadline >= run.settleEndAt || deadline < run.loadStartAt) continue;
        if (grant.revokedAt !== null && grant.revokedAt <= deadline) continue;
        findings.renewalsJudged += 1;
        const next = grant.issuances[index + 1]?.issuedAt ?? Infinity;
        if (next <= deadline) continue;
        const lost = lostExplained(server, issuance);
        const reason = missReason(run, server, grant, issuance, next, serviceDown, lost);
        findings.misses[reason] += 1;
        if (reason === 'unexplained') {
          const trail = run.serviceEvents
            .filter((e) => e.accountId === grant.id && e.t >= issuance.issuedAt)
            .map((e) => `${iso(e.t)} ${e.message}${e.code ? ` (${e.code})` : ''}`);
          fail(
            `${grant.id}: token #${index} (issued ${iso(issuance.issuedAt)}) expired at ${iso(deadline)} unrenewed, with no fault, downtime or load to explain it; the service: ${trail.join('; ') || 'nothing'}`,
          );
        }
      }
    }
  }

  for (const leak of run.leaks) fail(`an issued token is in ${leak}`);
  return findings;
}

/** The spans when no service was running: from each kill to the next service being ready. */
function serviceDowntime(run: SoakObservations): Array<[number, number]> {
  const services = run.procs
    .filter((p) => p.role === 'service')
    .sort((a, b) => a.spawnedAt - b.spawnedAt);
  const spans: Array<[number, number]> = [];
  for (const [index, service] of services.entries()) {
    // The service killed at the end of the run is not downtime within it.
    if (service.killedAt === undefined || service.killedAt >= run.settleEndAt) continue;
    const next = services[index + 1];
    spans.push([service.killedAt, next?.readyAt ?? Infinity]);
  }
  return spans;
}

function overlaps(from: number, to: number, spanFrom: number, spanTo: number): boolean {
  return from <= spanTo && spanFrom <= to;
}

/**
 * When the service plans to renew a token: the lifecycle's own plan (renewal due on the usable
 * expiry, the skew allowance taken off), from the jitter's longest lead to its shortest. For the
 * soak's short lifetimes that is well before half the lifetime.
 */
function dueWindow(issuance: Issuance): [number, number] {
  const receivedAt = issuance.issuedAt;
  const expiresAt = usableExpiry({ expiresAt: issuance.expiresAt, receivedAt }, DEFAULT_SKEW_MS)!;
  const due = (random: number) => renewalDueAt({ expiresAt, receivedAt }, 0, () => random)!;
  return [due(1), due(0)];
}

/** The lifecycle's debug line when a timer starts a renewal. */
const RENEWAL_STARTED = 'Scheduled renewal started';

const FAULTS: ReadonlySet<TokenRequest['outcome']> = new Set([
  '5xx',
  'reset',
  'slow-abandoned',
  'slow-served',
]);

/**
 * Why a token expired before anyone renewed it, from what the service itself did with it.
 *
 * - `lost to a kill`: the answer that issued it went to a process killed before saving it, so
 *   no process ever held it (the vault kept the pair before, whose renewal is a replay).
 * - `service down`: no service ran when the renewal fell due, or while that renewal could still
 *   be in flight (one request timeout after).
 * - `provider down`, `rate limited`, `injected fault`: the service's last failure on the token
 *   before its expiry was on that injected fault (matched in the server's records by grant, pid
 *   and time), and the retry it set left less than one request timeout before the expiry (a
 *   Retry-After, or a failure too close to the end for an earlier retry).
 * - `load`: the event loop stalled or the host was overloaded, and the service started the
 *   renewal before the expiry but had no answer by then (it waited behind others for a provider
 *   slot or the vault, or was still in flight when the run ended), or it acted on the token only
 *   after the expiry.
 * Anything else fails the run: a service that was up and never acted on a due token, one whose
 * failure no injected fault explains, or one that set its retry in time and still missed it.
 */
function missReason(
  run: SoakObservations,
  server: SoakProvider,
  grant: Grant,
  issuance: Issuance,
  next: number,
  serviceDown: Array<[number, number]>,
  lost: boolean,
): MissReason {
  if (lost) return 'lost to a kill';
  const deadline = issuance.expiresAt;
  const [earliest, latest] = dueWindow(issuance);
  const from = earliest - 1_000;
  const timeout = run.config.requestTimeoutMs;
  if (serviceDown.some(([a, b]) => overlaps(from, latest + timeout, a, b))) return 'service down';

  const events = run.serviceEvents.filter((e) => e.accountId === grant.id && e.t >= from);
  const last = events.filter((e) => e.t <= deadline).at(-1);
  // The last failure before the expiry, when the retry it set left less than one request's time
  // (a Retry-After, or a backoff near the end): the token was lost to that failure.
  const failure = events.filter((e) => e.t <= deadline && e.retryAt !== undefined).at(-1);
  if (failure?.retryAt !== undefined && failure.retryAt > deadline - timeout) {
    const services = new Set(run.procs.filter((p) => p.role === 'service').map((p) => p.pid));
    const answered = server.requests.filter(
      (r) =>
        r.grantId === grant.id &&
        r.pid !== null &&
        services.has(r.pid) &&
        r.receivedAt >= failure.t - timeout - 1_000 &&
        r.receivedAt <= failure.t,
    );
    const outcome = answered.at(-1)?.outcome;
    if (outcome === '429') return 'rate limited';
    if (outcome !== undefined && FAULTS.has(outcome)) return 'injected fault';
    const down = server.windows.some(
      (w) => w.kind === 'down' && failure.t >= w.from && failure.t <= w.to + 1_000,
    );
    return outcome === undefined && down ? 'provider down' : 'unexplained';
  }

  // Started in time but not done by the expiry (waiting for a slot or the vault, or still in
  // flight when the run ended), or started only after it.
  const startedInTime = last?.message === RENEWAL_STARTED;
  const actedLate = events.some((e) => e.t > deadline && e.t <= run.settleEndAt);
  const to = Math.min(next, run.settleEndAt);
  const lagged = run.lag.some((s) => s.at >= from && s.at <= to + 1_000 && s.maxMs >= 500);
  const loaded = run.load.some((s) => s.at >= from && s.at <= to && s.loadavg >= 2 * run.cpus);
  return (startedInTime || actedLate) && (lagged || loaded) ? 'load' : 'unexplained';
}

function iso(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString().slice(11, 23) : 'never';
}
