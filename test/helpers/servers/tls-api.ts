/**
 * HTTPS on loopback with a private certificate authority, and a CONNECT proxy, for the network
 * tests (proxies and extra CAs).
 *
 * - `makeCertificates` makes, with the `openssl` command, a CA and two server certificates it
 *   signs: one for 127.0.0.1 and one for another name only.
 * - `startTlsApi` serves a client credentials token endpoint (`POST /token`, any client) and
 *   answers every other path with `{ path, authorization }`.
 * - `startConnectProxy` tunnels CONNECT requests to loopback only, and records each target.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

export interface Certificates {
  /** The CA's certificate file (PEM). */
  caFile: string;
  ca: string;
  /** Key and certificate for 127.0.0.1. */
  good: { key: string; cert: string };
  /** Key and certificate for `api.internal.example` only. */
  otherName: { key: string; cert: string };
}

export function makeCertificates(dir: string): Certificates {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const file = (name: string) => join(dir, name);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Tokendeck Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const leaf = (name: string, san: string) => {
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    );
    writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-out',
      file(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
    );
    return {
      key: readFileSync(file(`${name}.key`), 'utf8'),
      cert: readFileSync(file(`${name}.pem`), 'utf8'),
    };
  };
  return {
    caFile: file('ca.pem'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    good: leaf('loopback', 'IP:127.0.0.1'),
    otherName: leaf('elsewhere', 'DNS:api.internal.example'),
  };
}

export interface RunningServer {
  url: string;
  /** `host:port`, as a proxy sees it in CONNECT. */
  authority: string;
  close(): Promise<void>;
}

export async function startTlsApi(credentials: {
  key: string;
  cert: string;
}): Promise<RunningServer & { readonly tokensIssued: number }> {
  let tokensIssued = 0;
  const server = createHttpsServer(credentials, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/token') {
        tokensIssued += 1;
        res.end(
          JSON.stringify({
            access_token: `tls_${randomBytes(16).toString('hex')}`,
            token_type: 'Bearer',
            expires_in: 3600,
          }),
        );
        return;
      }
      res.end(JSON.stringify({ path: req.url, authorization: req.headers.authorization ?? null }));
    });
  });
  const running = await listening(server, 'https');
  // A getter, not Object.assign (which would copy today's count once).
  return Object.defineProperty(running, 'tokensIssued', {
    get: () => tokensIssued,
  }) as RunningServer & { readonly tokensIssued: number };
}

/** A CONNECT proxy on 127.0.0.1 that tunnels to 127.0.0.1 only. */
export async function startConnectProxy(): Promise<RunningServer & { readonly seen: string[] }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.statusCode = 405;
    res.end('this proxy only tunnels');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push(target);
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1' || !port) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const running = await listening(server, 'http', () => {
    for (const socket of sockets) socket.destroy();
  });
  return Object.assign(running, { seen });
}

async function listening(
  server: HttpServer | HttpsServer,
  scheme: string,
  beforeClose?: () => void,
): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        beforeClose?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
