import type { CommandName } from '../args';
import { accounts, connect, remove } from './accounts';
import type { Command } from './context';
import { merge, makeDefault, rename } from './account-edits';
import { exchange } from './exchange';
import { network } from './network';
import { presets, providerAdd, providerExport, providerRemove, providers } from './providers';
import { graphql, request } from './requests';
import { token } from './tokens';

export type { Command, CommandContext } from './context';

/** Every command of the grammar, and what runs it; one file per group. */
export const COMMANDS: Record<CommandName, Command> = {
  presets,
  providers,
  'provider add': providerAdd,
  'provider export': providerExport,
  'provider remove': providerRemove,
  connect,
  exchange,
  accounts,
  token,
  rename,
  merge,
  default: makeDefault,
  remove,
  request,
  graphql,
  network,
};
