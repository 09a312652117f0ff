import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumProxy,
  createChromiumTransport,
  trustedByExtraCa,
  type ChromiumProxy,
} from '../../../src-main/core/net/chromium-transport';
import { proxyPlan } from '../../../src-main/core/net/proxy-rules';
import { scannedTempDir } from '../../helpers/secret-registry';
import { makeCertificates, type Certificates } from '../../helpers/servers/tls-api';

/**
 * The app's transport logic without Electron: the proxy Chromium is given (settings, then the
 * environment, then the OS), the extra CA check, and exchanges through a stand-in for `net.fetch`
 * (Node's fetch) against a real loopback server.
 */

let certificates: Certificates;
let server: Server;
let origin: string;

beforeAll(async () => {
  certificates = makeCertificates(scannedTempDir('tokendeck-chromium-net-'));
  server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/elsewhere' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'x-seen': req.headers.authorization ?? '' });
    res.end('x'.repeat(100));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the proxy Chromium is given', () => {
  const system = { proxy: { mode: 'system' as const } };

  it('is the OS one when neither the settings nor the environment name a proxy', () => {
    expect(chromiumProxy(proxyPlan(system, {}), system)).toEqual({ mode: 'system' });
  });

  it('is the environment one over the OS, NO_PROXY included, loopback not exempt', () => {
    const env = {
      HTTPS_PROXY: 'http://proxy.corp:3128',
      NO_PROXY: '.internal.example,localhost:8080',
    };
    expect(chromiumProxy(proxyPlan(system, env), system)).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'https=http://proxy.corp:3128',
      proxyBypassRules:
        'internal.example,*.internal.example,localhost:8080,*.localhost:8080,<-loopback>',
    });
  });

  it('is the settings one over the environment, and none at all for direct', () => {
    const manual = {
      proxy: { mode: 'manual' as const, url: 'https://proxy.example:8443', bypass: '*' },
    };
    const env = { HTTPS_PROXY: 'http://ignored:1' };
    expect(chromiumProxy(proxyPlan(manual, env), manual)).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'http=https://proxy.example:8443;https=https://proxy.example:8443',
      proxyBypassRules: '*,<-loopback>',
    });
    const direct = { proxy: { mode: 'direct' as const } };
    expect(chromiumProxy(proxyPlan(direct, env), direct)).toEqual({ mode: 'direct' });
  });
});

describe('the extra certificate authority', () => {
  it('accepts a chain it signed for the host asked, and nothing else', () => {
    const { ca, good, otherName } = certificates;
    expect(trustedByExtraCa([good.cert], [ca], '127.0.0.1')).toBe(true);
    // The right CA, the wrong name: Chromium's refusal stands.
    expect(trustedByExtraCa([otherName.cert], [ca], '127.0.0.1')).toBe(false);
    expect(trustedByExtraCa([otherName.cert], [ca], 'api.internal.example')).toBe(true);
    // Not signed by it: a CA is not its own leaf, and no CA is no trust.
    expect(trustedByExtraCa([good.cert], [good.cert], '127.0.0.1')).toBe(false);
    expect(trustedByExtraCa([good.cert], [], '127.0.0.1')).toBe(false);
    // Expired by the time of the check.
    expect(trustedByExtraCa([good.cert], [ca], '127.0.0.1', Date.now() + 10 * 86_400_000)).toBe(
      false,
    );
    expect(trustedByExtraCa(['not a certificate'], [ca], '127.0.0.1')).toBe(false);
  });
});

describe('the Chromium transport', () => {
  const proxies: ChromiumProxy[] = [];
  const transport = createChromiumTransport(
    {
      fetch: (url, init) => fetch(url, init),
      setProxy: async (config) => {
        proxies.push(config);
      },
    },
    {},
  );

  it('sends through net.fetch, caps the body, and reports the timings it can see', async () => {
    const response = await transport.exchange(
      {
        method: 'GET',
        url: new URL(`${origin}/items`),
        headers: [['Authorization', 'Bearer t-1']],
      },
      { displayCapBytes: 10, hardCapBytes: 1000 },
      new AbortController().signal,
    );
    expect(response.status).toBe(200);
    expect(response.headers).toContainEqual(['x-seen', 'Bearer t-1']);
    expect(response.body.toString()).toBe('x'.repeat(10));
    expect(response).toMatchObject({ size: 100, truncated: true, incomplete: false });
    expect(response.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(response.connectMs).toBeUndefined();
  });

  it('never follows a redirect itself', async () => {
    const response = await transport.fetch(`${origin}/moved`, {});
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
  });

  it('names a failed connection in plain words', async () => {
    const closed = `http://127.0.0.1:1/`;
    await expect(transport.fetch(closed, {})).rejects.toMatchObject({
      code: 'network_error',
      message: expect.stringContaining('http://127.0.0.1:1'),
    });
  });

  it('hands the settings to the session and describes them', () => {
    transport.configure({
      proxy: { mode: 'manual', url: 'http://proxy.corp:3128', bypass: '' },
      ca: { pem: certificates.ca, name: 'corp-ca.pem' },
    });
    expect(proxies.at(-1)).toMatchObject({ mode: 'fixed_servers' });
    expect(transport.extraCas()).toHaveLength(1);
    expect(transport.describe()).toEqual({
      proxy: 'http://proxy.corp:3128 (from Tokendeck settings)',
      bypass: 'none',
      extraCas: ['the OS trust store', 'corp-ca.pem (from Tokendeck settings)'],
    });
    transport.configure({ proxy: { mode: 'system' } });
    expect(proxies.at(-1)).toEqual({ mode: 'system' });
    expect(transport.extraCas()).toEqual([]);
    expect(transport.describe().proxy).toBe('the OS settings, PAC included');
  });
});
