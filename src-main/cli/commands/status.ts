import {
  AgentClient,
  listSessions,
  probeVault,
  type AccountSummary,
  type AgentStatus,
} from '../../core';
import { clean } from '../output';
import type { Command, CommandContext } from './context';

/**
 * `status`: the vault and its key slots, the agent, the live sessions, and the accounts that need
 * the user. Never prompts: accounts are listed only when the agent, a session or
 * `TOKENDECK_PASSPHRASE` can open the vault.
 */
export const status: Command = async (_args, _values, ctx) => {
  const probe = await probeVault(ctx.dataDir);
  const agent = await AgentClient.connect(ctx.dataDir).catch(() => null);
  let agentStatus: AgentStatus | null = null;
  if (agent) {
    agentStatus = await agent.call('status');
    await agent.close();
  }
  const sessions = await listSessions(ctx.dataDir);
  const accounts = await accountsNeedingYou(ctx, agent !== null || sessions.length > 0);
  const vault = !probe.exists
    ? 'none yet'
    : probe.corrupt
      ? 'unreadable (kept as it is)'
      : `key slots: ${probe.slots.map((slot) => slot.kind).join(', ') || 'none'}`;
  const lines = [
    `Vault:    ${clean(probe.path)} (${vault})`,
    `Agent:    ${agentStatus ? `${agentStatus.mode}, pid ${agentStatus.pid}` : 'not running'}`,
    `Sessions: ${sessions.length} live`,
    accounts === null
      ? 'Accounts: locked (unlock to see which need you)'
      : accounts.length
        ? `Accounts that need you:\n${accounts.map((a) => `  ${clean(a.id)}  ${a.status.state}  ${clean(a.status.reason ?? '')}`.trimEnd()).join('\n')}`
        : 'Accounts: none need you',
  ];
  ctx.print(`${lines.join('\n')}\n`, {
    vault: {
      path: probe.path,
      exists: probe.exists,
      corrupt: probe.corrupt,
      slots: probe.slots.map((slot) => slot.kind),
    },
    agent: agentStatus,
    sessions: sessions.map((s) => ({
      expiresAt: new Date(s.expiresAt).toISOString(),
      idleUntil: new Date(s.idleUntil).toISOString(),
    })),
    accountsNeedingYou:
      accounts?.map((a) => ({ id: a.id, state: a.status.state, reason: a.status.reason })) ?? null,
  });
  return 0;
};

async function accountsNeedingYou(
  ctx: CommandContext,
  reachable: boolean,
): Promise<AccountSummary[] | null> {
  const canOpen =
    reachable ||
    ctx.io.env.TOKENDECK_SESSION !== undefined ||
    ctx.io.env.TOKENDECK_PASSPHRASE !== undefined;
  if (!canOpen) return null;
  try {
    const list = await (await ctx.tokens()).listAccounts();
    return list.filter((a) => ['expired', 'needs-reauth', 'error'].includes(a.status.state));
  } catch {
    return null;
  }
}
