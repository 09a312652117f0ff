import type { SoakResult } from './run-soak';

/** The soak's figures, as the lines a person reads after `npm run soak`. */
export function soakReport({ run, findings }: SoakResult): string {
  const seconds = (run.loadEndAt - run.loadStartAt) / 1000;
  const during = (at: number) => at >= run.loadStartAt && at <= run.loadEndAt;
  const requests = run.servers.flatMap((server) => server.requests);
  const count = (outcome: string) => requests.filter((r) => r.outcome === outcome).length;
  const tokenRequests = requests.filter((r) => during(r.at)).length;
  const resource = run.servers.reduce((sum, server) => sum + server.resourceRequests, 0);
  const commands = run.commands.filter((c) => during(c.startedAt));
  const failed = commands.filter((c) => c.code !== 0);
  const errors = new Map<string, number>();
  for (const command of failed) {
    const kind = (command.error ?? 'unknown')
      .replace(/^tokendeck: /, '')
      .replace(/[0-9a-f-]{6,}|\d+/g, '…')
      .slice(0, 70);
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
  }
  const services = run.procs.filter((p) => p.role === 'service');
  const restart =
    services[1]?.readyAt && services[0]?.killedAt
      ? services[1].readyAt - services[0].killedAt
      : null;
  const cliKills = run.procs.filter(
    (p) => p.role === 'cli' && p.killedAt !== undefined && p.killedAt < run.loadEndAt,
  ).length;
  const issued = run.servers.reduce(
    (sum, server) =>
      sum + [...server.grants.values()].reduce((n, grant) => n + grant.issuances.length - 1, 0),
    0,
  );
  const down = run.servers.flatMap((server) => server.windows.filter((w) => w.kind === 'down'));
  const sweep = new Map<string, number>();
  for (const { outcome } of run.sweep) sweep.set(outcome, (sweep.get(outcome) ?? 0) + 1);
  const maxLag = Math.max(0, ...run.lag.map((s) => s.maxMs));
  const maxLoad = Math.max(0, ...run.load.map((s) => s.loadavg));
  const misses = Object.entries(findings.misses).filter(([, n]) => n > 0);
  const lines = [
    `Tokendeck chaos soak (${run.config.name}), seed ${run.seed}: ${run.accounts.length} accounts over ${run.servers.length} token servers, ${seconds.toFixed(0)} s of load`,
    '',
    'Load',
    `  token endpoint: ${tokenRequests} requests (${(tokenRequests / seconds).toFixed(1)}/s); resource (/me): ${resource} requests`,
    `  CLI: ${commands.length} commands (${(commands.length / seconds).toFixed(1)}/s) from ${run.config.cliProcesses} processes at a time; ${commands.length - failed.length} succeeded`,
    ...[...errors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([kind, n]) => `    ${n} × ${kind}`),
    `  service: worst event-loop delay ${maxLag} ms; host load average peaked at ${maxLoad.toFixed(1)} on ${run.cpus} cores`,
    '',
    'Faults survived',
    `  token answers: ${count('5xx')} × 5xx, ${count('reset')} × reset, ${count('slow-abandoned') + count('slow-served')} × slow past the timeout, ${count('429')} × 429 (burst of ${run.config.burst429.forMs / 1000} s)`,
    `  token server down: ${down.map((w) => `${((w.to - w.from) / 1000).toFixed(1)} s`).join(', ')}`,
    `  SIGKILL: ${cliKills} CLI processes, the service once (ready again ${restart === null ? '?' : `${(restart / 1000).toFixed(1)} s`} after the kill)`,
    '',
    'Renewals',
    `  ${issued} tokens issued; ${findings.reuses.explained} refresh-token replays, each after a kill between answer and save (${findings.reuses.inFinalSweep} played in the final sweep); ${findings.pendingReplays} pending at the end`,
    `  final sweep: ${[...sweep].map(([outcome, n]) => `${n} × ${outcome}`).join(', ') || 'nothing pending'}; ${findings.needsReauth} accounts need reconnecting`,
    `  ${findings.renewalsJudged} token lifetimes judged; missed their time: ${misses.map(([reason, n]) => `${n} (${reason})`).join(', ') || 'none'}`,
    `  printed tokens checked: ${findings.prints.checked}; printed after the server revoked them without the client knowing: ${findings.prints.afterRevocation}; after expiry: ${findings.prints.afterExpiry}`,
    '',
    findings.failures.length === 0
      ? 'Verdict: passed. Nothing lost, no unexplained replay, no stale token held or printed, the vault parses, no token in any file.'
      : `Verdict: FAILED (${findings.failures.length})`,
    ...findings.failures.slice(0, 20).map((failure) => `  - ${failure}`),
  ];
  return lines.join('\n');
}
