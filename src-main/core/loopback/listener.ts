import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret, type Logger } from '../log';
import { sendPage } from './pages';

export interface LoopbackListener {
  /** `http://{host}:{port}{path}`, the redirect URI to send (unless a fixed one is registered). */
  redirectUri: string;
  /** Resolves with the validated callback parameters. */
  result: Promise<URLSearchParams>;
  /** Stops listening; idempotent. A pending result is left as it is. */
  close(): void;
}

/**
 * Where to listen: a 127.0.0.0/8 address, `::1`, or `localhost` (both 127.0.0.1 and ::1, on one
 * port). Default 127.0.0.1.
 */
export type LoopbackHost = string;

export interface LoopbackOptions {
  /** The loopback host of the redirect URI; see {@link LoopbackHost}. */
  host?: LoopbackHost;
  /** 0 (the default) for an ephemeral port. */
  port?: number;
  /** The exact callback path, such as /callback. */
  path: string;
  /** The state sent in this flow's authorization request. */
  state: string;
  /** How long to wait for the browser before `flow_timeout`. */
  timeoutMs: number;
  /** Aborting fails the wait with `flow_cancelled`. */
  signal?: AbortSignal;
  logger?: Logger;
  /**
   * A further check of a callback that carries the right state and a code, such as the RFC 9207
   * `iss` check. It returns the parameters to resolve with, or throws a TokendeckError, which
   * fails the flow and is shown to the browser.
   */
  validate?(params: URLSearchParams): URLSearchParams;
}

const IMPLICIT_PARAMS = ['access_token', 'id_token', 'token_type'];

/**
 * Starts the RFC 8252 §7.3 loopback redirect listener for one authorization request.
 *
 * Binds exactly the redirect URI's host (SECURITY 13): 127.0.0.1 by default (§8.3), on an
 * ephemeral port or the fixed one; `::1` only for `[::1]`; and for `localhost`, 127.0.0.1 and ::1
 * on the same port, so that no other program can take the family a browser may try first.
 * Any address already taken is `port_in_use`. Only a GET on the exact path, with no repeated
 * parameter and the right state (compared in constant time), is considered; anything else gets a
 * 400 page and the wait goes on (SECURITY 36). With the right state: `error=` fails with
 * `callback_error`; tokens in the callback fail with `implicit_response` (SECURITY 20); a code
 * resolves the result. After that one callback, a repeat gets an "already used" page. The wait
 * ends with `flow_timeout` or, on abort, `flow_cancelled`, also while the listener is still
 * starting. Every ending closes every socket.
 */
