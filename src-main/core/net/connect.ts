import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import { showProxy } from './proxy-rules';

/** How one connection is made: through which proxy, trusting which certificate authorities. */
export interface Route {
  proxy: URL | null;
  /** PEM certificate authorities to trust instead of the default store; undefined for the default. */
  ca?: string[];
}

/** The largest CONNECT answer head read from a proxy. */
const MAX_PROXY_HEAD = 16 * 1024;

/**
 * Opens a connection ready for an HTTP request to `target`: TCP for http, TLS (verified against
 * the route's CAs, with SNI) for https. Through a proxy, an http request goes to the proxy in
 * absolute form, so the socket is the proxy's; an https request is tunnelled with CONNECT
 * (RFC 9110 §9.3.6), then TLS runs end to end inside the tunnel. Calls `done` once, with the
 * socket or a `network_error` / `tls_error`-ready error. Stops when `signal` aborts.
 */
export function openConnection(
  target: URL,
  route: Route,
  signal: AbortSignal,
  done: (error: Error | null, socket?: Socket) => void,
): void {
  let finished = false;
  const sockets: Socket[] = [];
  const finish = (error: Error | null, socket?: Socket) => {
    if (finished) return;
    finished = true;
    signal.removeEventListener('abort', onAbort);
    if (error) for (const open of sockets) open.destroy();
    done(error, socket);
  };
  const onAbort = () =>
    finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });

  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const secureTarget = (socket?: Socket) => {
    // Through a tunnel, `host` still names the server: Node checks the certificate against it,
    // and would check it against "localhost" without it.
    const tls: TLSSocket = tlsConnect({
      ...(socket ? { socket, host } : { host, port }),
      ...(isIP(host) ? {} : { servername: host }),
      ...(route.ca ? { ca: route.ca } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    sockets.push(tls);
    tls.once('secureConnect', () => finish(null, tls));
    tls.once('error', (error) => finish(error));
  };

  const proxy = route.proxy;
  if (!proxy) {
    if (target.protocol === 'https:') return secureTarget();
    const socket = netConnect({ host, port });
    sockets.push(socket);
    socket.once('connect', () => finish(null, socket));
    socket.once('error', (error) => finish(error));
    return;
  }

  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const toProxy: Socket =
    proxy.protocol === 'https:'
      ? tlsConnect({
          host: proxyHost,
          port: proxyPort,
          ...(isIP(proxyHost) ? {} : { servername: proxyHost }),
          ...(route.ca ? { ca: route.ca } : {}),
        })
      : netConnect({ host: proxyHost, port: proxyPort });
  sockets.push(toProxy);
  toProxy.once('error', (error) => finish(proxyFailure(proxy, error)));
  toProxy.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    if (target.protocol === 'http:') {
      finish(null, toProxy);
      return;
    }
    const authority = `${target.hostname}:${port}`;
    const auth = proxyAuthorization(proxy);
    toProxy.write(
      `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`,
    );
    readConnectAnswer(toProxy, (error, status) => {
      if (error) return finish(proxyFailure(proxy, error));
      if (status !== 200) {
        return finish(
          new TokendeckError(
            'network_error',
            `The proxy ${showProxy(proxy)} refused to connect to ${authority} (HTTP ${status}).`,
            { details: { proxy: showProxy(proxy), status: status ?? null, transient: false } },
          ),
        );
      }
      secureTarget(toProxy);
    });
  });
}

/** `Basic …` for a proxy URL with a user name, else undefined (RFC 9110 §11.7.1). */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  registerSecret(password);
  const value = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  registerSecret(value);
  return value;
}

/** Reads the proxy's answer head to CONNECT and gives its status code. */
function readConnectAnswer(
  socket: Socket,
  done: (error: Error | null, status?: number) => void,
): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_PROXY_HEAD) {
        cleanUp();
        done(new Error('the proxy sent an answer head that is too long'));
      }
      return;
    }
    cleanUp();
    const rest = head.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'));
    done(
      status ? null : new Error('the proxy did not answer CONNECT with HTTP'),
      Number(status?.[1]),
    );
  };
  const onClose = () => {
    cleanUp();
    done(new Error('the proxy closed the connection'));
  };
  const cleanUp = () => {
    socket.off('data', onData);
    socket.off('close', onClose);
  };
  socket.on('data', onData);
  socket.once('close', onClose);
}

function proxyFailure(proxy: URL, error: Error): Error {
  if (error instanceof TokendeckError) return error;
  const code = (error as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : error.message;
  return new TokendeckError(
    'network_error',
    `Could not go through the proxy ${showProxy(proxy)} (${reason}).`,
    { cause: error, details: { proxy: showProxy(proxy), reason, transient: true } },
  );
}
