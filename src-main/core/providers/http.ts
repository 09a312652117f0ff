import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { tryParseJson } from '../json';
import { redactString, type Logger } from '../log';
import { allowsInsecureRequest, assertSecureUrl } from './urls';

/** Options every network call of the engine takes. */
export interface HttpOptions {
  /** The caller's cancel; aborting it fails the call with `cancelled`. */
  signal?: AbortSignal;
  /** Per request; 30 s by default. */
  timeoutMs?: number;
  logger?: Logger;
  /** The transport's fetch (proxy, extra CAs); the global fetch when not given. */
  fetch?: FetchLike;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Bodies larger than this are refused unread (SECURITY 35). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The fetch signature oauth4webapi's `customFetch` hands over. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What the guarded fetch saw of the last response, for clear error messages. */
export interface ResponseRecord {
  status: number;
  contentType: string;
  text: string;
  retryAfter: string | null;
}

/**
 * One guarded HTTP exchange with one endpoint.
 *
 * Carries the options for an oauth4webapi request (signal, `customFetch`, and the plain-http
 * opt-out, set only for a loopback endpoint), and remembers the raw response so that a failure
 * can name its status and first line.
 */
export interface Exchange {
  url: URL;
  signal: AbortSignal;
  fetch: FetchLike;
  last?: ResponseRecord;
  /** Spread into the options of an oauth4webapi request function. */
  options: {
    signal: AbortSignal;
    [oauth.customFetch]: FetchLike;
    [oauth.allowInsecureRequests]?: true;
  };
  /** True when the request timed out (as opposed to the caller cancelling). */
  timedOut(): boolean;
  cancelled(): boolean;
}

/**
 * Opens an exchange with `url`, which must be https or loopback http.
 *
 * `wrap` adds a provider's quirks around the guarded fetch (see flows/quirks.ts); it sees the
 * request before it leaves and the (already size-capped) response before oauth4webapi does.
 */
export function createExchange(
  url: string | URL,
  what: string,
  options: HttpOptions = {},
  wrap?: (inner: FetchLike) => FetchLike,
): Exchange {
  const target = assertSecureUrl(String(url), what);
  const send: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const exchange: Exchange = {
    url: target,
    signal,
    fetch: undefined as unknown as FetchLike,
    options: undefined as unknown as Exchange['options'],
    timedOut: () => timeout.aborted && !options.signal?.aborted,
    cancelled: () => options.signal?.aborted === true,
  };
  const guarded: FetchLike = async (input, init) => {
    const response = await send(input, { ...init, signal });
    const bytes = await readCapped(response);
    const record: ResponseRecord = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: new TextDecoder().decode(bytes),
      retryAfter: response.headers.get('retry-after'),
    };
    exchange.last = record;
    const nullBody = [101, 103, 204, 205, 304].includes(response.status);
    return new Response(nullBody ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  exchange.fetch = wrap ? wrap(guarded) : guarded;
  exchange.options = {
    signal,
    [oauth.customFetch]: exchange.fetch,
    ...(allowsInsecureRequest(target) ? { [oauth.allowInsecureRequests]: true as const } : {}),
  };
  return exchange;
}

async function readCapped(response: Response): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw tooLarge(response.status);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge(response.status);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(status: number): TokendeckError {
  return new TokendeckError(
    'response_too_large',
    `The response is larger than ${MAX_BODY_BYTES} bytes and was refused.`,
    {
      details: { status, limitBytes: MAX_BODY_BYTES },
    },
  );
}

/**
 * Turns a failure below HTTP (refused, reset, timeout, cancel) into its stable code.
 *
 * Returns the error itself when it already is a TokendeckError, and undefined when the failure
 * is not a transport one (the caller then classifies the HTTP answer).
 */
export function transportError(error: unknown, exchange: Exchange): TokendeckError | undefined {
  if (error instanceof TokendeckError) return error;
  const host = exchange.url.host;
  if (exchange.cancelled()) {
    return new TokendeckError('cancelled', `The request to ${host} was cancelled.`, {
      cause: error,
    });
  }
  if (exchange.timedOut()) {
    return new TokendeckError('timeout', `${host} did not answer in time.`, {
      cause: error,
      details: { host, transient: true },
    });
  }
  if (error instanceof TypeError && exchange.last === undefined && isNetworkFailure(error)) {
    const code = networkCode(error);
    return new TokendeckError(
      'network_error',
      `Could not reach ${host}${code ? ` (${code})` : ''}.`,
      {
        cause: error,
        details: { host, transient: true, ...(code ? { reason: code } : {}) },
      },
    );
  }
  return undefined;
}

function isNetworkFailure(error: TypeError): boolean {
  return error.message === 'fetch failed' || networkCode(error) !== undefined;
}

function networkCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first non-empty line of a body, trimmed to 200 characters and scrubbed of secrets. */
export function firstLine(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .map((part) => part.trim())
      .find((part) => part.length > 0) ?? '';
  return redactString(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/**
 * The `error` and `error_description` of an OAuth error body (RFC 6749 §5.2), cut for display.
 *
 * The code is cut to 100 characters; the description is its {@link firstLine}.
 */
export function oauthErrorFields(body: Record<string, unknown> | undefined): {
  error: string | undefined;
  description: string | undefined;
} {
  return {
    error: typeof body?.error === 'string' ? body.error.slice(0, 100) : undefined,
    description:
      typeof body?.error_description === 'string' ? firstLine(body.error_description) : undefined,
  };
}

/** Parses a JSON object body, or returns undefined. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const value = tryParseJson(text);
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
