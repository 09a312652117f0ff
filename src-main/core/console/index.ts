/**
 * The request console's engine: REST and GraphQL as a stored account (DESIGN.md § Request console).
 */
export * from './types';
export type { ConsoleContext, HistoryStore, TokenSource } from './ports';
export { HISTORY_LIMIT } from './ports';
export { RequestRunner, CONSOLE_MIN_TTL_MS, type RequestRunnerOptions } from './request-runner';
export { createVaultHistoryStore, type HistoryVault } from './vault-history-store';
export { createMemoryHistoryStore } from './memory-history-store';
export { toCurl, shellQuote, curlTokenHeader } from './curl';
export { resolveRequestUrl, providerOrigins } from './origins';
export { INTROSPECTION_QUERY } from './introspection-query';
export type { IntrospectionResult } from './introspection-cache';
