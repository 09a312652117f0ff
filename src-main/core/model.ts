/**
 * Domain types shared by the engine, the service, the CLI and (through the contract) the UI.
 *
 * Nothing here holds a secret except {@link TokenSet} and {@link StoredTokens}, which never leave
 * the main process except through an explicit reveal or copy.
 */

/**
 * The states of an account's token.
 *
 * `expired` cannot be renewed without the user; `needs-reauth` was refused by the provider;
 * `error` is a transient failure that is being retried.
 */
export const TOKEN_STATES = [
  'fresh',
  'expiring',
  'refreshing',
  'expired',
  'needs-reauth',
  'error',
  'no-expiry',
] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

/**
 * What Copy puts on the clipboard: the token, its header line, or a curl command that fetches it
 * when it runs (and so holds no token).
 */
export const COPY_FORMATS = ['token', 'header', 'curl'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

/**
 * How a provider's accounts are connected: the authorization code grant in the system browser,
 * the device authorization grant (RFC 8628) for machines without a local browser, the client
 * credentials grant, or an API key the user pastes.
 */
export const GRANT_TYPES = [
  'authorization_code',
  'device_code',
  'client_credentials',
  'api_key',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** What a token endpoint (or a pasted API key) gave us, normalised. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** As sent by the server, or the profile's assumed type when the server omits it. */
  tokenType: string;
  /** Epoch milliseconds, computed from the local receive time; null when the token never expires. */
  expiresAt: number | null;
  /** Epoch milliseconds when the response was received. */
  receivedAt: number;
  /** Granted scopes, when the server said; else the requested ones. */
  scopes: string[];
  /** The private key (JWK) the tokens are bound to by DPoP (RFC 9449); it proves each use. */
  dpopKey?: PrivateJwk;
}

/** A private key as a JSON Web Key (RFC 7517), with its public part. Secret. */
export type PrivateJwk = Record<string, string>;

/** The secret part of an account, stored encrypted in the vault as one record. */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** The DPoP key the tokens are bound to, sealed with them so app, CLI and agent share it. */
  dpopKey?: PrivateJwk;
}

/**
 * Where a token-exchange child (RFC 8693) came from: its parent account and what was asked.
 *
 * The child renews by exchanging the parent's fresh token again.
 */
export interface ExchangeOrigin {
  parentId: string;
  audience: string;
  /** The scopes asked for; empty for the server's default. */
  scopes: string[];
  /** RFC 8707 resource, when one was asked for. */
  resource?: string;
}

/** The non-secret part of an account, stored readable in the vault. */
export interface StoredAccount {
  id: string;
  providerId: string;
  /**
   * The subject the provider proved: `sub`, a user id, a company id, the client id, or an API
   * key's hash. Null when the provider proved nothing; such an account never merges with another.
   */
  subject: string | null;
  /** What proved the subject: a field name (`sub`, `id`, `email`), `ID token`, `client id`, …. */
  identifiedBy?: string;
  label: string;
  /** True once the user renamed the account; a later "who am I" answer then keeps the label. */
  labelByUser?: boolean;
  /** Set while the "who am I" call has not named the account yet (it failed); cleared once it has. */
  naming?: AccountNaming;
  grant: GrantType;
  tokenType: string;
  scopes: string[];
  expiresAt: number | null;
  receivedAt: number;
  hasRefreshToken: boolean;
  createdAt: number;
  updatedAt: number;
  /** Set when renewal was refused (invalid_grant, revoked client) or the record cannot be read. */
  reauthReason?: string;
  /** Set on a token-exchange child: renewal exchanges its parent's token again. */
  exchange?: ExchangeOrigin;
}

/** Why an account is still unnamed, and when naming it is tried again. */
export interface AccountNaming {
  /** One plain sentence: "Could not name this account: HTTP 429, retry after 30 s." */
  problem: string;
  /** Epoch ms before which the "who am I" call is not tried again; null for the next use. */
  retryAt: number | null;
}

/** The live status of an account, as the lifecycle computes it. */
export interface AccountStatus {
  state: TokenState;
  /** One plain sentence for the user: why the account is in this state. */
  reason: string;
  /** Epoch ms of the next planned renewal, if one is scheduled. */
  nextRenewalAt?: number | null;
  /** Epoch ms of the next retry after a transient failure. */
  retryAt?: number | null;
}

/** What the renderer and `tokendeck accounts` see of an account. Never a token. */
export interface AccountSummary {
  id: string;
  providerId: string;
  providerName: string;
  label: string;
  /** The subject the provider proved; null when it proved none. */
  subject: string | null;
  /** What proved the subject ("sub", "email", "client id", …), so the app can say "identified by email". */
  identifiedBy: string | null;
  grant: GrantType;
  scopes: string[];
  expiresAt: number | null;
  /** When the current token was received (connect or last renewal), epoch ms. */
  receivedAt: number;
  status: AccountStatus;
  /** True when this is its provider's default account (`tokendeck default`). */
  isDefault: boolean;
  /** Other accounts of the same provider with the same proven subject: the user may merge them. */
  possibleDuplicates: string[];
  /** Why the account is still unnamed ("Could not name this account: HTTP 429…"). */
  namingProblem?: string;
  /** True when the token is DPoP-bound (RFC 9449): useless without a fresh proof per request. */
  dpopBound?: boolean;
  /** For a token-exchange child: the account it was exchanged from, and the audience. */
  exchangedFrom?: { accountId: string; audience: string };
}

/** Plain JSON values: readable vault metadata, a JWT's header and claims. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Whether a JWT's signature matched the provider's published keys. */
export type SignatureCheck =
  | { state: 'valid'; alg: string; keyId?: string }
  | { state: 'invalid'; reason: string }
  | { state: 'unchecked'; reason: string };

export type TokenInspection =
  | { kind: 'opaque' }
  | {
      kind: 'jwt';
      header: Record<string, JsonValue>;
      claims: Record<string, JsonValue>;
      signature: SignatureCheck;
    };
