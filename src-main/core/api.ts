/**
 * The service's calls and events, as types: what the core offers to its callers.
 *
 * The IPC handlers, the CLI and the end-to-end harness call exactly these. The preload's contract
 * is built from this file and checks itself against it; nothing in the core depends on the
 * preload. Every call throws a `TokendeckError` on failure; the IPC wrapper
 * turns that into `{ ok: false, code, message }`.
 */
import type {
  CurlOptions,
  EnvVariable,
  HistoryEntry,
  RequestSpec,
  ResponseView,
  SaveRequestArgs,
  SavedRequest,
  SavedRequestSpec,
  SetEnvVariableArgs,
} from './console/types';
import type { ErrorCode } from './errors';
import type {
  NetworkDescription,
  NetworkSettings,
  NetworkSettingsInput,
} from './net/network-schema';
import type {
  AccountSummary,
  CopyFormat,
  GrantType,
  SignatureCheck,
  TokenInspection,
  TokenState,
} from './model';
import type { DiscoveryPreview } from './providers/discovery-preview';
import type { ProviderProfile, ProviderProfileInput } from './providers/profile';
import type { ProfileIssue } from './providers/validate';
import type { Settings, SettingsPatch } from './settings-schema';

export type { AccountSummary, GrantType, TokenState, ProviderProfile, ProviderProfileInput };
export type { CurlOptions, HistoryEntry, RequestSpec, ResponseView, ErrorCode };
export type { NetworkDescription, NetworkSettings, NetworkSettingsInput };

/**
 * What the user needs to finish a device authorization (RFC 8628 §3.2): where to go, the code
 * to enter there, and until when.
 */
export interface DeviceCodes {
  verificationUri: string;
  userCode: string;
  /** The URI with the code in it, when the server gives one (RFC 8628 §3.3.1). */
  verificationUriComplete?: string;
  /** Epoch ms when the code stops working. */
  expiresAt: number;
  /** Seconds between polls, as the server asked (5 when it did not say). */
  interval: number;
}
export type { EnvVariable, SaveRequestArgs, SavedRequest, SavedRequestSpec, SetEnvVariableArgs };
export type { CopyFormat, SignatureCheck, TokenInspection, DiscoveryPreview, ProfileIssue };
export type { Settings, SettingsPatch };

export interface PresetSummary {
  id: string;
  name: string;
  grant: GrantType;
  description: string;
  /** What the user must fill in: "a client id", "a client secret", "your domain", "an API key". */
  needs: string[];
}

export interface ProviderSummary {
  id: string;
  name: string;
  grant: GrantType;
  presetId?: string;
  issuer?: string;
  hasClientSecret: boolean;
  /** True when a `private_key_jwt` key is stored. */
  hasClientKey: boolean;
  registered: boolean;
  /** True when removing an account revokes its tokens (RFC 7009): a revocation endpoint is known. */
  revokes: boolean;
}

export interface VaultStatus {
  state: 'unlocked' | 'locked' | 'recovery' | 'needs-setup';
  /** The vault file, shown in recovery so the user knows what was kept. */
  path: string;
  slots: Array<'os-keychain' | 'passphrase'>;
  /** Set when the OS keychain is not real encryption (Linux basic_text) or is unavailable. */
  keychainWarning?: string;
  /** False when there is no OS keychain at all, so only a passphrase can protect the vault. */
  keychainAvailable?: boolean;
  /** Why the vault is in recovery, in plain words. */
  problem?: string;
  /**
   * Why the vault is in recovery, for the UI to choose what to offer: a changed keychain key may
   * be reset (the old file is kept); a corrupt or unreadable file is never reset (SECURITY 27).
   */
  recovery?: 'keychain-changed' | 'corrupt' | 'unreadable' | 'tampered';
  /**
   * The passphrase that unlocked the vault is shorter than 8 characters: it still works, and the
   * user is asked to choose a longer one.
   */
  passphraseTooShort?: boolean;
  /** Where a reset moved the previous vault file; it is kept for recovery. */
  setAside?: string;
}

