import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { startLoopbackListener } from '../../../src-main/core/loopback';
import { codeOf, listenerStarter } from '../../helpers/loopback-listeners';

/**
 * SECURITY 13: the listener is reachable only on the address its redirect URI names, and its
 * port is closed after a valid callback, a timeout and a cancel, including a cancel that comes
 * while it is still binding.
 */
const STATE = 'state-hosts-abcdefghijklmnop-0123';

const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    blockers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits for the port to stop accepting: a closed listening socket goes away within a tick or two. */
async function closedSoon(host: string, port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (!(await accepts(host, port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port that is free on both 127.0.0.1 and ::1 right now. */
async function freePort(): Promise<number> {
  for (;;) {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (!(await accepts('::1', port))) return port;
  }
}

async function block(host: string, port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host, port }, resolve));
  blockers.push(server);
}

const start = listenerStarter(STATE);

describe('where the listener listens', () => {
  it('binds 127.0.0.1 only: 127.0.0.2 and ::1 on its port are refused', async () => {
    const listener = await start();
    const port = Number(new URL(listener.redirectUri).port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(await accepts('::1', port)).toBe(false);
  });

  it('binds ::1 only for a [::1] redirect', async () => {
    const port = await freePort();
    const listener = await start({ host: '::1', port });
    expect(listener.redirectUri).toBe(`http://[::1]:${port}/callback`);
    expect(await accepts('127.0.0.1', port)).toBe(false);
    expect(await get(`${listener.redirectUri}?code=v6-code-123456&state=${STATE}`)).toBe(200);
    expect((await listener.result).get('code')).toBe('v6-code-123456');
  });

  it('binds both 127.0.0.1 and ::1 on one port for a localhost redirect', async () => {
    const port = await freePort();
    const listener = await start({ host: 'localhost', port });
    expect(listener.redirectUri).toBe(`http://localhost:${port}/callback`);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('::1', port)).toBe(true);
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(await get(`http://[::1]:${port}/callback?code=lh-code-123456&state=${STATE}`)).toBe(200);
    expect((await listener.result).get('code')).toBe('lh-code-123456');
  });

  it('refuses a localhost redirect when either family is taken, and leaves nothing open', async () => {
    for (const taken of ['127.0.0.1', '::1']) {
      const port = await freePort();
      await block(taken, port);
      const error = await start({ host: 'localhost', port }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'port_in_use', details: { address: taken, port } });
      expect((error as Error).message).toContain('127.0.0.1 and ::1');
      const other = taken === '::1' ? '127.0.0.1' : '::1';
      expect(await closedSoon(other, port)).toBe(true);
    }
  });
});

describe('the port is closed after every ending', () => {
  it('after a valid callback', async () => {
    const listener = await start();
    const port = Number(new URL(listener.redirectUri).port);
    expect(await get(`${listener.redirectUri}?code=done-code-123456&state=${STATE}`)).toBe(200);
    await listener.result;
    expect(await closedSoon('127.0.0.1', port)).toBe(true);
  });

  it('after a timeout', async () => {
    const listener = await start({ timeoutMs: 30 });
    const port = Number(new URL(listener.redirectUri).port);
    expect(await codeOf(listener.result)).toBe('flow_timeout');
    expect(await closedSoon('127.0.0.1', port)).toBe(true);
  });

  it('after a cancel at every stage of starting and waiting', async () => {
    // The cancel lands after 0, 1, 2, … turns of the event loop: before the first socket is
    // bound, between the two sockets of a localhost listener, and once it waits.
    for (let turns = 0; turns <= 12; turns += 1) {
      const port = await freePort();
      const controller = new AbortController();
      const starting = startLoopbackListener({
        host: 'localhost',
        port,
        path: '/callback',
        state: STATE,
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      for (let turn = 0; turn < turns; turn += 1) await new Promise(setImmediate);
      controller.abort();
      const outcome = await starting.then(
        (listener) => codeOf(listener.result),
        (error: unknown) => (error instanceof TokendeckError ? error.code : String(error)),
      );
      expect(outcome, `cancel after ${turns} turns`).toBe('flow_cancelled');
      expect(await closedSoon('127.0.0.1', port), `127.0.0.1 after ${turns} turns`).toBe(true);
      expect(await closedSoon('::1', port), `::1 after ${turns} turns`).toBe(true);
    }
  });
});
