import { assertNever } from '../errors';
import { HISTORY_LIMIT } from './ports';
import type { HeaderList, HistoryEntry, RequestSpec } from './types';

/** Longest body, query or variables text a history entry keeps, in characters. */
export const HISTORY_TEXT_LIMIT = 64 * 1024;

/**
 * The request as the history keeps it.
 *
 * Only the spec's own fields are copied (a caller's extra fields, such as a `requestId`, are
 * dropped), and texts past {@link HISTORY_TEXT_LIMIT} are cut so that 200 entries stay small.
 * Specs never hold the token; headers the user typed may hold secrets, which is why the history
 * is encrypted.
 */
export function toHistoryRequest(spec: RequestSpec): { request: RequestSpec; truncated: boolean } {
  let truncated = false;
  const cut = (text: string) => {
    if (text.length <= HISTORY_TEXT_LIMIT) return text;
    truncated = true;
    return text.slice(0, HISTORY_TEXT_LIMIT);
  };
  const headers: HeaderList | undefined = spec.headers?.map(([name, value]) => [name, value]);
  switch (spec.kind) {
    case 'rest': {
      const request: RequestSpec = {
        kind: 'rest',
        accountId: spec.accountId,
        method: spec.method,
        url: spec.url,
      };
      if (spec.query) request.query = spec.query.map(([name, value]) => [name, value]);
      if (headers) request.headers = headers;
      if (spec.body) request.body = { type: spec.body.type, text: cut(spec.body.text) };
      if (spec.allowForeignOrigin !== undefined)
        request.allowForeignOrigin = spec.allowForeignOrigin;
      if (spec.locationTrusted !== undefined) request.locationTrusted = spec.locationTrusted;
      if (spec.timeoutMs !== undefined) request.timeoutMs = spec.timeoutMs;
      return { request, truncated };
    }
    case 'graphql': {
      const request: RequestSpec = {
        kind: 'graphql',
        accountId: spec.accountId,
        query: cut(spec.query),
      };
      if (spec.variables !== undefined) {
        if (JSON.stringify(spec.variables).length <= HISTORY_TEXT_LIMIT)
          request.variables = spec.variables;
        else truncated = true;
      }
      if (spec.operationName !== undefined) request.operationName = spec.operationName;
      if (spec.url !== undefined) request.url = spec.url;
      if (headers) request.headers = headers;
      if (spec.allowForeignOrigin !== undefined)
        request.allowForeignOrigin = spec.allowForeignOrigin;
      if (spec.locationTrusted !== undefined) request.locationTrusted = spec.locationTrusted;
      if (spec.timeoutMs !== undefined) request.timeoutMs = spec.timeoutMs;
      return { request, truncated };
    }
    default:
      return assertNever(spec, 'request kind');
  }
}

/** Entries newest first, at most {@link HISTORY_LIMIT}. */
export function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => b.at - a.at).slice(0, HISTORY_LIMIT);
}
