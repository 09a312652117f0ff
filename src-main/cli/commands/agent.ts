import { startAgent, createLogger } from '../../core';
import { join } from 'node:path';
import { clean } from '../output';
import type { Command } from './context';

/**
 * `agent`: serves the vault to this user's terminals until stopped, for SSH boxes and CI runners.
 *
 * It unlocks once (a session or the passphrase), then `token`, `request`, `graphql`, `accounts`
 * and `renew` go through it with no passphrase, sharing one renewal per account. It stops on
 * `tokendeck lock`, SIGINT or SIGTERM.
 */
export const agent: Command = async (_args, _values, ctx) => {
  const service = await ctx.open();
  const running = await startAgent({
    dataDir: ctx.dataDir,
    service,
    mode: 'headless',
    logger: createLogger({ file: join(ctx.dataDir, 'logs', 'agent.log') }),
    onLock: () => stop(),
  });
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ctx.io.stderr.write(
    `Agent ${process.pid} is serving ${clean(ctx.dataDir)}. Stop it with: tokendeck lock\n`,
  );
  await stopped;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await running.close();
  ctx.io.stderr.write('Agent stopped.\n');
  return 0;
};
