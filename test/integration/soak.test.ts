import { describe, expect, it } from 'vitest';
import { SHORT_SOAK } from '../soak/soak-config';
import { soakReport } from '../soak/soak-report';
import { runSoak } from '../soak/run-soak';

/**
 * The short chaos soak (about a minute; `npm run soak` is the 10-minute one): 200 accounts over
 * five faulty token servers, the service renewing, three CLI processes in a loop, SIGKILLs of
 * the CLI processes and once of the service. The checks are the servers' own records; see
 * test/soak/soak-checks.ts. A renewal late because of load is reported, not failed. The report
 * names the seed: `npm run soak -- --short --seed N` replays a run.
 *
 * Runs with `npm run soak:short` (TOKENDECK_SOAK_SHORT=1), not in `npm test`, until the renewals
 * it finds missed without an explanation are understood: on an idle machine every run reports a
 * few tokens of different servers expiring unrenewed around the end of the load, which on a
 * loaded machine are put down to load.
 */
const runs = process.env.TOKENDECK_SOAK_SHORT === '1' ? describe : describe.skip;

runs('the chaos soak, short', () => {
  it('loses nothing, replays no refresh token without a kill, and prints no stale token', async () => {
    const seed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : undefined;
    const result = await runSoak(SHORT_SOAK, seed === undefined ? {} : { seed });
    const report = soakReport(result);
    console.log(report);
    expect(result.findings.failures, report).toEqual([]);

    // The run did what it is for: load, every fault, and the kills.
    const { run } = result;
    const outcomes = new Set(
      run.servers.flatMap((server) => server.requests.map((r) => r.outcome)),
    );
    for (const fault of ['5xx', 'reset', '429', 'issued'] as const)
      expect(outcomes).toContain(fault);
    expect(outcomes.has('slow-abandoned') || outcomes.has('slow-served')).toBe(true);
    expect(run.servers[SHORT_SOAK.down.server]!.windows.some((w) => w.kind === 'down')).toBe(true);
    expect(run.procs.filter((p) => p.role === 'service')).toHaveLength(2);
    expect(
      run.procs.filter((p) => p.role === 'cli' && p.killedAt !== undefined).length,
    ).toBeGreaterThan(3);
    expect(run.commands.filter((c) => c.cmd === 'token' && c.code === 0).length).toBeGreaterThan(0);
    expect(run.commands.filter((c) => c.cmd === 'request' && c.code === 0).length).toBeGreaterThan(
      0,
    );
    expect(run.final.size).toBe(SHORT_SOAK.accounts);
  }, 240_000);
});
