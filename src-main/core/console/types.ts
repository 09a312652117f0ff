/**
 * Request console types: REST and GraphQL requests, their responses, and their history.
 *
 * Requests are built in the renderer or CLI as plain data and sent from the main process. The
 * token is never part of a request spec: it is injected by the engine.
 */

export type HeaderList = Array<[name: string, value: string]>;

export interface RestRequestSpec {
  kind: 'rest';
  accountId: string;
  method: string;
  /** An absolute http(s) URL, or a path under the provider's API base ("/me"). */
  url: string;
  query?: HeaderList;
  headers?: HeaderList;
  body?: { type: 'json' | 'form' | 'raw'; text: string };
  /** Attach the token even though the URL is not one of the provider's own origins. */
  allowForeignOrigin?: boolean;
  /**
   * Keep the token, credential-looking headers and a 307/308 body on a redirect to another
   * origin (curl's `--location-trusted`).
   *
   * Warning: the token and those headers then go wherever the server redirects.
   */
  locationTrusted?: boolean;
  timeoutMs?: number;
}

export interface GraphqlRequestSpec {
  kind: 'graphql';
  accountId: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Defaults to the profile's GraphQL URL. */
  url?: string;
  headers?: HeaderList;
  allowForeignOrigin?: boolean;
  /** As for REST: keep credentials on a redirect to another origin. */
  locationTrusted?: boolean;
  timeoutMs?: number;
}

export type RequestSpec = RestRequestSpec | GraphqlRequestSpec;

/**
 * Where the time went.
 *
 * `connectMs` and `firstByteMs` describe the last exchange (after redirects and a retry), each
 * measured from the moment that exchange started; `totalMs` is the whole send, from the first
 * byte of work to the last body byte, so it is never smaller than the other two.
 */
export interface RequestTimings {
  /** TCP (and TLS) connect, DNS included; absent only if the socket's connect was not seen. */
  connectMs?: number;
  /** From sending to the first response byte. */
  firstByteMs: number;
  totalMs: number;
}

export interface ResponseView {
  requestId: string;
  url: string;
  method: string;
  status: number;
  statusText: string;
  headers: HeaderList;
  contentType: string;
  /** The body as text (UTF-8, replacement characters for invalid bytes); never rendered as HTML. */
  body: string;
  /** Bytes received in total, even past the display cap (decoded, when the body was compressed). */
  size: number;
  /** True when `body` holds only the first part of the body (the display cap was reached). */
  truncated: boolean;
  /**
   * True when reading stopped at the hard cap (twice the display cap) and the connection was
   * closed, so `size` is a lower bound.
   */
  incomplete?: boolean;
  /** Bytes as they came off the wire, when the body was compressed (`content-encoding`). */
  encodedSize?: number;
  timings: RequestTimings;
  /** True when a 401 made the engine renew the token once and retry once. */
  retriedAfterRenewal: boolean;
  /**
   * Set when a 401 came back but the token could not be renewed (or renewal gave the same
   * token), so no retry was made; the 401 is shown as it came.
   */
  renewalError?: { code: string; message: string };
  /** False when the token was not sent on the last hop (a redirect to another origin dropped it). */
  tokenSent?: boolean;
  /** The Retry-After header of a 429 or 503, as sent. */
  retryAfter?: string;
  /** Redirects followed, in order. */
  redirects: string[];
}

export interface HistoryEntry {
  id: string;
  at: number;
  request: RequestSpec;
  status: number | null;
  size: number;
  totalMs: number;
  error?: { code: string; message: string };
  /** True when a long body, query or variables were cut short to keep the history small. */
  requestTruncated?: boolean;
}

export interface CurlOptions {
  /** Put the raw token in the command instead of `$(tokendeck token <account>)`. */
  inlineToken?: boolean;
}
