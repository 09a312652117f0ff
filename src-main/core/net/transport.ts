import type { NetworkDescription, NetworkSettings } from './network-schema';

/**
 * The network port: every request the core makes goes through one of these.
 *
 * The CLI (and tests) use the Node transport (`createNodeTransport`): node:http(s) with the
 * data folder's proxy and extra CA, then the environment's (`HTTPS_PROXY`, `HTTP_PROXY`,
 * `NO_PROXY`, `NODE_EXTRA_CA_CERTS`). The desktop app hands in an Electron adapter over
 * Chromium's network stack, which also honours the OS proxy (PAC included) and trust store.
 */
export interface Transport {
  /** For protocol steps: oauth4webapi's `customFetch`. Never follows redirects. */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** For the console: one request with its timings, its body capped. Never follows redirects. */
  exchange(request: WireRequest, limits: BodyLimits, signal: AbortSignal): Promise<WireResponse>;
  /** Applies the data folder's network settings; called at unlock and on every change. */
  configure(settings: NetworkSettings): void;
  /** Where the settings come from and what applies, in plain words, for `tokendeck network`. */
  describe(): NetworkDescription;
}

export type HeaderPairs = Array<[name: string, value: string]>;

/** One HTTP request as it goes on the wire, token included. */
export interface WireRequest {
  method: string;
  url: URL;
  headers: HeaderPairs;
  body?: string;
}

export interface BodyLimits {
  /** Decoded bytes kept for display; past it the body is marked truncated. */
  displayCapBytes: number;
  /** Decoded bytes read at most; past it the connection is closed. */
  hardCapBytes: number;
}

/** One HTTP response, its body capped, with the timings of this exchange alone. */
export interface WireResponse {
  status: number;
  statusText: string;
  headers: HeaderPairs;
  /** At most `displayCapBytes`, decoded. */
  body: Buffer;
  size: number;
  /** Bytes as they came off the wire, when the transport saw them before decoding. */
  encodedSize?: number;
  truncated: boolean;
  incomplete: boolean;
  /** TCP (and TLS) connect; absent when the transport cannot see it (Chromium's stack). */
  connectMs?: number;
  firstByteMs: number;
}
