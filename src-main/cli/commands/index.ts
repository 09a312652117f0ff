import type { CommandName } from '../args';
import type { Command } from './context';

export type { Command, CommandContext } from './context';

/**
 * Every command of the grammar, and where its code is: one file per group, loaded only when its
 * command runs, so `tokendeck token` does not pay for `provider add`.
 */
export const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  presets: () => import('./providers').then((m) => m.presets),
  providers: () => import('./providers').then((m) => m.providers),
  'provider add': () => import('./providers').then((m) => m.providerAdd),
  'provider export': () => import('./providers').then((m) => m.providerExport),
  'provider remove': () => import('./providers').then((m) => m.providerRemove),
  connect: () => import('./accounts').then((m) => m.connect),
  exchange: () => import('./exchange').then((m) => m.exchange),
  network: () => import('./network').then((m) => m.network),
  passphrase: () => import('./vault').then((m) => m.passphrase),
  accounts: () => import('./accounts').then((m) => m.accounts),
  token: () => import('./tokens').then((m) => m.token),
  renew: () => import('./tokens').then((m) => m.renew),
  rename: () => import('./account-edits').then((m) => m.rename),
  merge: () => import('./account-edits').then((m) => m.merge),
  default: () => import('./account-edits').then((m) => m.makeDefault),
  remove: () => import('./accounts').then((m) => m.remove),
  request: () => import('./requests').then((m) => m.request),
  graphql: () => import('./requests').then((m) => m.graphql),
  'env list': () => import('./library').then((m) => m.envList),
  'env set': () => import('./library').then((m) => m.envSet),
  'env unset': () => import('./library').then((m) => m.envUnset),
  'saved list': () => import('./library').then((m) => m.savedList),
  'saved delete': () => import('./library').then((m) => m.savedDelete),
  status: () => import('./status').then((m) => m.status),
  unlock: () => import('./vault').then((m) => m.unlock),
  lock: () => import('./vault').then((m) => m.lock),
  agent: () => import('./agent').then((m) => m.agent),
  completion: () => import('./completion').then((m) => m.completion),
  __complete: () => import('./completion').then((m) => m.complete),
  help: () => Promise.reject(new Error('help is answered before commands load')),
};
