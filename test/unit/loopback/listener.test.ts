import { connect, createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { createLogger, type Logger } from '../../../src-main/core/log';
import { codeOf, listenerStarter } from '../../helpers/loopback-listeners';

const STATE = 'state-abcdefghijklmnop-0123456789';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }), lines };
}

const start = listenerStarter(STATE);

describe('loopback listener', () => {
  it('binds 127.0.0.1 on an ephemeral port and resolves with a valid callback', async () => {
    const listener = await start();
    const url = new URL(listener.redirectUri);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.pathname).toBe('/callback');
    const reply = await call(`${listener.redirectUri}?code=the-code-123456&state=${STATE}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('You can close this window and return to Tokendeck');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cache-control']).toBe('no-store');
    const params = await listener.result;
    expect(params.get('code')).toBe('the-code-123456');
  });

  it('does not answer on other interfaces than 127.0.0.1', async () => {
    const listener = await start();
    const port = new URL(listener.redirectUri).port;
    await expect(call(`http://[::1]:${port}/callback?state=${STATE}&code=x`)).rejects.toThrow();
  });

  it('answers a wrong path with 400 and keeps waiting', async () => {
    const { logger, lines } = captureLogger();
    const listener = await start({ logger });
    const origin = new URL(listener.redirectUri).origin;
    expect((await call(`${origin}/other?code=abcdef&state=${STATE}`)).status).toBe(400);
    expect(lines.join('\n')).toContain('wrong path');
    expect((await call(`${listener.redirectUri}?code=good-code-1&state=${STATE}`)).status).toBe(
      200,
    );
    expect((await listener.result).get('code')).toBe('good-code-1');
  });

  it('answers a POST with 400 and keeps waiting', async () => {
    const listener = await start();
    expect((await call(`${listener.redirectUri}?code=abcdef&state=${STATE}`, 'POST')).status).toBe(
      400,
    );
    expect((await call(`${listener.redirectUri}?code=good-code-2&state=${STATE}`)).status).toBe(
      200,
    );
    expect((await listener.result).get('code')).toBe('good-code-2');
  });

  it('answers duplicate parameters with 400 and keeps waiting', async () => {
    const listener = await start();
    expect(
      (await call(`${listener.redirectUri}?code=a1b2c3&code=d4e5f6&state=${STATE}`)).status,
    ).toBe(400);
    expect(
      (await call(`${listener.redirectUri}?code=abcdef&state=${STATE}&state=${STATE}`)).status,
    ).toBe(400);
    expect((await call(`${listener.redirectUri}?code=good-code-3&state=${STATE}`)).status).toBe(
      200,
    );
    expect((await listener.result).get('code')).toBe('good-code-3');
  });

  it('answers a wrong or missing state with 400, logs why without the state, then accepts the right one', async () => {
    const { logger, lines } = captureLogger();
    const listener = await start({ logger });
    const wrong = `${STATE.slice(0, -1)}X`;
    const shorter = 'short';
    expect((await call(`${listener.redirectUri}?code=abcdef&state=${wrong}`)).status).toBe(400);
    expect((await call(`${listener.redirectUri}?code=abcdef&state=${shorter}`)).status).toBe(400);
    expect((await call(`${listener.redirectUri}?code=abcdef`)).status).toBe(400);
    expect((await call(`${listener.redirectUri}?code=good-code-4&state=${STATE}`)).status).toBe(
      200,
    );
    expect((await listener.result).get('code')).toBe('good-code-4');
    const log = lines.join('\n');
    expect(log).toContain('wrong state');
    expect(log).toContain('missing state');
    expect(log).not.toContain(STATE);
    expect(log).not.toContain('good-code-4');
  });

  it('fails with callback_error on error=access_denied, escaping the description', async () => {
    const listener = await start();
    const reply = await call(
      `${listener.redirectUri}?error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}&state=${STATE}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.body).not.toContain('<script>');
    expect(reply.body).toContain('&#60;script&#62;');
    await expect(listener.result).rejects.toMatchObject({
      code: 'callback_error',
      details: { error: 'access_denied' },
    });
  });

  it('fails with implicit_response when the callback carries tokens', async () => {
    const listener = await start();
    expect(
      (await call(`${listener.redirectUri}?access_token=leaked-token-1&state=${STATE}`)).status,
    ).toBe(400);
    expect(await codeOf(listener.result)).toBe('implicit_response');
  });

  it('fails with implicit_response for an id_token next to a code', async () => {
    const listener = await start();
    expect(
      (await call(`${listener.redirectUri}?code=abcdef&id_token=eyJ.x.y&state=${STATE}`)).status,
    ).toBe(400);
    expect(await codeOf(listener.result)).toBe('implicit_response');
  });

  it('answers a replayed callback with a callback_replayed page', async () => {
    const listener = await start();
    const { port } = new URL(listener.redirectUri);
    const line = `GET /callback?code=replay-code-1&state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      socket.write(line + line);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw).toContain('HTTP/1.1 400');
    expect(raw).toContain('callback_replayed');
    expect((await listener.result).get('code')).toBe('replay-code-1');
  });

  it('times out with flow_timeout', async () => {
    const listener = await start({ timeoutMs: 50 });
    expect(await codeOf(listener.result)).toBe('flow_timeout');
  });

  it('is cancelled through an AbortSignal with flow_cancelled, and stops listening', async () => {
    const controller = new AbortController();
    const listener = await start({ signal: controller.signal });
    controller.abort();
    expect(await codeOf(listener.result)).toBe('flow_cancelled');
    await expect(call(`${listener.redirectUri}?code=late-code&state=${STATE}`)).rejects.toThrow();
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(start({ signal: controller.signal }))).toBe('flow_cancelled');
  });

  it('fails with port_in_use when the fixed port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expect(await codeOf(start({ port }))).toBe('port_in_use');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('listens on a free fixed port and path', async () => {
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const listener = await start({ port, path: '/oauth/done' });
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${port}/oauth/done`);
  });

  it('keeps two flows apart: flow A’s callback cannot complete flow B', async () => {
    const a = await start({ state: 'state-of-flow-a-000000' });
    const b = await start({ state: 'state-of-flow-b-111111' });
    expect(
      (await call(`${b.redirectUri}?code=code-for-a&state=state-of-flow-a-000000`)).status,
    ).toBe(400);
    expect(
      (await call(`${a.redirectUri}?code=code-for-a&state=state-of-flow-a-000000`)).status,
    ).toBe(200);
    expect((await a.result).get('code')).toBe('code-for-a');
    expect(
      (await call(`${b.redirectUri}?code=code-for-b&state=state-of-flow-b-111111`)).status,
    ).toBe(200);
    expect((await b.result).get('code')).toBe('code-for-b');
  });

  it('fails the flow with the validate hook’s error (an iss mismatch) and shows it', async () => {
    const listener = await start({
      validate: () => {
        throw new TokendeckError(
          'callback_invalid',
          'The issuer in the callback is not the expected one.',
        );
      },
    });
    const reply = await call(
      `${listener.redirectUri}?code=abcdef&iss=https%3A%2F%2Fevil.example&state=${STATE}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('not the expected one');
    expect(await codeOf(listener.result)).toBe('callback_invalid');
  });
});
