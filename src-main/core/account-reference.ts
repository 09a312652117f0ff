import { TokendeckError } from './errors';
import type { StoredAccount } from './model';

/**
 * The account a reference names: its id, else its label, else its provider when that provider
 * has exactly one account. Two matches are a `conflict` that lists them; none is `not_found`.
 */
export function findByReference(accounts: StoredAccount[], reference: string): StoredAccount {
  const exact = accounts.find((account) => account.id === reference);
  if (exact) return exact;
  for (const matches of [
    accounts.filter((account) => account.label === reference),
    accounts.filter((account) => account.providerId === reference),
  ]) {
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new TokendeckError(
        'conflict',
        `"${reference}" matches ${matches.length} accounts: ${matches.map((a) => a.id).join(', ')}. Use an account id.`,
      );
    }
  }
  throw new TokendeckError('not_found', `No account "${reference}". See: tokendeck accounts`);
}
