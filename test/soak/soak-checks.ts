import type { StoredAccount, StoredTokens } from '../../src-main/core/model';
import type { SoakConfig } from './soak-config';
import type { Grant, Issuance, SoakProvider } from './soak-provider';
import type { SeededAccount } from './soak-seed';

/**
 * The soak's verdict, from the servers' own records, the processes' reports and the vault.
 *
 * Real losses fail the run: an account lost, a refresh token used twice without a kill between
 * the server's answer and the save, a vault left holding a token the server had replaced (or a
 * mix of two pairs), a token printed after its successor was provably in use, a vault that does
 * not parse, a token in a log or file. A renewal that missed its time is judged against the
 * injected faults, the service's downtime and the measured load; only one that none of them
 * explains fails. Everything else is a figure for the report.
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
  'service down' | 'provider down' | 'rate limited' | 'injected fault' | 'load' | 'unexplained';

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
        const dueAt = issuance.issuedAt + (deadline - issuance.issuedAt) / 2;
        const reason = missReason(
          run,
          server,
          grant,
          dueAt - 1_000,
          Math.min(next, run.settleEndAt),
          serviceDown,
        );
        findings.misses[reason] += 1;
        if (reason === 'unexplained') {
          fail(
            `${grant.id}: token #${index} expired at ${iso(deadline)} unrenewed, with no fault, downtime or load to explain it`,
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

function missReason(
  run: SoakObservations,
  server: SoakProvider,
  grant: Grant,
  from: number,
  to: number,
  serviceDown: Array<[number, number]>,
): MissReason {
  if (serviceDown.some(([a, b]) => overlaps(from, to, a, b))) return 'service down';
  const windows = server.windows.filter((w) => overlaps(from, to, w.from, w.to));
  if (windows.some((w) => w.kind === 'down')) return 'provider down';
  const requests = server.requests.filter(
    (r) => r.grantId === grant.id && r.at >= from && r.at <= to,
  );
  if (windows.some((w) => w.kind === '429') || requests.some((r) => r.outcome === '429'))
    return 'rate limited';
  if (requests.some((r) => ['5xx', 'reset', 'slow-abandoned', 'slow-served'].includes(r.outcome))) {
    return 'injected fault';
  }
  const lagged = run.lag.some((s) => s.at >= from && s.at <= to + 1_000 && s.maxMs >= 500);
  const loaded = run.load.some((s) => s.at >= from && s.at <= to && s.loadavg >= 2 * run.cpus);
  return lagged || loaded ? 'load' : 'unexplained';
}

function iso(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString().slice(11, 23) : 'never';
}
