import { TokendeckError } from './errors';
import type { StoredAccount } from './model';
import { listAccounts, listProviders, type StoredProvider } from './records';
import type { VaultReader } from './vault';

/**
 * Resolves what a user typed to name an account, in this order:
 *
 * 1. an exact account id;
 * 2. a provider id: its default account, or its only one; two or more without a default is a
 *    usage error (`invalid_input`, reason `ambiguous`) that lists the candidates. Token-exchange
 *    children (RFC 8693) do not count while the provider has a signed-in account: `exchange shop
 *    …` run twice must still mean the account signed in to shop;
 * 3. a label, only when exactly one account has it and it names no provider (two with it are
 *    the same usage error).
 *
 * Labels come from servers, so a label never wins over a provider id: a provider whose userinfo
 * says `name: "github"` cannot take `tokendeck token github` from the GitHub provider.
 */
export function resolveAccount(view: VaultReader, reference: string): StoredAccount {
  const accounts = listAccounts(view);
  const exact = accounts.find((account) => account.id === reference);
  if (exact) return exact;
  const provider = listProviders(view).find((p) => p.profile.id === reference);
  if (provider) return providerAccount(provider, accounts);
  const labelled = accounts.filter((account) => account.label === reference);
  if (labelled.length === 1) return labelled[0]!;
  if (labelled.length > 1) {
    throw new TokendeckError(
      'invalid_input',
      `"${reference}" is the label of ${labelled.length} accounts: ${candidates(labelled)}. Name one by its id.`,
      { details: { reference, reason: 'ambiguous' } },
    );
  }
  throw new TokendeckError('not_found', `No account "${reference}".`, { details: { reference } });
}

function providerAccount(provider: StoredProvider, all: StoredAccount[]): StoredAccount {
  const id = provider.profile.id;
  const mine = all.filter((account) => account.providerId === id);
  const signedIn = mine.filter((account) => !account.exchange);
  const accounts = signedIn.length > 0 ? signedIn : mine;
  const preferred = mine.find((account) => account.id === provider.defaultAccount);
  if (preferred) return preferred;
  if (accounts.length === 1) return accounts[0]!;
  if (accounts.length === 0) {
    throw new TokendeckError('not_found', `Provider "${id}" has no account yet.`, {
      details: { providerId: id },
    });
  }
  throw new TokendeckError(
    'invalid_input',
    `Provider "${id}" has ${accounts.length} accounts and no default: ${candidates(accounts)}. Name one by its id, or make one the default.`,
    { details: { providerId: id, reason: 'ambiguous' } },
  );
}

function candidates(accounts: StoredAccount[]): string {
  return accounts.map((account) => `${account.id} (${account.label})`).join(', ');
}
