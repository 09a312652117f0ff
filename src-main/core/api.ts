/**
 * The service's calls and events, as types: what the core offers to its callers.
 *
 * The IPC handlers, the CLI and the end-to-end harness call exactly these. The preload's contract
 * (`src-preload/contract.ts`) is built from this file and checks itself against it; the core
 * never imports the preload. Every call throws a `TokendeckError` on failure; the IPC wrapper
 * turns that into `{ ok: false, code, message }`.
 */
import type { CurlOptions, HistoryEntry, RequestSpec, ResponseView } from './console/types';
import type { ErrorCode } from './errors';
import type { AccountSummary, GrantType, TokenState } from './model';
import type { ProviderProfile, ProviderProfileInput } from './providers/profile';

export type { AccountSummary, GrantType, TokenState, ProviderProfile, ProviderProfileInput };
export type { CurlOptions, HistoryEntry, RequestSpec, ResponseView, ErrorCode };

export interface PresetSummary {
  id: string;
  name: string;
  grant: GrantType;
  description: string;
}

export interface ProviderSummary {
  id: string;
  name: string;
  grant: GrantType;
  presetId?: string;
  issuer?: string;
  hasClientSecret: boolean;
  registered: boolean;
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
  recovery?: 'keychain-changed' | 'corrupt' | 'unreadable';
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
}

export interface ConnectArgs {
  providerId: string;
  /** For `api_key` providers: the pasted key. */
  apiKey?: string;
}

export interface FlowProgress {
  flowId: string;
  providerId: string;
  stage:
    | 'discovering'
    | 'registering'
    | 'waiting-for-browser'
    | 'exchanging'
    | 'naming'
    | 'done'
    | 'failed';
  message?: string;
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
  removeProvider: { arg: { id: string }; result: void };
  listAccounts: { arg: void; result: AccountSummary[] };
  connectAccount: { arg: ConnectArgs; result: { accountId: string } };
  cancelConnect: { arg: { providerId: string }; result: void };
  renewAccount: { arg: { accountId: string }; result: AccountSummary };
  removeAccount: { arg: { accountId: string }; result: { revoked: boolean } };
  copyToken: { arg: { accountId: string }; result: { expiresAt: number | null } };
  revealToken: { arg: { accountId: string }; result: { token: string } };
  sendRequest: { arg: RequestSpec & { requestId: string }; result: ResponseView };
  cancelRequest: { arg: { requestId: string }; result: void };
  listHistory: { arg: { accountId: string }; result: HistoryEntry[] };
  clearHistory: { arg: { accountId: string }; result: void };
  introspectGraphql: {
    arg: { accountId: string; refresh?: boolean };
    result: { schema: unknown; fetchedAt: number };
  };
  exportCurl: { arg: { spec: RequestSpec; options?: CurlOptions }; result: { command: string } };
  setPassphrase: { arg: { passphrase: string }; result: VaultStatus };
  removePassphrase: { arg: void; result: VaultStatus };
  unlockWithPassphrase: { arg: { passphrase: string }; result: VaultStatus };
  allowInsecureKeychain: { arg: { confirm: true }; result: VaultStatus };
  /**
   * Starts over with an empty vault when the keychain key changed or the passphrase is lost.
   * The old file is moved aside (never deleted), and its new name is reported in the status.
   */
  resetVault: { arg: { confirm: true }; result: VaultStatus };
  getAgentSettings: { arg: void; result: AgentSettings };
  setAgentSettings: { arg: AgentSettings; result: AgentSettings };
}

export type ApiMethod = keyof ApiCalls;

/** Every event the service pushes, with its payload. */
export interface ApiEvents {
  accountChanged: AccountSummary;
  accountRemoved: { accountId: string };
  flowProgress: FlowProgress;
  vaultStatusChanged: VaultStatus;
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