/** The desktop app's agent, as set in Settings. */
export interface AgentSettings {
  /** Serve the vault to this user's terminals (`tokendeck token` without a passphrase). */
  enabled: boolean;
  /** Ask in the app before a new terminal gets tokens. */
  askOnNewTerminal: boolean;
}

export interface AppInfo {
  version: string;
  platform: string;
  dataDir: string;
}

export interface SaveProviderArgs {
  profile: ProviderProfileInput;
  /** A new client secret; omit to keep the stored one, null to delete it. */
  clientSecret?: string | null;
  /**
   * A new `private_key_jwt` key, the text of a PEM or JWK file; omit to keep the stored one,
   * null to delete it. It is sealed in the vault; the profile names it by its thumbprint.
   */
  clientKey?: string | null;
  /** Adding, not editing: refused with `conflict` when a provider with this id exists. */
  create?: boolean;
  /**
   * The user was told what the edit drops (see `previewProviderEdit`) and agreed. Without it, an
   * edit that drops stored secrets is refused with `confirmation_required` and changes nothing.
   */
  confirmDrops?: boolean;
}

/**
 * What saving a provider profile would drop (SECURITY 42), to tell the user before saving.
 *
 * An edit that changes where secrets go keeps none of the provider's stored secrets.
 */
export interface ProviderEditPreview {
  /** True when a provider with this id exists, so saving edits it. */
  exists: boolean;
  /** The changed fields that send secrets somewhere new: `endpoints.token`, `client.clientId`, …. */
  changed: string[];
  /** The accounts whose tokens are dropped; they connect again. */
  accountsToReconnect: Array<{ id: string; label: string }>;
  /** True when the stored client secret is dropped and must be entered again. */
  dropsClientSecret: boolean;
  /** True when the dynamic registration is dropped (a new one is made at the next connect). */
  dropsRegistration: boolean;
  /** One plain sentence for the user; empty when nothing is dropped. */
  message: string;
}

/** A provider profile as a file (`tokendeck provider export`): shared through git, no secrets. */
export interface ProviderFile {
  format: 'tokendeck-provider';
  version: 1;
  profile: ProviderProfileInput;
}

export interface ConnectArgs {
  providerId: string;
  /** For `api_key` providers: the pasted key. */
  apiKey?: string;
  /**
   * Reconnect this account (Reconnect in the app, `connect --account`). A sign-in that proves a
   * different subject than the account's is refused with `identity_mismatch`, and the account
   * keeps its tokens.
   */
  accountId?: string;
}

/** What removing an account did at the provider. */
export interface RemoveResult {
  /** True when the provider confirmed a revocation. */
  revoked: boolean;
  /** Why the revocation failed; the account is removed locally all the same. */
  revocationError?: string;
}

export interface FlowProgress {
  flowId: string;
  providerId: string;
  stage:
    | 'discovering'
    | 'registering'
    | 'waiting-for-browser'
    | 'waiting-for-user'
    | 'exchanging'
    | 'naming'
    | 'done'
    | 'failed';
  message?: string;
  /** With `waiting-for-user` (the device grant): where to go, the code to enter, until when. */
  device?: DeviceCodes;
  /** While waiting for the browser: the sign-in URL, to show and to copy for another browser. */
  authorizationUrl?: string;
}

/**
 * What "Add from API URL" found (RFC 9728): a profile ready to review and save, and each step.
 */
export interface ApiDiscovery {
  /**
   * The profile, not yet checked: issuer, dynamic registration when the server offers it (else a
   * client id is still to be given), the API base, and the `resource` parameter (RFC 8707).
   */
  profile: ProviderProfileInput;
  /** The protected resource metadata's `resource`, equal to the API URL. */
  resource: string;
  /** The authorization servers it names; the profile uses the first. */
  authorizationServers: string[];
  /** Where the metadata was found: the 401's `resource_metadata`, or the well-known URL. */
  metadataUrl: string;
  /** False when the server offers no dynamic registration: a client id must be given. */
  canRegister: boolean;
  /** True when the resource metadata or the server lists DPoP algorithms. */
  dpopSupported: boolean;
}

