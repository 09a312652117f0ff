/**
 * The request console's engine: REST and GraphQL as a stored account.
 */
export * from './types';
export type { ConsoleContext, HistoryStore, TokenSource } from './ports';
export { CONSOLE_MIN_TTL_MS, HISTORY_LIMIT } from './ports';
export { RequestRunner, type RequestRunnerOptions } from './request-runner';
export { createHistoryStore, moveVaultHistory, type HistoryVault } from './history-store';
export { createMemoryHistoryStore } from './memory-history-store';
export { curlTokenHeader, exportCurl, toCurl, shellQuote } from './curl';
export { resolveRequestUrl, providerOrigins } from './origins';
export { INTROSPECTION_QUERY } from './introspection-query';
export type { IntrospectionResult } from './introspection-cache';
export { ConsoleLibrary, type StoredVariable } from './library-store';
