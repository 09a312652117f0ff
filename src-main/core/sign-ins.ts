import { TokendeckError } from './errors';
import type { AccountIdentity } from './flows';
import type { AccountNaming, StoredAccount, TokenSet } from './model';
import type { ProviderProfile } from './providers';
import {
  accountsOf,
  deleteAccount,
  findAccount,
  newAccountId,
  putAccount,
  readAccount,
  readProvider,
  readTokens,
  writeTokens,
} from './records';
import type { VaultTransaction } from './vault';

/**
 * Where a sign-in's tokens end up: one account per proven subject (SECURITY 41, 43).
 *
 * A connect stores the provider's answer first, as a new account ({@link storeSignIn}), so that
 * nothing that can fail afterwards (the "who am I" call, a crash) loses it. Once the provider has
 * said who signed in, {@link settleSignIn} moves the tokens into the account they belong to:
 *
 * - a reconnect of a chosen account takes them, unless the sign-in proves a different subject
 *   than the account's (`identity_mismatch`; the old tokens are kept);
 * - otherwise an account of the provider with the same proven subject takes them;
 * - otherwise the new account stays, named by the answer or "<provider> account N".
 *
 * Without proof a sign-in never joins another account, and proof that arrives later (a "who am
 * I" that failed at first) never merges by itself: the accounts are shown as possible duplicates.
 * Each function runs inside one locked vault update, so every check sees what it writes.
 */

/** Stores a sign-in's tokens as a new, not yet identified account; returns it. */
export function storeSignIn(
  tx: VaultTransaction,
  profile: ProviderProfile,
  tokens: TokenSet,
  now: number,
): StoredAccount {
  liveProvider(tx, profile.id);
  const siblings = accountsOf(tx, profile.id);
  const account: StoredAccount = {
    id: newAccountId(profile.id, (id) => findAccount(tx, id) !== undefined),
    providerId: profile.id,
    subject: null,
    label: genericLabel(profile.name, siblings),
    grant: profile.grant,
    ...tokenFields(tokens),
    createdAt: now,
    updatedAt: now,
  };
  putAccount(tx, account);
  writeTokens(tx, account.id, tokens);
  return account;
}

export interface Settlement {
  /** The account {@link storeSignIn} made. */
  storedId: string;
  identity: AccountIdentity;
  /** The account the user chose to reconnect. */
  chosenId?: string;
  /** Why the account is still unnamed, when the "who am I" call failed. */
  naming?: AccountNaming;
  now: number;
}

/**
 * Moves a stored sign-in into the account it belongs to, and returns that account's id; or, when
 * it proves another subject than the chosen account's, deletes it and returns the refusal (the
 * caller throws it once the deletion is written).
 */
export function settleSignIn(
  tx: VaultTransaction,
  settlement: Settlement,
): { accountId: string } | { refused: TokendeckError } {
  const { storedId, identity, chosenId, naming, now } = settlement;
  const stored = readAccount(tx, storedId);
  let target: StoredAccount | undefined;
  if (chosenId) {
    // A chosen account removed meanwhile: the sign-in stays a new account, never thrown away.
    target = findAccount(tx, chosenId);
    if (
      target?.subject != null &&
      identity.subject !== null &&
      identity.subject !== target.subject
    ) {
      deleteAccount(tx, storedId);
      return {
        refused: mismatch(
          target,
          'This sign-in is another account than the one chosen to reconnect',
        ),
      };
    }
  } else {
    target = sameSubject(tx, stored, identity);
  }
  const into = target ?? stored;
  const named: StoredAccount = {
    ...into,
    ...(target ? pickTokenFields(stored) : {}),
    subject: into.subject ?? identity.subject,
    label: into.labelByUser || !identity.label ? into.label : identity.label,
    updatedAt: now,
  };
  const identifiedBy = into.subject !== null ? into.identifiedBy : identity.identifiedBy;
  if (identifiedBy) named.identifiedBy = identifiedBy;
  else delete named.identifiedBy;
  if (naming) named.naming = naming;
  else delete named.naming;
  delete named.reauthReason;
  if (target) {
    writeTokens(tx, target.id, readTokens(tx, storedId));
    deleteAccount(tx, storedId);
  }
  putAccount(tx, named);
  return { accountId: named.id };
}

/**
 * Names an account once a later "who am I" call succeeds.
 *
 * The label follows the answer unless the user renamed the account. A subject found now is kept
 * but never merges the account with another; a subject that differs from the one the account
 * already has is refused.
 */
export function nameLater(
  tx: VaultTransaction,
  accountId: string,
  identity: AccountIdentity,
  now: number,
): StoredAccount {
  const account = readAccount(tx, accountId);
  if (
    account.subject !== null &&
    identity.subject !== null &&
    identity.subject !== account.subject
  ) {
    throw mismatch(account, 'The provider now names a different subject for this account');
  }
  const named: StoredAccount = { ...account, updatedAt: now };
  delete named.naming;
  if (account.subject === null && identity.subject !== null) {
    named.subject = identity.subject;
    if (identity.identifiedBy) named.identifiedBy = identity.identifiedBy;
  }
  if (!account.labelByUser && identity.label) named.label = identity.label;
  putAccount(tx, named);
  return named;
}

/** The account-level fields a token set fills in. */
export function tokenFields(tokens: TokenSet) {
  return {
    tokenType: tokens.tokenType,
    scopes: [...tokens.scopes],
    expiresAt: tokens.expiresAt,
    receivedAt: tokens.receivedAt,
    hasRefreshToken: Boolean(tokens.refreshToken),
  };
}

function pickTokenFields(account: StoredAccount) {
  const { tokenType, scopes, expiresAt, receivedAt, hasRefreshToken } = account;
  return { tokenType, scopes, expiresAt, receivedAt, hasRefreshToken };
}

/** "Acme account 3": the first number no account of the provider uses yet. */
function genericLabel(providerName: string, siblings: StoredAccount[]): string {
  const used = new Set(siblings.map((account) => account.label));
  for (let n = 1; ; n++) {
    const label = `${providerName} account ${n}`;
    if (!used.has(label)) return label;
  }
}

/**
 * The provider, which must still exist: a provider removed while its connect ran fails the
 * connect clearly. (Once the sign-in is stored, the provider has an account and cannot be removed.)
 */
function liveProvider(tx: VaultTransaction, providerId: string): void {
  try {
    readProvider(tx, providerId);
  } catch (error) {
    throw new TokendeckError(
      'conflict',
      `Provider "${providerId}" was removed while connecting; nothing was stored.`,
      { cause: error, details: { providerId } },
    );
  }
}

function sameSubject(
  tx: VaultTransaction,
  stored: StoredAccount,
  identity: AccountIdentity,
): StoredAccount | undefined {
  if (identity.subject === null) return undefined;
  return accountsOf(tx, stored.providerId)
    .filter((account) => account.id !== stored.id && account.subject === identity.subject)
    .sort((a, b) => a.createdAt - b.createdAt)[0];
}

function mismatch(account: StoredAccount, what: string): TokendeckError {
  return new TokendeckError(
    'identity_mismatch',
    `${what} (${account.label}, identified by ${account.identifiedBy ?? 'its subject'}); its tokens were kept.`,
    { details: { accountId: account.id } },
  );
}