export interface ExchangeArgs {
  /** The account whose token is traded (the parent). */
  accountId: string;
  /** RFC 8693 §2.1 `audience`: the service the new token is for. */
  audience: string;
  scopes?: string[];
  /** RFC 8707 `resource`, sent with the exchange when given. */
  resource?: string;
}

/** The data folder's network settings, and what applies now. */
export interface NetworkView {
  settings: NetworkSettings;
  effective: NetworkDescription;
}

export interface ValidateProviderArgs {
  /** The form's profile as typed so far; anything may be missing or wrong. */
  profile: Record<string, unknown>;
  /** True when adding: an id that is already taken is then an issue. */
  isNew?: boolean;
}

export interface CopyTokenArgs {
  accountId: string;
  /** What to copy: the token (default), the header line, or a curl command that fetches it. */
  format?: CopyFormat;
}

export interface CopyResult {
  expiresAt: number | null;
  /** Seconds until the clipboard is cleared; null when it is not (a curl command, or never). */
  clearsAfterSeconds: number | null;
}

/** Every call: argument and result. A call with no argument takes `void`. */
export interface ApiCalls {
  getAppInfo: { arg: void; result: AppInfo };
  getVaultStatus: { arg: void; result: VaultStatus };
  listPresets: { arg: void; result: PresetSummary[] };
  getPreset: { arg: { id: string }; result: ProviderProfile };
  listProviders: { arg: void; result: ProviderSummary[] };
  getProvider: { arg: { id: string }; result: ProviderProfile };
  saveProvider: { arg: SaveProviderArgs; result: ProviderSummary };
  /** What saving this profile would drop; nothing is saved. */
  previewProviderEdit: {
    arg: { profile: ProviderProfileInput; withNewSecret?: boolean };
    result: ProviderEditPreview;
  };
  /** The provider as a file, without secrets. */
  exportProvider: { arg: { id: string }; result: ProviderFile };
  /** Reads a provider file (or a bare profile) and checks it with the profile schema; saves nothing. */
  parseProviderFile: { arg: { text: string }; result: ProviderProfile };
  removeProvider: { arg: { id: string }; result: void };
  /**
   * Finds how to connect to an API from its URL alone (RFC 9728, then RFC 8414 / OIDC); saves
   * nothing. Each failing step is named in plain words.
   */
  discoverFromApi: { arg: { url: string; id: string }; result: ApiDiscovery };
  listAccounts: { arg: void; result: AccountSummary[] };
  connectAccount: { arg: ConnectArgs; result: { accountId: string } };
  cancelConnect: { arg: { providerId: string }; result: void };
  /** Copies the sign-in link of the flow waiting for the browser, or the device code (no token). */
  copyFlowLink: { arg: { providerId: string }; result: void };
  renewAccount: { arg: { accountId: string }; result: AccountSummary };
  /** Revokes where possible and deletes the account, and every account exchanged from it. */
  removeAccount: { arg: { accountId: string }; result: RemoveResult };
  /**
   * Trades the account's token for one for another audience (RFC 8693), stored as a child
   * account that renews by exchanging again. Exchanging again for the same audience, scopes and
   * resource refreshes that child.
   */
  exchangeToken: { arg: ExchangeArgs; result: { accountId: string } };
  /** Gives the account the user's label; a later "who am I" answer keeps it. */
  renameAccount: { arg: { accountId: string; label: string }; result: AccountSummary };
  /** Merges `otherId` into `keepId` (possible duplicates); the newer tokens win. */
  mergeAccounts: { arg: { keepId: string; otherId: string }; result: AccountSummary };
  /** Makes the account its provider's default, so the provider's name means it. */
  setDefaultAccount: { arg: { accountId: string }; result: AccountSummary };
  copyToken: { arg: CopyTokenArgs; result: CopyResult };
  /** The token, shown after the user pressed Reveal, and what it says about itself. */
  revealToken: {
    arg: { accountId: string };
    result: { token: string; inspection: TokenInspection };
  };
  sendRequest: { arg: RequestSpec & { requestId: string }; result: ResponseView };
  cancelRequest: { arg: { requestId: string }; result: void };
  listHistory: { arg: { accountId: string }; result: HistoryEntry[] };
  clearHistory: { arg: { accountId: string }; result: void };
  introspectGraphql: {
    arg: { accountId: string; refresh?: boolean };
    result: { schema: unknown; fetchedAt: number };
  };
  /**
   * "Copy as curl". With `copy`, main also writes the command to the clipboard; a command with an
   * inlined token is then concealed and cleared like a copied token, logged, and the result holds
   * the `$(tokendeck token …)` form, so the token never reaches the caller.
   */
  exportCurl: {
    arg: { spec: RequestSpec; options?: CurlOptions; copy?: boolean };
    result: { command: string };
  };
  /** The provider's saved requests, by name. */
  listSavedRequests: { arg: { providerId: string }; result: SavedRequest[] };
  /** Saves a request by name; a taken name is `conflict` unless `overwrite` is set. */
  saveRequest: { arg: SaveRequestArgs; result: SavedRequest };
  /** Renames a saved request; `not_found` when there is none, `conflict` when `newName` is taken. */
  renameSavedRequest: {
    arg: { providerId: string; name: string; newName: string };
    result: SavedRequest;
  };
  /** Deletes a saved request; `not_found` when there is none. */
  deleteSavedRequest: { arg: { providerId: string; name: string }; result: void };
  /** The provider's environment, by name; secret values are never returned. */
  listEnvVariables: { arg: { providerId: string }; result: EnvVariable[] };
  /** Sets (adds or replaces) one variable of the provider's environment. */
  setEnvVariable: { arg: SetEnvVariableArgs; result: EnvVariable };
  /** Removes one variable; `not_found` when there is none. */
  unsetEnvVariable: { arg: { providerId: string; name: string }; result: void };
  setPassphrase: { arg: { passphrase: string }; result: VaultStatus };
  removePassphrase: { arg: void; result: VaultStatus };
  unlockWithPassphrase: { arg: { passphrase: string }; result: VaultStatus };
  allowInsecureKeychain: { arg: { confirm: true }; result: VaultStatus };
  /**
   * Starts over with an empty vault when the keychain key changed or the passphrase is lost.
   * The old file is moved aside (never deleted), and its new name is reported in the status.
   */
  resetVault: { arg: { confirm: true }; result: VaultStatus };
  /** The proxy and extra certificate authority of this data folder, and what applies now. */
  getNetworkSettings: { arg: void; result: NetworkView };
  setNetworkSettings: { arg: NetworkSettingsInput; result: NetworkView };
  getAgentSettings: { arg: void; result: AgentSettings };
  setAgentSettings: { arg: AgentSettings; result: AgentSettings };
  /** The app's preferences (copy minimum TTL, clipboard clear delay, theme, open at login). */
  getSettings: { arg: void; result: Settings };
  saveSettings: { arg: SettingsPatch; result: Settings };
  /** Every problem with a profile being edited, per field, from the core's one schema. */
  validateProvider: { arg: ValidateProviderArgs; result: { issues: ProfileIssue[] } };
  /** Discovery (RFC 8414, then OIDC) for the form: endpoints and what the server supports. */
  discoverProvider: { arg: { issuer: string }; result: DiscoveryPreview };
}

export type ApiMethod = keyof ApiCalls;

/** Every event the service pushes, with its payload. */
export interface ApiEvents {
  accountChanged: AccountSummary;
  accountRemoved: { accountId: string };
  flowProgress: FlowProgress;
  vaultStatusChanged: VaultStatus;
  /** The preferences after a save, for the desktop shell (theme, open at login). */
  settingsChanged: Settings;
  agentSettingsChanged: AgentSettings;
}

export type ApiEvent = keyof ApiEvents;

/** The service's public surface: one async function per call. */
export type ServiceCalls = {
  [M in ApiMethod]: (arg: ApiCalls[M]['arg']) => Promise<ApiCalls[M]['result']>;
};

/** Subscribes to one event; returns the unsubscribe function. */
export interface ServiceEventSource {
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
