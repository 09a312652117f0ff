/**
 * The core's public face: what the Electron adapters and the `tokendeck` command may use.
 *
 * Everything outside `src-main/core` imports the core through here. The core itself never
 * imports this file; its folders import each other through their own `index.ts`.
 */
export * from './api';
export { CONTRACT_SCHEMAS, requestSpecSchema, type ContractSchemas } from './api-schemas';
export { createService, type ServiceOptions, type TokendeckService } from './service';
export {
  TokendeckError,
  isTokendeckError,
  toErrorPayload,
  type ErrorPayload,
  type TokendeckErrorOptions,
} from './errors';
export { createLogger, type Logger } from './log';
export { APP_NAME, defaultDataDir, ensureDataDir } from './data-dir';
export { GRANT_TYPES, type StoredAccount } from './model';
export type {
  BrowserOpener,
  Clipboard,
  ClipboardWriteOptions,
  Clock,
  KeychainPort,
  KeychainStatus,
  PowerEvents,
} from './ports';
export type { KeySlot, WrappedKey } from './vault';
export type { HeaderList } from './console';
export { CLIENT_AUTH_METHODS, profileFromPreset, rebaseProfile } from './providers';
export { tryParseJson } from './json';
export * from './desktop';
export { readProviderFile } from './provider-file';
export { DPOP_NOTE, dpopRefusal, isDpopBound } from './dpop-bound';
// The app's transport (Chromium's stack through the Electron adapter) and its port.
export { createChromiumTransport, trustedByExtraCa, type Transport } from './net';
export type { FreshToken } from './lifecycle';
export { presetSummaries } from './saved-providers';
export {
  SESSION_IDLE_MS,
  SESSION_MAX_TTL_MS,
  endSessions,
  listSessions,
  sessionOpener,
  type SessionInfo,
} from './sessions';
export { MIN_PASSPHRASE_LENGTH, probeVault, readableIds, type VaultProbe } from './vault';
export { ACCOUNTS, PROVIDERS } from './records';
export {
  AGENT_PROTOCOL_VERSION,
  AgentClient,
  agentEndpoint,
  readAgentSettings,
  startAgent,
  type AgentClientInfo,
  type AgentStatus,
  type AgentToken,
  type RunningAgent,
  type TokenCalls,
} from './agent';
