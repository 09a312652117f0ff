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
  AgentSettings,
  ApiCalls,
  ApiDiscovery,
  DeviceCodes,
  ExchangeArgs,
  NetworkSettings,
  NetworkView,
  ApiEvent,
  ApiEvents,
  ApiMethod,
  AppInfo,
  ConnectArgs,
  CopyFormat,
  CopyResult,
  CopyTokenArgs,
  CurlOptions,
  DiscoveryPreview,
  EnvVariable,
  ErrorCode,
  FlowProgress,
  GrantType,
  HistoryEntry,
  PresetSummary,
  ProfileIssue,
  ProviderEditPreview,
  ProviderFile,
  ProviderProfile,
  ProviderProfileInput,
  ProviderSummary,
  RequestSpec,
  ResponseView,
  SaveProviderArgs,
  SaveRequestArgs,
  SavedRequest,
  SavedRequestSpec,
  SetEnvVariableArgs,
  Settings,
  SettingsPatch,
  SignatureCheck,
  TokenInspection,
  TokenState,
  ValidateProviderArgs,
  VaultStatus,
} from '../src-main/core/api';

export type { AccountSummary, GrantType, TokenState, ProviderProfile, ProviderProfileInput };
export type { CurlOptions, HistoryEntry, RequestSpec, ResponseView, ErrorCode };
export type { AppInfo, ConnectArgs, FlowProgress, PresetSummary, ProviderSummary, VaultStatus };
export type { ApiDiscovery, DeviceCodes, ExchangeArgs, NetworkSettings, NetworkView };
export type {
  AgentSettings,
  SaveProviderArgs,
  ValidateProviderArgs,
  ProfileIssue,
  DiscoveryPreview,
};
export type { CopyFormat, CopyTokenArgs, CopyResult, SignatureCheck, TokenInspection };
export type { Settings, SettingsPatch, ProviderEditPreview, ProviderFile };
export type { EnvVariable, SaveRequestArgs, SavedRequest, SavedRequestSpec, SetEnvVariableArgs };

export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** Every call: argument and result, as the core's API declares them. */
export type ContractCalls = ApiCalls;
export type ContractMethod = ApiMethod;

/**
 * Every call, in the order the preload exposes them.
 *
 * `satisfies` holds the list to the core's API: a call missing here, or one the core does not
 * have, fails the typecheck.
 */
const METHODS = {
  getAppInfo: true,
  getVaultStatus: true,
  listPresets: true,
  getPreset: true,
  listProviders: true,
  getProvider: true,
  saveProvider: true,
  previewProviderEdit: true,
  exportProvider: true,
  parseProviderFile: true,
  removeProvider: true,
  discoverFromApi: true,
  listAccounts: true,
  connectAccount: true,
  cancelConnect: true,
  copyFlowLink: true,
  renewAccount: true,
  removeAccount: true,
  exchangeToken: true,
  renameAccount: true,
  mergeAccounts: true,
  setDefaultAccount: true,
  copyToken: true,
  revealToken: true,
  sendRequest: true,
  cancelRequest: true,
  listHistory: true,
  clearHistory: true,
  introspectGraphql: true,
  exportCurl: true,
  listSavedRequests: true,
  saveRequest: true,
  renameSavedRequest: true,
  deleteSavedRequest: true,
  listEnvVariables: true,
  setEnvVariable: true,
  unsetEnvVariable: true,
  setPassphrase: true,
  removePassphrase: true,
  unlockWithPassphrase: true,
  allowInsecureKeychain: true,
  resetVault: true,
  getNetworkSettings: true,
  setNetworkSettings: true,
  getAgentSettings: true,
  setAgentSettings: true,
  getSettings: true,
  saveSettings: true,
  validateProvider: true,
  discoverProvider: true,
} as const satisfies Record<ContractMethod, true>;

/** The fixed list of methods; the preload exposes exactly these, in this order. */
export const CONTRACT_METHODS = Object.keys(METHODS) as readonly ContractMethod[];

/** Every event the main process pushes, with its payload, as the core's API declares them. */
export type ContractEvents = ApiEvents;
export type ContractEvent = ApiEvent;

const EVENTS = {
  accountChanged: true,
  accountRemoved: true,
  flowProgress: true,
  vaultStatusChanged: true,
  settingsChanged: true,
  agentSettingsChanged: true,
} as const satisfies Record<ContractEvent, true>;

export const CONTRACT_EVENTS = Object.keys(EVENTS) as readonly ContractEvent[];

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
