import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokendeck, tokendeckOk, type CliResult } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import {
  makeCertificates,
  startConnectProxy,
  startTlsApi,
  type Certificates,
} from '../helpers/servers/tls-api';

/**
 * Proxies and private certificate authorities, through the real `tokendeck` command: a token
 * endpoint and an API over HTTPS with a certificate made in the test, a CONNECT proxy on loopback
 * that records what it tunnels, the environment (HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS) and
 * the data folder's settings (`tokendeck network`), which come first.
 */

let root: string;
let certificates: Certificates;
let api: Awaited<ReturnType<typeof startTlsApi>>;
let misnamed: Awaited<ReturnType<typeof startTlsApi>>;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;

beforeAll(async () => {
  root = scannedTempDir('tokendeck-cli-network-');
  const dir = join(root, 'pki');
  mkdirSync(dir);
  certificates = makeCertificates(dir);
  api = await startTlsApi(certificates.good);
  misnamed = await startTlsApi(certificates.otherName);
  proxy = await startConnectProxy();
});

afterAll(async () => {
  await api?.close();
  await misnamed?.close();
  await proxy?.close();
});

/** A client credentials provider whose token endpoint and API are the HTTPS server. */
async function addProvider(dataDir: string, base: string): Promise<void> {
  await tokendeckOk(
    [
      'provider',
      'add',
      'corp',
      '--grant',
      'client_credentials',
      '--token-url',
      `${base}/token`,
      '--api-base',
      base,
      '--client-id',
      'corp-client',
      '--client-secret-stdin',
      '--whoami',
      'none',
    ],
    { dataDir, stdin: 'corp-client-secret-0123456789\n' },
  );
}

/** A typed error as JSON; exit 1, or 2 for a mistake in the command line itself. */
const failure = (result: CliResult, exit = 1) => {
  expect(result.code, result.stderr).toBe(exit);
  return JSON.parse(result.stdout) as { code: string; message: string };
};

describe('a private certificate authority', () => {
  it('refuses the server until its CA is added, from the environment or the settings', async () => {
    const dataDir = join(root, 'ca');
    await addProvider(dataDir, api.url);

    const refused = failure(await tokendeck(['connect', 'corp', '--json'], { dataDir }));
    expect(refused.code).toBe('tls_error');
    expect(refused.message).toMatch(/^The TLS certificate of 127\.0\.0\.1 is not trusted \(/);
    expect(refused.message).toMatch(/network settings or NODE_EXTRA_CA_CERTS/);
    expect(api.tokensIssued).toBe(0);

    // NODE_EXTRA_CA_CERTS, read by Node itself at start-up.
    const env = { NODE_EXTRA_CA_CERTS: certificates.caFile };
    const viaEnv = await tokendeck(['connect', 'corp', '--json'], { dataDir, env });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(api.tokensIssued).toBe(1);

    // The data folder's CA, for the protocol step and the console alike.
    const shown = JSON.parse(
      await tokendeckOk(['network', '--ca-file', certificates.caFile, '--json'], { dataDir }),
    ) as { effective: { extraCas: string[] } };
    expect(shown.effective.extraCas).toEqual([`${certificates.caFile} (from Tokendeck settings)`]);
    const response = JSON.parse(
      await tokendeckOk(['request', 'corp', 'GET', '/items'], { dataDir }),
    );
    expect(response).toMatchObject({
      path: '/items',
      authorization: expect.stringMatching(/^Bearer tls_/),
    });

    await tokendeckOk(['network', '--remove-ca'], { dataDir });
    const again = failure(
      await tokendeck(['request', 'corp', 'GET', '/items', '--json'], { dataDir }),
    );
    expect(again.code).toBe('tls_error');
  });

  it('says when the certificate is for another name', async () => {
    const dataDir = join(root, 'name');
    await addProvider(dataDir, misnamed.url);
    await tokendeckOk(['network', '--ca-file', certificates.caFile], { dataDir });
    const refused = failure(await tokendeck(['connect', 'corp', '--json'], { dataDir }));
    expect(refused.code).toBe('tls_error');
    expect(refused.message).toMatch(/^The TLS certificate of 127\.0\.0\.1 is for another name/);
  });

  it('refuses a CA file that holds no certificate, keeping the settings', async () => {
    const dataDir = join(root, 'bad-ca');
    const bad = join(root, 'not-a-cert.pem');
    writeFileSync(bad, 'hello\n');
    const refused = failure(await tokendeck(['network', '--ca-file', bad, '--json'], { dataDir }));
    expect(refused.code).toBe('invalid_input');
    const missing = failure(
      await tokendeck(['network', '--ca-file', join(root, 'nowhere.pem'), '--json'], { dataDir }),
    );
    expect(missing).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/ENOENT/),
    });
    const shown = JSON.parse(await tokendeckOk(['network', '--json'], { dataDir })) as {
      effective: { extraCas: string[] };
    };
    expect(shown.effective.extraCas).toEqual([]);
  });
});

