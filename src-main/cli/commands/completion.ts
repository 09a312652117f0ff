import { ACCOUNTS, PROVIDERS, readableIds } from '../../core';
import { COMMAND_SPECS, GLOBAL_FLAGS, single, usageError } from '../args';
import { completionScript, SHELLS, type Shell } from '../completion-scripts';
import { clean } from '../output';
import type { Command } from './context';

/** `completion bash|zsh|fish`, and the hidden `__complete` the scripts call for names. */

export const completion: Command = async (args, _values, ctx) => {
  const shell = single(args, 'shell (bash, zsh or fish)', 'completion');
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw usageError(`Completion is for ${SHELLS.join(', ')}; not "${shell}".`);
  }
  ctx.io.stdout.write(completionScript(shell as Shell));
  return 0;
};

/**
 * `__complete commands|flags CMD|providers|accounts`: one word a line.
 *
 * Provider names and account ids come from the vault's readable metadata, without unlocking.
 */
export const complete: Command = async (args, _values, ctx) => {
  const [what, ...rest] = args;
  let words: string[] = [];
  if (what === 'commands') {
    words = [...new Set(Object.keys(COMMAND_SPECS).map((name) => name.split(' ')[0]!))];
  } else if (what === 'flags') {
    const spec = (COMMAND_SPECS as Record<string, { flags: object }>)[rest.join(' ')];
    words = Object.keys({ ...GLOBAL_FLAGS, ...(spec?.flags ?? {}) }).map((flag) => `--${flag}`);
  } else if (what === 'providers') {
    words = await readableIds(ctx.dataDir, PROVIDERS);
  } else if (what === 'accounts') {
    words = await readableIds(ctx.dataDir, ACCOUNTS);
  }
  // Ids read from the vault file unauthenticated (no key here): one clean line each.
  ctx.io.stdout.write(words.map((word) => `${clean(word)}\n`).join(''));
  return 0;
};
