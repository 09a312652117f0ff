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
  recovery?: 'keychain-changed' | 'corrupt' | 'unreadable';
  /** Where a reset moved the previous vault file; it is kept for recovery. */
  setAside?: string;
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
  /** While waiting for the browser: the sign-in URL, to show and to copy for another browser. */
  authorizationUrl?: string;
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
  removeProvider: { arg: { id: string }; result: void };
  listAccounts: { arg: void; result: AccountSummary[] };
  connectAccount: { arg: ConnectArgs; result: { accountId: string } };
  cancelConnect: { arg: { providerId: string }; result: void };
  /** Copies the sign-in link of the flow waiting for the browser (no token in it). */
  copyFlowLink: { arg: { providerId: string }; result: void };
  renewAccount: { arg: { accountId: string }; result: AccountSummary };
  removeAccount: { arg: { accountId: string }; result: { revoked: boolean } };
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