describe('a CONNECT proxy', () => {
  it('carries the traffic from HTTPS_PROXY, except for NO_PROXY hosts', async () => {
    const dataDir = join(root, 'proxy-env');
    await addProvider(dataDir, api.url);
    await tokendeckOk(['network', '--ca-file', certificates.caFile], { dataDir });
    const env = { HTTPS_PROXY: proxy.url };
    const before = proxy.seen.length;

    await tokendeckOk(['connect', 'corp'], { dataDir, env });
    await tokendeckOk(['request', 'corp', 'GET', '/through'], { dataDir, env });
    expect(proxy.seen.slice(before)).toEqual([api.authority, api.authority]);
    const shown = JSON.parse(await tokendeckOk(['network', '--json'], { dataDir, env })) as {
      effective: { proxy: string };
    };
    expect(shown.effective.proxy).toBe(`${proxy.url} (from the environment)`);

    await tokendeckOk(['request', 'corp', 'GET', '/direct'], {
      dataDir,
      env: { ...env, NO_PROXY: 'localhost,127.0.0.1' },
    });
    expect(proxy.seen.length).toBe(before + 2);
  });

  it('takes the settings first: direct beats the environment, a set proxy needs none', async () => {
    const dataDir = join(root, 'proxy-settings');
    await addProvider(dataDir, api.url);
    await tokendeckOk(['network', '--ca-file', certificates.caFile, '--direct'], { dataDir });
    const before = proxy.seen.length;
    await tokendeckOk(['connect', 'corp'], { dataDir, env: { HTTPS_PROXY: proxy.url } });
    expect(proxy.seen.length).toBe(before);

    await tokendeckOk(['network', '--proxy', proxy.url], { dataDir });
    await tokendeckOk(['request', 'corp', 'GET', '/settings-proxy'], { dataDir });
    expect(proxy.seen.slice(before)).toEqual([api.authority]);
    await tokendeckOk(['network', '--proxy', proxy.url, '--bypass', '127.0.0.1'], { dataDir });
    await tokendeckOk(['request', 'corp', 'GET', '/settings-bypass'], { dataDir });
    expect(proxy.seen.length).toBe(before + 1);
  });

  it('refuses bad proxy settings with typed errors', async () => {
    const dataDir = join(root, 'bad-proxy');
    const cases: Array<[string[], RegExp, number]> = [
      [['network', '--proxy', 'ftp://127.0.0.1:1'], /./, 1],
      [['network', '--proxy', 'not a url'], /./, 1],
      [['network', '--bypass', '127.0.0.1'], /--bypass goes with --proxy URL/, 2],
      [['network', '--direct', '--system'], /Use one of --proxy, --direct or --system/, 2],
    ];
    for (const [args, message, exit] of cases) {
      const refused = failure(await tokendeck([...args, '--json'], { dataDir }), exit);
      expect(refused.code, args.join(' ')).toBe('invalid_input');
      expect(refused.message, args.join(' ')).toMatch(message);
    }
  });
});
