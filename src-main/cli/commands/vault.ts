import { TokendeckError, endSessions, AgentClient, SESSION_MAX_TTL_MS } from '../../core';
import { seconds } from '../args';
import { promptHidden, readStdin } from '../node-ports';
import type { Command } from './context';

/** `unlock`, `lock` and `passphrase`. */

/**
 * `unlock`: asks for the passphrase once and prints a session, as `bw unlock` does.
 *
 * The session value is the only copy of its key; it goes to stdout for `eval` or `--raw`.
 */
export const unlock: Command = async (_args, values, ctx) => {
  const ttlMs = seconds(values, 'unlock', 'ttl') ?? SESSION_MAX_TTL_MS;
  const service = await ctx.open({ noSession: true });
  const session = await service.startSession({ ttlMs });
  if (values.raw) {
    ctx.io.stdout.write(session);
  } else if (ctx.json) {
    ctx.print('', { session, expiresAt: new Date(Date.now() + ttlMs).toISOString() });
  } else {
    ctx.io.stdout.write(`export TOKENDECK_SESSION='${session}'\n`);
    ctx.io.stderr.write(
      'Unlocked. Run: eval "$(tokendeck unlock)" to use it in this shell; end it with: tokendeck lock\n',
    );
  }
  return 0;
};

/** `lock`: ends every session, and stops a headless agent (the app's follows the app). */
export const lock: Command = async (_args, _values, ctx) => {
  const ended = await endSessions(ctx.dataDir);
  const agent = await AgentClient.connect(ctx.dataDir).catch(() => null);
  let agentStopped = false;
  if (agent) {
    agentStopped = (await agent.call('lock')).stopped;
    await agent.close();
  }
  const agentNote = agent
    ? agentStopped
      ? ' The agent stopped.'
      : " The desktop app's agent follows the app's own lock."
    : '';
  ctx.print(`Ended ${ended} session${ended === 1 ? '' : 's'}.${agentNote}\n`, {
    sessionsEnded: ended,
    agentStopped,
  });
  return 0;
};

/** `passphrase`: sets or changes the passphrase; at least 8 characters. */
export const passphrase: Command = async (_args, values, ctx) => {
  let next: string;
  if (values.stdin) {
    next = await readStdin(ctx.io);
  } else {
    next = await promptHidden(ctx.io, 'New passphrase (at least 8 characters): ');
    if ((await promptHidden(ctx.io, 'Repeat the new passphrase: ')) !== next) {
      throw new TokendeckError('invalid_input', 'The passphrases do not match.');
    }
  }
  const service = await ctx.open();
  await service.setPassphrase({ passphrase: next });
  ctx.print('The passphrase is set.\n', { passphrase: 'set' });
  return 0;
};
