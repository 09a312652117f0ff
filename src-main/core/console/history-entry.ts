import { assertNever, toErrorPayload } from '../errors';
import type { Logger } from '../log';
import { HISTORY_LIMIT, type HistoryStore } from './ports';
import type { HeaderList, HistoryEntry, RequestSpec } from './types';

/**
 * What a history entry keeps of a request, and how much history an account keeps.
 *
 * History grows with every request, so each part has a stated size: bodies, queries and variables
 * up to {@link HISTORY_TEXT_LIMIT} characters, at most {@link HISTORY_HEADER_LIMIT} headers of
 * up to {@link HISTORY_HEADER_VALUE_LIMIT} characters each, and each account's history up to
 * {@link HISTORY_LIMIT} entries and {@link HISTORY_BYTES_LIMIT} bytes (the oldest go first). An
 * entry that was cut says so (`requestTruncated`).
 */
export const HISTORY_TEXT_LIMIT = 16 * 1024;
export const HISTORY_HEADER_LIMIT = 50;
export const HISTORY_HEADER_VALUE_LIMIT = 1024;
export const HISTORY_BYTES_LIMIT = 512 * 1024;

/**
 * The request as the history keeps it.
 *
 * Only the spec's own fields are copied (a caller's extra fields, such as a `requestId`, are
 * dropped), cut to the limits above. Specs never hold the token; headers the user typed may
 * hold secrets, which is why the history is sealed.
 */
export function toHistoryRequest(spec: RequestSpec): { request: RequestSpec; truncated: boolean } {
  let truncated = false;
  const cut = (text: string, limit = HISTORY_TEXT_LIMIT) => {
    if (text.length <= limit) return text;
    truncated = true;
    return text.slice(0, limit);
  };
  let headers: HeaderList | undefined;
  if (spec.headers) {
    if (spec.headers.length > HISTORY_HEADER_LIMIT) truncated = true;
    headers = spec.headers
      .slice(0, HISTORY_HEADER_LIMIT)
      .map(([name, value]) => [cut(name, 256), cut(value, HISTORY_HEADER_VALUE_LIMIT)]);
  }
  switch (spec.kind) {
    case 'rest': {
      const request: RequestSpec = {
        kind: 'rest',
        accountId: spec.accountId,
        method: spec.method,
        url: cut(spec.url),
      };
      if (spec.query) {
        request.query = spec.query
          .slice(0, HISTORY_HEADER_LIMIT)
          .map(([name, value]) => [cut(name, 256), cut(value, HISTORY_HEADER_VALUE_LIMIT)]);
        if (spec.query.length > HISTORY_HEADER_LIMIT) truncated = true;
      }
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
      if (spec.url !== undefined) request.url = cut(spec.url);
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

/**
 * An account's history as kept: newest first, at most {@link HISTORY_LIMIT} entries and
 * {@link HISTORY_BYTES_LIMIT} bytes of JSON.
 */
export function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  const kept: HistoryEntry[] = [];
  let bytes = 2;
  for (const entry of [...entries].sort((a, b) => b.at - a.at)) {
    bytes += Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
    if (kept.length >= HISTORY_LIMIT || bytes > HISTORY_BYTES_LIMIT) break;
    kept.push(entry);
  }
  return kept;
}

/**
 * Adds a sent request to its account's history, as {@link toHistoryRequest} keeps it. A history
 * that cannot be saved is logged, never thrown: the answer the user waits for matters more.
 */
export async function recordHistory(
  history: HistoryStore | undefined,
  logger: Logger,
  spec: RequestSpec,
  entry: {
    id: string;
    at: number;
    status: number | null;
    size: number;
    totalMs: number;
    error?: { code: string; message: string };
  },
): Promise<void> {
  if (!history) return;
  const { request, truncated } = toHistoryRequest(spec);
  try {
    await history.append(spec.accountId, {
      ...entry,
      request,
      ...(truncated ? { requestTruncated: true } : {}),
    });
  } catch (error) {
    logger.warn('console could not save the request history', {
      code: toErrorPayload(error).code,
    });
  }
}
