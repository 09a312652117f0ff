/**
 * The one contract between the renderer and the main process.
 *
 * Every call is named here with its argument and result types, and every event with its
 * payload. The preload exposes exactly {@link CONTRACT_METHODS} as `window.tokendeck`; main
 * registers one handler per method through the typed wrapper, which checks the sender and
 * validates the argument against a schema before the service sees it.
 *
 * Calls resolve to {@link IpcResult}: they never reject across IPC.
 */
import type {
  AccountSummary,
  CopyFormat,
  GrantType,
  SignatureCheck,
  TokenInspection,
  TokenState,
} from '../src-main/core/model';
import type { ProviderProfileInput, ProviderProfile } from '../src-main/core/providers/profile';
import type {
  CurlOptions,
  HistoryEntry,
  RequestSpec,
  ResponseView,
} from '../src-main/core/console/types';
import type { ErrorCode } from '../src-main/core/errors';
import type { Settings, SettingsPatch } from '../src-main/core/settings-schema';
import type { DiscoveryPreview } from '../src-main/core/providers/discovery-preview';
import type { ProfileIssue } from '../src-main/core/providers/validate';

export type { AccountSummary, GrantType, TokenState, ProviderProfile, ProviderProfileInput };
export type { CurlOptions, HistoryEntry, RequestSpec, ResponseView, ErrorCode };
export type { CopyFormat, Settings, SettingsPatch, DiscoveryPreview, ProfileIssue };
export type { SignatureCheck, TokenInspection };

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

export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

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

/** Every call: argument and result. A call with no argument takes `void`. */
export interface ContractCalls {
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
  /** The app's preferences (copy minimum TTL, clipboard clear delay, theme). */
  getSettings: { arg: void; result: Settings };
  /** Every problem with a profile being edited, per field, from the core's one schema. */
  validateProvider: { arg: ValidateProviderArgs; result: { issues: ProfileIssue[] } };
  /** Discovery (RFC 8414, then OIDC) for the form: endpoints and what the server supports. */
  discoverProvider: { arg: { issuer: string }; result: DiscoveryPreview };
  saveSettings: { arg: SettingsPatch; result: Settings };
}

export type ContractMethod = keyof ContractCalls;

/** The fixed list of methods; the preload exposes exactly these, in this order. */
export const CONTRACT_METHODS = [
  'getAppInfo',
  'getVaultStatus',
  'listPresets',
  'getPreset',
  'listProviders',
  'getProvider',
  'saveProvider',
  'removeProvider',
  'listAccounts',
  'connectAccount',
  'cancelConnect',
  'copyFlowLink',
  'renewAccount',
  'removeAccount',
  'copyToken',
  'revealToken',
  'sendRequest',
  'cancelRequest',
  'listHistory',
  'clearHistory',
  'introspectGraphql',
  'exportCurl',
  'setPassphrase',
  'removePassphrase',
  'unlockWithPassphrase',
  'allowInsecureKeychain',
  'resetVault',
  'getSettings',
  'saveSettings',
  'validateProvider',
  'discoverProvider',
] as const satisfies readonly ContractMethod[];

/** Every event the main process pushes, with its payload. */
export interface ContractEvents {
  accountChanged: AccountSummary;
  accountRemoved: { accountId: string };
  flowProgress: FlowProgress;
  vaultStatusChanged: VaultStatus;
}

export type ContractEvent = keyof ContractEvents;

export const CONTRACT_EVENTS = [
  'accountChanged',
  'accountRemoved',
  'flowProgress',
  'vaultStatusChanged',
] as const satisfies readonly ContractEvent[];

/** The IPC channel that carries a call or an event. */
export const callChannel = (method: ContractMethod): string => `tokendeck:call:${method}`;
export const eventChannel = (event: ContractEvent): string => `tokendeck:event:${event}`;

/** One named function per call, plus a typed event subscription. This is `window.tokendeck`. */
export type TokendeckApi = {
  [M in ContractMethod]: ContractCalls[M]['arg'] extends void
    ? () => Promise<IpcResult<ContractCalls[M]['result']>>
    : (arg: ContractCalls[M]['arg']) => Promise<IpcResult<ContractCalls[M]['result']>>;
} & {
  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends ContractEvent>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
};
