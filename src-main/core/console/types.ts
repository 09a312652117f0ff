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

/**
 * A request kept as a saved item: no account, so it runs as any account of its provider. The
 * opt-ins `allowForeignOrigin` and `locationTrusted` are not kept: they are given at each send.
 */
export type SavedRequestSpec =
  Omit<RestRequestSpec, 'accountId'> | Omit<GraphqlRequestSpec, 'accountId'>;

/** A named request in a provider's small collection, sealed in the vault. */
export interface SavedRequest {
  name: string;
  request: SavedRequestSpec;
  createdAt: number;
  updatedAt: number;
}

export interface SaveRequestArgs {
  providerId: string;
  /** 1-64 characters: letters, digits, spaces and `._-`, starting with a letter or digit. */
  name: string;
  request: SavedRequestSpec;
  /**
   * Replace the saved request of that name. Without it, a name already taken is refused with
   * `conflict` and nothing changes.
   */
  overwrite?: boolean;
}

/**
 * A variable of a provider's environment, used as `{{name}}` in a request's URL, query, header
 * values, body and GraphQL variables, and resolved in the main process before sending.
 */
export interface EnvVariable {
  /** A shell name (`[A-Za-z_][A-Za-z0-9_]*`, at most 64), so a curl export can say `$name`. */
  name: string;
  /** A secret is masked everywhere it could show, and left as `$name` in a curl export. */
  secret: boolean;
  /** The value; never given for a secret variable. */
  value?: string;
  updatedAt: number;
}

export interface SetEnvVariableArgs {
  providerId: string;
  name: string;
  value: string;
  /** Omitted: a variable that exists keeps its kind, a new one is not secret. */
  secret?: boolean;
}