export function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  const logger = options.logger ?? nullLogger;
  const expected = Buffer.from(options.state, 'utf8');
  registerSecret(options.state);
  if (!options.path.startsWith('/')) {
    return Promise.reject(
      new TokendeckError('invalid_input', 'The callback path must start with /.', {
        details: { field: 'path' },
      }),
    );
  }
  if (options.signal?.aborted) {
    return Promise.reject(new TokendeckError('flow_cancelled', 'The sign-in was cancelled.'));
  }

  let settled = false;
  let resolveResult!: (params: URLSearchParams) => void;
  let rejectResult!: (error: TokendeckError) => void;
  const result = new Promise<URLSearchParams>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  // The flow awaits `result` only after opening the browser; mark it handled so an early timeout
  // or cancel is not reported as an unhandled rejection. The caller still receives the error.
  result.catch(() => undefined);

  const servers: Server[] = [];
  let timer: NodeJS.Timeout | undefined;
  const cancelled = () => new TokendeckError('flow_cancelled', 'The sign-in was cancelled.');
  const onAbort = () => finish(cancelled());
  // Listened to from the start, so a cancel while the sockets are still binding is not missed.
  options.signal?.addEventListener('abort', onAbort, { once: true });

  function close(): void {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    for (const server of servers) {
      if (server.listening) server.close();
      server.closeIdleConnections();
    }
  }

  function finish(outcome: URLSearchParams | TokendeckError): void {
    if (settled) return;
    settled = true;
    if (outcome instanceof TokendeckError) rejectResult(outcome);
    else resolveResult(outcome);
    close();
  }

  function refuse(response: ServerResponse, reason: string, message: string): void {
    logger.warn('loopback callback refused; still waiting', { reason });
    sendPage(response, 400, 'Not a valid sign-in callback', message);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    // Once the flow has its answer, keep-alive sockets are dropped as soon as they go quiet.
    response.on('finish', () => {
      if (settled) for (const server of servers) server.closeIdleConnections();
    });
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== options.path) {
      refuse(response, 'wrong path', 'This address is not the sign-in callback.');
      return;
    }
    if (request.method !== 'GET') {
      refuse(
        response,
        `method ${request.method ?? 'unknown'}`,
        'The sign-in callback accepts GET only.',
      );
      return;
    }
    const params = url.searchParams;
    const keys = [...params.keys()];
    if (new Set(keys).size !== keys.length) {
      refuse(response, 'repeated parameter', 'The callback repeats a parameter and was ignored.');
      return;
    }
    const state = params.get('state');
    if (state === null || !sameState(state)) {
      refuse(
        response,
        state === null ? 'missing state' : 'wrong state',
        'The callback does not belong to this sign-in.',
      );
      return;
    }
    if (settled) {
      logger.warn('loopback callback replayed');
      sendPage(
        response,
        400,
        'Already used',
        'This sign-in callback was already used (callback_replayed).',
      );
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description') ?? '';
      const said = `${error}${description ? ` (${description})` : ''}`;
      sendPage(response, 400, 'Sign-in failed', `The provider answered: ${said}.`);
      finish(
        new TokendeckError('callback_error', `The provider refused the sign-in: ${said}.`, {
          details: { error: error.slice(0, 200), error_description: description.slice(0, 500) },
        }),
      );
      return;
    }
    const implicit = IMPLICIT_PARAMS.filter((name) => params.has(name));
    if (implicit.length > 0) {
      for (const name of implicit) registerSecret(params.get(name));
      sendPage(
        response,
        400,
        'Sign-in failed',
        'The provider sent tokens in the browser address, which Tokendeck refuses.',
      );
      finish(
        new TokendeckError(
          'implicit_response',
          'The callback carried tokens (an implicit-style response); only the code flow is accepted.',
          {
            details: { parameters: implicit.join(',') },
          },
        ),
      );
      return;
    }
    const code = params.get('code');
    if (!code) {
      refuse(response, 'no code', 'The callback carries no authorization code.');
      return;
    }
    registerSecret(code);
    let validated: URLSearchParams;
    try {
      validated = options.validate ? options.validate(params) : params;
    } catch (cause) {
      const failure =
        cause instanceof TokendeckError
          ? cause
          : new TokendeckError('callback_invalid', 'The callback failed validation.', { cause });
      sendPage(response, 400, 'Sign-in failed', failure.message);
      finish(failure);
      return;
    }
    sendPage(response, 200, 'Signed in', 'You can close this window and return to Tokendeck.');
    finish(validated);
  }

  function sameState(received: string): boolean {
    const actual = Buffer.from(received, 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  const host = options.host ?? '127.0.0.1';
  return (async (): Promise<LoopbackListener> => {
    let port = options.port ?? 0;
    try {
      for (const address of bindAddresses(host)) {
        if (settled) break;
        const server = createServer((request, response) => handle(request, response));
        servers.push(server);
        const bound = await listen(server, address, port, host, logger);
        if (bound !== null) port = bound;
      }
    } catch (error) {
      settled = true;
      close();
      throw error;
    }
    if (settled) {
      // Cancelled while binding: a socket that finished binding after the cancel closes here.
      close();
      throw cancelled();
    }
    timer = setTimeout(
      () =>
        finish(
          new TokendeckError(
            'flow_timeout',
            `No sign-in arrived within ${Math.round(options.timeoutMs / 1000)} s.`,
          ),
        ),
      options.timeoutMs,
    );
    timer.unref();
    logger.debug('loopback listener started', { host, port, path: options.path });
    return { redirectUri: `http://${urlHost(host)}:${port}${options.path}`, result, close };
  })();
}

/** The addresses a redirect host is bound on: `localhost` is both loopback families. */
function bindAddresses(host: LoopbackHost): string[] {
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  return [host.replace(/^\[(.*)\]$/, '$1')];
}

function urlHost(host: LoopbackHost): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Binds one address; resolves with the port. For `localhost`, a machine without IPv6 has no ::1
 * that anyone could take, so that half is skipped (null).
 */
function listen(
  server: Server,
  address: string,
  port: number,
  host: LoopbackHost,
  logger: Logger,
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (host === 'localhost' && address === '::1' && NO_IPV6.has(error.code ?? '')) {
        logger.info('loopback listener: no IPv6 loopback here; localhost is 127.0.0.1 only');
        resolve(null);
      } else if (error.code === 'EADDRINUSE') {
        const both = host === 'localhost' ? ' (localhost listens on 127.0.0.1 and ::1)' : '';
        reject(
          new TokendeckError(
            'port_in_use',
            `Port ${port} on ${address} is in use${both}; close the program using it, or use an ephemeral port.`,
            { cause: error, details: { port, address } },
          ),
        );
      } else if (NO_IPV6.has(error.code ?? '')) {
        reject(
          new TokendeckError(
            'unsupported',
            `This machine cannot listen on ${address}; register a redirect URI on 127.0.0.1 instead.`,
            { cause: error, details: { address } },
          ),
        );
      } else {
        reject(
          new TokendeckError('internal', 'The loopback listener could not start.', {
            cause: error,
            details: { reason: error.code ?? null },
          }),
        );
      }
    });
    server.listen({ host: address, port, exclusive: true }, () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** What binding an IPv6 address gives where the machine has no IPv6. */
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);
